import { isDateType, parseIsoDate } from '../datetime'
import { badRequest } from '../errors'
import type { StoredEntity } from '../model'

/**
 * `orderBy=a,!b,id,type,dateCreated,dateModified` (docs/compatibility/ngsi-v2.md §2.2). Values of different JSON types
 * sort in MongoDB's type order (missing/null, numbers and dates, strings, objects, arrays,
 * booleans); ties keep creation order (the sort is stable and input comes in creation order).
 */

interface SortKey {
  name: string
  descending: boolean
}

export function parseOrderBy(text: string): SortKey[] {
  // stringSplit semantics: leading commas are skipped.
  const tokens = text.replace(/^,+/, '').split(',')
  const seen = new Set<string>()
  const keys: SortKey[] = []
  for (const t of tokens) {
    const descending = t.startsWith('!')
    const name = descending ? t.slice(1) : t
    if (seen.has(name)) throw badRequest('duplicate orderBy token detected')
    seen.add(name)
    keys.push({ name, descending })
  }
  return keys
}

function rank(v: unknown): number {
  if (v === null || v === undefined) return 1
  if (typeof v === 'number') return 2
  if (typeof v === 'string') return 3
  if (Array.isArray(v)) return 5
  if (typeof v === 'object') return 4
  if (typeof v === 'boolean') return 8
  return 10
}

function sortValue(e: StoredEntity, key: string): unknown {
  switch (key) {
    case 'id':
      return e.id
    case 'type':
      return e.type
    case 'dateCreated':
      return e.creDate
    case 'dateModified':
      return e.modDate
  }
  const a = e.attrs.get(key)
  if (!a) return null
  if (isDateType(a.type) && typeof a.value === 'string') return parseIsoDate(a.value) ?? a.value
  return a.value
}

function compareValues(a: unknown, b: unknown): number {
  const ra = rank(a)
  const rb = rank(b)
  if (ra !== rb) return ra - rb
  if (typeof a === 'number' && typeof b === 'number') return a - b
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b)
  const ja = JSON.stringify(a)
  const jb = JSON.stringify(b)
  return ja < jb ? -1 : ja > jb ? 1 : 0
}

export function sortEntities(entities: StoredEntity[], keys: SortKey[]): StoredEntity[] {
  if (keys.length === 0) return entities
  return entities.sort((x, y) => {
    for (const k of keys) {
      const c = compareValues(sortValue(x, k.name), sortValue(y, k.name))
      if (c !== 0) return k.descending ? -c : c
    }
    return 0
  })
}
