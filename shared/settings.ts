/**
 * The engine's settings as one typed value: the schema of `<dataDir>/settings.json` (every field
 * optional, unknown fields refused), the TypeScript type derived from it, the shape of a change
 * (JSON merge patch) and the dotted names of the individual settings. The engine validates
 * settings.json and every change against this schema; the contract and the GUI use the same types.
 */
import Type from 'typebox'

export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const

/** Bounds of the built-in history's retention (settings.json `history`, its flags and variables, the settings page). */
export const HISTORY_BOUNDS = {
  retentionDays: { min: 1, max: 3650 },
  maxPoints: { min: 1000, max: 20_000_000 }
} as const

const Port = Type.Integer({ minimum: 0, maximum: 65535 })
const QoSSchema = Type.Union([Type.Literal(0), Type.Literal(1), Type.Literal(2)])
export const LogLevelSchema = Type.Union([Type.Literal('DEBUG'), Type.Literal('INFO'), Type.Literal('WARN'), Type.Literal('ERROR'), Type.Literal('FATAL')])
const HttpUrl = Type.String({ pattern: '^https?://.+' })
const MqttUrl = Type.String({ pattern: '^(mqtt|mqtts|tcp|tls|ws|wss)://.+' })

/** Authentication towards an external Orion (iotagent-node-lib's `authentication` block, plus a fixed token). */
const CbAuthSchema = Type.Object(
  {
    type: Type.Union([Type.Literal('token'), Type.Literal('keystone'), Type.Literal('oauth2')]),
    header: Type.Optional(Type.String({ minLength: 1, maxLength: 256, pattern: '^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$' })),
    url: Type.Optional(HttpUrl),
    tokenPath: Type.Optional(Type.String({ maxLength: 2048 })),
    user: Type.Optional(Type.String({ maxLength: 1024 })),
    password: Type.Optional(Type.String({ maxLength: 1024 })),
    clientId: Type.Optional(Type.String({ maxLength: 1024 })),
    clientSecret: Type.Optional(Type.String({ maxLength: 1024 })),
    trust: Type.Optional(Type.String({ maxLength: 8192, pattern: '^[\\x21-\\x7e]*$' })),
    permanentToken: Type.Optional(Type.Boolean()),
    token: Type.Optional(Type.String({ maxLength: 8192, pattern: '^[\\x21-\\x7e]*$' }))
  },
  { additionalProperties: false }
)

