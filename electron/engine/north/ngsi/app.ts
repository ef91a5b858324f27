import { randomUUID } from 'node:crypto'
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import type { EmbeddedContextBroker } from '../../context/embedded/broker'
import { NgsiError } from '../../context/types'
import type { Logger } from '../../log/logger'
import { lazySchemaController } from '../../net/schema-compilers'
import { httpFrame } from '../../trace/frames'
import type { Tracer } from '../../trace/tracer'
import { observeRequests, type RequestObservers } from '../request-observer'
import { corsHeaders, preflight, type CorsConfig } from './cors'
import { errorReply, sendReply as sendPlain, type NgsiReply } from './reply'
import { MAX_PAYLOAD, readRequest } from './request'
import { dispatch, type HandlerContext } from './router'
import { ROUTES } from './routes'

export interface NgsiAppDeps {
  broker: EmbeddedContextBroker
  logger: Logger
  /** Records a trace of each write request while someone watches (its forwards to context providers are hops). */
  tracer?: Tracer
  /** Hears of each answered request while a started lesson watches them (docs/lessons.md). */
  requests?: RequestObservers
  /** CORS as Orion's -corsOrigin / -corsMaxAge; off when absent or without origin. */
  cors?: CorsConfig
}

const CORRELATOR = Symbol('ngsi.correlator')

type WithCorrelator = FastifyRequest & { [CORRELATOR]?: string }

/** Requests that may change entities (and be forwarded to a context provider, a command): the ones traced. */
const WRITES: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** Begins the trace of a write request; its correlator links the forwards made for it. */
function traceRequest(tracer: Tracer, req: FastifyRequest, body: Buffer | undefined, correlator: string): number | undefined {
  const m = /^\/v2\/entities\/([^/?]+)/.exec(req.url)
  let entityId: string | undefined
  try {
    entityId = m ? decodeURIComponent(m[1]!) : undefined
  } catch {
    entityId = m?.[1]
  }
  const first = { step: 'request', request: httpFrame(req.method, req.url, req.headers, body) } as const
  const id = tracer.begin('request', entityId === undefined ? first : { ...first, entityId }, entityId === undefined ? undefined : { entityId })
  tracer.link(correlator, id)
  return id
}

/** Invalid percent escapes would make the router reject the URL; Orion keeps them literally. */
function escapeStrayPercent(url: string): string {
  return url.replace(/%(?![0-9a-fA-F]{2})/g, '%25')
}

/**
 * The NGSI-v2 HTTP API (Orion 4.x compatible, docs/compatibility/ngsi-v2.md §1.1). Fastify only transports: one
 * catch-all route hands every request, with its raw payload, to Orion's checks and service
 * table, so that status codes, error texts and their precedence are Orion's.
 */
export function createNgsiApp(deps: NgsiAppDeps): FastifyInstance {
  const log = deps.logger.child('ngsi')
  const ctx: HandlerContext = { broker: deps.broker, log, startedAt: Date.now() }
  const app = Fastify({
    bodyLimit: MAX_PAYLOAD,
    schemaController: lazySchemaController,
    rewriteUrl: (req) => escapeStrayPercent(req.url ?? '/'),
    // A percent escape that is not UTF-8 (`%C0`): a 400 BadRequest in Orion's format, not Fastify's own
    // body (docs/compatibility/ngsi-v2.md, Deviations).
    frameworkErrors: (err, _req, reply) => {
      void (reply as FastifyReply).code(400).header('Content-Type', 'application/json').send(JSON.stringify({ error: 'BadRequest', description: err.message }))
    }
  })
  // Every answer goes through here, for the CORS headers Orion adds in restReply.
  const sendReply = (reply: FastifyReply, answer: NgsiReply): FastifyReply => {
    const req = reply.request
    const origin = req.headers.origin
    const cors = corsHeaders(deps.cors, req.method, req.url, origin, answer.status)
    return sendPlain(reply, cors.length ? { ...answer, headers: [...(answer.headers ?? []), ...cors] } : answer)
  }

  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body))
  observeRequests(app, 'ngsi', deps.requests)

  // Every answer carries Fiware-Correlator: the client's one, or a new UUID.
  app.addHook('onRequest', async (req, reply) => {
    const given = req.headers['fiware-correlator']
    const correlator = (Array.isArray(given) ? given[0] : given) || randomUUID()
    ;(req as WithCorrelator)[CORRELATOR] = correlator
    reply.raw.setHeader('Fiware-Correlator', correlator)
  })

  const handle = async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const correlator = (req as WithCorrelator)[CORRELATOR] ?? randomUUID()
    const body = Buffer.isBuffer(req.body) ? req.body : undefined
    const request = readRequest(req.method, req.url, req.headers, body, correlator)
    if (request instanceof NgsiError) return sendReply(reply, errorReply(request))
    const pre = preflight(deps.cors, req.method, req.url, req.headers.origin)
    if (pre) return sendReply(reply, pre)
    const trace = deps.tracer?.enabled && WRITES.has(req.method) ? traceRequest(deps.tracer, req, body, correlator) : undefined
    const answer = await dispatch(ROUTES, request, ctx)
    if (trace !== undefined) deps.tracer!.hop(trace, { step: 'response', status: answer.status })
    if (log.enabled('DEBUG')) log.debug('HTTP', `${req.method} ${req.url} -> ${answer.status}`, { correlator })
    return sendReply(reply, answer)
  }

  app.route({ method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'], url: '*', handler: handle })
  app.setNotFoundHandler(handle)

  app.setErrorHandler((err: Error & { code?: string; statusCode?: number }, req, reply) => {
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const declared = Number(req.headers['content-length'])
      const size = Number.isFinite(declared) && declared > 0 ? declared : MAX_PAYLOAD + 1
      return sendReply(reply, errorReply(new NgsiError(413, 'RequestEntityTooLarge', `payload size: ${size}, max size supported: ${MAX_PAYLOAD}`)))
    }
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      const type = String(req.headers['content-type'] ?? '').split(';')[0]
      return sendReply(reply, errorReply(new NgsiError(415, 'UnsupportedMediaType', `not supported content type: ${type}`)))
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return sendReply(reply, errorReply(new NgsiError(400, 'BadRequest', err.message)))
    }
    log.error('HTTP-500', `${req.method} ${req.url} failed: ${err.message}`, { stack: err.stack })
    return sendReply(reply, errorReply(new NgsiError(500, 'InternalServerError', err.message)))
  })

  return app
}
