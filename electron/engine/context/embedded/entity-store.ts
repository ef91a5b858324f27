import type { CoalescedWriter } from '../../persist/coalesced-writer'
import { Change, checkLocations, createAttribute, deepEqual, mergeAttribute, metadataEqual, type MergeOptions } from './attribute-merge'
import { fromPersisted, newEntity, type NormalizedAttribute, type PersistedEntity, type StoredEntity } from './model'

/**
 * Entities in memory, per tenant, in creation order, with their persistence (one coalesced
 * write per entity per flush) and a synchronous change event per entity change.
 */

/** A change of one entity, emitted synchronously (subscriptions, GUI telemetry). */
export interface EntityChange {
  kind: 'created' | 'updated' | 'deleted'
  service: string
  servicePath: string
  id: string
  type: string
  /** Attributes written by the request (created, updated or appended). */
  attrs: string[]
  /** The subset whose value, type or metadata actually changed (all of them on creation). */
  changed: string[]
  /** Attributes removed (attribute deletion, replace, entity deletion). */
  removed: string[]
  /** The subset of `changed` whose value and type stayed the same (only metadata changed); absent when empty. */
  metadataOnly?: string[]
  /**
   * Type and value of the updated attributes before the update (absent for appended ones), only
   * while `EntityStore.capturePrevious` is on (subscriptions asking for previousValue/actionType).
   */
  previous?: Map<string, PreviousValue>
  /**
   * The entity itself, after the change (for a deletion: as it was). Listeners read current
   * values from it synchronously and must not modify it.
   */
  entity: Readonly<StoredEntity>
}

export interface PreviousValue {
  type: string
  value: unknown
}

export type ChangeListener = (change: EntityChange) => void

export type AttributeMode = 'append' | 'appendStrict' | 'update' | 'replace'

export interface ApplyResult {
  /** update: requested attributes the entity does not have. */
  missing: string[]
  /** appendStrict: requested attributes the entity already has (left untouched). */
  existing: string[]
}

interface TenantEntities {
  /** Insertion order = creation order. */
  byKey: Map<string, StoredEntity>
  byId: Map<string, StoredEntity[]>
}

/** Records what an update did to an attribute; `forcedUpdate` makes every written attribute a change. */
function noteChange(changed: string[], metadataOnly: string[] | undefined, name: string, change: Change, forced: boolean): string[] | undefined {
  if (forced || change === Change.Value) changed.push(name)
  else if (change === Change.MetadataOnly) {
    changed.push(name)
    ;(metadataOnly ??= []).push(name)
  }
  return metadataOnly
}

export class EntityStore {
  private readonly tenants = new Map<string, TenantEntities>()
  private readonly listeners = new Set<ChangeListener>()
  private seq = 0
  /** Record previous values in change events (costs an object per updated attribute). */
  capturePrevious = false

  constructor(private readonly writer: CoalescedWriter<PersistedEntity>) {}

  /** Restores persisted entities (any order) in creation order. */
  load(records: PersistedEntity[]): void {
    records.sort((a, b) => a.seq - b.seq)
    for (const r of records) {
      this.index(fromPersisted(r))
      if (r.seq >= this.seq) this.seq = r.seq + 1
    }
  }

  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Entities of a tenant in creation order. */
  entities(tenant: string): Iterable<StoredEntity> {
    return this.tenants.get(tenant)?.byKey.values() ?? []
  }

  /** Every entity as persisted, for snapshots of the journal. */
  *persistedRecords(): Iterable<[string, PersistedEntity]> {
    for (const t of this.tenants.values()) {
      for (const e of t.byKey.values()) {
        const p = e.persist()
        if (p) yield [e.key, p]
      }
    }
  }

  count(): number {
    let n = 0
    for (const t of this.tenants.values()) n += t.byKey.size
    return n
  }

  /** Entities with this id (and type, when given) whose path satisfies `inPath`. */
  find(tenant: string, id: string, type: string | undefined, inPath: (servicePath: string) => boolean): StoredEntity[] {
    const list = this.tenants.get(tenant)?.byId.get(id)
    if (!list) return []
    return list.filter((e) => (type === undefined || e.type === type) && inPath(e.servicePath))
  }

  create(tenant: string, servicePath: string, id: string, type: string, attrs: NormalizedAttribute[], now: number): StoredEntity {
    checkLocations(null, attrs, 'create')
    const entity = newEntity(tenant, servicePath, id, type, this.seq++, now)
    for (const a of attrs) entity.attrs.set(a.name, createAttribute(a, now))
    this.index(entity)
    this.writer.mark(entity.key, entity.persist)
    if (this.listeners.size > 0) {
      const names = [...entity.attrs.keys()]
      this.emit({ kind: 'created', service: tenant, servicePath, id, type, attrs: names, changed: names, removed: [], entity })
    }
    return entity
  }

