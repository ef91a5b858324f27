/**
 * The contract between the engine and the GUI: every request the GUI can make, with the schema
 * of its arguments, and every event stream. The same contract travels over Electron IPC (preload
 * bridge) and over the WebSocket of `serve` mode; both transports validate arguments against
 * these schemas before the engine sees them.
 */
import Type from 'typebox'
import type { AgentKind, DeviceDto, DeviceInputDto, DevicePatchDto, GroupDto, GroupInputDto, GroupPatchDto, ProvisioningDocumentDto } from './iot-agent'
import type { Lesson, LessonContextDto, LessonProgressDto, LessonSummaryDto, ShowMeActionDto } from './lessons'
import type { EntityDto } from './ngsi'
import type { CommandEventDto, FleetDto, LogEntryDto, SimulatedDeviceDto, TelemetrySeriesDto, TelemetryUpdateDto } from './activity'
import type { ClassroomGridDto, ClassroomGridRowDto, ClassroomRoleDto } from './classroom'
import type { ReceivedNotificationDto } from './notifications'
import type { InspectorBatchDto, InspectorMessageDto, MqttPublishResultDto, RetainedListDto } from './inspector'
import type { ConnectionTestResultDto, SettingPath, SettingsDto, SettingsPatch } from './settings'
import type { AclCheckDto, MqttAuthFilesDto, MqttAuthWriteDto } from './mqtt-auth'
import type { EngineStatus } from './status'
import type { TraceDto } from './trace'
import type { HistoryListDto, HistorySeriesDto } from './history'
import type { HttpDeviceDto } from './http-devices'

export type * from './iot-agent'
export type { EntityDto, NgsiAttributeDto, NgsiAttributeMetadataDto } from './ngsi'
export type { ActiveHintDto, Lesson, LessonContextDto, LessonProgressDto, LessonStep, LessonSummaryDto, LessonText, ShowMeActionDto, StepEvidenceDto, StepProgressDto } from './lessons'

export type * from './inspector'
export type * from './activity'
export type * from './classroom'
export type * from './notifications'
export type { ConnectionTestReasonDto, ConnectionTestResultDto, FixedSettings, LogLevel, PendingSettingDto, SettingPath, Settings, SettingsDto, SettingsNoticeDto, SettingsPatch, SettingSource } from './settings'
export type * from './status'
export type * from './mqtt-auth'
export type * from './trace'
export type * from './history'
export type * from './tutorial-hosts'
export type * from './http-devices'

const Scope = Type.Object(
  {
    service: Type.String({ maxLength: 50, pattern: '^[A-Za-z0-9_]*$' }),
    servicePath: Type.String({ minLength: 1, maxLength: 1024, pattern: '^/' })
  },
  { additionalProperties: false }
)

const Json = Type.Unknown()
/**
 * Which IoT Agent a provisioning request goes to (shared/iot-agent.ts `AgentKind`): each has its own
 * groups and devices, as two FIWARE agents have two databases. Absent: the UltraLight agent.
 */
const Agent = Type.Optional(Type.Union([Type.Literal('ul'), Type.Literal('json')]))
const Id = Type.String({ minLength: 1, maxLength: 256 })
const QoS = Type.Union([Type.Literal(0), Type.Literal(1), Type.Literal(2)])