export const SettingsSchema = Type.Object(
  {
    hosts: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })),
    /** Host names the HTTP ports accept besides loopback and `hosts` (DNS rebinding guard). */
    allowedHosts: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 253, pattern: '^[^\\s/?#@]+$' }), { maxItems: 100 })),
    /** CORS of the NGSI port, as Orion's -corsOrigin (`__ALL` or one origin) and -corsMaxAge. */
    cors: Type.Optional(
      Type.Object(
        {
          origin: Type.Optional(Type.String({ maxLength: 2048, pattern: '^(__ALL|https?://[^\\s/]+)$' })),
          maxAge: Type.Optional(Type.Integer({ minimum: 0, maximum: 2147483647 }))
        },
        { additionalProperties: false }
      )
    ),
    /** Whether the tutorials' Docker host names that do not resolve here go to the built-in services. */
    tutorialHosts: Type.Optional(Type.Boolean()),
    ports: Type.Optional(
      Type.Object(
        {
          ngsi: Type.Optional(Port),
          north: Type.Optional(Port),
          mqtt: Type.Optional(Port),
          mqttWs: Type.Optional(Port),
          gui: Type.Optional(Port),
          south: Type.Optional(Port),
          jsonNorth: Type.Optional(Port),
          contextProvider: Type.Optional(Port),
          devices: Type.Optional(Port),
          cygnus: Type.Optional(Port),
          cygnusApi: Type.Optional(Port),
          sth: Type.Optional(Port)
        },
        { additionalProperties: false }
      )
    ),
    mqtt: Type.Optional(
      Type.Union([
        Type.Object(
          {
            mode: Type.Literal('embedded'),
            passwordFile: Type.Optional(Type.String({ minLength: 1 })),
            aclFile: Type.Optional(Type.String({ minLength: 1 })),
            allowAnonymous: Type.Optional(Type.Boolean()),
            tlsPort: Type.Optional(Port),
            wssPort: Type.Optional(Port),
            tlsCertFile: Type.Optional(Type.String({ minLength: 1 })),
            tlsKeyFile: Type.Optional(Type.String({ minLength: 1 })),
            tlsCaFile: Type.Optional(Type.String({ minLength: 1 })),
            requireCertificate: Type.Optional(Type.Boolean())
          },
          { additionalProperties: false }
        ),
        Type.Object(
          {
            mode: Type.Literal('external'),
            url: MqttUrl,
            username: Type.Optional(Type.String()),
            password: Type.Optional(Type.String()),
            caFile: Type.Optional(Type.String()),
            certFile: Type.Optional(Type.String()),
            keyFile: Type.Optional(Type.String()),
            rejectUnauthorized: Type.Optional(Type.Boolean()),
            clientId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
            keepalive: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
            protocolVersion: Type.Optional(Type.Union([Type.Literal(4), Type.Literal(5)]))
          },
          { additionalProperties: false }
        )
      ])
    ),
    mqttPublish: Type.Optional(Type.Object({ qos: Type.Optional(QoSSchema), retain: Type.Optional(Type.Boolean()) }, { additionalProperties: false })),
    contextBroker: Type.Optional(
      Type.Union([
        Type.Object({ mode: Type.Literal('embedded') }, { additionalProperties: false }),
        Type.Object(
          {
            mode: Type.Literal('external'),
            url: HttpUrl,
            queueMaxUpdates: Type.Optional(Type.Integer({ minimum: 1 })),
            queueMaxBytes: Type.Optional(Type.Integer({ minimum: 65536 })),
            timeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 600_000 })),
            retryMaxMs: Type.Optional(Type.Integer({ minimum: 10, maximum: 3_600_000 })),
            caFile: Type.Optional(Type.String()),
            auth: Type.Optional(CbAuthSchema)
          },
          { additionalProperties: false }
        )
      ])
    ),
    iota: Type.Optional(
      Type.Object(
        {
          defaultResource: Type.Optional(Type.String()),
          defaultKey: Type.Optional(Type.String()),
          defaultType: Type.Optional(Type.String({ minLength: 1 })),
          defaultTransport: Type.Optional(Type.String({ minLength: 1 })),
          timestamp: Type.Optional(Type.Boolean()),
          explicitAttrs: Type.Optional(Type.Boolean()),
          entityNameConjunction: Type.Optional(Type.String()),
          providerUrl: Type.Optional(HttpUrl),
          commandTimeoutMs: Type.Optional(Type.Integer({ minimum: 0 })),
          bodyLimit: Type.Optional(Type.Integer({ minimum: 1024 }))
        },
        { additionalProperties: false }
      )
    ),
    persistence: Type.Optional(
      Type.Object(
        {
          flushIntervalMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 60_000 })),
          commitDelayMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
          compactionIntervalMs: Type.Optional(Type.Integer({ minimum: 5000 }))
        },
        { additionalProperties: false }
      )
    ),
    limits: Type.Optional(
      Type.Object(
        {
          inspectorMessages: Type.Optional(Type.Integer({ minimum: 10, maximum: 1_000_000 })),
          inspectorBytes: Type.Optional(Type.Integer({ minimum: 1024, maximum: 1024 * 1024 * 1024 })),
          inspectorTopics: Type.Optional(Type.Integer({ minimum: 10, maximum: 1_000_000 })),
          logEntries: Type.Optional(Type.Integer({ minimum: 10, maximum: 100_000 })),
          telemetryPoints: Type.Optional(Type.Integer({ minimum: 10, maximum: 100_000 }))
        },
        { additionalProperties: false }
      )
    ),
    history: Type.Optional(
      Type.Object(
        {
          retentionDays: Type.Optional(Type.Integer({ minimum: HISTORY_BOUNDS.retentionDays.min, maximum: HISTORY_BOUNDS.retentionDays.max })),
          maxPoints: Type.Optional(Type.Integer({ minimum: HISTORY_BOUNDS.maxPoints.min, maximum: HISTORY_BOUNDS.maxPoints.max }))
        },
        { additionalProperties: false }
      )
    ),
    logLevel: Type.Optional(LogLevelSchema)
  },
  { additionalProperties: false }
)

/** Settings in settings.json's shape. The engine's effective settings (`settings.get`) fill every field it has a value for. */
export type Settings = Type.Static<typeof SettingsSchema>

export type LogLevel = Type.Static<typeof LogLevelSchema>
export type QoS = Type.Static<typeof QoSSchema>

/** Where a setting fixed outside settings.json comes from. */
export type SettingSource = 'flag' | 'env'

type AllKeys<T> = T extends unknown ? keyof T & string : never
type ValueAt<T, K extends string> = T extends unknown ? (K extends keyof T ? T[K] : never) : never

/**
 * A JSON merge patch (RFC 7386) of `T`: objects merge, `null` removes a value (its default
 * again), anything else replaces. A union (the `mode` of `mqtt` and `contextBroker`) patches as one
 * object with the fields of every member; the result is validated against the schema.
 */
export type MergePatch<T> = [T] extends [readonly unknown[]] ? T : [T] extends [object] ? { [K in AllKeys<T>]?: MergePatch<NonNullable<ValueAt<T, K>>> | null } : T

