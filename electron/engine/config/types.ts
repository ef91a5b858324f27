/**
 * Engine configuration. Precedence (see load.ts): command-line flag > environment
 * (FIWARE `IOTA_*` names where one exists) > settings file in the data directory > defaults.
 */

import type { LogLevel, QoS } from '../../../shared/settings'

export type { LogLevel, QoS }

export interface PortsConfig {
  /** NGSI-v2 context broker (Orion-compatible). */
  ngsi: number
  /** IoT Agent provisioning ("north") API; FIWARE IOTA_NORTH_PORT. */
  north: number
  /** MQTT over TCP of the embedded broker; FIWARE IOTA_MQTT_PORT. */
  mqtt: number
  /** MQTT over WebSocket of the embedded broker. */
  mqttWs: number
  /** GUI and engine WebSocket in `serve` mode. */
  gui: number
  /** HTTP south port of both agents (UltraLight `/iot/d`, JSON `/iot/json`); FIWARE IOTA_HTTP_PORT. */
  south: number
  /** Provisioning ("north") API of the IoT Agent JSON (tutorials 6, 8, 9); that agent's IOTA_NORTH_PORT. */
  jsonNorth: number
  /** The tutorials' context provider (tutorial 4's `context-provider:5000`), built in. */
  contextProvider: number
  /** The tutorials' HTTP dummy devices (`dummy-device:80/dht22`, `/device1`…), built in. */
  devices: number
  /** Cygnus-compatible notification sink (`cygnus:5050/notify`). */
  cygnus: number
  /** Cygnus-compatible management API (`/v1/version`). */
  cygnusApi: number
  /** STH-Comet-compatible history API. */
  sth: number
}

export interface EmbeddedMqttConfig {
  mode: 'embedded'
  /** Mosquitto password file (mosquitto_passwd format, $6$ and $7$ hashes); read again when it changes. */
  passwordFile?: string
  /** Mosquitto ACL file (user / topic / pattern lines); read again when it changes. */
  aclFile?: string
  /** Whether clients without a user name may connect; undefined: as Mosquitto 2 decides (broker/auth/authorizer.ts anonymousAllowed). */
  allowAnonymous?: boolean
  /** MQTT over TLS (mqtts) on this port, as Mosquitto's usual 8883; off when absent. Needs tlsCertFile and tlsKeyFile. */
  tlsPort?: number
  /** MQTT over secure WebSocket (wss) on this port; off when absent. Needs tlsCertFile and tlsKeyFile. */
  wssPort?: number
  /** PEM certificate (chain) of the TLS listeners (Mosquitto's certfile). */
  tlsCertFile?: string
  /** PEM private key of the TLS listeners (Mosquitto's keyfile). */
  tlsKeyFile?: string
  /** PEM CA bundle that signs client certificates (Mosquitto's cafile). */
  tlsCaFile?: string
  /** Whether TLS clients must present a certificate signed by tlsCaFile (Mosquitto's require_certificate). */
  requireCertificate?: boolean
}

export interface ExternalMqttConfig {
  mode: 'external'
  /** mqtt://, mqtts://, ws:// or wss:// URL of the broker. */
  url: string
  username?: string
  password?: string
  /** Path of a PEM CA bundle used to verify the broker (mqtts/wss). */
  caFile?: string
  certFile?: string
  keyFile?: string
  rejectUnauthorized: boolean
  /** Client id prefix; a random suffix is appended on every connection, as iotagent-ul does. */
  clientId: string
  keepalive: number
  /** MQTT protocol version of the engine's client: 4 (3.1.1, iotagent-ul's) when absent, or 5. */
  protocolVersion?: 4 | 5
}

export type MqttBrokerConfig = EmbeddedMqttConfig | ExternalMqttConfig

export interface MqttPublishConfig {
  /** QoS of the agent's own publications (commands, configuration values); FIWARE IOTA_MQTT_QOS. */
  qos: QoS
  /** Retain flag of the agent's own publications; FIWARE IOTA_MQTT_RETAIN. */
  retain: boolean
}

export interface EmbeddedContextBrokerConfig {
  mode: 'embedded'
}

export interface ExternalContextBrokerConfig {
  mode: 'external'
  /** Base URL of the external Orion, e.g. http://orion:1026 (FIWARE IOTA_CB_URL). */
  url: string
  /**
   * Bounds of the on-disk queue of updates waiting for Orion (ULCC_CB_QUEUE_MAX_UPDATES,
   * ULCC_CB_QUEUE_MAX_BYTES); beyond them the oldest updates are dropped and counted.
   * Undefined: 100,000 updates, 64 MiB.
   */
  queueMaxUpdates?: number
  queueMaxBytes?: number
  /** Timeout of one request to Orion in ms (ULCC_CB_TIMEOUT_MS; default 10,000). */
  timeoutMs?: number
  /** Longest wait between two attempts while Orion is unreachable, in ms (ULCC_CB_RETRY_MAX_MS; default 30,000). */
  retryMaxMs?: number
  /** PEM CA bundle that verifies an https Orion and token service (--cb-ca, ULCC_CB_CA). */
  caFile?: string
  /** Authentication towards Orion behind a PEP proxy (FIWARE IOTA_AUTH_*); absent: none. */
  auth?: ContextBrokerAuthConfig
}

