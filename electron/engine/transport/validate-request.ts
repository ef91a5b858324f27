/**
 * The one gate every request of the GUI passes, whatever the transport (Electron IPC or the
 * WebSocket of `serve` mode): the name must be one of the contract's requests and the arguments
 * must match its schema, before the engine sees them. Engine errors are reported the way the HTTP
 * APIs name them (DUPLICATE_DEVICE_ID, NotFound…), as data.
 */
import { Compile } from 'typebox/compile'
import { RequestSchemas, type ApiErrorDto, type EngineApi, type RequestName } from '../../../shared/contract'
import { toApiError } from '../api'

/** Problems listed in a BAD_REQUEST message; the rest are left out (the first ones are what a person fixes first). */
const MAX_PROBLEMS = 3

type Checker = ReturnType<typeof Compile>

/** Each schema is compiled once, the first time its request is made. */
const checkers = new Map<RequestName, Checker>()

function checker(name: RequestName): Checker {
  let c = checkers.get(name)
  if (!c) {
    const compiled: Checker = Compile(RequestSchemas[name])
    checkers.set(name, (c = compiled))
  }
  return c
}

export function isRequestName(name: unknown): name is RequestName {
  return typeof name === 'string' && Object.hasOwn(RequestSchemas, name)
}

export function badRequest(message: string): ApiErrorDto {
  return { name: 'BAD_REQUEST', message, status: 400 }
}

/** Quotes a value a client sent, shortened: it ends up in a message shown to a person. */
function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value)
  return JSON.stringify(text.length > 64 ? `${text.slice(0, 64)}…` : text)
}

interface SchemaProblem {
  keyword: string
  instancePath: string
  message: string
  params?: Record<string, unknown>
}

/** `<JSON pointer> <reason>`, e.g. `/scope/servicePath must match pattern "^/"`. */
function describe(problem: SchemaProblem): string {
  const where = problem.instancePath || '/'
  const extra = problem.params?.additionalProperties
  if (problem.keyword === 'additionalProperties' && Array.isArray(extra)) return `${where} must not have additional properties (${extra.join(', ')})`
  return `${where} ${problem.message}`
}

export type ValidatedRequest = { ok: true; name: RequestName; args: unknown } | { ok: false; error: ApiErrorDto }

/** Checks a request's name and arguments against the contract. */
export function validateRequest(name: unknown, args: unknown): ValidatedRequest {
  if (!isRequestName(name)) {
    const what = typeof name === 'string' ? `unknown request ${shown(name)}` : 'request name missing or not a string'
    return { ok: false, error: badRequest(what) }
  }
  const check = checker(name)
  if (check.Check(args)) return { ok: true, name, args }
  const problems = (check.Errors(args) as SchemaProblem[])
    // 'boolean' repeats an additionalProperties problem ("schema is false"), 'anyOf' sums up its branches.
    .filter((p) => p.keyword !== 'boolean' && p.keyword !== 'anyOf')
    .slice(0, MAX_PROBLEMS)
    .map(describe)
  return { ok: false, error: badRequest(`invalid arguments for ${name}: ${problems.join('; ') || 'they do not match the contract'}`) }
}

export type RequestOutcome = { ok: true; result: unknown } | { ok: false; error: ApiErrorDto }

/**
 * Validates, then calls the engine API. Never throws: a refused request or an engine error comes
 * back as `{ ok: false, error }`.
 */
export async function dispatchRequest(api: EngineApi, name: unknown, args: unknown): Promise<RequestOutcome> {
  const request = validateRequest(name, args)
  if (!request.ok) return request
  try {
    const call = api[request.name] as ((args: unknown) => Promise<unknown>) | undefined
    if (typeof call !== 'function') return { ok: false, error: { name: 'NOT_IMPLEMENTED', message: `${request.name} is not available in this engine`, status: 501 } }
    return { ok: true, result: await call.call(api, request.args) }
  } catch (err) {
    return { ok: false, error: toApiError(err) }
  }
}
