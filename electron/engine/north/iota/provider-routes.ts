import type { FastifyInstance, FastifyRequest } from 'fastify'
import Type from 'typebox'
import type { NotificationReceiver } from '../../agent/configuration-subscriptions'
import { ProviderError, type ContextProvider } from '../../agent/context-provider'
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
export function providerRoutes(app: FastifyInstance, provider: ContextProvider, notifications?: NotificationReceiver): void {
  for (const path of UPDATE_PATHS) {
    app.post(path, async (req, reply) => {
      requireJson(req)
      await provider.update(forwardedTenant(req), checkUpdate(req.body))
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