/** Argument schemas of every request, by request name. */
export const RequestSchemas = {
  'engine.status': Type.Object({}, { additionalProperties: false }),
  /**
   * Stops the engine and starts it again with the settings as saved (settings.json, then the
   * variables and flags the app was started with), without restarting the app. When the new
   * settings cannot start (a port in use, a broker that cannot be reached), the engine comes back
   * with the settings it had, and the answer says why.
   */
  'engine.restart': Type.Object({}, { additionalProperties: false }),

  'groups.list': Type.Object({ agent: Agent, scope: Scope }, { additionalProperties: false }),
  /** Body items as in `POST /iot/groups` (`{apikey, resource, entity_type, …}`). */
  'groups.create': Type.Object({ agent: Agent, scope: Scope, group: Type.Unsafe<GroupInputDto>(Json) }, { additionalProperties: false }),
  'groups.update': Type.Object({ agent: Agent, scope: Scope, resource: Type.String(), apikey: Type.String(), patch: Type.Unsafe<GroupPatchDto>(Json) }, { additionalProperties: false }),
  'groups.delete': Type.Object({ agent: Agent, scope: Scope, resource: Type.String(), apikey: Type.String() }, { additionalProperties: false }),

  'devices.list': Type.Object(
    { agent: Agent, scope: Scope, limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })), offset: Type.Optional(Type.Integer({ minimum: 0 })) },
    { additionalProperties: false }
  ),
  'devices.get': Type.Object({ agent: Agent, scope: Scope, deviceId: Id }, { additionalProperties: false }),
  /** Body items as in `POST /iot/devices`. */
  'devices.create': Type.Object({ agent: Agent, scope: Scope, device: Type.Unsafe<DeviceInputDto>(Json) }, { additionalProperties: false }),
  'devices.update': Type.Object({ agent: Agent, scope: Scope, deviceId: Id, patch: Type.Unsafe<DevicePatchDto>(Json) }, { additionalProperties: false }),
  'devices.delete': Type.Object({ agent: Agent, scope: Scope, deviceId: Id }, { additionalProperties: false }),

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
  'inspector.retained': Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) }, { additionalProperties: false }),

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
  /** A fleet of N simulated UltraLight devices (ids `<idPrefix><n>`), for traffic without hardware. */
  'simulator.startFleet': Type.Object(
    {
      apikey: Type.String({ minLength: 1, maxLength: 256, pattern: '^[^/#+\\s]+$' }),
      idPrefix: Type.String({ minLength: 1, maxLength: 64, pattern: '^[^/#+@|\\s]+$' }),
      count: Type.Integer({ minimum: 1, maximum: 10_000 }),
      intervalSec: Type.Number({ minimum: 0.01, maximum: 86_400 }),
      /** Measures each device sends: key → inclusive numeric range. */
      measures: Type.Record(Type.String({ pattern: '^[^|#@\\s]+$' }), Type.Tuple([Type.Number(), Type.Number()]), { minProperties: 1, maxProperties: 20 }),
      /** Delay before a device answers a command. */
      replyLatencyMs: Type.Integer({ minimum: 0, maximum: 600_000 }),
      /** Share of measures and command answers a device silently drops (0–100). */
      lossPercent: Type.Number({ minimum: 0, maximum: 100 })
    },
    { additionalProperties: false }
  ),
  'simulator.stopFleet': Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }),
  /** The tutorials' HTTP dummy devices built in (`dummy-device:80/dht22`…): state, counters and last POST of each. */
  'simulator.httpDevices': Type.Object({}, { additionalProperties: false }),

  /** Recent points of one entity's numeric attributes (bounded window kept by the engine). */
  'telemetry.series': Type.Object({ scope: Scope, entityId: Id, entityType: Type.Optional(Type.String()) }, { additionalProperties: false }),
  /** The built-in history of one attribute (what Cygnus's sink stored), between two times (ms), thinned past maxPoints. */
  'history.series': Type.Object(
    {
      scope: Scope,
      entityId: Id,
      entityType: Id,
      attrName: Id,
      from: Type.Optional(Type.Number()),
      to: Type.Optional(Type.Number()),
      maxPoints: Type.Optional(Type.Integer({ minimum: 10, maximum: 100_000 }))
    },
    { additionalProperties: false }
  ),
  /** The attributes of a tenant that have built-in history: entity, attribute, point count, first and last time. */
  'history.list': Type.Object({ scope: Scope }, { additionalProperties: false }),

  /** Effective settings with where each value comes from. */
  'settings.get': Type.Object({}, { additionalProperties: false }),
  /** Changes settings (same shape as settings.json, partial); saved to the data directory and applied where possible. */
  'settings.update': Type.Object(
    // A JSON merge patch of the settings: any object here; the engine checks the merged settings against their schema.
    { patch: Type.Unsafe<SettingsPatch>(Type.Object({}, { additionalProperties: true })) },
    { additionalProperties: false }
  ),
  /** The embedded broker's users (names only) and ACL text, from Mosquitto's files (shared/mqtt-auth.ts). */
  'mqttAuth.get': Type.Object({}, { additionalProperties: false }),
  /** Creates a user or changes its password (a `$7$` line as mosquitto_passwd writes it); creates the file in the data directory when none is set. */
  'mqttAuth.setUser': Type.Object(
    { username: Type.String({ minLength: 1, maxLength: 65535 }), password: Type.String({ minLength: 1, maxLength: 65535 }) },
    { additionalProperties: false }
  ),
  'mqttAuth.deleteUser': Type.Object({ username: Type.String({ minLength: 1, maxLength: 65535 }) }, { additionalProperties: false }),
  /** Checks an ACL text as Mosquitto reads it, without saving it. */
  'mqttAuth.checkAcl': Type.Object({ text: Type.String({ maxLength: 1_000_000 }) }, { additionalProperties: false }),
  /** Saves the ACL file (refused, naming the lines, when it has errors). */
  'mqttAuth.setAcl': Type.Object({ text: Type.String({ maxLength: 1_000_000 }) }, { additionalProperties: false }),
  /**
   * One bounded attempt to reach the external MQTT broker or the external Orion with the values
   * being edited (not yet saved). An empty or absent MQTT password means the saved one.
   */
  'connection.test': Type.Union([
    Type.Object(
      {
        target: Type.Literal('mqtt'),
        mqtt: Type.Object(
          {
            url: Type.String({ minLength: 1, maxLength: 2048 }),
            username: Type.Optional(Type.String({ maxLength: 1024 })),
            password: Type.Optional(Type.String({ maxLength: 1024 })),
            caFile: Type.Optional(Type.String({ maxLength: 4096 })),
            certFile: Type.Optional(Type.String({ maxLength: 4096 })),
            keyFile: Type.Optional(Type.String({ maxLength: 4096 })),
            rejectUnauthorized: Type.Optional(Type.Boolean())
          },
          { additionalProperties: false }
        )
      },
      { additionalProperties: false }
    ),
    Type.Object(
      {
        target: Type.Literal('contextBroker'),
        url: Type.String({ minLength: 1, maxLength: 2048 }),
        /** PEM CA bundle for an https Orion. */
        caFile: Type.Optional(Type.String({ maxLength: 4096 })),
        /** Authentication towards Orion as being edited; an empty secret (password, client secret, token, trust) means the saved one. */
        auth: Type.Optional(
          Type.Object(
            {
              type: Type.Union([Type.Literal('token'), Type.Literal('keystone'), Type.Literal('oauth2')]),
              header: Type.Optional(Type.String({ maxLength: 256 })),
              url: Type.Optional(Type.String({ maxLength: 2048 })),
              tokenPath: Type.Optional(Type.String({ maxLength: 2048 })),
              user: Type.Optional(Type.String({ maxLength: 1024 })),
              password: Type.Optional(Type.String({ maxLength: 1024 })),
              clientId: Type.Optional(Type.String({ maxLength: 1024 })),
              clientSecret: Type.Optional(Type.String({ maxLength: 1024 })),
              trust: Type.Optional(Type.String({ maxLength: 8192 })),
              permanentToken: Type.Optional(Type.Boolean()),
              token: Type.Optional(Type.String({ maxLength: 8192 }))
            },
            { additionalProperties: false }
          )
        )
      },
      { additionalProperties: false }
    )
  ]),

  /** Groups and devices of a scope as IoT Agent JSON (`{services:[…], devices:[…]}`). */
  'provisioning.export': Type.Object({ agent: Agent, scope: Scope }, { additionalProperties: false }),
  /** Creates the groups and devices of such a document; reports each item's outcome. */
  'provisioning.import': Type.Object({ agent: Agent, scope: Scope, document: Json }, { additionalProperties: false }),

  'logs.recent': Type.Object({}, { additionalProperties: false }),

  /** The lessons (docs/lessons.md) with their progress, and the problems of lesson files that could not be loaded. */
  'lessons.list': Type.Object({}, { additionalProperties: false }),
  /** One lesson: its steps, where it runs, and its progress; opening a lesson starts watching its checks. */
  'lessons.get': Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }),
  /** Clears the lesson's tenant (its groups, devices, entities, registrations, subscriptions) and its progress; other tenants are untouched. */
  'lessons.reset': Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }),
  /** Does a step for a stuck trainee: its `showMe` requests and publications, in order; returns what was sent and answered. */
  'lessons.showMe': Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }), stepId: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }),

  /** What the built-in notification receiver got (newest first), optionally of one tenant. */
  'notifications.recent': Type.Object(
    { service: Type.Optional(Type.String({ maxLength: 50, pattern: '^[A-Za-z0-9_]*$' })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) },
    { additionalProperties: false }
  ),

  /** Who this page is: the only user (desktop, plain `serve`), the trainer or a trainee of classroom mode. */
  'classroom.whoami': Type.Object({}, { additionalProperties: false }),
  /** The trainer's grid: every trainee × every step, with each trainee's last problem (trainer only). */
  'classroom.grid': Type.Object({}, { additionalProperties: false }),

  /** One trace (the hops of a measure or a command), by the id a message, a command event or the `trace` stream gave. */
  'trace.get': Type.Object({ id: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
  /**
   * The newest traces, newest first, optionally of one kind, device or entity. Traces are recorded
   * only while someone watches: the `trace` stream has a listener, or a `trace.*` request came in
   * the last minute (this request switches recording on).
   */
  'trace.recent': Type.Object(
    {
      kind: Type.Optional(Type.Union([Type.Literal('measure'), Type.Literal('command'), Type.Literal('request')])),
      deviceId: Type.Optional(Id),
      entityId: Type.Optional(Id),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 }))
    },
    { additionalProperties: false }
  )
} as const

