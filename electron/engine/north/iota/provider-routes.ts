import type { FastifyInstance, FastifyRequest } from 'fastify'
import Type from 'typebox'
import type { NotificationReceiver } from '../../agent/configuration-subscriptions'
import { ProviderError, type ContextProvider } from '../../agent/context-provider'
import { httpFrame } from '../../trace/frames'
import type { Tracer } from '../../trace/tracer'
import { bodyChecker, forwardedTenant, isJsonContentType } from './request'
import { ForwardedQueryBody, ForwardedUpdateBody } from './schemas'

/**
 * Orion builds the forwarding URL as `<path of the provider URL>/op/update`: with the provider URL
 * `http://host:4041` that is the literal path `//op/update`, which Fastify routes as written.
 */
const UPDATE_PATHS = ['/v2/op/update', '//op/update']
const QUERY_PATHS = ['/v2/op/query', '//op/query']
/** Where the context broker sends the notifications of the agent's subscriptions (the provider URL + `/notify`). */
const NOTIFY_PATH = '/notify'

/** Routes whose errors are answered in NGSI form `{error, description}`. */
export const PROVIDER_PATHS: ReadonlySet<string> = new Set([...UPDATE_PATHS, ...QUERY_PATHS, NOTIFY_PATH])

/** What the library's notification template requires: a subscription id and entities with an id. */
const NotificationBody = Type.Object({
  subscriptionId: Type.String(),
  data: Type.Array(Type.Object({ id: Type.String() }, { additionalProperties: true }))
})

const badRequest = (name: string) => (detail: string) => new ProviderError(400, name, detail)
const checkUpdate = bodyChecker(ForwardedUpdateBody, badRequest('BAD_REQUEST'))
const checkQuery = bodyChecker(ForwardedQueryBody, badRequest('BadRequest'))
const checkNotification = bodyChecker(NotificationBody, badRequest('BAD_REQUEST'))

/**
 * The provider-request hop of a forwarded update: in the trace of the context broker's request
 * when that broker is the embedded one (linked by the correlator it forwards, `<correlator>; cbfwd=<n>`),
 * else (an external Orion) the first hop of a new command trace.
 */
function traceForward(tracer: Tracer, req: FastifyRequest): { id: number | undefined; own: boolean } {
  const given = req.headers['fiware-correlator']
  const correlator = (Array.isArray(given) ? given[0] : given)?.split(';')[0]?.trim()
  const body = req.body === undefined ? undefined : JSON.stringify(req.body)
  const hop = { step: 'provider-request', request: httpFrame(req.method, req.url, req.headers, body) } as const
  const linked = correlator ? tracer.linked(correlator) : undefined
  if (linked !== undefined) {
    tracer.describe(linked, { kind: 'command' })
    tracer.hop(linked, hop)
    return { id: linked, own: false }
  }
  return { id: tracer.begin('command', hop), own: true }
}

function requireJson(req: FastifyRequest): void {
  const type = req.headers['content-type']
  if (!isJsonContentType(type)) {
    throw new ProviderError(400, 'UNSUPPORTED_CONTENT_TYPE', `Unsupported content type in the context request: ${type ?? 'none'}`)
  }
}

/**
 * The context-provider endpoints (docs/compatibility/iot-agent-ul.md §1.4): the context broker forwards command
 * updates and lazy-attribute queries of registered devices here; the work is the provider's.
 */
export function providerRoutes(app: FastifyInstance, provider: ContextProvider, notifications?: NotificationReceiver, tracer?: Tracer): void {
  for (const path of UPDATE_PATHS) {
    app.post(path, async (req, reply) => {
      const traced = tracer?.enabled ? traceForward(tracer, req) : undefined
      const trace = traced?.id
      try {
        requireJson(req)
        await provider.update(forwardedTenant(req), checkUpdate(req.body), trace)
      } catch (err) {
        if (trace !== undefined) {
          const e = err as Partial<ProviderError> & Error
          tracer!.hop(trace, { step: 'response', status: typeof e.status === 'number' ? e.status : 500, error: e.description ?? e.message })
        }
        throw err
      }
      // In a linked trace the context broker's `forwarded` hop tells the answer.
      if (traced?.own) tracer!.hop(trace, { step: 'response', status: 204 })
      return reply.code(204).send()
    })
  }
  for (const path of QUERY_PATHS) {
    app.post(path, async (req, reply) => {
      requireJson(req)
      const query = checkQuery(req.body)
      // The FIWARE agent answers one entity, given by id (Orion forwards one per registration).
      if (query.entities?.length !== 1) throw new ProviderError(400, 'BadRequest', 'query does not contain a single entity')
      if (query.entities[0]?.idPattern !== undefined) throw new ProviderError(400, 'BadRequest', 'idPattern usage in query')
      const entities = await provider.query(forwardedTenant(req), query)
      return reply.code(200).send(entities)
    })
  }
  if (notifications) {
    // docs/compatibility/iot-agent-ul.md §1.4, §3.5: notifications of the configuration subscriptions, answered 204.
    app.post(NOTIFY_PATH, async (req, reply) => {
      requireJson(req)
      await notifications.notify(forwardedTenant(req), checkNotification(req.body))
      return reply.code(204).send()
    })
  }
}