  /** Applies attributes to an existing entity with append/appendStrict/update/replace semantics. */
  apply(entity: StoredEntity, attrs: NormalizedAttribute[], mode: AttributeMode, opts: MergeOptions, now: number): ApplyResult {
    checkLocations(entity, attrs, mode)
    const result: ApplyResult = { missing: [], existing: [] }
    const written: string[] = []
    const changed: string[] = []
    let removed: string[] = []
    let metadataOnly: string[] | undefined
    const previous = this.capturePrevious ? new Map<string, PreviousValue>() : undefined
    const forced = !!opts.forcedUpdate
    if (mode === 'replace') {
      removed = [...entity.attrs.keys()].filter((n) => !attrs.some((a) => a.name === n))
      const before = entity.attrs
      entity.attrs = new Map()
      for (const a of attrs) {
        const old = before.get(a.name)
        const created = createAttribute(a, now)
        if (old) {
          created.creDate = old.creDate
          previous?.set(a.name, { type: old.type, value: old.value })
        }
        entity.attrs.set(a.name, created)
        written.push(a.name)
        const change = !old || old.type !== a.type || !deepEqual(old.value, a.value) ? Change.Value : metadataEqual(old.metadata, a.metadata) ? Change.None : Change.MetadataOnly
        metadataOnly = noteChange(changed, metadataOnly, a.name, change, forced)
      }
    } else {
      for (const a of attrs) {
        const stored = entity.attrs.get(a.name)
        if (stored) {
          if (mode === 'appendStrict') {
            result.existing.push(a.name)
            continue
          }
          written.push(a.name)
          previous?.set(a.name, { type: stored.type, value: stored.value })
          metadataOnly = noteChange(changed, metadataOnly, a.name, mergeAttribute(stored, a, opts, now), forced)
        } else if (mode === 'update') {
          result.missing.push(a.name)
        } else {
          entity.attrs.set(a.name, createAttribute(a, now))
          written.push(a.name)
          changed.push(a.name)
        }
      }
    }
    if (written.length > 0 || removed.length > 0) this.touched(entity, now, written, changed, removed, metadataOnly, previous)
    return result
  }

  /** Deletes attributes; returns the names the entity did not have. */
  deleteAttributes(entity: StoredEntity, names: string[], now: number): string[] {
    const missing: string[] = []
    const removed: string[] = []
    for (const n of names) {
      if (entity.attrs.delete(n)) removed.push(n)
      else missing.push(n)
    }
    if (removed.length > 0) this.touched(entity, now, [], [], removed)
    return missing
  }

  deleteEntity(entity: StoredEntity): void {
    const t = this.tenants.get(entity.tenant)
    if (!t || t.byKey.get(entity.key) !== entity) return
    t.byKey.delete(entity.key)
    const same = t.byId.get(entity.id)
    if (same) {
      const rest = same.filter((e) => e !== entity)
      if (rest.length > 0) t.byId.set(entity.id, rest)
      else t.byId.delete(entity.id)
    }
    this.writer.mark(entity.key, () => null)
    if (this.listeners.size > 0) {
      const { tenant, servicePath, id, type } = entity
      this.emit({ kind: 'deleted', service: tenant, servicePath, id, type, attrs: [], changed: [], removed: [...entity.attrs.keys()], entity })
    }
  }

  private touched(
    entity: StoredEntity,
    now: number,
    written: string[],
    changed: string[],
    removed: string[],
    metadataOnly?: string[],
    previous?: Map<string, PreviousValue>
  ): void {
    entity.modDate = now
    this.writer.mark(entity.key, entity.persist)
    if (this.listeners.size > 0) {
      const { tenant, servicePath, id, type } = entity
      const change: EntityChange = { kind: 'updated', service: tenant, servicePath, id, type, attrs: written, changed, removed, entity }
      if (metadataOnly) change.metadataOnly = metadataOnly
      if (previous) change.previous = previous
      this.emit(change)
    }
  }

  private index(entity: StoredEntity): void {
    let t = this.tenants.get(entity.tenant)
    if (!t) {
      t = { byKey: new Map(), byId: new Map() }
      this.tenants.set(entity.tenant, t)
    }
    t.byKey.set(entity.key, entity)
    const same = t.byId.get(entity.id)
    if (same) same.push(entity)
    else t.byId.set(entity.id, [entity])
  }

  private emit(change: EntityChange): void {
    for (const l of this.listeners) l(change)
  }
}
