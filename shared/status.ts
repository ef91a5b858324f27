/**
 * The engine's status as the GUI sees it (part of the contract, shared/contract.ts): where each
 * service listens, and the measured state of each component of the stack.
 */

/**
 * What an endpoint is for: the IoT Agent's north API, the embedded NGSI-v2 API or an external
 * Orion's, the embedded MQTT broker over TCP or WebSocket (and their TLS listeners), or an external MQTT broker.
 */
export type EndpointRole = 'iota-north' | 'iota-json-north' | 'ngsi' | 'ngsi-external' | 'mqtt' | 'mqtt-ws' | 'mqtts' | 'mqtt-wss' | 'mqtt-external' | 'context-provider' | 'iota-south' | 'http-devices' | 'cygnus' | 'cygnus-api' | 'sth'

export interface ServiceEndpoint {
  /** What the endpoint is for (the GUI picks endpoints by role, never by name). */
  role: EndpointRole
  /** Display name, e.g. 'NGSI-v2 context broker' */
  name: string
  /** e.g. 'http', 'mqtt', 'ws' */
  protocol: string
  addresses: Array<{ host: string; port: number }>
  /** Full URL(s) a user can paste, with `localhost`. */
  urls: string[]
}

/**
 * A component's state as the engine measured it:
 * - `listening` / `not-listening`: an embedded MQTT broker or the IoT Agent's north API accepts connections, or does not;
 * - `running`: the embedded context broker serves its NGSI-v2 API;
 * - `connected` / `disconnected`: the engine's connection to an external MQTT broker;
 * - `reachable` / `unreachable`: whether an external Orion answered the engine's last request (without a 5xx);
 * - `checking`: an external Orion before its first answer;
 * - `stopped`: the engine is not running.
 */
export type ComponentCondition = 'listening' | 'not-listening' | 'running' | 'connected' | 'disconnected' | 'reachable' | 'unreachable' | 'checking' | 'stopped'

export interface ComponentStatusDto {
  kind: 'embedded' | 'external'
  /** True only when the condition says the component works (listening, running, connected, reachable). */
  up: boolean
  condition: ComponentCondition
  /** Since when the condition holds (ms since the epoch), when the engine knows. */
  since?: number
  /** The last problem met with the component, and when. */
  lastError?: string
  lastErrorAt?: number
  /** External Orion: when it last answered a request or probe without a 5xx (ms since the epoch). */
  lastSuccessAt?: number
  /** External Orion: the version its last answer to `GET /version` gave. */
  version?: string
}

/** The measured state of each component of the stack, for the overview's diagram. */
export interface ComponentsStatusDto {
  mqtt: ComponentStatusDto
  agent: ComponentStatusDto
  contextBroker: ComponentStatusDto
}

/**
 * The embedded MQTT broker's authentication and ACLs (Mosquitto's password and ACL files); absent
 * for an external broker.
 */
export interface MqttAuthStatusDto {
  /** Whether clients are checked at all: a password file, an ACL file, or anonymous clients refused. */
  enabled: boolean
  /** Whether clients without a user name may connect. */
  allowAnonymous: boolean
  /** The password file in force: how many users it has, when it was read. */
  passwordFile?: { path: string; users: number; loadedAt: number }
  /** The ACL file in force: how many `topic`/`pattern` lines it has, when it was read. */
  aclFile?: { path: string; lines: number; loadedAt: number }
  /** When a changed file was last read again (ms since the epoch). */
  lastReloadAt?: number
  /** Problems of the files' last reading (a changed file with errors is not used; the rules read before stay). */
  problems: string[]
  /** Connections refused (CONNACK 5), by reason: no user name, unknown user, wrong or missing password, no password file to check one against. */
  refused: { anonymous: number; unknownUser: number; badPassword: number; noPasswordFile: number }
  /** Publications dropped and deliveries withheld by the ACL. */
  denied: { publish: number; deliver: number }
}

/**
 * Connections the embedded broker refused before any authentication: a CONNECT with a protocol
 * level it does not serve (it serves 3.1, 3.1.1 and 5), or a first packet that is not a valid
 * CONNECT. Refusals by the password file are counted in MqttAuthStatusDto.refused.
 */
export interface MqttRefusedConnectsDto {
  protocolVersion: number
  malformed: number
}

/** What one IoT Agent has received and done since the engine started. */
export interface AgentCountersDto {
  messages: number
  measures: number
  updates: number
  commandResults: number
  autoprovisioned: number
  rejected: Record<string, number>
  commands: { sent: number; ok: number; errors: number; expired: number; pending: number; unknownCommand: number }
}

/** The groups and devices of one agent's registry, every tenant. */
export interface RegistryCountsDto {
  groups: number
  devices: number
}

export interface EngineStatus {
  version: string
  /**
   * `stopped`: no engine runs (a restart failed, and so did the previous settings); `error` says
   * why, the counters are zero, and the requests that need the engine answer ENGINE_STOPPED until
   * a restart succeeds.
   */
  state: 'running' | 'stopped'
  /** Why the engine is stopped (state `stopped` only). */
  error?: string
  /** When the engine started; when it stopped, for a stopped engine. */
  startedAt: number
  dataDir: string
  /**
   * `clients`: every MQTT client the broker serves, the engine's simulated devices included (they
   * publish in-process, without a connection of their own); `simulatedClients` is how many of
   * them are simulated devices (running seed devices plus the devices of running fleets).
   */
  mqtt: { kind: 'embedded' | 'external'; up: boolean; clients: number; simulatedClients: number; url?: string; lastError?: string; messagesIn: number; messagesOut: number; auth?: MqttAuthStatusDto; refusedConnects?: MqttRefusedConnectsDto }
  contextBroker: {
    kind: 'embedded' | 'external'
    url?: string
    /** External Orion only: the on-disk queue of updates waiting for it. */
    queue?: {
      reachable?: boolean
      backlog: number
      backlogBytes: number
      sent: number
      retried: number
      dropped: number
      failed: number
      lastError?: string
      lastErrorAt?: number
      lastSuccessAt?: number
    }
  }
  endpoints: ServiceEndpoint[]
  /** Each component's measured state (the `up` of `mqtt` and `contextBroker.queue.reachable` are parts of it). */
  components: ComponentsStatusDto
  /** The UltraLight agent's counters. */
  agent: AgentCountersDto
  /** The IoT Agent JSON's counters (its MQTT and HTTP south sides, its commands). */
  jsonAgent: AgentCountersDto
  inspector: { messages: number; rate: number; buffered: number; bufferedBytes: number; topics: number }
  /** The UltraLight agent's registry. */
  registry: RegistryCountsDto
  /** The IoT Agent JSON's own registry. */
  jsonRegistry: RegistryCountsDto
  entities: number
}
