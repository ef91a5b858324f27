import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import type { SourceLogger } from '../log/logger'
import { lazySchemaController } from '../net/schema-compilers'

/**
 * Tutorial 4's context provider, built in (docs/compatibility/tutorial-services.md §1): the
 * random-data provider the tutorial registers as `http://context-provider:5000`. It answers
 * `GET /health` with one random reading, and the NGSI-v2 query a context broker forwards to a
 * registered provider (`POST <provider URL path>/op/query`, which Orion builds as `//op/query`
 * for a URL without path) with random `temperature` and `relativeHumidity` for each entity asked
 * about. It keeps no state.
 */

export interface ContextProviderOptions {
  log: SourceLogger
  /** Random numbers in [0, 1) (default Math.random). */
  random?: () => number
}

/** A JSON body as a buffer: sent with `Content-Type: application/json` exactly (Flask's), which Fastify would extend with a charset for a string. */
const json = (body: unknown): Buffer => Buffer.from(JSON.stringify(body))

/** The attributes the provider knows. */
const PROVIDED: readonly string[] = ['relativeHumidity', 'temperature']

/** Query bodies are small; a larger one is refused (413) before it is read. */
const BODY_LIMIT = 64 * 1024

type ErrorBody = { error: string; description: string }

const PARSE_ERROR: ErrorBody = { error: 'ParseError', description: 'Errors found in incoming JSON buffer' }

function badRequest(description: string): ErrorBody {
  return { error: 'BadRequest', description }
}

interface QueryEntity {
  id?: string
  idPattern?: string
  type?: string
}

/** The entities and attributes of a query body, or the error to answer. */
export function parseQuery(raw: unknown): { entities: QueryEntity[]; attrs: string[] } | ErrorBody {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return badRequest('not a JSON object')
  const body = raw as Record<string, unknown>
  if (!Array.isArray(body.entities) || body.entities.length === 0) return badRequest('/entities/ must be a non-empty array')
  const entities: QueryEntity[] = []
  for (const e of body.entities as unknown[]) {
    if (typeof e !== 'object' || e === null || Array.isArray(e)) return badRequest('an entity is not a JSON object')
    const { id, idPattern, type } = e as Record<string, unknown>
    if (id !== undefined && typeof id !== 'string') return badRequest('entity id must be a string')
    if (idPattern !== undefined && typeof idPattern !== 'string') return badRequest('entity idPattern must be a string')
    if (type !== undefined && typeof type !== 'string') return badRequest('entity type must be a string')
    if (id === undefined && idPattern === undefined) return badRequest('entity without id or idPattern')
    entities.push({ ...(id !== undefined ? { id } : {}), ...(idPattern !== undefined ? { idPattern } : {}), ...(type !== undefined ? { type } : {}) })
  }
  let attrs: string[] = []
  if (body.attrs !== undefined) {
    if (!Array.isArray(body.attrs) || body.attrs.some((a) => typeof a !== 'string')) return badRequest('/attrs/ must be an array of strings')
    attrs = body.attrs as string[]
  }
  return { entities, attrs }
}

export function createContextProviderApp(opts: ContextProviderOptions): FastifyInstance {
  const random = opts.random ?? Math.random
  // As the seed's provider: whole numbers, temperature 10–40 °C, relative humidity 0–100 %.
  const between = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1))
  const valueOf = (attr: string): number => (attr === 'temperature' ? between(10, 40) : between(0, 100))
  const app = Fastify({ bodyLimit: BODY_LIMIT, schemaController: lazySchemaController })
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body))

  // The seed's provider answers its health check with one random reading.
  const health = async (_req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> =>
    reply.code(200).header('content-type', 'application/json').send(json({ 'relative humidity': valueOf('relativeHumidity'), temperature: valueOf('temperature') }))

  /** The provider's answer to a query: each entity asked about, with the attributes asked for that it provides. */
  const query = async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    let raw: unknown
    try {
      raw = JSON.parse(typeof req.body === 'string' ? req.body : '')
    } catch {
      return reply.code(400).send(PARSE_ERROR)
    }
    const q = parseQuery(raw)
    if ('error' in q) return reply.code(400).send(q)
    // No attrs (a registration without attrs forwards `"attrs":[]`): everything the path provides.
    const wanted = q.attrs.length === 0 ? PROVIDED : q.attrs.filter((a) => PROVIDED.includes(a))
    // Keys in sorted order, as the seed's provider writes them (its JSON encoder sorts keys).
    const answer = q.entities.map((e) => {
      const entity: Record<string, unknown> = { id: e.id ?? e.idPattern }
      for (const a of [...wanted].sort()) entity[a] = { type: 'Number', value: valueOf(a) }
      if (e.type !== undefined) entity.type = e.type
      return entity
    })
    opts.log.debug('CP-QUERY', `${req.url}: ${answer.length} entities, attributes ${wanted.join(', ') || 'none'}`)
    return reply.code(200).header('content-type', 'application/json').send(json(answer))
  }

  app.get('/health', health)
  // `http://context-provider:5000` registered without path: Orion asks `//op/query`.
  app.post('/op/query', query)
  app.post('//op/query', query)

  const notFound = async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> =>
    reply.code(404).send({ error: 'NotFound', description: `no such resource: ${req.method} ${req.url.split('?')[0]!.slice(0, 200)}` })
  app.setNotFoundHandler(notFound)
  app.setErrorHandler(async (err: Error & { code?: string; statusCode?: number }, req, reply) => {
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return reply.code(413).send({ error: 'RequestEntityTooLarge', description: `payload size too large, max size supported: ${BODY_LIMIT}` })
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return reply.code(400).send(badRequest(err.message))
    opts.log.error('CP-ERROR', `${req.method} ${req.url}: ${err.message}`)
    return reply.code(500).send({ error: 'InternalServerError', description: 'internal error' })
  })
  return app
}
