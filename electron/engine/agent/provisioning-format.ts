import type { DeviceDto, GroupDto } from '../../../shared/iot-agent'
import { iotaErrors } from '../registry/errors'
import type { AttributeDef, CommandDef, Device, LazyAttributeDef, ServiceGroup, StaticAttributeDef } from '../registry/types'
import type { AttributeInput, CommandInput, GroupInput, LazyAttributeInput } from './provisioning-types'

/**
 * Normalisation of provisioning input into stored records, and the representation the API returns.
 * Items created with a group or a device carry both `name` and `object_id` (FIWARE fills a missing
 * one with the other at device creation; we do it for groups too). Items replaced by a device update
 * are stored as sent, as FIWARE does (only a missing `name` is filled); readers take a missing
 * `object_id` to be the name.
 */

type Named = { name?: string; object_id?: string }

// The fields FIWARE knows for each kind of item; others are accepted and not stored.
const ATTRIBUTE_KEYS = ['expression', 'skipValue', 'entity_name', 'entity_type', 'metadata'] as const
const COMMAND_KEYS = ['value', 'expression', 'payloadType', 'contentType', 'headers'] as const
const STATIC_KEYS = ['name', 'type', 'value', 'metadata'] as const

/**
 * `object_id`, `name` (each defaulting to the other; with `asSent`, `object_id` only when given),
 * `type`, then the given known keys.
 */
function item(input: Named & { type: string }, keys: readonly string[], where: string, asSent: boolean): Record<string, unknown> {
  const name = input.name || input.object_id
  const objectId = input.object_id || (asSent ? undefined : input.name)
  if (!name) throw iotaErrors.wrongSyntax(`${where}: an item needs a name or an object_id`)
  const out: Record<string, unknown> = objectId === undefined ? { name, type: input.type } : { object_id: objectId, name, type: input.type }
  for (const key of keys) {
    const value = (input as Record<string, unknown>)[key]
    if (value !== undefined) out[key] = value
  }
  return out
}

export function normalizeAttributes(items: AttributeInput[] | undefined, where = 'attributes', asSent = false): AttributeDef[] {
  return (items ?? []).map((a) => item(a, ATTRIBUTE_KEYS, where, asSent) as unknown as AttributeDef)
}

export function normalizeLazy(items: LazyAttributeInput[] | undefined, where = 'lazy', asSent = false): LazyAttributeDef[] {
  return (items ?? []).map((a) => item(a, [], where, asSent) as unknown as LazyAttributeDef)
}

/**
 * Commands: ids filled in, and `mqtt.qos` stored in FIWARE's string form "0"–"2". The FIWARE schema
 * refuses a numeric qos although its user manual shows numbers; we accept both.
 */
export function normalizeCommands(items: CommandInput[] | undefined, where = 'commands', asSent = false): CommandDef[] {
  return (items ?? []).map((c) => {
    const cmd = item(c, COMMAND_KEYS, where, asSent) as unknown as CommandDef
    if (!c.mqtt) return cmd
    const mqtt: { qos?: string; retain?: boolean } = {}
    if (c.mqtt.qos !== undefined) mqtt.qos = String(c.mqtt.qos)
    if (c.mqtt.retain !== undefined) mqtt.retain = c.mqtt.retain
    return { ...cmd, mqtt }
  })
}

export function normalizeStatics(items: StaticAttributeDef[] | undefined): StaticAttributeDef[] {
  return (items ?? []).map((s) => {
    const out: Record<string, unknown> = {}
    for (const key of STATIC_KEYS) if (s[key] !== undefined) out[key] = s[key]
    return out as unknown as StaticAttributeDef
  })
}

/**
 * Items of a group completing those of a device (device items win): a group item is added when
 * neither its object_id nor its name is already used by the device.
 */
export function mergeItems<T extends { name: string; object_id?: string }>(own: T[], fromGroup: readonly T[] | undefined): T[] {
  if (!fromGroup?.length) return own
  const ids = new Set(own.map((i) => i.object_id ?? i.name))
  const names = new Set(own.map((i) => i.name))
  return [...own, ...fromGroup.filter((g) => !ids.has(g.object_id ?? g.name) && !names.has(g.name))]
}

