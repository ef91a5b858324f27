import type { EntityUpdate, NgsiAttribute, NgsiMetadata } from '../context/types'
import { evaluate, evaluateName, evaluateValue, setContextValue, type ExpressionContext } from '../expressions'
import type { EffectiveDevice, MappedAttribute } from './effective-device'

/** A measure the pipeline could not map; the whole message is rejected and counted. */
export class MappingError extends Error {
  constructor(
    readonly code: 'BAD_TIMESTAMP',
    message: string
  ) {
    super(message)
    this.name = 'MappingError'
  }
}

/** `<cmd>_status` / `<cmd>_info` reported by a device as ordinary measures (the seed's dummy device does). */
export interface CommandReport {
  command: string
  status?: unknown
  info?: unknown
}

export interface MappedMeasures {
  /** The device's own entity for this measure: the group's entityNameExp result, else its entity_name. */
  entityId: string
  /** The device's entity first, then other entities of multi-entity attributes. */
  updates: EntityUpdate[]
  /** Value of TimeInstant when the device uses timestamps (for ordering batches). */
  timeInstant?: string
  commandReports: CommandReport[]
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}(:\d{2}(:\d{2}(\.\d{1,9})?)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/

/** Strict ISO-8601 check, as the library applies to TimeInstant before sending anything. */
export function isIso8601(value: unknown): value is string {
  return typeof value === 'string' && ISO_8601.test(value) && !Number.isNaN(Date.parse(value))
}

function withTimeInstant(metadata: Record<string, NgsiMetadata> | undefined, t: string | undefined): Record<string, NgsiMetadata> | undefined {
  if (t === undefined) return metadata
  return { ...metadata, TimeInstant: { type: 'DateTime', value: t } }
}

function attribute(type: string, value: unknown, metadata: Record<string, NgsiMetadata> | undefined): NgsiAttribute {
  return metadata ? { type, value, metadata } : { type, value }
}

/** An attribute on its way to an entity: provisioned (with its skipValue) or an un-mapped measure. */
interface Candidate {
  name: string
  type: string
  value: unknown
  metadata?: Record<string, NgsiMetadata>
  /** Provisioned attributes are dropped when their value equals their skipValue; un-mapped measures never are. */
  provisioned: boolean
  skipValue: unknown
  objectId: string | undefined
}

/** The candidates of one target entity. */
interface Target {
  id: string
  type: string
  candidates: Candidate[]
}

/**
 * The candidates of entity (id, type), the device's own entity being the first target. As in the
 * library, the types of one entity id stay together, in the order the ids first appear.
 */
function candidatesOf(targets: Target[], id: string, type: string): Candidate[] {
  let after = -1
  for (let i = 0; i < targets.length; i++) {
    const t = targets[i]!
    if (t.id !== id) continue
    if (t.type === type) return t.candidates
    after = i
  }
  const target: Target = { id, type, candidates: [] }
  if (after < 0) targets.push(target)
  else targets.splice(after + 1, 0, target)
  return target.candidates
}

/** The measure keys as the library sees them: `id` and `type` renamed `measure_id` and `measure_type`. */
function renamedMeasures(values: Map<string, unknown>, timestamp: string | undefined): Map<string, unknown> {
  if (timestamp === undefined && !values.has('id') && !values.has('type')) return values
  const out = new Map<string, unknown>()
  for (const [k, v] of values) out.set(k === 'id' ? 'measure_id' : k === 'type' ? 'measure_type' : k, v)
  // iotagent-ul hands the timestamp prefix over as a measure named TimeInstant (the prefix wins).
  if (timestamp !== undefined) out.set('TimeInstant', timestamp)
  return out
}

// Helpers of mapMeasures live out here: no closure is created per message.

/** The value of the first candidate named TimeInstant (mapped or measured), as the library picks it. */
function timeInstantOf(candidates: Candidate[]): unknown {
  for (const c of candidates) if (c.name === 'TimeInstant') return c.value
  return undefined
}

function reportOf(reports: CommandReport[], command: string): CommandReport | undefined {
  for (const r of reports) if (r.command === command) return r
  return undefined
}

/** explicitAttrs as a list: names, or `{object_id}` entries. */
function listedIn(explicit: unknown[], c: Candidate): boolean {
  if (explicit.includes(c.name)) return true
  if (c.objectId === undefined) return false
  for (const e of explicit) if ((e as { object_id?: unknown } | null)?.object_id === c.objectId) return true
  return false
}

/** A value as text the way the library writes an entity id: JavaScript's String(). */
function asText(v: unknown): string {
  return String(v)
}

/** Previous expression context of each device (`oldCtxt`), in memory only, dropped with the device record. */
const previousContexts = new WeakMap<object, ExpressionContext>()

function initialContext(dev: EffectiveDevice, measures: Map<string, unknown>): ExpressionContext {
  // No prototype: a measure key such as `__proto__` or `constructor` is just a name here.
  const ctx = Object.create(null) as ExpressionContext
  for (const [k, v] of measures) setContextValue(ctx, k, v)
  for (const [k, v] of dev.baseContext) setContextValue(ctx, k, v)
  const old = previousContexts.get(dev.device)
  if (old) ctx.oldCtxt = old
  return ctx
}

function evaluatedMetadata(m: MappedAttribute, ctx: ExpressionContext): Record<string, NgsiMetadata> | undefined {
  if (!m.metadataExpressions) return m.metadata
  const out: Record<string, NgsiMetadata> = { ...m.metadata }
  for (const e of m.metadataExpressions) {
    const value = evaluateValue(e.expression, ctx)
    out[e.name] = (e.type !== undefined ? { type: e.type, value } : { value }) as NgsiMetadata
  }
  return out
}

/**
 * Maps one UltraLight measure group to NGSI-v2 entity updates as iotagent-node-lib does
 * (docs/compatibility/iot-agent-ul.md §4.3–§4.7):
 * 1. the expression context is built (measures by raw key, static attributes, id, type, service,
 *    subservice, entity_name, metadata, oldCtxt) and the group's `entityNameExp` may rename the entity;
 * 2. static, lazy then active attributes are walked in provisioning order: the measure of their
 *    object_id (a static attribute's own value), replaced by their `expression` when they have
 *    one; each result is visible to the expressions after it;
 * 3. un-mapped keys follow in payload order (type `Text`, or that of an active attribute of that
 *    name) unless explicitAttrs says otherwise;
 * 4. per entity, with timestamps on: TimeInstant is the value of its attribute named TimeInstant
 *    (the UltraLight timestamp prefix, or a mapped measure such as `tt`), which must be ISO 8601
 *    (BAD_TIMESTAMP otherwise: nothing is sent), else the current time; every attribute gets it
 *    as metadata.
 * Expressions are compiled once with the device; here they are only evaluated (synchronously).
 */
export function mapMeasures(dev: EffectiveDevice, values: Map<string, unknown>, timestamp: string | undefined, now: () => string): MappedMeasures {
  const measures = renamedMeasures(values, timestamp)
  const ctx = dev.usesExpressions ? initialContext(dev, measures) : undefined

  let entityName: unknown = dev.entityId
  if (dev.entityNameExp && ctx) entityName = evaluateName(dev.entityNameExp, ctx) ?? dev.entityId
  if (ctx) ctx.entity_name = entityName
  const mainId = asText(entityName)

  const main: Candidate[] = []
  const targets: Target[] = [{ id: mainId, type: dev.entityType, candidates: main }]
  for (const m of dev.attributes) {
    let targetId = mainId
    if (m.entityName) {
      targetId = m.entityName
      if (m.entityNameExpression && ctx) targetId = asText(evaluateName(m.entityNameExpression, ctx) ?? m.entityName)
    }
    const measured = measures.get(m.objectId)
    if (ctx) setContextValue(ctx, m.name, measured)
    let hit = false
    let value: unknown
    if (m.kind === 'static' && m.value !== undefined) {
      hit = true
      value = m.value
    } else if (measured !== undefined) {
      hit = true
      value = measured
    }
    if (m.expression) {
      hit = true
      value = evaluateValue(m.expression, ctx ?? {})
    }
    if (ctx) setContextValue(ctx, m.name, value)
    if (!hit) continue
    const metadata = ctx ? evaluatedMetadata(m, ctx) : m.metadata
    const list = targetId === mainId && !m.entityType ? main : candidatesOf(targets, targetId, m.entityType ?? dev.entityType)
    list.push({ name: m.name, type: m.type, value, metadata, provisioned: true, skipValue: m.skipValue, objectId: m.objectId })
  }

  let explicit: unknown = dev.explicitAttrs
  if (dev.explicitAttrsExpression && ctx) {
    try {
      explicit = evaluate(dev.explicitAttrsExpression, ctx)
      if (Array.isArray(explicit) && explicit.length > 0 && dev.timestamp) explicit = [...(explicit as unknown[]), 'TimeInstant']
    } catch {
      explicit = false
    }
  }

  const commandReports: CommandReport[] = []
  for (const [key, value] of measures) {
    if (dev.mappedKeys.has(key)) continue
    const cmd = dev.commandStatusKeys.get(key)
    if (cmd) {
      let r = reportOf(commandReports, cmd.command)
      if (!r) commandReports.push((r = { command: cmd.command }))
      r[cmd.field] = value
      main.push({ name: key, type: cmd.field === 'status' ? 'commandStatus' : 'commandResult', value, metadata: undefined, provisioned: false, skipValue: undefined, objectId: undefined })
      continue
    }
    if (explicit !== false) continue
    const raw = key === 'measure_id' && !values.has('measure_id') ? 'id' : key === 'measure_type' && !values.has('measure_type') ? 'type' : key
    const type = dev.byName.get(raw)?.type ?? (raw === 'TimeInstant' ? 'DateTime' : 'Text')
    main.push({ name: key, type, value, metadata: undefined, provisioned: false, skipValue: undefined, objectId: undefined })
  }

  let serverTime: string | undefined
  const updates: EntityUpdate[] = []
  let firstTime: string | undefined
  for (const { id, type, candidates } of targets) {
    let t: string | undefined
    if (dev.timestamp) {
      const given = timeInstantOf(candidates)
      if (given) {
        if (!isIso8601(given)) throw new MappingError('BAD_TIMESTAMP', `TimeInstant "${asText(given)}" is not an ISO 8601 date`)
        t = given
      } else {
        t = serverTime ??= now()
        if (ctx) ctx.TimeInstant = t
      }
    }
    const attrs: Record<string, NgsiAttribute> = {}
    let count = 0
    for (const c of candidates) {
      // `__proto__` would replace the prototype of attrs rather than add an attribute; the library
      // loses it the same way (JSON.stringify skips it).
      if (c.name === 'id' || c.name === 'type' || c.name === '__proto__') continue
      if (c.provisioned && c.value === c.skipValue) continue
      if (typeof explicit !== 'boolean') {
        if (!Array.isArray(explicit) || !listedIn(explicit, c)) continue
      }
      attrs[c.name] = attribute(c.type, c.value, c.name === 'TimeInstant' ? c.metadata : withTimeInstant(c.metadata, t))
      count++
    }
    // Nothing but id/type left: that entity is not sent (docs/compatibility/iot-agent-ul.md §4.1).
    if (count === 0) continue
    if (t !== undefined) attrs.TimeInstant = { type: 'DateTime', value: t }
    if (updates.length === 0) firstTime = t
    updates.push({ id, type, attrs })
  }

  if (ctx) {
    const snapshot = { ...ctx }
    delete snapshot.oldCtxt
    previousContexts.set(dev.device, snapshot)
  }
  return { entityId: mainId, updates, timeInstant: firstTime, commandReports }
}

/** Status/info attributes of a command, with the device's static attributes (docs/compatibility/iot-agent-ul.md §5.4, §5.6). */
export function commandStatusUpdate(dev: EffectiveDevice, command: string, status: string, info: unknown, now: () => string): EntityUpdate {
  const t = dev.timestamp ? now() : undefined
  const attrs: Record<string, NgsiAttribute> = {}
  for (const s of dev.statics) attrs[s.name] = attribute(s.type, s.value, withTimeInstant(s.metadata, t))
  attrs[`${command}_status`] = attribute('commandStatus', status, withTimeInstant(undefined, t))
  if (info !== undefined) attrs[`${command}_info`] = attribute('commandResult', info, withTimeInstant(undefined, t))
  if (t !== undefined) attrs.TimeInstant = { type: 'DateTime', value: t }
  return { id: dev.entityId, type: dev.entityType, attrs }
}
