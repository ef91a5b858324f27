/**
 * Provisioning records of the IoT Agent, stored with the field names of the provisioning API
 * (docs/compatibility/iot-agent-ul.md §1.2–§1.3), so that what GET returns is what was stored.
 */

export interface NgsiMetadataDef {
  type: string
  value: unknown
}

/** An active attribute mapping: measure key `object_id` → NGSI attribute `name` of `type`. */
export interface AttributeDef {
  object_id?: string
  name: string
  type: string
  expression?: string
  skipValue?: unknown
  entity_name?: string
  entity_type?: string
  metadata?: Record<string, NgsiMetadataDef>
}

export interface LazyAttributeDef {
  object_id?: string
  name: string
  type: string
}

export interface CommandDef {
  object_id?: string
  name: string
  type: string
  value?: unknown
  expression?: string
  payloadType?: string
  contentType?: string
  headers?: Record<string, string>
  /** QoS as the FIWARE schema requires it: a string "0"–"2". */
  mqtt?: { qos?: string; retain?: boolean }
}

export interface StaticAttributeDef {
  name: string
  type: string
  value: unknown
  metadata?: Record<string, NgsiMetadataDef>
}

/** Fields a group and a device share (optional behaviour switches). */
export interface ProvisioningOptions {
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

/** A config group ("service"): identity (resource, apikey), scope (service, subservice). */
export interface ServiceGroup extends ProvisioningOptions {
  /** 24-hex identifier, returned as `_id` like the MongoDB registry does. */
  _id: string
  service: string
  subservice: string
  resource: string
  apikey: string
  entity_type: string
  cbHost?: string
  trust?: string
  attributes?: AttributeDef[]
  lazy?: LazyAttributeDef[]
  commands?: CommandDef[]
  static_attributes?: StaticAttributeDef[]
  entityNameExp?: string
  defaultEntityNameConjunction?: string
  description?: string
  /**
   * Context broker URL of the seed tutorial's group body. FIWARE uses it for nothing; it is kept
   * because the agent returns it in listings (docs/compatibility/iot-agent-ul.md §1.2).
   */
  cbroker?: string
  /** Epoch milliseconds of the creation, returned by listings like FIWARE does. */
  creationDate?: number
}

/** A device. Identity: (service, service_path, device_id, apikey). */
export interface Device extends ProvisioningOptions {
  device_id: string
  apikey?: string
  service: string
  service_path: string
  entity_name: string
  entity_type: string
  polling?: boolean
  protocol?: string
  /** Absent when the device was provisioned without `attributes` (autoprovisioned devices too). */
  attributes?: AttributeDef[]
  lazy: LazyAttributeDef[]
  commands: CommandDef[]
  static_attributes: StaticAttributeDef[]
  lastMeasure?: unknown
  /** Id of the context-broker registration of the device's commands/lazy attributes. */
  registrationId?: string
  /** Set when the device was created by a measure rather than through the API. */
  autoprovisioned?: boolean
}

export type RegistryChange =
  | { kind: 'group'; op: 'created' | 'updated' | 'deleted'; group: ServiceGroup }
  | { kind: 'device'; op: 'created' | 'updated' | 'deleted'; device: Device }

/** An error of the provisioning API: `{name, message}` answered with `status`. */
export class IotaError extends Error {
  constructor(
    readonly status: number,
    override readonly name: string,
    message: string
  ) {
    super(message)
  }

  toJSON(): { name: string; message: string } {
    return { name: this.name, message: this.message }
  }
}

/** Pagination of a listing: `limit` 0 or absent = no limit (as the MongoDB registry does). */
export interface Page {
  limit?: number
  offset?: number
}

/** One page of a listing and the total number of matching records before paging. */
export interface Listing<T> {
  count: number
  items: T[]
}