/**
 * Group fields a group record stores: those of FIWARE's group model, and the seed tutorial's
 * `cbroker`, which FIWARE lists back; other unknown fields are dropped.
 */
const GROUP_FIELDS = [
  'resource',
  'apikey',
  'entity_type',
  'cbHost',
  'trust',
  'timestamp',
  'attributes',
  'lazy',
  'commands',
  'static_attributes',
  'internal_attributes',
  'explicitAttrs',
  'entityNameExp',
  'defaultEntityNameConjunction',
  'autoprovision',
  'transport',
  'endpoint',
  'timezone',
  'ngsiVersion',
  'payloadType',
  'useCBflowControl',
  'storeLastMeasure',
  'cmdMode',
  'description',
  'cbroker'
] as const satisfies ReadonlyArray<keyof GroupInput>

/** The known, defined fields of a group input or patch, with its item arrays normalised. */
export function groupFields(input: Partial<GroupInput>): Partial<Omit<ServiceGroup, '_id' | 'service' | 'subservice' | 'creationDate'>> {
  const out: Record<string, unknown> = {}
  for (const key of GROUP_FIELDS) if (input[key] !== undefined) out[key] = input[key]
  if (input.attributes) out.attributes = normalizeAttributes(input.attributes)
  if (input.lazy) out.lazy = normalizeLazy(input.lazy)
  if (input.commands) out.commands = normalizeCommands(input.commands)
  if (input.static_attributes) out.static_attributes = normalizeStatics(input.static_attributes)
  return out
}

/** The order and the fields of FIWARE's device representation (docs/compatibility/iot-agent-ul.md §1.3). */
const DEVICE_API_FIELDS = [
  'device_id',
  'apikey',
  'service',
  'service_path',
  'entity_name',
  'entity_type',
  'timezone',
  'timestamp',
  'endpoint',
  'polling',
  'transport',
  'attributes',
  'lazy',
  'commands',
  'static_attributes',
  'internal_attributes',
  'protocol',
  'autoprovision',
  'explicitAttrs',
  'ngsiVersion',
  'payloadType',
  'useCBflowControl',
  'storeLastMeasure',
  'lastMeasure',
  'cmdMode'
] as const satisfies ReadonlyArray<keyof Device>

/** The fields (and their order) of an attribute, lazy attribute or command in FIWARE's device representation. */
const ITEM_API_FIELDS = [
  'object_id',
  'name',
  'type',
  'expression',
  'skipValue',
  'entity_name',
  'entity_type',
  'mqtt',
  'payloadType',
  'contentType',
  'metadata'
] as const

function itemToApi(stored: object): Record<string, unknown> {
  const record = stored as Record<string, unknown>
  const out: Record<string, unknown> = {}
  for (const key of ITEM_API_FIELDS) if (record[key] !== undefined) out[key] = record[key]
  return out
}

const ITEM_LISTS = new Set<string>(['attributes', 'lazy', 'commands'])

/**
 * A device as `GET /iot/devices` returns it: undefined fields omitted, internal ones hidden, and
 * items reduced to the fields FIWARE lists (a command's `value` and `headers` are kept, not shown).
 */
export function deviceToApi(device: Device): DeviceDto {
  const out: Record<string, unknown> = {}
  for (const key of DEVICE_API_FIELDS) {
    const value = device[key]
    if (value === undefined) continue
    out[key] = ITEM_LISTS.has(key) ? (value as object[]).map(itemToApi) : value
  }
  // Field by field from the record, whose fields have the contract's types (Device extends DeviceDto).
  return out as unknown as DeviceDto
}

/**
 * A group as `GET /iot/services` returns it: the stored record, with `_id` (a MongoDB-style id)
 * and `creationDate` (docs/compatibility/iot-agent-ul.md §1.2).
 */
export function groupToApi(group: ServiceGroup): GroupDto {
  return { ...group }
}
