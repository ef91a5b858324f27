import { formatIsoDate } from '../datetime'
import type { PreviousValue } from '../entity-store'
import type { StoredAttribute } from '../model'
import { attributeView, entityText, type AttributeView, type EntityView, type ResolvedEntity } from '../render'
import type { AlterationType, AttrsFormat, NotificationSpec } from './model'

/**
 * The entity a notification carries and its body (docs/compatibility/ngsi-v2.md §4.4; Notifier.cpp,
 * NotifyContextRequest::toJson): attrs/exceptAttrs, onlyChangedAttrs, covered, builtin attributes
 * (dateCreated, dateModified, servicePath, alterationType) and metadata (dateCreated,
 * dateModified, previousValue, actionType) when asked for, in the five formats.
 */

/** What a notification needs from the triggering change, captured when it fires. */
export interface NotifiedEntity {
  entity: ResolvedEntity
  alterationType: AlterationType
  /** onlyChangedAttrs: the attributes to notify (already filtered); null otherwise. */
  onlyAttrs: string[] | null
  /** Previous type/value of updated attributes; null unless previousValue/actionType were asked for. */
  previous: Map<string, PreviousValue> | null
  /** Attributes of the request, for actionType (update when they existed, append when new). */
  requestAttrs: string[]
}

const BUILTIN_ATTRS = new Set(['dateCreated', 'dateModified', 'servicePath', 'alterationType'])

/**
 * The names onlyChangedAttrs keeps (subToNotifyList in Orion): request attributes filtered by
 * attrs/exceptAttrs. Empty means "no notification".
 */
export function onlyChangedNames(n: NotificationSpec, requestAttrs: string[]): string[] {
  if (n.exceptAttrs) return requestAttrs.filter((a) => !n.attrs.includes(a))
  if (n.attrs.length === 0 || n.attrs.includes('*')) return requestAttrs
  return n.attrs.filter((a) => requestAttrs.includes(a))
}

/**
 * The state of an entity when a notification fired. Attribute objects are updated in place by
 * later updates, so their fields are copied — into one flat array per entity: for each attribute
 * name, type, value, creDate, modDate, the metadata count, then name, type and value of each
 * metadata. A queue of 10,000 pending notifications then holds a few objects per notification,
 * not maps and objects per attribute, which is what keeps a saturated queue cheap for the
 * garbage collector (the values themselves are shared with the entity). Attribute dates are
 * only copied when the notification can show them.
 */
export interface EntitySnapshot {
  id: string
  type: string
  servicePath: string
  creDate: number
  modDate: number
  attrs: unknown[]
}

export interface SnapshotPlan {
  /** Attributes to copy; null = all. */
  names: string[] | null
  /** Copy metadata (formats that render it). */
  metadata: boolean
  /** Copy attribute dates (metadata dateCreated/dateModified asked for). */
  dates: boolean
}

/** What a notification may render, hence what it must copy. */
export function snapshotPlan(n: NotificationSpec, custom: boolean): SnapshotPlan {
  const all = custom || n.exceptAttrs || n.attrs.length === 0 || n.attrs.includes('*')
  return {
    names: all ? null : n.attrs,
    metadata: custom || n.attrsFormat === 'normalized' || n.attrsFormat === 'simplifiedNormalized',
    dates: n.metadata.includes('dateCreated') || n.metadata.includes('dateModified')
  }
}

function copy(out: unknown[], name: string, a: StoredAttribute, plan: SnapshotPlan): void {
  const md = plan.metadata ? a.metadata : null
  out.push(name, a.type, a.value, plan.dates ? a.creDate : 0, plan.dates ? a.modDate : 0, md ? md.size : 0)
  if (md) for (const [k, m] of md) out.push(k, m.type, m.value)
}

/** Copies the entity as the plan says. `into` is a snapshot to reuse (its arrays are refilled). */
export function snapshotEntity(e: ResolvedEntity, plan: SnapshotPlan, into?: EntitySnapshot): EntitySnapshot {
  const attrs: unknown[] = into ? into.attrs : []
  attrs.length = 0
  if (plan.names) {
    for (const n of plan.names) {
      const a = e.attrs.get(n)
      if (a) copy(attrs, n, a, plan)
    }
  } else {
    for (const [n, a] of e.attrs) copy(attrs, n, a, plan)
  }
  if (!into) return { id: e.id, type: e.type, servicePath: e.servicePath, creDate: e.creDate, modDate: e.modDate, attrs }
  into.id = e.id
  into.type = e.type
  into.servicePath = e.servicePath
  into.creDate = e.creDate
  into.modDate = e.modDate
  return into
}

