import Type from 'typebox'

/** Schema of `<dataDir>/settings.json`. Every field optional; unknown fields are rejected. */

const Port = Type.Integer({ minimum: 0, maximum: 65535 })
const QoS = Type.Union([Type.Literal(0), Type.Literal(1), Type.Literal(2)])
const Level = Type.Union(['DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].map((l) => Type.Literal(l)))
const HttpUrl = Type.String({ pattern: '^https?://.+' })
const MqttUrl = Type.String({ pattern: '^(mqtt|mqtts|tcp|tls|ws|wss)://.+' })

export const SettingsFile = Type.Object(
  {
    hosts: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })),
    ports: Type.Optional(
      Type.Object(
        {
          ngsi: Type.Optional(Port),
          north: Type.Optional(Port),
          mqtt: Type.Optional(Port),
          mqttWs: Type.Optional(Port),
          gui: Type.Optional(Port)
        },
        { additionalProperties: false }
      )
    ),
    mqtt: Type.Optional(
      Type.Union([
        Type.Object({ mode: Type.Literal('embedded') }, { additionalProperties: false }),
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
            keepalive: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 }))
          },
          { additionalProperties: false }
        )
      ])
    ),
    mqttPublish: Type.Optional(
      Type.Object({ qos: Type.Optional(QoS), retain: Type.Optional(Type.Boolean()) }, { additionalProperties: false })
    ),
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
            retryMaxMs: Type.Optional(Type.Integer({ minimum: 10, maximum: 3_600_000 }))
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
    logLevel: Type.Optional(Level)
  },
  { additionalProperties: false }
)

export type SettingsFileT = Type.Static<typeof SettingsFile>