export type RequestName = keyof typeof RequestSchemas
export type RequestArgs<K extends RequestName> = Type.Static<(typeof RequestSchemas)[K]>

/** Results of every request, by request name. */
export interface RequestResults {
  'engine.status': EngineStatus
  'engine.restart': { restarted: boolean; error?: string }
  'groups.list': { count: number; groups: GroupDto[] }
  'groups.create': void
  'groups.update': void
  'groups.delete': void
  'devices.list': { count: number; devices: DeviceDto[] }
  'devices.get': DeviceDto
  'devices.create': void
  'devices.update': void
  'devices.delete': void
  'entities.list': { count: number; entities: EntityDto[] }
  'entities.get': EntityDto
  'commands.send': void
  'mqtt.publish': MqttPublishResultDto
  'inspector.messages': InspectorMessageDto[]
  'inspector.topics': Array<{ topic: string; count: number; bytes: number; lastTime: number; rate: number; errors: number }>
  'inspector.retained': RetainedListDto
  'simulator.startSeed': SimulatedDeviceDto
  'simulator.stop': { stopped: boolean }
  'simulator.list': SimulatedDeviceDto[]
  'simulator.startFleet': FleetDto
  'simulator.stopFleet': { stopped: boolean }
  'simulator.httpDevices': HttpDeviceDto[]
  'telemetry.series': TelemetrySeriesDto
  'history.series': HistorySeriesDto
  'history.list': HistoryListDto
  'settings.get': SettingsDto
  'lessons.list': { lessons: LessonSummaryDto[]; errors: string[] }
  'lessons.get': { lesson: Lesson; context: LessonContextDto; progress: LessonProgressDto }
  'lessons.reset': { progress: LessonProgressDto }
  'lessons.showMe': { actions: ShowMeActionDto[]; progress: LessonProgressDto }
  'settings.update': { applied: SettingPath[]; restartRequired: SettingPath[] }
  'mqttAuth.get': MqttAuthFilesDto
  'mqttAuth.setUser': MqttAuthWriteDto & { created: boolean }
  'mqttAuth.deleteUser': MqttAuthWriteDto
  'mqttAuth.checkAcl': AclCheckDto
  'mqttAuth.setAcl': MqttAuthWriteDto & AclCheckDto
  'connection.test': ConnectionTestResultDto
  'provisioning.export': ProvisioningDocumentDto
  'provisioning.import': { results: Array<{ kind: 'group' | 'device'; id: string; ok: boolean; error?: ApiErrorDto }> }
  'logs.recent': LogEntryDto[]
  'notifications.recent': ReceivedNotificationDto[]
  'classroom.whoami': ClassroomRoleDto
  'classroom.grid': ClassroomGridDto
  /** null when the trace is unknown (never recorded, or dropped from the engine's bounded ring). */
  'trace.get': TraceDto | null
  'trace.recent': TraceDto[]
}

