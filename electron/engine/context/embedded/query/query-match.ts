import { isDateType, parseIsoDate } from '../datetime'
import type { StoredAttribute, StoredEntity } from '../model'
import type { UserPattern } from '../../../user-pattern/user-pattern'
import type { QueryStatement, QueryValue, ScalarKind } from './simple-query'

/**
 * Evaluates parsed q/mq statements against an entity with the semantics of the MongoDB filters
 * Orion builds (StringFilter::mongoFilterPopulate): typed comparisons (`S==123` matches the
 * number, `S=='123'` the string), any element of an array may match, an entity lacking the
 * target never matches a binary statement (also for `!=`), DateTime values compare as dates.
 */

/** A date leaf (DateTime attributes and builtins). */
class DateLeaf {
  constructor(readonly ms: number) {}
}

type Leaf = unknown

/** Values reached by a path, MongoDB style: array elements are traversed. */
function descend(values: Leaf[], path: string[]): Leaf[] {
  let current = values
  for (const key of path) {
    const next: Leaf[] = []
    for (const v of current) {
      if (Array.isArray(v)) {
        if (/^\d+$/.test(key) && Number(key) < v.length) next.push(v[Number(key)])
        for (const item of v) {
          if (typeof item === 'object' && item !== null && !Array.isArray(item) && key in item) {
            next.push((item as Record<string, unknown>)[key])
          }
        }
      } else if (typeof v === 'object' && v !== null && !(v instanceof DateLeaf) && key in v) {
        next.push((v as Record<string, unknown>)[key])
      }
    }
    current = next
  }
  return current
}

function attributeLeaf(a: { type: string; value: unknown }): Leaf {
  if (isDateType(a.type) && typeof a.value === 'string') {
    const ms = parseIsoDate(a.value)
    if (ms !== null) return new DateLeaf(ms)
  }
  return a.value
}

/** The values a statement looks at; [] when the entity lacks them. */
function targets(st: QueryStatement, e: StoredEntity, mq: boolean): Leaf[] {
  const attr: StoredAttribute | undefined = e.attrs.get(st.attr)
  if (!mq) {
    if (st.path.length === 0) {
      if (st.attr === 'dateCreated') return [new DateLeaf(e.creDate)]
      if (st.attr === 'dateModified') return [new DateLeaf(e.modDate)]
      if (st.attr === 'servicePath') return [e.servicePath]
    }
    if (!attr) return []
    const root = attributeLeaf(attr)
    return st.path.length === 0 ? [root] : descend([root], st.path)
  }
  if (!attr) return []
  if (st.path.length === 0 && st.metadata === 'dateCreated') return [new DateLeaf(attr.creDate)]
  if (st.path.length === 0 && st.metadata === 'dateModified') return [new DateLeaf(attr.modDate)]
  const md = attr.metadata?.get(st.metadata)
  if (!md) return []
  const root = attributeLeaf(md)
  return st.path.length === 0 ? [root] : descend([root], st.path)
}

/** A leaf and, for arrays, their elements (how MongoDB matches scalars against arrays). */
function expand(values: Leaf[]): Leaf[] {
  const out: Leaf[] = []
  for (const v of values) {
    out.push(v)
    if (Array.isArray(v)) out.push(...(v as Leaf[]))
  }
  return out
}

function scalarOf(v: Leaf, of: ScalarKind): number | string | undefined {
  if (of === 'date') return v instanceof DateLeaf ? v.ms : undefined
  if (of === 'number') return typeof v === 'number' ? v : undefined
  return typeof v === 'string' ? v : undefined
}

function equalsAny(leaves: Leaf[], value: QueryValue): boolean {
  switch (value.kind) {
    case 'string':
    case 'number':
    case 'date':
      return leaves.some((v) => scalarOf(v, value.kind) === value.value)
    case 'bool':
      return leaves.some((v) => v === value.value)
    case 'null':
      return leaves.some((v) => v === null)
    case 'range':
      return leaves.some((v) => {
        const s = scalarOf(v, value.of)
        return s !== undefined && s >= value.from && s <= value.to
      })
    case 'list':
      return leaves.some((v) => {
        if (v === null) return value.hasNull
        const s = scalarOf(v, value.of)
        return s !== undefined && value.values.includes(s)
      })
    default:
      return false
  }
}

function compareAny(leaves: Leaf[], value: QueryValue, test: (a: number | string, b: number | string) => boolean): boolean {
  if (value.kind !== 'string' && value.kind !== 'number' && value.kind !== 'date') return false
  return leaves.some((v) => {
    const s = scalarOf(v, value.kind)
    return s !== undefined && test(s, value.value)
  })
}

export function matchesStatement(st: QueryStatement, e: StoredEntity, mq: boolean): boolean {
  if (st.op === 'exists' || st.op === 'notExists') {
    // A plain q existence test looks at attribute names only (builtins are not attributes).
    const present = !mq && st.path.length === 0 ? e.attrs.has(st.attr) : targets(st, e, mq).length > 0
    return st.op === 'exists' ? present : !present
  }
  const found = targets(st, e, mq)
  if (found.length === 0) return false
  const leaves = expand(found)
  switch (st.op) {
    case 'eq':
      return equalsAny(leaves, st.value)
    case 'ne':
      return !equalsAny(leaves, st.value)
    case 'gt':
      return compareAny(leaves, st.value, (a, b) => a > b)
    case 'ge':
      return compareAny(leaves, st.value, (a, b) => a >= b)
    case 'lt':
      return compareAny(leaves, st.value, (a, b) => a < b)
    case 'le':
      return compareAny(leaves, st.value, (a, b) => a <= b)
    case 'match':
      return st.value.kind === 'regex' && leaves.some((v) => typeof v === 'string' && (st.value as { regex: UserPattern }).regex.test(v))
  }
}

export function matchesAll(statements: QueryStatement[], e: StoredEntity, mq: boolean): boolean {
  for (const st of statements) if (!matchesStatement(st, e, mq)) return false
  return true
}
