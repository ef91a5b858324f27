import Type from 'typebox'

/**
 * Request bodies of the provisioning API, after iotagent-node-lib's JSON-schema templates
 * (createDevice, updateDevice, deviceGroup; docs/compatibility/iot-agent-ul.md §1.2–§1.3). Where FIWARE leaves a
 * field untyped or an item free-form, these schemas still check what the agent relies on later
 * (an attribute's `type`, a boolean flag being a boolean), so that a mistake is a 400 now rather
 * than a broken measure later. Top-level objects are closed, items are open (unknown item fields
 * are accepted and not stored), except the attribute,
 * lazy and command items of devices, which FIWARE closes.
 */

// FIWARE forbids these characters in object_id, name and type (and `value` of commands). Written
// without FIWARE's nested quantifier `^([^…]+)+$`, which backtracks exponentially on a bad string.
const SAFE = `^[^<>();'="]+$`
const Safe = Type.String({ pattern: SAFE })
const OptString = Type.Optional(Type.String())
const OptBoolean = Type.Optional(Type.Boolean())

const Metadata = Type.Record(Type.String(), Type.Object({ type: Type.String(), value: Type.Unknown() }))

/** `true`/`false` or a JEXL expression (docs/compatibility/iot-agent-ul.md §4.6). */
const ExplicitAttrs = Type.Optional(Type.Union([Type.Boolean(), Type.String()]))

const attributeProps = {
  object_id: Type.Optional(Safe),
  name: Type.Optional(Safe),
  type: Safe,
  expression: OptString,
  skipValue: Type.Optional(Type.Unknown()),
  entity_name: OptString,
  entity_type: Type.Optional(Type.String({ pattern: `^[^<>;'="]+$` })),
  metadata: Type.Optional(Metadata)
}

const lazyProps = {
  object_id: Type.Optional(Safe),
  name: Type.Optional(Safe),
  type: Safe
}

/** MQTT QoS of a command: FIWARE's string "0"–"2", or (our deviation) the number the manual shows. */
const Qos = Type.Union([Type.String({ pattern: '^[0-2]$' }), Type.Integer({ minimum: 0, maximum: 2 })])

const commandProps = {
  object_id: Type.Optional(Safe),
  name: Type.Optional(Safe),
  type: Safe,
  value: Type.Optional(Type.String({ pattern: `^[^<>();'="]*$` })),
  expression: OptString,
  payloadType: OptString,
  contentType: OptString,
  headers: Type.Optional(Type.Record(Type.String(), Type.String())),
  mqtt: Type.Optional(Type.Object({ retain: OptBoolean, qos: Type.Optional(Qos) }, { additionalProperties: false }))
}

const StaticAttribute = Type.Object({
  name: Type.String({ minLength: 1 }),
  type: Type.String({ minLength: 1 }),
  value: Type.Unknown(),
  metadata: Type.Optional(Metadata)
})

const closed = { additionalProperties: false } as const

// ------------------------------------------------------------------------------------ devices

const deviceProps = {
  apikey: OptString,
  entity_name: OptString,
  entity_type: OptString,
  timezone: OptString,
  protocol: OptString,
  endpoint: OptString,
  transport: OptString,
  ngsiVersion: OptString,
  payloadType: OptString,
  cmdMode: OptString,
  timestamp: OptBoolean,
  useCBflowControl: OptBoolean,
  storeLastMeasure: OptBoolean,
  explicitAttrs: ExplicitAttrs,
  attributes: Type.Optional(Type.Array(Type.Object(attributeProps, closed))),
  lazy: Type.Optional(Type.Array(Type.Object(lazyProps, closed))),
  commands: Type.Optional(Type.Array(Type.Object(commandProps, closed))),
  static_attributes: Type.Optional(Type.Array(StaticAttribute)),
  internal_attributes: Type.Optional(Type.Unknown()),
  lastMeasure: Type.Optional(Type.Unknown())
}

/** `device_id` is optional here: its absence is MISSING_ATTRIBUTES, not WRONG_SYNTAX. */
export const DeviceItem = Type.Object({ device_id: OptString, autoprovision: OptBoolean, ...deviceProps })

export const CreateDevicesBody = Type.Object({ devices: Type.Array(DeviceItem) }, closed)

/** The update template is closed: only the fields FIWARE lets a PUT change. */
export const UpdateDeviceBody = Type.Object({ device_id: OptString, ...deviceProps }, closed)

export const DeleteDevicesBody = Type.Object({
  devices: Type.Array(Type.Object({ deviceId: Type.String({ minLength: 1 }), apikey: OptString }))
})

// ------------------------------------------------------------------------------------ groups

const groupProps = {
  entity_type: OptString,
  cbHost: OptString,
  trust: OptString,
  endpoint: OptString,
  transport: OptString,
  timezone: OptString,
  ngsiVersion: OptString,
  payloadType: OptString,
  entityNameExp: OptString,
  defaultEntityNameConjunction: OptString,
  cmdMode: OptString,
  description: OptString,
  // The seed tutorial's group field: FIWARE ignores it but lists it back.
  cbroker: OptString,
  timestamp: OptBoolean,
  autoprovision: OptBoolean,
  useCBflowControl: OptBoolean,
  storeLastMeasure: OptBoolean,
  explicitAttrs: ExplicitAttrs,
  // FIWARE leaves group items free-form; they must still be attributes the agent can use.
  attributes: Type.Optional(Type.Array(Type.Object(attributeProps))),
  lazy: Type.Optional(Type.Array(Type.Object(lazyProps))),
  commands: Type.Optional(Type.Array(Type.Object(commandProps))),
  static_attributes: Type.Optional(Type.Array(StaticAttribute)),
  internal_attributes: Type.Optional(Type.Unknown())
}

export const GroupItem = Type.Object({ apikey: Type.String(), resource: Type.String(), ...groupProps })

/** `POST /iot/services`: `{"services":[…]}`. */
export const CreateServicesBody = Type.Object({ services: Type.Array(GroupItem) }, closed)

/** `POST /iot/groups`: `{"groups":[…]}`. */
export const CreateGroupsBody = Type.Object({ groups: Type.Array(GroupItem) }, closed)

/** `PUT /iot/services?resource=&apikey=`: any group field. */
export const UpdateGroupBody = Type.Object({ apikey: OptString, resource: OptString, ...groupProps })

// ------------------------------------------------------------------------------------ context provider

/** A forwarded update (FIWARE's updateContextNgsi2 template): entities with id and type. */
export const ForwardedUpdateBody = Type.Object({
  actionType: Type.Optional(Type.Literal('update')),
  entities: Type.Array(Type.Object({ id: Type.String(), type: Type.String() }))
})

export const ForwardedQueryBody = Type.Object({
  entities: Type.Optional(
    Type.Array(Type.Object({ id: OptString, idPattern: OptString, type: OptString, typePattern: OptString }))
  ),
  attrs: Type.Optional(Type.Array(Type.String()))
})
