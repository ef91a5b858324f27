/**
 * Service groups and devices as the IoT Agent's provisioning API represents them (the JSON of
 * `GET /iot/services` and `GET /iot/devices`, field names as FIWARE's iotagent-ul uses them):
 * what the engine answers the GUI, and what the GUI sends to create or change them.
 */

/**
 * The two IoT Agents the engine hosts, each with its own provisioning API and registry: `ul`,
 * UltraLight 2.0 (north port 4042 here), and `json`, IoT Agent JSON (north port 4041).
 */
export const AGENT_KINDS = ['ul', 'json'] as const
export type AgentKind = (typeof AGENT_KINDS)[number]

export const isAgentKind = (v: unknown): v is AgentKind => (AGENT_KINDS as readonly unknown[]).includes(v)

/** Both agents, `first` first: where to look for a device id (ids are per agent). */
export function agentsPreferring(first: AgentKind): AgentKind[] {
  return [first, ...AGENT_KINDS.filter((a) => a !== first)]
}

export interface NgsiMetadataDto {
  type: string
  value: unknown
}

/** An active attribute: measure key `object_id` → NGSI attribute `name` of `type`. */
export interface AttributeDto {
  object_id?: string
  name: string
  type: string
  expression?: string
  skipValue?: unknown
  entity_name?: string
  entity_type?: string
  metadata?: Record<string, NgsiMetadataDto>
}

export interface LazyAttributeDto {
  object_id?: string
  name: string
  type: string
}

export interface CommandDto {
  object_id?: string
  name: string
  type: string
  value?: unknown
  expression?: string
  payloadType?: string
  contentType?: string
  headers?: Record<string, string>
  /** QoS in FIWARE's string form "0"–"2". */
  mqtt?: { qos?: string; retain?: boolean }
}

export interface StaticAttributeDto {
  name: string
  type: string
  value: unknown
  metadata?: Record<string, NgsiMetadataDto>
}

/** Fields a group and a device share. */
export interface ProvisioningOptionsDto {
  timestamp?: boolean
  explicitAttrs?: boolean | string
  transport?: string
  endpoint?: string
  timezone?: string
  ngsiVersion?: string
  payloadType?: string
  useCBflowControl?: boolean
  storeLastMeasure?: boolean
  cmdMode?: string
  autoprovision?: boolean
  internal_attributes?: unknown
}

/** A config group ("service") as `GET /iot/services` lists it. */
export interface GroupDto extends ProvisioningOptionsDto {
  /** MongoDB-style id of the record. */
  _id?: string
  service: string
  subservice: string
  resource: string
  apikey: string
  entity_type: string
  /** The context broker URL the group was provisioned with (the seed tutorial sends one). */
  cbroker?: string
  /** Epoch milliseconds of the creation. */
  creationDate?: number
  cbHost?: string
  trust?: string
  attributes?: AttributeDto[]
  lazy?: LazyAttributeDto[]
  commands?: CommandDto[]
  static_attributes?: StaticAttributeDto[]
  entityNameExp?: string
  defaultEntityNameConjunction?: string
  description?: string
}

/** A device as `GET /iot/devices/:id` returns it. */
export interface DeviceDto extends ProvisioningOptionsDto {
  device_id: string
  apikey?: string
  service: string
  service_path: string
  entity_name: string
  entity_type: string
  polling?: boolean
  protocol?: string
  attributes?: AttributeDto[]
  lazy?: LazyAttributeDto[]
  commands?: CommandDto[]
  static_attributes?: StaticAttributeDto[]
  lastMeasure?: unknown
}

/** A group as `POST /iot/services` answers in an export: the scope comes from the request, the id and date from the agent. */
export type GroupItemDto = Omit<GroupDto, '_id' | 'creationDate' | 'service' | 'subservice'>
/** A device as an export lists it: the scope comes from the request. */
export type DeviceItemDto = Omit<DeviceDto, 'service' | 'service_path'>

/** An item as the agent accepts it: with a name or an object id (each defaults to the other). */
export type ItemInputDto<T extends { name: string }> = Omit<T, 'name'> & { name?: string }

/** A command as the agent accepts it: its MQTT QoS as FIWARE's string, or as a number. */
export interface CommandInputDto extends Omit<ItemInputDto<CommandDto>, 'mqtt'> {
  mqtt?: { qos?: string | number; retain?: boolean }
}

interface ItemInputs {
  attributes?: Array<ItemInputDto<AttributeDto>>
  lazy?: Array<ItemInputDto<LazyAttributeDto>>
  commands?: CommandInputDto[]
}

/** A group to create (`POST /iot/services` item): the agent checks it and fills what is absent. */
export type GroupInputDto = Partial<Omit<GroupItemDto, keyof ItemInputs>> & ItemInputs
/** The changes of `PUT /iot/services` (the group is named by its resource and API key). */
export type GroupPatchDto = Omit<GroupInputDto, 'apikey' | 'resource'>
/** A device to create (`POST /iot/devices` item): only its id is required. */
export type DeviceInputDto = Partial<Omit<DeviceItemDto, keyof ItemInputs>> & ItemInputs & { device_id: string }
/** The changes of `PUT /iot/devices/:id`. */
export type DevicePatchDto = Omit<DeviceInputDto, 'device_id'>

/** A scope's groups and devices as IoT Agent JSON (export), or such a document to create (import). */
export interface ProvisioningDocumentDto {
  services: GroupItemDto[]
  devices: DeviceItemDto[]
}
