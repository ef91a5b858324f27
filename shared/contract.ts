/**
 * The contract between the engine and the GUI: every request the GUI can make, with the schema
 * of its arguments, and every event stream. The same contract travels over Electron IPC (preload
 * bridge) and over the WebSocket of `serve` mode; both transports validate arguments against
 * these schemas before the engine sees them.
 */
import Type from 'typebox'

const Scope = Type.Object(
  {
    service: Type.String({ maxLength: 50, pattern: '^[A-Za-z0-9_]*$' }),
    servicePath: Type.String({ minLength: 1, maxLength: 1024, pattern: '^/' })
  },
  { additionalProperties: false }
)

const Json = Type.Unknown()
const Id = Type.String({ minLength: 1, maxLength: 256 })
const QoS = Type.Union([Type.Literal(0), Type.Literal(1), Type.Literal(2)])

/** Argument schemas of every request, by request name. */
export const RequestSchemas = {
  'engine.status': Type.Object({}, { additionalProperties: false }),

  'groups.list': Type.Object({ scope: Scope }, { additionalProperties: false }),
  /** Body items as in `POST /iot/groups` (`{apikey, resource, entity_type, …}`). */
  'groups.create': Type.Object({ scope: Scope, group: Json }, { additionalProperties: false }),
  'groups.update': Type.Object({ scope: Scope, resource: Type.String(), apikey: Type.String(), patch: Json }, { additionalProperties: false }),
  'groups.delete': Type.Object({ scope: Scope, resource: Type.String(), apikey: Type.String() }, { additionalProperties: false }),

  'devices.list': Type.Object(
    { scope: Scope, limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })), offset: Type.Optional(Type.Integer({ minimum: 0 })) },
    { additionalProperties: false }
  ),
  'devices.get': Type.Object({ scope: Scope, deviceId: Id }, { additionalProperties: false }),
  /** Body items as in `POST /iot/devices`. */
  'devices.create': Type.Object({ scope: Scope, device: Json }, { additionalProperties: false }),
  'devices.update': Type.Object({ scope: Scope, deviceId: Id, patch: Json }, { additionalProperties: false }),
  'devices.delete': Type.Object({ scope: Scope, deviceId: Id }, { additionalProperties: false }),

  'entities.list': Type.Object(
    { scope: Scope, type: Type.Optional(Type.String()), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })), offset: Type.Optional(Type.Integer({ minimum: 0 })) },
    { additionalProperties: false }
  ),
  'entities.get': Type.Object({ scope: Scope, id: Id, type: Type.Optional(Type.String()) }, { additionalProperties: false }),

  /** Sends a command the way a client of Orion does: an update of the command attribute, forwarded to the agent. */
  'commands.send': Type.Object({ scope: Scope, entityId: Id, entityType: Id, command: Id, value: Json }, { additionalProperties: false }),

  'mqtt.publish': Type.Object(
    { topic: Type.String({ minLength: 1, maxLength: 65535 }), payload: Type.String({ maxLength: 16 * 1024 * 1024 }), qos: QoS, retain: Type.Boolean() },
    { additionalProperties: false }
  ),
  'inspector.messages': Type.Object(
    { afterSeq: Type.Optional(Type.Integer({ minimum: 0 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })) },
    { additionalProperties: false }
  ),
  'inspector.topics': Type.Object({}, { additionalProperties: false }),

  'simulator.startSeed': Type.Object(
    {
      apikey: Type.String({ minLength: 1, maxLength: 256, pattern: '^[^/#+\\s]+$' }),
      deviceId: Type.String({ minLength: 1, maxLength: 256, pattern: '^[^/#+@|\\s]+$' }),
      intervalSec: Type.Number({ exclusiveMinimum: 0, maximum: 86_400 }),
      switchedOn: Type.Boolean()
    },
    { additionalProperties: false }
  ),
  'simulator.stop': Type.Object({ apikey: Type.String({ minLength: 1 }), deviceId: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
  'simulator.list': Type.Object({}, { additionalProperties: false }),

  'logs.recent': Type.Object({}, { additionalProperties: false })
} as const

export type RequestName = keyof typeof RequestSchemas
export type RequestArgs<K extends RequestName> = Type.Static<(typeof RequestSchemas)[K]>

export interface ServiceEndpoint {
  /** e.g. 'NGSI-v2 context broker' */
  name: string
  /** e.g. 'http', 'mqtt', 'ws' */
  protocol: string
  addresses: Array<{ host: string; port: number }>
  /** Full URL(s) a user can paste, with `localhost`. */
  urls: string[]
}

export interface EngineStatus {
  version: string
  startedAt: number
  dataDir: string
  mqtt: { kind: 'embedded' | 'external'; up: boolean; clients: number; url?: string; lastError?: string; messagesIn: number; messagesOut: number }
  contextBroker: { kind: 'embedded' | 'external'; url?: string }
  endpoints: ServiceEndpoint[]
  agent: {
    messages: number
    measures: number
    updates: number
    commandResults: number
    autoprovisioned: number
    rejected: Record<string, number>
    commands: { sent: number; ok: number; errors: number; expired: number; pending: number; unknownCommand: number }
  }
  inspector: { messages: number; rate: number; buffered: number; bufferedBytes: number; topics: number }
  registry: { groups: number; devices: number }
  entities: number
}

/** Results of every request, by request name. */
export interface RequestResults {
  'engine.status': EngineStatus
  'groups.list': { count: number; groups: Array<Record<string, unknown>> }
  'groups.create': void
  'groups.update': void
  'groups.delete': void
  'devices.list': { count: number; devices: Array<Record<string, unknown>> }
  'devices.get': Record<string, unknown>
  'devices.create': void
  'devices.update': void
  'devices.delete': void
  'entities.list': { count: number; entities: Array<Record<string, unknown>> }
  'entities.get': Record<string, unknown>
  'commands.send': void
  'mqtt.publish': void
  'inspector.messages': InspectorMessageDto[]
  'inspector.topics': Array<{ topic: string; count: number; bytes: number; lastTime: number; rate: number; errors: number }>
  'simulator.startSeed': SimulatedDeviceDto
  'simulator.stop': { stopped: boolean }
  'simulator.list': SimulatedDeviceDto[]
  'logs.recent': LogEntryDto[]
}

export interface InspectorMessageDto {
  seq: number
  time: number
  topic: string
  /** UTF-8 text of the kept payload. */
  payload: string
  /** Bytes of the whole payload (larger than the kept part when truncated is true). */
  size: number
  truncated: boolean
  qos: 0 | 1 | 2
  retain: boolean
  origin: 'client' | 'engine' | 'remote'
  clientId?: string
  agent: null | { kind: string; deviceId: string; entityId?: string; attributes?: string[]; error?: string; message?: string }
}

export interface SimulatedDeviceDto {
  apikey: string
  deviceId: string
  intervalSec: number
  switchedOn: boolean
  running: boolean
  measuresSent: number
  commandsReceived: number
}

export interface LogEntryDto {
  time: number
  level: string
  source: string
  code: string
  message: string
}

export interface CommandEventDto {
  service: string
  servicePath: string
  entityId: string
  entityType: string
  deviceId: string
  command: string
  status: 'PENDING' | 'OK' | 'ERROR'
  info?: unknown
  rttMs?: number
  time: number
}

/** Event streams, batched by the engine (at most ~10 messages per second per stream). */
export interface EventPayloads {
  status: EngineStatus
  commands: CommandEventDto[]
  logs: LogEntryDto[]
}

export type EventName = keyof EventPayloads

/** A failed request, as both transports report it. */
export interface ApiErrorDto {
  /** FIWARE error name when the engine answered like the HTTP API would (e.g. DUPLICATE_DEVICE_ID). */
  name: string
  message: string
  status?: number
}

/** The engine as the GUI sees it, whatever the transport. */
export type EngineApi = { [K in RequestName]: (args: RequestArgs<K>) => Promise<RequestResults[K]> }

/** Subscribes to a batched event stream; returns the unsubscribe function. */
export type EventSubscribe = <E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void) => () => void

/** What the preload bridge exposes to the renderer as `window.ulcc`, and what the WebSocket client implements. */
export interface EngineBridge {
  request<K extends RequestName>(name: K, args: RequestArgs<K>): Promise<RequestResults[K]>
  on: EventSubscribe
}

/** Name of the single IPC channel for requests, and prefix of event channels. */
export const IPC_REQUEST_CHANNEL = 'ulcc:request'
export const IPC_EVENT_CHANNEL = 'ulcc:event'
