import type { EngineConfig } from './types'

/** The seed tutorial's ports and agent settings; every listener on loopback. */
export function defaultConfig(dataDir: string): EngineConfig {
  return {
    dataDir,
    hosts: ['127.0.0.1', '::1'],
    allowedHosts: [],
    // Orion: no CORS unless -corsOrigin; -corsMaxAge 86400.
    cors: { origin: '', maxAge: 86400 },
    tutorialHosts: true,
    ports: { ngsi: 1026, north: 4042, mqtt: 1883, mqttWs: 9001, gui: 8042, south: 7896, jsonNorth: 4041, contextProvider: 5000, devices: 3001, cygnus: 5050, cygnusApi: 5080, sth: 8666 },
    mqtt: { mode: 'embedded' },
    mqttPublish: { qos: 0, retain: false },
    contextBroker: { mode: 'embedded' },
    iota: {
      // The seed tutorial runs the agent with IOTA_DEFAULT_RESOURCE= and provisions `"resource": ""`.
      defaultResource: '',
      defaultKey: 'TEF',
      defaultType: 'Thing',
      defaultTransport: 'MQTT',
      // The seed tutorial sets IOTA_TIMESTAMP=true.
      timestamp: true,
      explicitAttrs: false,
      entityNameConjunction: ':',
      commandTimeoutMs: 30_000,
      bodyLimit: 1024 * 1024
    },
    persistence: { flushIntervalMs: 1000, commitDelayMs: 0, compactionIntervalMs: 10 * 60_000 },
    limits: {
      inspectorMessages: 5000,
      inspectorBytes: 8 * 1024 * 1024,
      inspectorTopics: 10_000,
      logEntries: 2000,
      telemetryPoints: 600
    },
    history: { retentionDays: 30, maxPoints: 1_000_000 },
    logLevel: 'INFO'
  }
}
