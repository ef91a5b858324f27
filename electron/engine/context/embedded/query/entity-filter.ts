import { compileUserPattern, patternErrorDescription, type UserPattern } from '../../../user-pattern/user-pattern'
import { badRequest } from '../errors'
import type { StoredEntity } from '../model'
import { servicePathMatcher } from '../scope'
import { compileGeoQuery, parseGeoQuery, type GeoPredicate } from './geo-filter'
import { matchesAll } from './query-match'
import { parseSimpleQuery, type QueryStatement } from './simple-query'

/**
 * The entity selection of `GET /v2/entities` and `POST /v2/op/query`: ids/types or their
 * patterns (or a list of such specs, OR-ed), service paths, q, mq and a geographical filter.
 * Every criterion is one predicate; all of them are AND-ed.
 */

/** One item of `entities` in `POST /v2/op/query`; an absent type means any type. */
export interface EntitySpecFilter {
  id?: string
  idPattern?: string
  type?: string
  typePattern?: string
}

export interface EntitySelector {
  /** Exact ids (a comma list in the URL). */
  ids?: string[]
  /** Unanchored regular expression (JavaScript syntax, run in linear time: user-pattern.ts). */
  idPattern?: string
  types?: string[]
  typePattern?: string
  q?: string
  mq?: string
  /** `POST /v2/op/query` entities (OR-ed); used instead of ids/types and their patterns. */
  entities?: EntitySpecFilter[]
  /** Geographical filter (URI parameter rules: geometry and coords go together). */
  georel?: string
  geometry?: string
  coords?: string
  /** Deprecated `attributes` of `POST /v2/op/query`: the entity must have one of them. */
  withAnyAttr?: string[]
}

export interface CompiledFilter {
  /** True when the entity satisfies every criterion. */
  test(entity: StoredEntity): boolean
  /** Whether an entity known only by id and type (e.g. from a provider) passes the id/type part. */
  testIdType(id: string, type: string | undefined): boolean
  statements: { q: QueryStatement[]; mq: QueryStatement[] }
  /** The geographical predicate, if any (its `distance` serves orderBy=geo:distance). */
  geo: GeoPredicate | null
}

/** A pattern of the selector, or Orion's 400 (with the reason when only the linear-time engine refuses it). */
export function compileEntityPattern(pattern: string, what: 'idPattern' | 'typePattern'): UserPattern {
  const compiled = compileUserPattern(pattern)
  if (!compiled.ok) throw badRequest(patternErrorDescription(`Invalid regex for entity ${what}`, compiled.problem))
  return compiled.pattern
}

/** getEntities.cpp: the geo parameters of a URL, checked and compiled. */
function compileGeo(selector: EntitySelector): GeoPredicate | null {
  const { georel, geometry, coords } = selector
  if (coords !== undefined && geometry === undefined) throw badRequest('Invalid query: URI param /coords/ used without /geometry/')
  if (geometry !== undefined && coords === undefined) throw badRequest('Invalid query: URI param /geometry/ used without /coords/')
  if (georel !== undefined && geometry === undefined) throw badRequest('Invalid query: URI param /georel/ used without /geometry/')
  if (geometry === undefined || coords === undefined) return null
  const q = parseGeoQuery(georel, geometry, coords)
  if (typeof q === 'string') throw badRequest(`Invalid query: ${q}`)
  return compileGeoQuery(q)
}

interface CompiledSpec {
  id: string | undefined
  idRe: UserPattern | null
  type: string | undefined
  typeRe: UserPattern | null
}

function compileSpecs(specs: EntitySpecFilter[]): CompiledSpec[] {
  return specs.map((s) => ({
    id: s.id,
    idRe: s.idPattern !== undefined ? compileEntityPattern(s.idPattern, 'idPattern') : null,
    type: s.type,
    typeRe: s.typePattern !== undefined ? compileEntityPattern(s.typePattern, 'typePattern') : null
  }))
}

function specMatches(s: CompiledSpec, id: string, type: string | undefined): boolean {
  if (s.id !== undefined && s.id !== id) return false
  if (s.idRe && !s.idRe.test(id)) return false
  if (s.type !== undefined && s.type !== type) return false
  if (s.typeRe && (type === undefined || !s.typeRe.test(type))) return false
  return true
}

/** Validates and compiles the selector; errors are Orion's 400 answers. */
export function compileEntityFilter(selector: EntitySelector, servicePaths: string[]): CompiledFilter {
  if (selector.ids && selector.idPattern !== undefined) throw badRequest('Incompatible parameters: id, IdPattern')
  if (selector.types && selector.typePattern !== undefined) throw badRequest('Incompatible parameters: type, typePattern')
  const ids = selector.ids ? new Set(selector.ids) : null
  const types = selector.types ? new Set(selector.types) : null
  const idRe = selector.idPattern !== undefined ? compileEntityPattern(selector.idPattern, 'idPattern') : null
  const typeRe = selector.typePattern !== undefined ? compileEntityPattern(selector.typePattern, 'typePattern') : null
  // Orion checks the geo parameters before parsing q and mq.
  const geo = compileGeo(selector)
  const q = selector.q !== undefined ? parseSimpleQuery(selector.q, 'q') : []
  const mq = selector.mq !== undefined ? parseSimpleQuery(selector.mq, 'mq') : []
  const inPath = servicePathMatcher(servicePaths)
  const specs = selector.entities ? compileSpecs(selector.entities) : null
  const anyAttr = selector.withAnyAttr && selector.withAnyAttr.length > 0 && !selector.withAnyAttr.includes('*') ? selector.withAnyAttr : null

  const testIdType = (id: string, type: string | undefined): boolean => {
    if (specs && !specs.some((s) => specMatches(s, id, type))) return false
    if (ids && !ids.has(id)) return false
    if (idRe && !idRe.test(id)) return false
    if (types && (type === undefined || !types.has(type))) return false
    if (typeRe && (type === undefined || !typeRe.test(type))) return false
    return true
  }

  return {
    statements: { q, mq },
    geo,
    testIdType,
    test(e) {
      if (!testIdType(e.id, e.type) || !inPath(e.servicePath)) return false
      if (anyAttr && !anyAttr.some((a) => e.attrs.has(a))) return false
      if (q.length > 0 && !matchesAll(q, e, false)) return false
      if (mq.length > 0 && !matchesAll(mq, e, true)) return false
      if (geo && !geo.test(e)) return false
      return true
    }
  }
}
