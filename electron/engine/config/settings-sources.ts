import type { FixedSettings, SettingPath, SettingSource } from '../../../shared/settings'
import { EXTRA_PORTS } from './extra-ports'
import type { EngineConfig } from './types'

export type { FixedSettings, SettingSource }

type Env = Record<string, string | undefined>
type Flags = Record<string, string | string[] | boolean | undefined>

/** Environment variables of load.ts that are not settings (where the data is, not how it is handled). */
export const NOT_SETTINGS_ENV = ['ULCC_DATA_DIR']


/**
 * Dotted settings.json paths set by each environment variable, in the order load.ts applies them.
 * `when` mirrors the conditions of load.ts (an empty IOTA_MQTT_HOST is ignored, the MQTT client
 * variables only matter for an external broker, …).
 */
const ENV_PATHS: Array<{ name: string; paths: (env: Env, config: EngineConfig) => SettingPath[] }> = [
  { name: 'ULCC_HOST', paths: () => ['hosts'] },
  { name: 'ULCC_ALLOWED_HOSTS', paths: () => ['allowedHosts'] },
  { name: 'ULCC_CORS_ORIGIN', paths: () => ['cors.origin'] },
  { name: 'ULCC_CORS_MAX_AGE', paths: () => ['cors.maxAge'] },
  { name: 'ULCC_NGSI_PORT', paths: () => ['ports.ngsi'] },
  { name: 'IOTA_NORTH_PORT', paths: () => ['ports.north'] },
  { name: 'ULCC_MQTT_WS_PORT', paths: () => ['ports.mqttWs'] },
  { name: 'ULCC_GUI_PORT', paths: () => ['ports.gui'] },
  ...EXTRA_PORTS.map(([name, , key]) => ({ name, paths: (): SettingPath[] => [`ports.${key}`] })),
  { name: 'ULCC_TUTORIAL_HOSTS', paths: () => ['tutorialHosts'] },
  { name: 'IOTA_MQTT_HOST', paths: (env) => (env.IOTA_MQTT_HOST ? ['mqtt.mode', 'mqtt.url'] : []) },
  // With IOTA_MQTT_HOST the port is part of the external broker's URL, without it the embedded broker's port.
  { name: 'IOTA_MQTT_PORT', paths: (env) => (env.IOTA_MQTT_HOST ? ['mqtt.mode', 'mqtt.url'] : ['ports.mqtt']) },
  { name: 'IOTA_MQTT_PROTOCOL', paths: (env) => (env.IOTA_MQTT_HOST ? ['mqtt.mode', 'mqtt.url'] : []) },
  { name: 'ULCC_MQTT_URL', paths: (env) => (env.ULCC_MQTT_URL ? ['mqtt.mode', 'mqtt.url'] : []) },
  ...(
    [
      ['IOTA_MQTT_USERNAME', 'username'],
      ['IOTA_MQTT_PASSWORD', 'password'],
      ['IOTA_MQTT_CA', 'caFile'],
      ['IOTA_MQTT_CERT', 'certFile'],
      ['IOTA_MQTT_KEY', 'keyFile'],
      ['IOTA_MQTT_REJECT_UNAUTHORIZED', 'rejectUnauthorized'],
      ['IOTA_MQTT_CLIENT_ID', 'clientId'],
      ['IOTA_MQTT_KEEPALIVE', 'keepalive'],
      ['ULCC_MQTT_PROTOCOL_VERSION', 'protocolVersion']
    ] as const
  ).map(([name, field]) => ({ name, paths: (_env: Env, config: EngineConfig): SettingPath[] => (config.mqtt.mode === 'external' ? [`mqtt.${field}`] : []) })),
  ...(
    [
      ['ULCC_MQTT_PASSWORD_FILE', 'passwordFile'],
      ['ULCC_MQTT_ACL_FILE', 'aclFile'],
      ['ULCC_MQTT_ALLOW_ANONYMOUS', 'allowAnonymous'],
      ['ULCC_MQTT_TLS_PORT', 'tlsPort'],
      ['ULCC_MQTT_WSS_PORT', 'wssPort'],
      ['ULCC_MQTT_CERT', 'tlsCertFile'],
      ['ULCC_MQTT_KEY', 'tlsKeyFile'],
      ['ULCC_MQTT_TLS_CA', 'tlsCaFile'],
      ['ULCC_MQTT_REQUIRE_CERTIFICATE', 'requireCertificate']
    ] as const
  ).map(([name, field]) => ({ name, paths: (_env: Env, config: EngineConfig): SettingPath[] => (config.mqtt.mode === 'embedded' ? [`mqtt.${field}`] : []) })),
  { name: 'IOTA_MQTT_QOS', paths: () => ['mqttPublish.qos'] },
  { name: 'IOTA_MQTT_RETAIN', paths: () => ['mqttPublish.retain'] },
  { name: 'IOTA_CB_URL', paths: (env) => (env.IOTA_CB_URL ? ['contextBroker.mode', 'contextBroker.url'] : []) },
  { name: 'IOTA_CB_HOST', paths: (env) => (!env.IOTA_CB_URL && env.IOTA_CB_HOST ? ['contextBroker.mode', 'contextBroker.url'] : []) },
  { name: 'IOTA_CB_PORT', paths: (env) => (!env.IOTA_CB_URL && env.IOTA_CB_HOST ? ['contextBroker.mode', 'contextBroker.url'] : []) },
  ...(
    [
      ['ULCC_CB_QUEUE_MAX_UPDATES', 'queueMaxUpdates'],
      ['ULCC_CB_QUEUE_MAX_BYTES', 'queueMaxBytes'],
      ['ULCC_CB_TIMEOUT_MS', 'timeoutMs'],
      ['ULCC_CB_RETRY_MAX_MS', 'retryMaxMs']
    ] as const
  ).map(([name, field]) => ({ name, paths: (_env: Env, config: EngineConfig): SettingPath[] => (config.contextBroker.mode === 'external' ? [`contextBroker.${field}`] : []) })),
  { name: 'ULCC_CB_CA', paths: (_env, config) => (config.contextBroker.mode === 'external' ? ['contextBroker.caFile'] : []) },
  // Authentication towards Orion (load.ts applyAuthEnv): a token, or iotagent-node-lib's IOTA_AUTH_* variables.
  { name: 'ULCC_CB_TOKEN', paths: (_env, config) => (config.contextBroker.mode === 'external' ? ['contextBroker.auth.type', 'contextBroker.auth.token'] : []) },
  { name: 'IOTA_AUTH_ENABLED', paths: (_env, config) => (config.contextBroker.mode === 'external' ? ['contextBroker.auth.type'] : []) },
  ...(
    [
      ['IOTA_AUTH_TYPE', ['type']],
      ['IOTA_AUTH_HEADER', ['header']],
      ['IOTA_AUTH_URL', ['url']],
      ['IOTA_AUTH_HOST', ['url']],
      ['IOTA_AUTH_PORT', ['url']],
      ['IOTA_AUTH_TOKEN_PATH', ['tokenPath']],
      ['IOTA_AUTH_CLIENT_ID', ['clientId']],
      ['IOTA_AUTH_CLIENT_SECRET', ['clientSecret']],
      ['IOTA_AUTH_USER', ['user']],
      ['IOTA_AUTH_PASSWORD', ['password']],
      ['IOTA_AUTH_PERMANENT_TOKEN', ['permanentToken']],
      ['ULCC_CB_AUTH_TRUST', ['trust']]
    ] as const
  ).map(([name, fields]) => ({
    name,
    paths: (env: Env, config: EngineConfig): SettingPath[] =>
      config.contextBroker.mode === 'external' && config.contextBroker.auth && (name !== 'IOTA_AUTH_PORT' || (env.IOTA_AUTH_HOST && !env.IOTA_AUTH_URL))
        ? fields.map((f): SettingPath => `contextBroker.auth.${f}`)
        : []
  })),
  { name: 'IOTA_PROVIDER_URL', paths: (env) => (env.IOTA_PROVIDER_URL ? ['iota.providerUrl'] : []) },
  { name: 'IOTA_DEFAULT_RESOURCE', paths: () => ['iota.defaultResource'] },
  { name: 'IOTA_DEFAULT_KEY', paths: () => ['iota.defaultKey'] },
  { name: 'IOTA_DEFAULT_TRANSPORT', paths: () => ['iota.defaultTransport'] },
  { name: 'IOTA_TIMESTAMP', paths: () => ['iota.timestamp'] },
  { name: 'IOTA_EXPLICIT_ATTRS', paths: () => ['iota.explicitAttrs'] },
  { name: 'IOTA_DEFAULT_ENTITY_NAME_CONJUNCTION', paths: () => ['iota.entityNameConjunction'] },
  { name: 'ULCC_COMMAND_TIMEOUT_MS', paths: () => ['iota.commandTimeoutMs'] },
  { name: 'ULCC_HISTORY_RETENTION_DAYS', paths: () => ['history.retentionDays'] },
  { name: 'ULCC_HISTORY_MAX_POINTS', paths: () => ['history.maxPoints'] },
  { name: 'IOTA_LOG_LEVEL', paths: () => ['logLevel'] }
]

