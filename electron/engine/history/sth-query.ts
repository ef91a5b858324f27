import { AGGR_PERIODS, type AggrPeriod } from './sth-aggregate'

/**
 * The checks STH-Comet makes on a history request, in its order and with its texts
 * (docs/compatibility/sth-comet.md §2): the tenant headers first, then each query parameter as
 * its Joi schema declares them (the first failure only), then unknown parameters, then the
 * combination of parameters the handler needs.
 */

/** STH-Comet's page limit (its default `maxPageSize`). */
export const MAX_PAGE_SIZE = 100

const AGGR_NAMES = '(min|max|sum|sum2|occur|all)'
const AGGR_METHOD = new RegExp(`^${AGGR_NAMES}(,${AGGR_NAMES})*$`)
const NUMBER = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/
const ALL_KEYS = ['lastN', 'hLimit', 'hOffset', 'filetype', 'aggrMethod', 'aggrPeriod', 'count']

export interface SthQuery {
  lastN?: number
  hLimit?: number
  hOffset?: number
  aggrMethod?: string
  aggrPeriod?: AggrPeriod
  dateFrom?: number
  dateTo?: number
  filetype?: string
  count?: boolean
}

/** What the request asks for, once valid. */
export type SthRequest =
  | { kind: 'raw'; service: string; servicePath: string; query: SthQuery }
  | { kind: 'aggregated'; service: string; servicePath: string; query: SthQuery & { aggrMethod: string; aggrPeriod: AggrPeriod } }

/** A 400 as hapi/boom writes it: the `validation` names where the error is. */
export interface SthBadRequest {
  kind: 'error'
  body: { statusCode: 400; error: 'Bad Request'; message: string; validation: { source: string; keys: string[] } }
}

const bad = (message: string, source: string, keys: string[]): SthBadRequest => ({
  kind: 'error',
  body: { statusCode: 400, error: 'Bad Request', message, validation: { source, keys } }
})

const child = (key: string, why: string): SthBadRequest => bad(`child "${key}" fails because ["${key}" ${why}]`, 'query', [key])

type Parsed<T> = { ok: true; value: T } | { ok: false; error: SthBadRequest }

/** Joi's `number().integer().greater(-1)`, numeric text converted. */
function count(key: string, raw: string): Parsed<number> {
  if (!NUMBER.test(raw)) return { ok: false, error: child(key, 'must be a number') }
  const n = Number(raw)
  if (!Number.isFinite(n)) return { ok: false, error: child(key, 'must be a number') }
  if (!Number.isInteger(n)) return { ok: false, error: child(key, 'must be an integer') }
  if (n <= -1) return { ok: false, error: child(key, 'must be greater than -1') }
  return { ok: true, value: n }
}

/** Joi's `date()`: milliseconds, or a text Date understands. */
function date(key: string, raw: string): Parsed<number> {
  const t = NUMBER.test(raw) ? Number(raw) : Date.parse(raw)
  if (!Number.isFinite(t) || Number.isNaN(new Date(t).getTime())) return { ok: false, error: child(key, 'must be a number of milliseconds or valid date string') }
  return { ok: true, value: t }
}

/**
 * Checks the headers and the query of a request to
 * `/STH/v1/contextEntities/type/{type}/id/{id}/attributes/{attr}` as STH-Comet does.
 */
export function parseSthRequest(headers: Record<string, string | string[] | undefined>, search: URLSearchParams): SthRequest | SthBadRequest {
  const header = (name: string): string => {
    const v = headers[name]
    return (Array.isArray(v) ? v[0] : v) ?? ''
  }
  const service = header('fiware-service')
  if (!service) return bad('child "fiware-service" fails because [fiware-service is required]', 'headers', [])
  const servicePath = header('fiware-servicepath')
  if (!servicePath) return bad('child "fiware-servicepath" fails because [fiware-servicepath is required]', 'headers', [])

  const q: SthQuery = {}
  const seen = new Set<string>()
  const one = (key: string): string | undefined => {
    seen.add(key)
    const all = search.getAll(key)
    return all.length ? all[0] : undefined
  }
  const repeated = (key: string): boolean => search.getAll(key).length > 1
  for (const key of ['lastN', 'hLimit', 'hOffset'] as const) {
    const raw = one(key)
    if (raw === undefined) continue
    if (repeated(key)) return child(key, 'must be a number')
    const n = count(key, raw)
    if (!n.ok) return n.error
    q[key] = n.value
  }
  const aggrMethod = one('aggrMethod')
  if (aggrMethod !== undefined) {
    if (repeated('aggrMethod')) return child('aggrMethod', 'must be a string')
    if (aggrMethod === '') return child('aggrMethod', 'is not allowed to be empty')
    if (!AGGR_METHOD.test(aggrMethod)) return child('aggrMethod', `with value "${aggrMethod}" fails to match the required pattern: ${AGGR_METHOD.toString()}`)
    q.aggrMethod = aggrMethod
  }
  const aggrPeriod = one('aggrPeriod')
  if (aggrPeriod !== undefined) {
    if (aggrPeriod === '') return child('aggrPeriod', 'is not allowed to be empty')
    if (repeated('aggrPeriod') || !(AGGR_PERIODS as readonly string[]).includes(aggrPeriod)) return child('aggrPeriod', `must be one of [${AGGR_PERIODS.join(', ')}]`)
    q.aggrPeriod = aggrPeriod as AggrPeriod
  }
  for (const key of ['dateFrom', 'dateTo'] as const) {
    const raw = one(key)
    if (raw === undefined) continue
    const d = date(key, repeated(key) ? '' : raw)
    if (!d.ok) return d.error
    q[key] = d.value
  }
  const filetype = one('filetype')
  if (filetype !== undefined) {
    if (repeated('filetype')) return child('filetype', 'must be a string')
    if (filetype === '') return child('filetype', 'is not allowed to be empty')
    q.filetype = filetype
  }
  const countRaw = one('count')
  if (countRaw !== undefined) {
    const v = countRaw.toLowerCase()
    if (repeated('count') || (v !== 'true' && v !== 'false')) return child('count', 'must be a boolean')
    q.count = v === 'true'
  }
  for (const key of search.keys()) if (!seen.has(key)) return bad(`"${key}" is not allowed`, 'query', [key])

  const has = (n: number | undefined): boolean => n !== undefined
  if (has(q.lastN) || (has(q.hLimit) && has(q.hOffset)) || q.filetype?.toLowerCase() === 'csv') {
    // STH-Comet checks only the values that are not 0 here (its `if (hLimit || lastN)`).
    const tooBig = (q.lastN && q.lastN > MAX_PAGE_SIZE) || (q.hLimit && q.hLimit > MAX_PAGE_SIZE) || (q.hLimit && q.lastN && q.hLimit > q.lastN)
    if (tooBig) return bad('hLimit <= lastN <= config.maxPageSize', 'query', ALL_KEYS)
    return { kind: 'raw', service, servicePath, query: q }
  }
  if (q.aggrMethod && q.aggrPeriod) return { kind: 'aggregated', service, servicePath, query: { ...q, aggrMethod: q.aggrMethod, aggrPeriod: q.aggrPeriod } }
  return bad('A combination of the following query params is required: lastN, hLimit and hOffset, filetype, or aggrMethod and aggrPeriod', 'query', ALL_KEYS)
}
