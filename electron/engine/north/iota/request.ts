import type { FastifyRequest } from 'fastify'
import Type from 'typebox'
import { Compile } from 'typebox/compile'
import type { Scope } from '../../context/types'
import { iotaErrors } from '../../registry/errors'
import type { Page } from '../../registry/types'

/** Reading a provisioning request: tenant headers, query parameters and bodies, each checked. */

const TENANT_HEADERS = ['fiware-service', 'fiware-servicepath'] as const

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name]
  return Array.isArray(v) ? v.join(', ') : v
}

/**
 * The tenant of a provisioning request. Both headers are mandatory; as in FIWARE only their
 * presence is checked here (an empty value is refused later where it matters).
 */
export function tenant(req: FastifyRequest): Scope {
  const missing = TENANT_HEADERS.filter((h) => header(req, h) === undefined)
  if (missing.length) throw iotaErrors.missingHeaders(missing)
  return { service: header(req, 'fiware-service') ?? '', servicePath: header(req, 'fiware-servicepath') ?? '' }
}

/** The tenant of a request forwarded by the context broker: Orion omits the headers for the defaults. */
export function forwardedTenant(req: FastifyRequest): Scope {
  return { service: (header(req, 'fiware-service') ?? '').toLowerCase(), servicePath: header(req, 'fiware-servicepath') || '/' }
}

type Query = Record<string, string | string[] | undefined>

/** A query parameter given at most once. */
export function queryParam(req: FastifyRequest, name: string): string | undefined {
  const v = (req.query as Query)[name]
  if (Array.isArray(v)) throw iotaErrors.wrongSyntax(`query parameter ${name} given more than once`)
  return v
}

/**
 * Query parameters that must be present (possibly empty: the seed's group has `resource=""`). FIWARE
 * answers their absence with MISSING_HEADERS too.
 */
export function requiredParams<const K extends string>(req: FastifyRequest, names: readonly K[]): Record<K, string> {
  const missing = names.filter((n) => queryParam(req, n) === undefined)
  if (missing.length) throw iotaErrors.missingHeaders(missing)
  return Object.fromEntries(names.map((n) => [n, queryParam(req, n)])) as Record<K, string>
}

/** `limit` and `offset`, non-negative integers. */
export function page(req: FastifyRequest): Page {
  const out: Page = {}
  for (const name of ['limit', 'offset'] as const) {
    const raw = queryParam(req, name)
    if (raw === undefined || raw === '') continue
    if (!/^\d{1,9}$/.test(raw)) throw iotaErrors.wrongSyntax(`${name} must be a non-negative integer`)
    out[name] = Number(raw)
  }
  return out
}

/** `application/json` or `application/<anything>+json`, with or without parameters. */
export function isJsonContentType(contentType: string | undefined): boolean {
  return contentType !== undefined && /^application\/([\w.-]+\+)?json\s*(;|$)/i.test(contentType)
}

/**
 * A checker for one body schema: returns the body typed, or throws `invalid(detail)` naming the
 * first problems found (JSON pointer and reason), which helps a trainee fix a request by hand.
 * The schema is compiled on the first check, not when the module loads: a dozen compiled at once
 * would slow every start.
 */
export function bodyChecker<T extends Type.TSchema>(
  schema: T,
  invalid: (detail: string) => Error = (d) => iotaErrors.wrongSyntax(d)
): (body: unknown) => Type.Static<T> {
  const compile = () => Compile(schema)
  let validator: ReturnType<typeof compile> | undefined
  return (body) => {
    const compiled = (validator ??= compile())
    if (compiled.Check(body)) return body
    if (body === undefined || body === null) throw invalid('Errors found validating request. The body is missing or is not JSON.')
    const reasons = compiled
      .Errors(body)
      .filter((e) => e.keyword !== 'boolean' && e.keyword !== 'anyOf')
      .slice(0, 3)
      .map((e) => `${e.instancePath || '/'} ${e.message}`)
    throw invalid(`Errors found validating request. ${reasons.join('; ')}`)
  }
}
