import type { IotaConfig } from '../config/types'
import type { NgsiMetadata, Scope } from '../context/types'
import type { AttributeDef, CommandDef, Device, LazyAttributeDef, ServiceGroup, StaticAttributeDef } from '../registry/types'

/** A provisioned attribute as the measure pipeline uses it. */
export interface MappedAttribute {
  name: string
  type: string
  metadata?: Record<string, NgsiMetadata>
  /** Multi-entity: the attribute goes to this entity instead of the device's. */
  entityName?: string
  entityType?: string
  /** Provisioning order, so updates list attributes as provisioned. */
  order: number
}

/**
 * A device merged with its group (spec §3.4 step 5) and compiled into lookup tables, so that a
 * measure is mapped with a few Map lookups. Built once per device and group version, never per
 * message.
 */
export interface EffectiveDevice {
  device: Device
  group?: ServiceGroup
  scope: Scope
  deviceId: string
  entityId: string
  entityType: string
  /** API key used on command topics. */
  apikey: string
  timestamp: boolean
  explicitAttrs: boolean
  /** Active and lazy attributes by measure key (object_id, defaulting to the name). */
  byObjectId: Map<string, MappedAttribute>
  /** Active attributes by NGSI name (un-mapped keys take the type of a same-named attribute). */
  byName: Map<string, MappedAttribute>
  statics: StaticAttributeDef[]
  commands: Map<string, CommandDef>
  lazy: LazyAttributeDef[]
  /** Names `<cmd>_status` / `<cmd>_info` → command name, for devices that report results as measures. */
  commandStatusKeys: Map<string, { command: string; field: 'status' | 'info' }>
}

function mergeByKey<T extends { name: string; object_id?: string }>(own: T[] | undefined, fromGroup: T[] | undefined): T[] {
  const out = [...(own ?? [])]
  if (!fromGroup?.length) return out
  const names = new Set(out.map((a) => a.name))
  const ids = new Set(out.map((a) => a.object_id ?? a.name))
  for (const a of fromGroup) {
    if (names.has(a.name) || ids.has(a.object_id ?? a.name)) continue
    out.push(a)
  }
  return out
}

function mergeStatics(own: StaticAttributeDef[] | undefined, fromGroup: StaticAttributeDef[] | undefined): StaticAttributeDef[] {
  const out = [...(own ?? [])]
  if (!fromGroup?.length) return out
  const names = new Set(out.map((a) => a.name))
  for (const a of fromGroup) if (!names.has(a.name)) out.push(a)
  return out
}

function mapped(a: AttributeDef | LazyAttributeDef, order: number): MappedAttribute {
  const m: MappedAttribute = { name: a.name, type: a.type, order }
  const full = a as AttributeDef
  if (full.metadata) m.metadata = full.metadata
  if (full.entity_name) m.entityName = full.entity_name
  if (full.entity_type) m.entityType = full.entity_type
  return m
}

export function compileEffectiveDevice(device: Device, group: ServiceGroup | undefined, iota: IotaConfig, apikey: string): EffectiveDevice {
  const active = mergeByKey(device.attributes, group?.attributes)
  const lazy = mergeByKey(device.lazy, group?.lazy)
  const commands = mergeByKey(device.commands, group?.commands)
  const statics = mergeStatics(device.static_attributes, group?.static_attributes)

  const byObjectId = new Map<string, MappedAttribute>()
  const byName = new Map<string, MappedAttribute>()
  let order = 0
  for (const a of lazy) byObjectId.set(a.object_id ?? a.name, mapped(a, order++))
  for (const a of active) {
    const m = mapped(a, order++)
    byObjectId.set(a.object_id ?? a.name, m)
    byName.set(a.name, m)
  }

  const commandMap = new Map<string, CommandDef>()
  const commandStatusKeys = new Map<string, { command: string; field: 'status' | 'info' }>()
  for (const c of commands) {
    commandMap.set(c.name, c)
    commandStatusKeys.set(`${c.name}_status`, { command: c.name, field: 'status' })
    commandStatusKeys.set(`${c.name}_info`, { command: c.name, field: 'info' })
  }

  const explicit = device.explicitAttrs ?? group?.explicitAttrs ?? iota.explicitAttrs
  return {
    device,
    group,
    scope: { service: device.service, servicePath: device.service_path },
    deviceId: device.device_id,
    entityId: device.entity_name,
    entityType: device.entity_type,
    apikey,
    timestamp: device.timestamp ?? group?.timestamp ?? iota.timestamp,
    // A JEXL explicitAttrs expression is not evaluated (no JEXL support): it counts as `true`.
    explicitAttrs: explicit === true || (typeof explicit === 'string' && explicit !== '' && explicit !== 'false'),
    byObjectId,
    byName,
    statics,
    commands: commandMap,
    lazy,
    commandStatusKeys
  }
}
