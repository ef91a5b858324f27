/**
 * Guided lessons: the schema of a lesson file (`resources/lessons/*.yaml`, documented in
 * docs/lessons.md) and the types the engine and the GUI share. A lesson is data: its text in every
 * language the GUI speaks, the ways to do each step (GUI, curl, the Postman request, mosquitto_pub),
 * a declarative check the engine evaluates against its own state and traces, and hints for the
 * usual mistakes, chosen from what actually went wrong.
 */
import Type from 'typebox'

/** Text in each language of the GUI; both are required, so that no lesson is half translated. */
export const TextSchema = Type.Object({ en: Type.String({ minLength: 1 }), 'pt-BR': Type.String({ minLength: 1 }) }, { additionalProperties: false })
export type LessonText = Type.Static<typeof TextSchema>

const Name = Type.String({ minLength: 1, maxLength: 256 })
const Names = Type.Array(Name, { minItems: 1, maxItems: 64 })
const Id = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$' })
/** Which IoT Agent's registry a check reads: UltraLight (`ul`, the default) or JSON (`json`). */
const Agent = Type.Optional(Type.Union([Type.Literal('ul'), Type.Literal('json')]))

/** The views of the GUI a step's "do it in the GUI" button can open, and what it prepares there. */

const GuiWay = Type.Object(
  {
    view: Type.Union([
      Type.Literal('overview'),
      Type.Literal('provisioning'),
      Type.Literal('device'),
      Type.Literal('inspector'),
      Type.Literal('simulator'),
      Type.Literal('settings'),
      Type.Literal('trace')
    ]),
    intent: Type.Optional(Type.Union([Type.Literal('new-group-preset'), Type.Literal('new-device-preset'), Type.Literal('start-seed-device'), Type.Literal('send-command')])),
    /** What to do there, in words. */
    text: TextSchema
  },
  { additionalProperties: false }
)

/**
 * The HTTP APIs a "show me" request can reach: the context broker (`ngsi`), the IoT Agent
 * UltraLight's provisioning API (`north`), the IoT Agent JSON's (`json-north`), the agents' HTTP
 * south port where devices post measures (`south`), Cygnus's management API (`cygnus-api`) and
 * STH-Comet's API (`sth`).
 */
export const ShowMeApiSchema = Type.Union([
  Type.Literal('ngsi'),
  Type.Literal('north'),
  Type.Literal('json-north'),
  Type.Literal('south'),
  Type.Literal('cygnus-api'),
  Type.Literal('sth')
])
export type ShowMeApi = Type.Static<typeof ShowMeApiSchema>

/** An HTTP request of a step, to one of the engine's APIs. */
const HttpAction = Type.Object(
  {
    api: ShowMeApiSchema,
    method: Type.Union([Type.Literal('GET'), Type.Literal('POST'), Type.Literal('PUT'), Type.Literal('PATCH'), Type.Literal('DELETE')]),
    /** Path and query, e.g. `/v2/entities?type=Store`; `{service}` is replaced by the lesson's tenant. */
    path: Type.String({ pattern: '^/' }),
    /** Whether the request carries the lesson's `fiware-service` and `fiware-servicepath` headers (default true). */
    tenant: Type.Optional(Type.Boolean()),
    /** A JSON body. */
    body: Type.Optional(Type.Unknown())
  },
  { additionalProperties: false }
)

/** An MQTT publication of a step (as `mosquitto_pub` would send it to the engine's broker). */
const MqttAction = Type.Object({ topic: Name, payload: Type.String({ maxLength: 65536 }) }, { additionalProperties: false })

/** What "show me" does for a stuck trainee: one or more requests or publications, in order. */
const ShowMe = Type.Array(Type.Union([Type.Object({ http: HttpAction }, { additionalProperties: false }), Type.Object({ mqtt: MqttAction }, { additionalProperties: false })]), {
  minItems: 1,
  maxItems: 20
})

const Ways = Type.Object(
  {
    gui: Type.Optional(GuiWay),
    /** The request's name in the tutorial's Postman collection. */
    postman: Type.Optional(Name),
    /** A curl command; `{ngsi}`, `{north}`, `{jsonNorth}`, `{south}`, `{cygnus}`, `{cygnusApi}`, `{sth}`, `{service}` and `{servicePath}` are replaced by the real values. */
    curl: Type.Optional(Type.String({ minLength: 1, maxLength: 8192 })),
    /** A mosquitto_pub command; `{mqttHost}`, `{mqttPort}` and the placeholders above are replaced. */
    mqtt: Type.Optional(Type.String({ minLength: 1, maxLength: 8192 }))
  },
  { additionalProperties: false }
)

