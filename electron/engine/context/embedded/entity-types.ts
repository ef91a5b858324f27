import { checkPagination } from './entity-reads'
import type { EntityStore } from './entity-store'
import { notFound } from './errors'
import { objectText, toJsonText } from './json-text'
import { servicePathMatcher } from './scope'

/**
 * `GET /v2/types` and `GET /v2/types/{type}` (docs/compatibility/ngsi-v2.md §2.4; mongoQueryTypes.cpp): the entity types
 * of a tenant within the query's service paths, sorted by name, each with its attribute names
 * (sorted) and the attribute types seen for them (sorted), and its number of entities.
 */

export interface EntityTypeInfo {
  type: string
  attrs: Array<{ name: string; types: string[] }>
  count: number
}

export interface TypesOptions {
  limit?: number
  offset?: number
  /** `options=noAttrDetail`: attribute types are not collected (`"types": []`). */
  noAttrDetail?: boolean
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

function collect(store: EntityStore, tenant: string, paths: string[], only: string | undefined, noAttrDetail: boolean): EntityTypeInfo[] {
  const inPath = servicePathMatcher(paths)
  const types = new Map<string, { count: number; attrs: Map<string, Set<string>> }>()
  for (const e of store.entities(tenant)) {
    if ((only !== undefined && e.type !== only) || !inPath(e.servicePath)) continue
    let t = types.get(e.type)
    if (!t) {
      t = { count: 0, attrs: new Map() }
      types.set(e.type, t)
    }
    t.count++
    for (const [name, a] of e.attrs) {
      let set = t.attrs.get(name)
      if (!set) {
        set = new Set()
        t.attrs.set(name, set)
      }
      if (!noAttrDetail) set.add(a.type)
    }
  }
  return [...types]
    .sort(([a], [b]) => byText(a, b))
    .map(([type, t]) => ({
      type,
      count: t.count,
      attrs: [...t.attrs].sort(([a], [b]) => byText(a, b)).map(([name, set]) => ({ name, types: [...set].sort(byText) }))
    }))
}

export function listEntityTypes(store: EntityStore, tenant: string, paths: string[], opts: TypesOptions = {}): { types: EntityTypeInfo[]; count: number } {
  const { limit, offset } = checkPagination(opts.limit, opts.offset)
  const all = collect(store, tenant, paths, undefined, !!opts.noAttrDetail)
  return { types: all.slice(offset, offset + limit), count: all.length }
}

export function getEntityType(store: EntityStore, tenant: string, paths: string[], type: string, opts: TypesOptions = {}): EntityTypeInfo {
  const found = collect(store, tenant, paths, type, !!opts.noAttrDetail)[0]
  if (!found) throw notFound('Entity type not found')
  return found
}

function attrsText(t: EntityTypeInfo): string {
  return objectText(t.attrs.map((a) => [a.name, `{"types":${toJsonText(a.types)}}`]))
}

/** `{"attrs":{…},"count":n}`, with `"type"` first in lists. */
export function entityTypeText(t: EntityTypeInfo, withType: boolean): string {
  const members: Array<[string, string]> = withType ? [['type', toJsonText(t.type)]] : []
  members.push(['attrs', attrsText(t)], ['count', String(t.count)])
  return objectText(members)
}

/** The list, or (`options=values`) just the type names. */
export function entityTypesText(types: EntityTypeInfo[], namesOnly: boolean): string {
  return namesOnly ? toJsonText(types.map((t) => t.type)) : '[' + types.map((t) => entityTypeText(t, true)).join(',') + ']'
}