/** Event streams, batched by the engine (at most ~10 messages per second per stream). */
export interface EventPayloads {
  status: EngineStatus
  commands: CommandEventDto[]
  logs: LogEntryDto[]
  inspector: InspectorBatchDto
  /** Latest value per entity attribute in the period (sampled: at most one point per attribute per batch). */
  telemetry: TelemetryUpdateDto[]
  /** Entities created, changed or deleted in the period (ids only; lists refresh from them). */
  entities: Array<{ service: string; servicePath: string; id: string; type: string; kind: 'created' | 'updated' | 'deleted' }>
  /** Groups or devices of either agent changed (provisioning lists refresh). */
  provisioning: Array<{ agent: AgentKind; kind: 'group' | 'device'; op: 'created' | 'updated' | 'deleted'; service: string; servicePath: string; id: string }>
  simulator: { devices: SimulatedDeviceDto[]; fleets: FleetDto[] }
  /** Traces begun or changed in the period (each as it is now); listening switches recording on. */
  trace: TraceDto[]
  /** Progress of lessons that changed in the period (a step done, a hint that now applies). */
  lessons: LessonProgressDto[]
  /** Notifications the built-in receiver got in the period. */
  notifications: ReceivedNotificationDto[]
  /** Trainees whose row of the trainer's grid changed (trainer only). */
  classroom: ClassroomGridRowDto[]
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
