import type { IotaConfig } from '../config/types'
import type { NgsiMetadata, Scope } from '../context/types'
import { compileExpression, type Compiled } from '../expressions'
import type { AttributeDef, CommandDef, Device, LazyAttributeDef, ServiceGroup, StaticAttributeDef } from '../registry/types'

/** A provisioned attribute (static, lazy or active) as the measure pipeline uses it. */
export interface MappedAttribute {
  kind: 'static' | 'lazy' | 'active'
  name: string
  /** Measure key (object_id, defaulting to the name; a static attribute's name). */
  objectId: string
  type: string
  /** A static attribute's value. */
  value?: unknown
  metadata?: Record<string, NgsiMetadata>
  /** Metadata whose value is computed by an expression (docs/compatibility/iot-agent-ul.md §4.7). */
  metadataExpressions?: Array<{ name: string; type?: string; expression: Compiled }>
  /** JEXL expression whose result replaces the value. */
  expression?: Compiled
  /** The attribute is left out when its value equals this (`skipValue`; null when not given, as in the library). */
  skipValue: unknown
  /** Multi-entity: the attribute goes to this entity instead of the device's. */
  entityName?: string
  /** `entity_name` is also tried as an expression; this is set when it compiles. */
  entityNameExpression?: Compiled
  entityType?: string
  /** Position in the library's order: static, then lazy, then active attributes, each as provisioned. */
  order: number
}

/**
 * A device merged with its group (docs/compatibility/iot-agent-ul.md §3.4 step 5) and compiled into lookup tables, so that a
 * measure is mapped with a few Map lookups. Built once per device and group version, never per
 * message; its expressions are compiled here (through a cache shared by all devices).
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
  /** `explicitAttrs` when it is a boolean; false when it is an expression (see explicitAttrsExpression). */
  explicitAttrs: boolean
  /** `explicitAttrs` given as a JEXL string, evaluated for every measure (docs/compatibility/iot-agent-ul.md §4.6). */
  explicitAttrsExpression?: Compiled
  /** Group `entityNameExp`: evaluated for every measure, its result replaces the entity id. */
  entityNameExp?: Compiled
  /** Static, lazy then active attributes, in the order the library maps them. */
  attributes: MappedAttribute[]
  /** Measure keys taken by a provisioned attribute; the other keys are un-mapped measures. */
  mappedKeys: Set<string>
  /** Whether mapping a measure needs the expression context at all. */
  usesExpressions: boolean
  /**
   * The part of the expression context that does not depend on the measure: static attributes,
   * `id`, `type`, `service`, `subservice`, `entity_name` and `metadata`, in the library's order.
   */
  baseContext: Array<[string, unknown]>
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

/** A non-empty string expression compiled, else undefined (the library ignores absent and empty ones). */
function expressionOf(source: unknown): Compiled | undefined {
  return typeof source === 'string' && source !== '' ? compileExpression(source) : undefined
}

function metadataExpressions(metadata: Record<string, unknown> | undefined): MappedAttribute['metadataExpressions'] {
  if (!metadata) return undefined
  const out: NonNullable<MappedAttribute['metadataExpressions']> = []
  for (const [name, meta] of Object.entries(metadata)) {
    const m = meta as { type?: unknown; expression?: unknown } | null
    // TimeInstant metadata is the agent's own; an expression on it is ignored, as in the library.
    const expression = name === 'TimeInstant' ? undefined : expressionOf(m?.expression)
    if (expression) out.push({ name, ...(typeof m?.type === 'string' && { type: m.type }), expression })
  }
  return out.length ? out : undefined
}

function mapped(kind: MappedAttribute['kind'], a: AttributeDef | LazyAttributeDef | StaticAttributeDef, order: number): MappedAttribute {
  const full = a as AttributeDef & { value?: unknown }
  // The library evaluates entity_name as an expression and falls back to the text itself.
  const entityNameExpression = full.entity_name ? compileExpression(full.entity_name) : undefined
  // Every property is always present (undefined when unused): one object shape for the hot path.
  return {
    kind,
    name: a.name,
    objectId: (kind !== 'static' && full.object_id) || a.name,
    type: a.type,
    value: kind === 'static' ? full.value : undefined,
    metadata: full.metadata,
    metadataExpressions: metadataExpressions(full.metadata),
    expression: kind === 'active' ? expressionOf(full.expression) : undefined,
    // A falsy skipValue counts as none, as in the library.
    skipValue: full.skipValue ? full.skipValue : null,
    entityName: full.entity_name || undefined,
    entityNameExpression: entityNameExpression?.ok ? entityNameExpression : undefined,
    entityType: full.entity_type || undefined,
    order
  }
}

/** `metadata.<attribute>.<metadata>` values of the active and static attributes, for expressions. */
function metadataContext(active: readonly AttributeDef[], statics: readonly StaticAttributeDef[]): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {}
  for (const a of [...active, ...statics]) {
    if (!a.metadata) continue
    const values: Record<string, unknown> = {}
    for (const [name, meta] of Object.entries(a.metadata)) values[name] = meta?.value
    out[a.name] = values
  }
  return out
}

export function compileEffectiveDevice(device: Device, group: ServiceGroup | undefined, iota: IotaConfig, apikey: string): EffectiveDevice {
  const active = mergeByKey(device.attributes, group?.attributes)
  const lazy = mergeByKey(device.lazy, group?.lazy)
  const commands = mergeByKey(device.commands, group?.commands)
  const statics = mergeStatics(device.static_attributes, group?.static_attributes)

  const attributes: MappedAttribute[] = []
  const byObjectId = new Map<string, MappedAttribute>()
  const byName = new Map<string, MappedAttribute>()
  let order = 0
  for (const s of statics) attributes.push(mapped('static', s, order++))
  for (const a of lazy) {
    const m = mapped('lazy', a, order++)
    attributes.push(m)
    byObjectId.set(m.objectId, m)
  }
  for (const a of active) {
    const m = mapped('active', a, order++)
    attributes.push(m)
    byObjectId.set(m.objectId, m)
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
  const explicitAttrsExpression = typeof explicit === 'string' ? compileExpression(explicit) : undefined
  const entityNameExp = expressionOf(group?.entityNameExp)

  // As the library builds it: static attributes, then id/type/service/subservice/entity_name, then metadata.
  const baseContext: Array<[string, unknown]> = statics.map((s) => [s.name, s.value])
  baseContext.push(['id', device.device_id], ['type', device.entity_type], ['service', device.service], ['subservice', device.service_path], ['entity_name', device.entity_name])
  if (active.length || statics.length) baseContext.push(['metadata', metadataContext(active, statics)])

  const usesExpressions =
    entityNameExp !== undefined ||
    explicitAttrsExpression !== undefined ||
    attributes.some((a) => a.expression || a.entityNameExpression || a.metadataExpressions)
  return {
    device,
    group,
    scope: { service: device.service, servicePath: device.service_path },
    deviceId: device.device_id,
    entityId: device.entity_name,
    entityType: device.entity_type,
    apikey,
    timestamp: device.timestamp ?? group?.timestamp ?? iota.timestamp,
    explicitAttrs: explicit === true,
    ...(explicitAttrsExpression && { explicitAttrsExpression }),
    ...(entityNameExp && { entityNameExp }),
    attributes,
    mappedKeys: new Set(attributes.map((a) => a.objectId)),
    usesExpressions,
    baseContext,
    byObjectId,
    byName,
    statics,
    commands: commandMap,
    lazy,
    commandStatusKeys
  }
}
