import type { EntityChange } from '../entity-store'
import type { StoredEntity } from '../model'
import { compileEntityPattern } from '../query/entity-filter'
import { compileGeoQuery, parseGeoQuery, type GeoPredicate } from '../query/geo-filter'
import { matchesAll } from '../query/query-match'
import { parseSimpleQuery, type QueryStatement } from '../query/simple-query'
import type { UserPattern } from '../../../user-pattern/user-pattern'
import type { AlterationType, SubscriptionSpec } from './model'
import { snapshotPlan, type SnapshotPlan } from './notification-payload'

/**
 * When a subscription fires for an entity change (docs/compatibility/ngsi-v2.md §4.3; subCache.cpp subMatch and
 * MongoCommonUpdate.cpp processSubscriptions): alteration type, service path, condition
 * attributes (value changes, metadata changes unless notifyOnMetadataChange is false, deleted
 * attributes), entity id/type, then q, mq and geo on the entity after the change.
 * Everything a subscription needs per change is compiled once, when it is created or patched.
 */

interface EntityMatcher {
  id: string | undefined
  idRe: UserPattern | null
  type: string | undefined
  typeRe: UserPattern | null
}

export interface CompiledSubscription {
  entities: EntityMatcher[]
  q: QueryStatement[]
  mq: QueryStatement[]
  geo: GeoPredicate | null
  /** null: any attribute. */
  condAttrs: Set<string> | null
  alterations: Set<AlterationType> | null
  /** Service path scope: exact path, or prefix for `/a/#`, or everything for `/#`. */
  path: { all: true } | { exact: string } | { base: string }
  /** The notification needs previous values (previousValue or actionType metadata). */
  needsPrevious: boolean
  /** What a notification copies of the entity when it fires. */
  snapshot: SnapshotPlan
}

/** How Orion classifies an update: the kind of change drives alterationTypes and notifyOnMetadataChange. */
export type ChangeKind = 'entityCreate' | 'entityDelete' | 'entityUpdate' | 'changeValue' | 'changeMetadataOnly'

export interface ClassifiedChange {
  kind: ChangeKind
  /** Attributes of the request (written or removed). */
  requestAttrs: string[]
  /** Attributes whose value or type changed, created or deleted. */
  valueChanged: string[]
  /** Attributes whose metadata only changed. */
  metadataChanged: string[]
}

export function compileSubscription(spec: SubscriptionSpec, servicePath: string): CompiledSubscription {
  const e = spec.expression
  let geo: GeoPredicate | null = null
  if (e.georel !== undefined && e.geometry !== undefined && e.coords !== undefined) {
    const parsed = parseGeoQuery(e.georel, e.geometry, e.coords)
    if (typeof parsed !== 'string') geo = compileGeoQuery(parsed)
  }
  const n = spec.notification
  let path: CompiledSubscription['path']
  if (servicePath === '/#' || servicePath === '') path = { all: true }
  else if (servicePath.endsWith('/#')) path = { base: servicePath.slice(0, -2) }
  else path = { exact: servicePath }
  return {
    entities: spec.entities.map((x) => ({
      id: x.id,
      idRe: x.idPattern !== undefined ? compileEntityPattern(x.idPattern, 'idPattern') : null,
      type: x.type,
      typeRe: x.typePattern !== undefined ? compileEntityPattern(x.typePattern, 'typePattern') : null
    })),
    q: e.q !== undefined ? parseSimpleQuery(e.q, 'q') : [],
    mq: e.mq !== undefined ? parseSimpleQuery(e.mq, 'mq') : [],
    geo,
    condAttrs: spec.conditionAttrs.length > 0 ? new Set(spec.conditionAttrs) : null,
    alterations: spec.alterationTypes.length > 0 ? new Set(spec.alterationTypes) : null,
    path,
    needsPrevious: n.metadata.includes('previousValue') || n.metadata.includes('actionType'),
    snapshot: snapshotPlan(n, !!n.httpCustom)
  }
}

export function classifyChange(c: EntityChange): ClassifiedChange {
  if (c.kind === 'created') return { kind: 'entityCreate', requestAttrs: c.attrs, valueChanged: c.changed, metadataChanged: c.changed }
  if (c.kind === 'deleted') return { kind: 'entityDelete', requestAttrs: c.removed, valueChanged: c.removed, metadataChanged: [] }
  const mdOnly = c.metadataOnly
  const valueChanged = mdOnly ? c.changed.filter((a) => !mdOnly.includes(a)) : c.changed
  const changed = c.removed.length > 0 ? [...valueChanged, ...c.removed] : valueChanged
  const requestAttrs = c.removed.length > 0 ? [...c.attrs, ...c.removed] : c.attrs
  const kind: ChangeKind = changed.length > 0 ? 'changeValue' : mdOnly ? 'changeMetadataOnly' : 'entityUpdate'
  return { kind, requestAttrs, valueChanged: changed, metadataChanged: mdOnly ?? [] }
}

/** The `alterationType` an accepted notification reports. */
export function alterationOf(kind: ChangeKind): AlterationType {
  return kind === 'changeValue' || kind === 'changeMetadataOnly' ? 'entityChange' : kind
}

/** Whether changes of entities of `servicePath` concern the subscription (its path scope). */
export function inPath(c: CompiledSubscription, servicePath: string): boolean {
  const p = c.path
  if ('all' in p) return true
  if ('exact' in p) return p.exact === servicePath
  return servicePath === p.base || servicePath.startsWith(p.base + '/')
}

function anyIn(set: Set<string> | null, names: string[]): boolean {
  if (names.length === 0) return false
  if (!set) return true
  for (const n of names) if (set.has(n)) return true
  return false
}

export function entityMatches(c: CompiledSubscription, id: string, type: string): boolean {
  for (const m of c.entities) {
    if (m.id !== undefined && m.id !== id) continue
    if (m.idRe && !m.idRe.test(id)) continue
    if (m.type !== undefined && m.type !== type) continue
    if (m.typeRe && !m.typeRe.test(type)) continue
    return true
  }
  return false
}

/** subMatch(): alteration type, path and condition attributes (entity and filters are checked apart). */
export function triggeredBy(spec: SubscriptionSpec, c: CompiledSubscription, change: ClassifiedChange, servicePath: string): boolean {
  let kind = change.kind
  // Without notifyOnMetadataChange, a metadata-only change is just an update.
  if (!spec.notifyOnMetadataChange && kind === 'changeMetadataOnly') kind = 'entityUpdate'
  const isChange = kind === 'changeValue' || kind === 'changeMetadataOnly'
  const alt = c.alterations
  if (!alt) {
    if (!isChange && kind !== 'entityCreate') return false
  } else if (isChange) {
    if (!alt.has('entityUpdate') && !alt.has('entityChange')) return false
  } else if (!alt.has(kind as AlterationType)) return false
  if (!inPath(c, servicePath)) return false
  if (kind === 'entityDelete') return true
  if (kind === 'entityUpdate' || (isChange && alt?.has('entityUpdate'))) return anyIn(c.condAttrs, change.requestAttrs)
  return anyIn(c.condAttrs, change.valueChanged) || (spec.notifyOnMetadataChange && anyIn(c.condAttrs, change.metadataChanged))
}

/** The expression (q, mq, geo) on the entity as it is after the change. */
export function expressionMatches(c: CompiledSubscription, e: StoredEntity): boolean {
  if (c.q.length > 0 && !matchesAll(c.q, e, false)) return false
  if (c.mq.length > 0 && !matchesAll(c.mq, e, true)) return false
  if (c.geo && !c.geo.test(e)) return false
  return true
}
