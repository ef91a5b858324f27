import { badRequest } from '../errors'
import type { StoredEntity } from '../model'
import { servicePathMatcher } from '../scope'
import { matchesAll } from './query-match'
import { parseSimpleQuery, type QueryStatement } from './simple-query'

/**
 * The entity selection of `GET /v2/entities` (and, in phase 2, of `POST /v2/op/query` and
 * subscriptions): ids/types or their patterns, service paths, q and mq. Every criterion is one
 * predicate; geographical filters are one more predicate to add to `compileEntityFilter`.
 */

export interface EntitySelector {
  /** Exact ids (a comma list in the URL). */
  ids?: string[]
  /** Unanchored regular expression (POSIX ERE as JavaScript RegExp). */
  idPattern?: string
  types?: string[]
  typePattern?: string
  q?: string
  mq?: string
}

export interface CompiledFilter {
  /** True when the entity satisfies every criterion. */
  test(entity: StoredEntity): boolean
  /** Whether an entity known only by id and type (e.g. from a provider) passes the id/type part. */
  testIdType(id: string, type: string | undefined): boolean
  statements: { q: QueryStatement[]; mq: QueryStatement[] }
}

function compilePattern(pattern: string, what: 'idPattern' | 'typePattern'): RegExp {
  try {
    return new RegExp(pattern)
  } catch {
    throw badRequest(`Invalid regex for entity ${what}`)
  }
}

/** Validates and compiles the selector; errors are Orion's 400 answers. */
export function compileEntityFilter(selector: EntitySelector, servicePaths: string[]): CompiledFilter {
  if (selector.ids && selector.idPattern !== undefined) throw badRequest('Incompatible parameters: id, IdPattern')
  if (selector.types && selector.typePattern !== undefined) throw badRequest('Incompatible parameters: type, typePattern')
  const ids = selector.ids ? new Set(selector.ids) : null
  const types = selector.types ? new Set(selector.types) : null
  const idRe = selector.idPattern !== undefined ? compilePattern(selector.idPattern, 'idPattern') : null
  const typeRe = selector.typePattern !== undefined ? compilePattern(selector.typePattern, 'typePattern') : null
  const q = selector.q !== undefined ? parseSimpleQuery(selector.q, 'q') : []
  const mq = selector.mq !== undefined ? parseSimpleQuery(selector.mq, 'mq') : []
  const inPath = servicePathMatcher(servicePaths)

  const testIdType = (id: string, type: string | undefined): boolean => {
    if (ids && !ids.has(id)) return false
    if (idRe && !idRe.test(id)) return false
    if (types && (type === undefined || !types.has(type))) return false
    if (typeRe && (type === undefined || !typeRe.test(type))) return false
    return true
  }

  return {
    statements: { q, mq },
    testIdType,
    test(e) {
      if (!testIdType(e.id, e.type) || !inPath(e.servicePath)) return false
      if (q.length > 0 && !matchesAll(q, e, false)) return false
      if (mq.length > 0 && !matchesAll(mq, e, true)) return false
      return true
    }
  }
}
