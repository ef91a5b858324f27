import type { ContextBrokerClient } from '../context/types'
import type { IotaConfig } from '../config/types'
import type { Logger } from '../log/logger'
import type { Registry } from '../registry/registry'
import type { AttributeDef, CommandDef, LazyAttributeDef, ProvisioningOptions, StaticAttributeDef } from '../registry/types'

/**
 * Provisioning requests as the north API accepts them (API field names, docs/compatibility/iot-agent-ul.md
 * §1.2–§1.3), after schema validation. Item `name`/`object_id` may be given alone (the other one
 * defaults to it), and a command's `mqtt.qos` may be a number as in the FIWARE user manual.
 */

export type AttributeInput = Omit<AttributeDef, 'name'> & { name?: string }
export type LazyAttributeInput = Omit<LazyAttributeDef, 'name'> & { name?: string }
export type CommandInput = Omit<CommandDef, 'name' | 'mqtt'> & {
  name?: string
  mqtt?: { qos?: string | number; retain?: boolean }
}

/** Fields of a config group item of `POST /iot/services` (`/iot/groups`). */
export interface GroupInput extends ProvisioningOptions {
  apikey: string
  resource: string
  entity_type?: string
  cbHost?: string
  trust?: string
  attributes?: AttributeInput[]
  lazy?: LazyAttributeInput[]
  commands?: CommandInput[]
  static_attributes?: StaticAttributeDef[]
  entityNameExp?: string
  defaultEntityNameConjunction?: string
  description?: string
  /** The seed tutorial's context broker URL: stored and listed back, used for nothing. */
  cbroker?: string
}

/** Body of `PUT /iot/services?resource=&apikey=`: any group field. */
export type GroupPatch = Partial<GroupInput>

/** Fields a device item of `POST /iot/devices` and the body of `PUT /iot/devices/{id}` share. */
export interface DeviceFields extends Omit<ProvisioningOptions, 'autoprovision'> {
  apikey?: string
  entity_name?: string
  entity_type?: string
  protocol?: string
  attributes?: AttributeInput[]
  lazy?: LazyAttributeInput[]
  commands?: CommandInput[]
  static_attributes?: StaticAttributeDef[]
  lastMeasure?: unknown
}

/** A device item of `POST /iot/devices`. */
export interface DeviceInput extends DeviceFields {
  device_id?: string
  autoprovision?: boolean
}

/** Body of `PUT /iot/devices/{id}`; `device_id` is accepted by the schema and refused by the rules. */
export interface DevicePatch extends DeviceFields {
  device_id?: string
}

export interface ProvisioningDeps {
  registry: Registry
  contextBroker: ContextBrokerClient
  iota: IotaConfig
  /** URL registered as context provider for commands and lazy attributes. */
  providerUrl: () => string
  logger: Logger
}