/**
 * A step's check: what must be true in the engine (its registry, its context broker, what it
 * received and traced), whatever route the trainee took. Each check applies to the lesson's tenant.
 */
export const CheckSchema = Type.Union([
  /** A request reached the context broker or the agent, e.g. `GET /version` (Orion's health). */
  Type.Object(
    {
      kind: Type.Literal('request'),
      api: Type.Union([Type.Literal('ngsi'), Type.Literal('north')]),
      method: Type.Optional(Type.String({ minLength: 1 })),
      /** The path (without query) starts with this. */
      path: Type.String({ pattern: '^/' }),
      /** An answer with a 2xx status (default true). */
      ok: Type.Optional(Type.Boolean())
    },
    { additionalProperties: false }
  ),
  /** A service group exists with these values. */
  Type.Object(
    { kind: Type.Literal('group'), agent: Agent, apikey: Type.Optional(Name), entity_type: Type.Optional(Name), resource: Type.Optional(Name) },
    { additionalProperties: false }
  ),
  /** A device is provisioned, with at least these commands and attributes. */
  Type.Object(
    { kind: Type.Literal('device'), agent: Agent, device_id: Name, entity_name: Type.Optional(Name), commands: Type.Optional(Names), attributes: Type.Optional(Names) },
    { additionalProperties: false }
  ),
  /** A measure of this device reached its entity (with these attributes, when given). */
  Type.Object({ kind: Type.Literal('measure'), agent: Agent, device_id: Name, attributes: Type.Optional(Names) }, { additionalProperties: false }),
  /** A command of this device ended with this status. */
  Type.Object(
    { kind: Type.Literal('command'), agent: Agent, device_id: Name, command: Name, status: Type.Union([Type.Literal('OK'), Type.Literal('ERROR'), Type.Literal('EXPIRED')]) },
    { additionalProperties: false }
  ),
  /** Two measures of this device arrived at most this many seconds apart (a new interval took effect). */
  Type.Object({ kind: Type.Literal('measure-interval'), agent: Agent, device_id: Name, atMostSeconds: Type.Number({ exclusiveMinimum: 0, maximum: 86400 }) }, { additionalProperties: false }),
  /** Entities exist (at least `count`, default 1) with this id or type, and these attributes (with these types, when given). */
  Type.Object(
    {
      kind: Type.Literal('entity'),
      id: Type.Optional(Name),
      type: Type.Optional(Name),
      attributes: Type.Optional(Names),
      attributeTypes: Type.Optional(Type.Record(Type.String(), Name)),
      count: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
      /** Attribute values that must hold (JSON equality), e.g. `{ price: 99 }`. */
      values: Type.Optional(Type.Record(Type.String(), Type.Unknown()))
    },
    { additionalProperties: false }
  ),
  /** This entity (or this attribute of it) no longer exists. */
  Type.Object({ kind: Type.Literal('entity-gone'), id: Name, attribute: Type.Optional(Name) }, { additionalProperties: false }),
  /** A registration (context provider) exists for these entities or attributes. */
  Type.Object({ kind: Type.Literal('registration'), entityId: Type.Optional(Name), attributes: Type.Optional(Names) }, { additionalProperties: false }),
  /**
   * A subscription exists (`notified`: and it sent a notification that was answered with 2xx), with
   * this filter expression (`q`, compared without a trailing `;`) and notification format, when given.
   */
  Type.Object(
    {
      kind: Type.Literal('subscription'),
      entityType: Type.Optional(Name),
      attributes: Type.Optional(Names),
      notified: Type.Optional(Type.Boolean()),
      q: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
      attrsFormat: Type.Optional(Name)
    },
    { additionalProperties: false }
  )
])
export type LessonCheck = Type.Static<typeof CheckSchema>
export type LessonCheckKind = LessonCheck['kind']

