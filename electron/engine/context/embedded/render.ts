import { formatIsoDate } from './datetime'
import { objectText, toJsonText } from './json-text'
import type { StoredAttribute } from './model'

/**
 * Read views of entities (what the GUI gets) and their NGSI-v2 representations (what HTTP
 * clients get): normalized, keyValues, values, unique (docs/compatibility/ngsi-v2.md §1.4–§1.5), with the `attrs` and
 * `metadata` selections, builtins included only when named.
 */

export interface MetadataView {
  name: string
  type: string
  value: unknown
}

export interface AttributeView {
  name: string
  type: string
  value: unknown
  metadata: MetadataView[]
}

export interface EntityView {
  id: string
  type: string
  servicePath: string
  attrs: AttributeView[]
}

/** An entity to render: a stored one, or a stored one merged with provider attributes. */
export interface ResolvedEntity {
  id: string
  type: string
  servicePath: string
  /** 0 for entities known only from a provider (no builtin dates then). */
  creDate: number
  modDate: number
  attrs: Map<string, StoredAttribute>
}

export interface Selection {
  /** `attrs=`: names in output order; `*` = all user attributes; unknown names select nothing. */
  attrs?: string[]
  /** `metadata=`: names; `*` = all user metadata; builtins dateCreated/dateModified on demand. */
  metadata?: string[]
}

export type RenderMode = 'normalized' | 'keyValues' | 'values' | 'unique'

const BUILTIN_ATTRS = ['dateCreated', 'dateModified', 'servicePath'] as const

function builtinAttribute(e: ResolvedEntity, name: string): AttributeView | null {
  if (name === 'dateCreated' && e.creDate > 0) return { name, type: 'DateTime', value: formatIsoDate(e.creDate), metadata: [] }
  if (name === 'dateModified' && e.modDate > 0) return { name, type: 'DateTime', value: formatIsoDate(e.modDate), metadata: [] }
  if (name === 'servicePath' && e.servicePath) return { name, type: 'Text', value: e.servicePath, metadata: [] }
  return null
}

function builtinMetadata(a: StoredAttribute, name: string): MetadataView | null {
  if (name === 'dateCreated' && a.creDate > 0) return { name, type: 'DateTime', value: formatIsoDate(a.creDate) }
  if (name === 'dateModified' && a.modDate > 0) return { name, type: 'DateTime', value: formatIsoDate(a.modDate) }
  return null
}

function metadataViews(a: StoredAttribute, filter: string[] | undefined): MetadataView[] {
  const out: MetadataView[] = []
  if (!filter || filter.length === 0 || filter.includes('*')) {
    if (a.metadata) for (const [name, md] of a.metadata) out.push({ name, type: md.type, value: md.value })
    if (filter && filter.length > 0) {
      for (const name of ['dateCreated', 'dateModified']) {
        if (filter.includes(name) && !a.metadata?.has(name)) {
          const b = builtinMetadata(a, name)
          if (b) out.push(b)
        }
      }
    }
    return out
  }
  for (const name of filter) {
    const md = a.metadata?.get(name)
    if (md) out.push({ name, type: md.type, value: md.value })
    else {
      const b = builtinMetadata(a, name)
      if (b) out.push(b)
    }
  }
  return out
}

export function attributeView(name: string, a: StoredAttribute, metadata?: string[]): AttributeView {
  return { name, type: a.type, value: a.value, metadata: metadataViews(a, metadata) }
}

export function entityView(e: ResolvedEntity, sel: Selection = {}): EntityView {
  const attrs: AttributeView[] = []
  const filter = sel.attrs
  if (!filter || filter.length === 0 || filter.includes('*')) {
    for (const [name, a] of e.attrs) attrs.push(attributeView(name, a, sel.metadata))
    if (filter && filter.length > 0) {
      for (const name of BUILTIN_ATTRS) {
        if (filter.includes(name) && !e.attrs.has(name)) {
          const b = builtinAttribute(e, name)
          if (b) attrs.push(b)
        }
      }
    }
  } else {
    for (const name of filter) {
      const a = e.attrs.get(name)
      if (a) attrs.push(attributeView(name, a, sel.metadata))
      else {
        const b = builtinAttribute(e, name)
        if (b) attrs.push(b)
      }
    }
  }
  return { id: e.id, type: e.type, servicePath: e.servicePath, attrs }
}

function metadataText(md: MetadataView[]): string {
  return objectText(md.map((m) => [m.name, `{"type":${toJsonText(m.type)},"value":${toJsonText(m.value)}}`]))
}

/** `{"type":…,"value":…,"metadata":{…}}` — metadata always present, `{}` when none. */
export function attributeText(a: AttributeView): string {
  return `{"type":${toJsonText(a.type)},"value":${toJsonText(a.value)},"metadata":${metadataText(a.metadata)}}`
}

/** One entity; `withIdType` false for `GET /v2/entities/{id}/attrs`. */
export function entityText(v: EntityView, mode: RenderMode, withIdType = true): string {
  if (mode === 'values' || mode === 'unique') {
    const seen = new Set<string>()
    const items: string[] = []
    for (const a of v.attrs) {
      const t = toJsonText(a.value)
      if (mode === 'unique') {
        if (seen.has(t)) continue
        seen.add(t)
      }
      items.push(t)
    }
    return '[' + items.join(',') + ']'
  }
  const members: Array<[string, string]> = []
  if (withIdType) members.push(['id', toJsonText(v.id)], ['type', toJsonText(v.type)])
  for (const a of v.attrs) members.push([a.name, mode === 'keyValues' ? toJsonText(a.value) : attributeText(a)])
  return objectText(members)
}

export function entitiesText(views: EntityView[], mode: RenderMode): string {
  return '[' + views.map((v) => entityText(v, mode)).join(',') + ']'
}
