/**
 * The in-memory data model of the embedded broker, shaped like Orion's MongoDB documents:
 * an entity is identified by tenant + service path + id + type; attributes and metadata keep
 * their insertion order (Maps, so that names like "1" keep their place too).
 *
 * Values are never mutated in place once stored: an update replaces the value, so views handed
 * out to readers can share them safely.
 */

export interface StoredMetadata {
  type: string
  /** For DateTime/ISO8601 metadata: the canonical ISO string. */
  value: unknown
}

export interface StoredAttribute {
  type: string
  /** For DateTime/ISO8601 attributes: the canonical ISO string. */
  value: unknown
  /** null when the attribute has no metadata (the usual case for plain measures). */
  metadata: Map<string, StoredMetadata> | null
  /** Milliseconds since the epoch. */
  creDate: number
  modDate: number
}

export interface StoredEntity {
  readonly key: string
  readonly tenant: string
  readonly servicePath: string
  readonly id: string
  readonly type: string
  attrs: Map<string, StoredAttribute>
  creDate: number
  modDate: number
  /** Creation order within the broker (Orion sorts by creation date by default). */
  readonly seq: number
  /** Reads the record to persist; created once per entity, called at flush time only. */
  readonly persist: () => PersistedEntity | null
}

/** An attribute of a request, validated and with defaults applied (see attribute-input.ts). */
export interface NormalizedAttribute {
  name: string
  type: string
  /** False only for PUT …/value, which keeps the stored type; otherwise given or defaulted. */
  typeGiven: boolean
  value: unknown
  metadata: Map<string, StoredMetadata> | null
}

/** The record written to entities.db (JSON produced at flush time). */
export interface PersistedEntity {
  tenant: string
  servicePath: string
  id: string
  type: string
  creDate: number
  modDate: number
  seq: number
  attrs: Array<[string, PersistedAttribute]>
}

export interface PersistedAttribute {
  type: string
  value: unknown
  metadata?: Array<[string, StoredMetadata]>
  creDate: number
  modDate: number
}

/** The NeDB `_id` of an entity; `#` cannot occur in tenants, paths, ids nor types. */
export function entityKey(tenant: string, servicePath: string, id: string, type: string): string {
  return `${tenant}#${servicePath}#${type}#${id}`
}

export function toPersisted(e: StoredEntity): PersistedEntity {
  const attrs: Array<[string, PersistedAttribute]> = []
  for (const [name, a] of e.attrs) {
    const p: PersistedAttribute = { type: a.type, value: a.value, creDate: a.creDate, modDate: a.modDate }
    if (a.metadata && a.metadata.size > 0) p.metadata = [...a.metadata]
    attrs.push([name, p])
  }
  return {
    tenant: e.tenant,
    servicePath: e.servicePath,
    id: e.id,
    type: e.type,
    creDate: e.creDate,
    modDate: e.modDate,
    seq: e.seq,
    attrs
  }
}

export function newEntity(tenant: string, servicePath: string, id: string, type: string, seq: number, now: number): StoredEntity {
  const key = entityKey(tenant, servicePath, id, type)
  const entity: StoredEntity = {
    key,
    tenant,
    servicePath,
    id,
    type,
    attrs: new Map(),
    creDate: now,
    modDate: now,
    seq,
    persist: () => toPersisted(entity)
  }
  return entity
}

export function fromPersisted(p: PersistedEntity): StoredEntity {
  const e = newEntity(p.tenant, p.servicePath, p.id, p.type, p.seq, p.creDate)
  e.modDate = p.modDate
  for (const [name, a] of p.attrs) {
    e.attrs.set(name, {
      type: a.type,
      value: a.value,
      metadata: a.metadata ? new Map(a.metadata) : null,
      creDate: a.creDate,
      modDate: a.modDate
    })
  }
  return e
}