/** When a hint applies: what went wrong, as the engine observed it. */
export const HintWhenSchema = Type.Union([
  /** An MQTT message of this lesson's devices was rejected for this reason (the inspector's reason code), or for any. */
  Type.Object({ rejected: Type.Union([Type.Literal('any'), Name]) }, { additionalProperties: false }),
  /** A request of the lesson's APIs was answered with this status or FIWARE error name. */
  Type.Object({ httpError: Type.Object({ status: Type.Optional(Type.Integer({ minimum: 400, maximum: 599 })), error: Type.Optional(Name) }, { additionalProperties: false }) }, { additionalProperties: false }),
  /** A request reached the lesson's APIs without the tenant (`fiware-service`) the lesson uses. */
  Type.Object({ missingTenant: Type.Literal(true) }, { additionalProperties: false }),
  /** A command of the lesson ended EXPIRED (the device did not answer). */
  Type.Object({ commandExpired: Type.Literal(true) }, { additionalProperties: false }),
  /** The step's group or device check is met in the other IoT Agent's registry (e.g. sent to 4042 instead of 4041). */
  Type.Object({ otherAgent: Type.Literal(true) }, { additionalProperties: false }),
  /** Shown on request ("I'm stuck"), whatever happened. */
  Type.Object({ always: Type.Literal(true) }, { additionalProperties: false })
])
export type LessonHintWhen = Type.Static<typeof HintWhenSchema>

export const StepSchema = Type.Object(
  {
    id: Id,
    goal: TextSchema,
    /** What happens inside FIWARE at this step: which component, which request, which topic. */
    explain: TextSchema,
    ways: Ways,
    check: CheckSchema,
    hints: Type.Optional(Type.Array(Type.Object({ when: HintWhenSchema, text: TextSchema }, { additionalProperties: false }), { maxItems: 20 })),
    showMe: Type.Optional(ShowMe)
  },
  { additionalProperties: false }
)
export type LessonStep = Type.Static<typeof StepSchema>

export const LessonSchema = Type.Object(
  {
    /** Version of the lesson format (this one: 1). */
    format: Type.Literal(1),
    id: Id,
    /** Position in the list of lessons. */
    order: Type.Integer({ minimum: 0, maximum: 1000 }),
    title: TextSchema,
    summary: TextSchema,
    /** The tenant the lesson works in (`fiware-service`, '' for the default one) and its service path; a classroom gives each trainee an own tenant instead. */
    service: Type.String({ pattern: '^[a-z0-9_]{0,50}$' }),
    servicePath: Type.String({ pattern: '^/' }),
    steps: Type.Array(StepSchema, { minItems: 1, maxItems: 50 })
  },
  { additionalProperties: false }
)
export type Lesson = Type.Static<typeof LessonSchema>

// ---- what the engine tells the GUI about lessons

/** Where a lesson runs: its tenant (the lesson's own, or a classroom trainee's) and the addresses its commands use. */
export interface LessonContextDto {
  service: string
  servicePath: string
  /** Values of the placeholders of `ways.curl` and `ways.mqtt` (`ngsi`, `north`, `jsonNorth`, `south`, `cygnus`, `cygnusApi`, `sth`, `mqttHost`, `mqttPort`, `service`, `servicePath`). */
  placeholders: Record<string, string>
}

/** What made a step done: the engine state or event that satisfied its check, in words and as data. */
export interface StepEvidenceDto {
  /** When the check was first satisfied (ms since the epoch). */
  at: number
  /** A short description of what was seen, in English (the GUI words it from `check` and `data`). */
  summary: string
  /** What was seen: e.g. the group, the entity's attributes, the command status, the request line and status. */
  data?: unknown
  /** The trace of the message or request that completed the step, when one was recorded. */
  traceId?: number
}

/** A hint that applies now, because what it describes happened during the step. */
export interface ActiveHintDto {
  /** Index in the step's `hints`. */
  index: number
  at: number
  /** What happened, as observed (e.g. the rejected topic and its reason, the request and its error). */
  observed?: string
}

export interface StepProgressDto {
  stepId: string
  state: 'todo' | 'done'
  evidence?: StepEvidenceDto
  hints: ActiveHintDto[]
}

export interface LessonProgressDto {
  lessonId: string
  /** When the trainee opened the lesson first (ms since the epoch); absent before. */
  startedAt?: number
  steps: StepProgressDto[]
}

/** A lesson in the list: its texts and its progress. */
export interface LessonSummaryDto {
  id: string
  order: number
  title: LessonText
  summary: LessonText
  steps: number
  done: number
}

/** One thing "show me" did, and the answer it got. */
export type ShowMeActionDto =
  | { kind: 'http'; method: string; url: string; headers: Record<string, string>; body?: string; status?: number; answer?: string; error?: string }
  | { kind: 'mqtt'; topic: string; payload: string; error?: string }
