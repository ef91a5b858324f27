/**
 * Provisioning records of the IoT Agent, stored with the field names of the provisioning API
 * (docs/compatibility/iot-agent-ul.md §1.2–§1.3), so that what GET returns is what was stored.
 */

import type { AttributeDto, CommandDto, DeviceDto, GroupDto, LazyAttributeDto, NgsiMetadataDto, ProvisioningOptionsDto, StaticAttributeDto } from '../../../shared/iot-agent'

// The items and switches are stored exactly as the contract (shared/iot-agent.ts) gives them.
export type NgsiMetadataDef = NgsiMetadataDto
/** An active attribute mapping: measure key `object_id` → NGSI attribute `name` of `type`. */
export type AttributeDef = AttributeDto
export type LazyAttributeDef = LazyAttributeDto
export type CommandDef = CommandDto
export type StaticAttributeDef = StaticAttributeDto
/** Fields a group and a device share (optional behaviour switches). */
export type ProvisioningOptions = ProvisioningOptionsDto

/**
 * A config group ("service"): identity (resource, apikey), scope (service, subservice). `cbroker`
 * is the context broker URL of the seed tutorial's group body: FIWARE uses it for nothing and
 * returns it in listings, as `creationDate` (docs/compatibility/iot-agent-ul.md §1.2).
 */
export interface ServiceGroup extends GroupDto {
  /** 24-hex identifier, returned as `_id` like the MongoDB registry does. */
  _id: string
}

/** A device. Identity: (service, service_path, device_id, apikey). */
export interface Device extends DeviceDto {
  /** Absent when the device was provisioned without `attributes` (autoprovisioned devices too). */
  attributes?: AttributeDef[]
  lazy: LazyAttributeDef[]
  commands: CommandDef[]
  static_attributes: StaticAttributeDef[]
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