/** A change of settings, as `settings.update` takes it. */
export type SettingsPatch = MergePatch<Settings>

type Leaves<T, P extends string> = T extends readonly unknown[]
  ? P
  : T extends object
    ? { [K in keyof T & string]-?: Leaves<NonNullable<T[K]>, P extends '' ? K : `${P}.${K}`> }[keyof T & string]
    : P

/** The dotted name of one setting, e.g. `logLevel`, `ports.ngsi`, `mqtt.url`. */
export type SettingPath = Leaves<Settings, ''>

/** Settings fixed by a command-line flag or an environment variable, by name. */
export type FixedSettings = Partial<Record<SettingPath, SettingSource>>

interface SchemaNode {
  type?: unknown
  properties?: Record<string, SchemaNode>
  anyOf?: SchemaNode[]
}

/** Every setting's dotted name, read from the schema (a union contributes the fields of all its members). */
export const SETTING_PATHS: readonly SettingPath[] = (() => {
  const out = new Set<string>()
  const walk = (node: SchemaNode, prefix: string): void => {
    if (node.anyOf) return node.anyOf.forEach((n) => walk(n, prefix))
    if (node.type === 'object' && node.properties) {
      for (const [k, v] of Object.entries(node.properties)) walk(v, prefix ? `${prefix}.${k}` : k)
      return
    }
    out.add(prefix)
  }
  walk(SettingsSchema, '')
  return [...out] as SettingPath[]
})()

const KNOWN = new Set<string>(SETTING_PATHS)

export function isSettingPath(p: string): p is SettingPath {
  return KNOWN.has(p)
}

// ---- what `settings.get` and `connection.test` answer (shared/contract.ts re-exports them)

export interface SettingsDto {
  /** The settings in force, in settings.json's shape (values saved for the next start shown as saved; never a password). */
  values: Settings
  /** Settings fixed by a command-line flag or an environment variable (not editable here). */
  fixed: FixedSettings
  /** Where settings.json is. */
  file: string
  /** Problems found in settings.json at start. */
  warnings: string[]
  /** Saved settings that take effect when the engine starts again (engine.restart). */
  pending: SettingPath[]
  /** The same, each with the value saved and the value in force (both absent for a password; absent when not set). */
  pendingValues: PendingSettingDto[]
  /** What the page tells about settings.json, as data: problems at start (technical detail), a replaced unusable file. */
  notices: SettingsNoticeDto[]
}

export interface PendingSettingDto {
  path: SettingPath
  saved?: unknown
  running?: unknown
  /** A password: its values are never sent. */
  secret?: boolean
}

export type SettingsNoticeDto = { kind: 'start-problem'; detail: string } | { kind: 'file-replaced'; file: string; backup: string }

/**
 * Why a connection test failed: bad-url, file-unreadable / file-invalid (TLS files), dns,
 * refused, reset, unreachable, timeout, not-tls (TLS to a plain port), tls-untrusted,
 * tls-hostname, tls-expired, tls-client-cert, tls-other, auth (bad user name or password),
 * not-authorized, mqtt-refused (another CONNACK refusal), not-mqtt, http-status, not-orion,
 * auth-failed (Orion refused the token sent), credentials-refused (the token service refused the
 * credentials), token-service (it gave no token), auth-incomplete (a setting the type needs is empty),
 * busy (a test of that target is running), other.
 */
export type ConnectionTestReasonDto =
  | 'bad-url'
  | 'file-unreadable'
  | 'file-invalid'
  | 'dns'
  | 'refused'
  | 'reset'
  | 'unreachable'
  | 'timeout'
  | 'not-tls'
  | 'tls-untrusted'
  | 'tls-hostname'
  | 'tls-expired'
  | 'tls-client-cert'
  | 'tls-other'
  | 'auth'
  | 'not-authorized'
  | 'mqtt-refused'
  | 'not-mqtt'
  | 'http-status'
  | 'not-orion'
  | 'auth-failed'
  | 'credentials-refused'
  | 'token-service'
  | 'auth-incomplete'
  | 'busy'
  | 'other'

/** The outcome of `connection.test`. */
export interface ConnectionTestResultDto {
  target: 'mqtt' | 'contextBroker'
  ok: boolean
  /** From the start of the attempt to the answer (CONNACK, HTTP answer) or the failure. */
  latencyMs?: number
  /** MQTT: the broker's CONNACK (return code 0 when accepted). */
  connack?: { returnCode: number; sessionPresent: boolean }
  /** Context broker: the HTTP status of `GET /version`. */
  status?: number
  /** Context broker: Orion's version (`orion.version`). */
  version?: string
  reason?: ConnectionTestReasonDto
  /** The raw cause (English, technical), shown as secondary text. */
  detail?: string
}
