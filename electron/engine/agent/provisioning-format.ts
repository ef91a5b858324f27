import { iotaErrors } from '../registry/errors'
import type { AttributeDef, CommandDef, Device, LazyAttributeDef, ServiceGroup, StaticAttributeDef } from '../registry/types'
import type { AttributeInput, CommandInput, GroupInput, LazyAttributeInput } from './provisioning-types'

/**
 * Normalisation of provisioning input into stored records, and the representation the API returns.
 * Stored attribute, lazy and command items always carry both `name` and `object_id` (FIWARE fills a
 * missing one with the other at device creation; we do it for groups too, so the measure path never
 * has to).
 */

type Named = { name?: string; object_id?: string }

// The fields FIWARE knows for each kind of item; others are accepted and not stored.
const ATTRIBUTE_KEYS = ['expression', 'skipValue', 'entity_name', 'entity_type', 'metadata'] as const
const COMMAND_KEYS = ['value', 'expression', 'payloadType', 'contentType', 'headers'] as const
const STATIC_KEYS = ['name', 'type', 'value', 'metadata'] as const

/** `object_id`, `name` (each defaulting to the other), `type`, then the given known keys. */
function item(input: Named & { type: string }, keys: readonly string[], where: string): Record<string, unknown> {
  const name = input.name || input.object_id
  const objectId = input.object_id || input.name
  if (!name || !objectId) throw iotaErrors.wrongSyntax(`${where}: an item needs a name or an object_id`)
  const out: Record<string, unknown> = { object_id: objectId, name, type: input.type }
  for (const key of keys) {
    const value = (input as Record<string, unknown>)[key]
    if (value !== undefined) out[key] = value
  }
  return out
}

export function normalizeAttributes(items: AttributeInput[] | undefined, where = 'attributes'): AttributeDef[] {
  return (items ?? []).map((a) => item(a, ATTRIBUTE_KEYS, where) as unknown as AttributeDef)
}

export function normalizeLazy(items: LazyAttributeInput[] | undefined, where = 'lazy'): LazyAttributeDef[] {
  return (items ?? []).map((a) => item(a, [], where) as unknown as LazyAttributeDef)
}

/**
 * Commands: ids filled in, and `mqtt.qos` stored in FIWARE's string form "0"–"2". The FIWARE schema
 * refuses a numeric qos although its user manual shows numbers; we accept both.
 */
export function normalizeCommands(items: CommandInput[] | undefined, where = 'commands'): CommandDef[] {
  return (items ?? []).map((c) => {
    const cmd = item(c, COMMAND_KEYS, where) as unknown as CommandDef
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

/** Group fields a group record stores (unknown item fields, such as the seed's `cbroker`, are dropped). */
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
  'description'
] as const satisfies ReadonlyArray<keyof GroupInput>

/** The known, defined fields of a group input or patch, with its item arrays normalised. */
export function groupFields(input: Partial<GroupInput>): Partial<Omit<ServiceGroup, '_id' | 'service' | 'subservice'>> {
  const out: Record<string, unknown> = {}
  for (const key of GROUP_FIELDS) if (input[key] !== undefined) out[key] = input[key]
  if (input.attributes) out.attributes = normalizeAttributes(input.attributes)
  if (input.lazy) out.lazy = normalizeLazy(input.lazy)
  if (input.commands) out.commands = normalizeCommands(input.commands)
  if (input.static_attributes) out.static_attributes = normalizeStatics(input.static_attributes)
  return out
}

/** The order and the fields of FIWARE's device representation (spec §1.3). */
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

/** A device as `GET /iot/devices` returns it: undefined fields omitted, internal ones hidden. */
export function deviceToApi(device: Device): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const key of DEVICE_API_FIELDS) if (device[key] !== undefined) out[key] = device[key]
  return out
}

/** A group as `GET /iot/services` returns it: the stored record, `_id` included, as MongoDB does. */
export function groupToApi(group: ServiceGroup): Record<string, unknown> {
  return { ...group }
}