/** The snapshot as an entity to render (at send time, off the update path). */
export function resolveSnapshot(s: EntitySnapshot): ResolvedEntity {
  const attrs = new Map<string, StoredAttribute>()
  const f = s.attrs
  for (let i = 0; i < f.length; ) {
    const name = f[i] as string
    const count = f[i + 5] as number
    let metadata: StoredAttribute['metadata'] = null
    for (let j = 0; j < count; j++) {
      const at = i + 6 + j * 3
      ;(metadata ??= new Map()).set(f[at], { type: f[at + 1] as string, value: f[at + 2] })
    }
    attrs.set(name, { type: f[i + 1] as string, value: f[i + 2], metadata, creDate: f[i + 3] as number, modDate: f[i + 4] as number })
    i += 6 + count * 3
  }
  return { id: s.id, type: s.type, servicePath: s.servicePath, creDate: s.creDate, modDate: s.modDate, attrs }
}

function builtin(src: NotifiedEntity, name: string): AttributeView | null {
  const e = src.entity
  switch (name) {
    case 'dateCreated':
      return e.creDate > 0 ? { name, type: 'DateTime', value: formatIsoDate(e.creDate), metadata: [] } : null
    case 'dateModified':
      return e.modDate > 0 ? { name, type: 'DateTime', value: formatIsoDate(e.modDate), metadata: [] } : null
    case 'servicePath':
      return { name, type: 'Text', value: e.servicePath, metadata: [] }
    case 'alterationType':
      return { name, type: 'Text', value: src.alterationType, metadata: [] }
    default:
      return null
  }
}

function attribute(src: NotifiedEntity, name: string, a: StoredAttribute, metadata: string[]): AttributeView {
  const view = attributeView(name, a, metadata)
  if (metadata.includes('previousValue') && src.alterationType !== 'entityCreate') {
    const prev = src.previous?.get(name)
    view.metadata.push({ name: 'previousValue', type: prev ? prev.type : a.type, value: prev ? prev.value : a.value })
  }
  if (metadata.includes('actionType') && src.requestAttrs.includes(name)) {
    const action = src.alterationType === 'entityCreate' || !src.previous?.has(name) ? 'append' : 'update'
    view.metadata.push({ name: 'actionType', type: 'Text', value: action })
  }
  return view
}

/** The entity as notified: selected attributes (in `attrs` order when given) with their metadata. */
export function notifiedView(n: NotificationSpec, src: NotifiedEntity, extraFirst: AttributeView[] = []): EntityView {
  const e = src.entity
  const attrs: AttributeView[] = [...extraFirst]
  const taken = new Set(extraFirst.map((a) => a.name))
  const add = (name: string): void => {
    if (taken.has(name)) return
    const a = e.attrs.get(name)
    const v = a ? attribute(src, name, a, n.metadata) : builtin(src, name)
    if (v) attrs.push(v)
    else if (n.covered) attrs.push({ name, type: 'None', value: null, metadata: [] })
    taken.add(name)
  }
  const selected = src.onlyAttrs ?? (n.exceptAttrs ? null : n.attrs)
  if (selected === null) {
    // exceptAttrs: every user attribute but the listed ones.
    for (const name of e.attrs.keys()) if (!n.attrs.includes(name)) add(name)
  } else if (selected.length === 0 || selected.includes('*')) {
    for (const name of e.attrs.keys()) add(name)
    for (const name of n.attrs) if (BUILTIN_ATTRS.has(name)) add(name)
  } else {
    for (const name of selected) add(name)
    // Builtins listed in attrs are notified even with onlyChangedAttrs.
    if (src.onlyAttrs) for (const name of n.attrs) if (BUILTIN_ATTRS.has(name)) add(name)
  }
  return { id: e.id, type: e.type, servicePath: e.servicePath, attrs }
}

/** The body of a regular notification (`Ngsiv2-AttrsFormat` = format). */
export function notificationBody(subscriptionId: string, format: AttrsFormat, view: EntityView): string {
  switch (format) {
    case 'simplifiedNormalized':
      return entityText(view, 'normalized')
    case 'simplifiedKeyValues':
      return entityText(view, 'keyValues')
    default:
      return `{"subscriptionId":${JSON.stringify(subscriptionId)},"data":[${entityText(view, format)}]}`
  }
}