/** Every environment variable this module knows (a test checks it against load.ts). */
export const KNOWN_ENV: readonly string[] = ENV_PATHS.map((e) => e.name)

const str = (f: Flags, k: string): string | undefined => {
  const v = f[k]
  return typeof v === 'string' ? v : undefined
}

/** Paths set by each command-line flag (see CLI_OPTIONS and applyFlags in load.ts). */
function flagPaths(f: Flags, config: EngineConfig): SettingPath[] {
  const out: SettingPath[] = []
  if (Array.isArray(f.host)) out.push('hosts')
  if (Array.isArray(f['allowed-host'])) out.push('allowedHosts')
  for (const [flag, path] of [
    ['ngsi-port', 'ports.ngsi'],
    ['north-port', 'ports.north'],
    ['mqtt-port', 'ports.mqtt'],
    ['mqtt-ws-port', 'ports.mqttWs'],
    ['gui-port', 'ports.gui'],
    ...EXTRA_PORTS.map(([, flag, key]) => [flag, `ports.${key}`] as const),
    ['tutorial-hosts', 'tutorialHosts'],
    ['cors-origin', 'cors.origin'],
    ['cors-max-age', 'cors.maxAge'],
    ['history-retention-days', 'history.retentionDays'],
    ['history-max-points', 'history.maxPoints'],
    ['log-level', 'logLevel']
  ] as const) {
    if (str(f, flag) !== undefined) out.push(path)
  }
  if (str(f, 'mqtt-url')) out.push('mqtt.mode', 'mqtt.url')
  if (config.mqtt.mode === 'external') {
    if (str(f, 'mqtt-username') !== undefined) out.push('mqtt.username')
    if (str(f, 'mqtt-password') !== undefined) out.push('mqtt.password')
    if (str(f, 'mqtt-ca') !== undefined) out.push('mqtt.caFile')
    if (str(f, 'mqtt-protocol-version') !== undefined) out.push('mqtt.protocolVersion')
  }
  if (config.mqtt.mode === 'embedded') {
    if (str(f, 'mqtt-password-file') !== undefined) out.push('mqtt.passwordFile')
    if (str(f, 'mqtt-acl-file') !== undefined) out.push('mqtt.aclFile')
    if (str(f, 'mqtt-allow-anonymous') !== undefined) out.push('mqtt.allowAnonymous')
    for (const [flag, path] of [
      ['mqtt-tls-port', 'mqtt.tlsPort'],
      ['mqtt-wss-port', 'mqtt.wssPort'],
      ['mqtt-cert', 'mqtt.tlsCertFile'],
      ['mqtt-key', 'mqtt.tlsKeyFile'],
      ['mqtt-tls-ca', 'mqtt.tlsCaFile'],
      ['mqtt-require-certificate', 'mqtt.requireCertificate']
    ] as const) {
      if (str(f, flag) !== undefined) out.push(path)
    }
  }
  if (str(f, 'cb-url')) out.push('contextBroker.mode', 'contextBroker.url')
  if (config.contextBroker.mode === 'external') {
    if (str(f, 'cb-token') !== undefined) out.push('contextBroker.auth.type', 'contextBroker.auth.token')
    if (str(f, 'cb-ca') !== undefined) out.push('contextBroker.caFile')
  }
  if (str(f, 'provider-url')) out.push('iota.providerUrl')
  return out
}

/**
 * The settings a command-line flag or an environment variable fixes (flags > environment >
 * settings.json > defaults): the GUI shows them read-only, since a value saved in settings.json
 * would be overridden at every start. Computed from the same env and flags loadConfig was given,
 * with the same rules; `config` is the configuration they produced.
 */
export function fixedSettings(env: Env, flags: Flags, config: EngineConfig): FixedSettings {
  const fixed: FixedSettings = {}
  for (const { name, paths } of ENV_PATHS) {
    if (env[name] === undefined) continue
    for (const p of paths(env, config)) fixed[p] = 'env'
  }
  for (const p of flagPaths(flags, config)) fixed[p] = 'flag'
  return fixed
}

/** Whether `path` (or a value inside it, or the object holding it) is fixed. */
export function fixedSource(fixed: FixedSettings, path: SettingPath): SettingSource | undefined {
  if (fixed[path]) return fixed[path]
  for (const [p, s] of Object.entries(fixed)) if (s && (p.startsWith(path + '.') || path.startsWith(p + '.'))) return s
  return undefined
}
