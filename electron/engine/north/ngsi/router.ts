import type { EmbeddedContextBroker } from '../../context/embedded/broker'
import { parseJson } from '../../context/embedded/entity-json'
import { checkTenant } from '../../context/embedded/scope'
import { NgsiError } from '../../context/types'
import type { SourceLogger } from '../../log/logger'
import { badRequestReply, errorReply, type NgsiReply } from './reply'
import type { NgsiRequest } from './request'

/**
 * Orion's service table (orionRestServices.cpp): path patterns with `*` components, the
 * methods each supports and the `Allow` header of its 405 answer. Unknown paths get Orion's
 * 400 "Service not found"; a known path with another method gets 405.
 */

export interface HandlerContext {
  broker: EmbeddedContextBroker
  log: SourceLogger
  startedAt: number
}

/** What a handler receives: the request, its tenant, the parsed payload and the `*` components. */
export interface Call {
  req: NgsiRequest
  tenant: string
  /** JSON payload (parsed), or the raw text of a `text/plain` value payload; undefined without payload. */
  body: unknown
  args: string[]
  ctx: HandlerContext
}

export type Handler = (call: Call) => Promise<NgsiReply> | NgsiReply

export interface RouteMethod {
  handler: Handler
  /** `json`: JSON only (text/plain → 415); `value`: JSON or text/plain; absent: no payload expected. */
  payload?: 'json' | 'value'
  /** The error for a payload that is not JSON, when the route's parser answers another one than ParseError. */
  invalidJson?: () => NgsiError
}

export interface Route {
  pattern: string[]
  allow: string
  methods: Partial<Record<string, RouteMethod>>
}

function matches(pattern: string[], components: string[]): string[] | null {
  if (pattern.length !== components.length) return null
  const args: string[] = []
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === '*') args.push(components[i]!)
    else if (pattern[i] !== components[i]) return null
  }
  return args
}

function parsePayload(req: NgsiRequest, { payload: kind, invalidJson }: RouteMethod): unknown {
  if (!req.body || kind === undefined) return undefined
  const text = req.body.toString('utf8')
  if (req.contentType === 'text/plain') {
    if (kind === 'value') return text
    throw new NgsiError(415, 'UnsupportedMediaType', 'not supported content type: text/plain')
  }
  if (!invalidJson) return parseJson(text)
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw invalidJson()
  }
}

/** Entity routes report empty ids/names before the service lookup (compErrorDetect). */
function emptyComponentError(c: string[]): string | null {
  if (c[0] !== 'v2' || c[1] !== 'entities' || c[3] !== 'attrs') return null
  if (c.length === 4 || c.length === 5 || (c.length === 6 && c[5] === 'value')) {
    if (c[2] === '') return 'entity id length: 0, min length supported: 1'
    if (c.length > 4 && c[4] === '') return 'attribute name length: 0, min length supported: 1'
  }
  return null
}

export async function dispatch(routes: Route[], req: NgsiRequest, ctx: HandlerContext): Promise<NgsiReply> {
  if (req.path === '') return badRequestReply("The Orion Context Broker is a REST service, not a 'web page'")
  const empty = emptyComponentError(req.components)
  if (empty) return badRequestReply(empty)
  let allow: string | null = null
  for (const route of routes) {
    const args = matches(route.pattern, req.components)
    if (!args) continue
    const method = route.methods[req.method]
    if (!method) {
      allow ??= route.allow
      continue
    }
    try {
      const body = parsePayload(req, method)
      const tenant = checkTenant(req.serviceHeader)
      return await method.handler({ req, tenant, body, args, ctx })
    } catch (err) {
      if (err instanceof NgsiError) return errorReply(err)
      throw err
    }
  }
  if (allow) return errorReply(new NgsiError(405, 'MethodNotAllowed', 'method not allowed'), [['Allow', allow]])
  return badRequestReply('Service not found. Check your URL as probably it is wrong.')
}