/**
 * How the agent authenticates to Orion, after iotagent-node-lib's `authentication` block
 * (docs/compatibility/iot-agent-ul.md, "Authentication towards the context broker"): `token` sends a
 * fixed token; `keystone` gets one from Keystone (`POST /v3/auth/tokens`, user and password, scoped
 * to `trust` when given); `oauth2` from an OAuth2 server such as Keyrock (refresh-token grant).
 */
export interface ContextBrokerAuthConfig {
  type: 'token' | 'keystone' | 'oauth2'
  /** Header the token goes in (FIWARE IOTA_AUTH_HEADER; default X-Auth-Token). */
  header?: string
  /** Base URL of the token service (IOTA_AUTH_URL, or IOTA_AUTH_HOST and IOTA_AUTH_PORT). */
  url?: string
  /** OAuth2: path of the token endpoint below `url` (IOTA_AUTH_TOKEN_PATH). */
  tokenPath?: string
  /** Keystone user and password (IOTA_AUTH_USER, IOTA_AUTH_PASSWORD). */
  user?: string
  password?: string
  /** OAuth2 client (IOTA_AUTH_CLIENT_ID, IOTA_AUTH_CLIENT_SECRET). */
  clientId?: string
  clientSecret?: string
  /** Keystone trust id, or OAuth2 refresh token (the agent's group `trust`; ULCC_AUTH_TRUST). */
  trust?: string
  /** OAuth2: `trust` is itself the access token, never refreshed (IOTA_AUTH_PERMANENT_TOKEN). */
  permanentToken?: boolean
  /** `token`: the token sent as it is (--cb-token, ULCC_CB_TOKEN). */
  token?: string
}

export type ContextBrokerConfig = EmbeddedContextBrokerConfig | ExternalContextBrokerConfig

export interface IotaConfig {
  /** Group resource used to resolve MQTT measures; FIWARE IOTA_DEFAULT_RESOURCE. */
  defaultResource: string
  /** API key of devices provisioned without a group; FIWARE IOTA_DEFAULT_KEY. */
  defaultKey: string
  /** Entity type when neither the device nor a group sets one. */
  defaultType: string
  /** Transport when neither the device nor the group sets one; FIWARE IOTA_DEFAULT_TRANSPORT. */
  defaultTransport: string
  /** Add TimeInstant to every update; FIWARE IOTA_TIMESTAMP (the seed tutorial sets true). */
  timestamp: boolean
  /** FIWARE IOTA_EXPLICIT_ATTRS. */
  explicitAttrs: boolean
  /** FIWARE IOTA_DEFAULT_ENTITY_NAME_CONJUNCTION. */
  entityNameConjunction: string
  /**
   * URL the context broker forwards commands to (FIWARE IOTA_PROVIDER_URL).
   * Undefined means "the north API of this engine" (computed at start).
   */
  providerUrl?: string
  /** An MQTT command without answer expires after this many ms (0 disables). Not in FIWARE. */
  commandTimeoutMs: number
  /** Maximum HTTP body size of the provisioning API in bytes (FIWARE IOTA_EXPRESS_LIMIT, default 1mb). */
  bodyLimit: number
}

export interface PersistenceConfig {
  /** Upper bound of the delay between an entity change and its write to disk. */
  flushIntervalMs: number
  /** Delay of the group commit when a client waits for durability (QoS 1 acks, HTTP answers). */
  commitDelayMs: number
  /** NeDB datafiles are compacted at this interval. */
  compactionIntervalMs: number
}

export interface LimitsConfig {
  /** Messages kept by the topic inspector (ring buffer). */
  inspectorMessages: number
  /** Bytes of payload kept by the topic inspector. */
  inspectorBytes: number
  /** Distinct topics tracked by the inspector's statistics. */
  inspectorTopics: number
  /** Log entries kept in memory for the GUI. */
  logEntries: number
  /** Points kept per attribute for the charts. */
  telemetryPoints: number
}

export interface EngineConfig {
  dataDir: string
  /** Addresses every listener binds to. Default: both loopback addresses. */
  hosts: string[]
  /** Host names the HTTP ports accept besides loopback and `hosts` (--allowed-host; net/host-guard.ts). */
  allowedHosts: string[]
  /** CORS of the NGSI port, as Orion's -corsOrigin / -corsMaxAge: origin '' (off), `__ALL` or one origin. */
  cors: { origin: string; maxAge: number }
  ports: PortsConfig
  /**
   * Tutorial host names (`orion`, `dummy-device`, `cygnus`, `context-provider`, `iot-agent`,
   * `iot-sensors`) that do not resolve here go to the app's built-in services; false: never.
   */
  tutorialHosts: boolean
  mqtt: MqttBrokerConfig
  mqttPublish: MqttPublishConfig
  contextBroker: ContextBrokerConfig
  iota: IotaConfig
  persistence: PersistenceConfig
  limits: LimitsConfig
  /** The built-in history (Cygnus sink, STH-Comet API): how long and how many points it keeps. */
  history: HistoryConfig
  logLevel: LogLevel
}

export interface HistoryConfig {
  /** Points older than this many days are dropped. */
  retentionDays: number
  /** At most this many points are kept; the oldest go first. */
  maxPoints: number
}
