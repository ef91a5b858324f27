import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import type { Logger } from '../log/logger'
import { lazySchemaController } from '../net/schema-compilers'
import { CygnusBadRequest, notificationPoints, readNotificationHeaders } from './cygnus-notification'
import type { HistoryStore } from './store'

/** The Cygnus release whose answers these APIs give (docs/compatibility/cygnus.md §1). */
export const CYGNUS_VERSION = '3.17.0'
/** Largest notification accepted (docs/compatibility/cygnus.md §2, a deviation: Cygnus has no limit). */
export const MAX_NOTIFICATION = 1024 * 1024
/** Cygnus's notification target (its `notification_target`). */
const TARGET = '/notify'

const methods: Array<'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS' | 'HEAD'> = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD']

/** Jetty's error page, as Cygnus's HTTP source answers a refused notification. */
function jettyError(reply: FastifyReply, status: number, reason: string): FastifyReply {
  const esc = reason.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  const path = reply.request.url.split('?')[0]!.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  const page = `<html>\n<head>\n<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1"/>\n<title>Error ${status} ${esc}</title>\n</head>\n<body><h2>HTTP ERROR ${status}</h2>\n<p>Problem accessing ${path}. Reason:\n<pre>    ${esc}</pre></p><hr/><i><small>Powered by Jetty://</small></i>\n</body>\n</html>\n`
  return reply.code(status).header('Content-Type', 'text/html; charset=iso-8859-1').send(page)
}

export interface CygnusAppDeps {
  store: HistoryStore
  logger: Logger
}

/**
 * Cygnus's notification port (docs/compatibility/cygnus.md §2): NGSI notifications on POST /notify
 * become points of the history store; the answer, an empty 200, is sent once the points are on
 * disk (one group commit for many notifications). Refusals as Cygnus's HTTP source gives them:
 * 400 with "Bad request from client. <reason>".
 */
export function createCygnusApp(deps: CygnusAppDeps): FastifyInstance {
  const log = deps.logger.child('cygnus')
  const app = Fastify({ bodyLimit: MAX_NOTIFICATION, schemaController: lazySchemaController })
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body))

  const handle = async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const receivedAt = Date.now()
    try {
      const headers = readNotificationHeaders(req.headers)
      if (req.method !== 'POST') throw new CygnusBadRequest(`${req.method} method not supported`)
      const target = req.url.split('?')[0]!
      if (target !== TARGET) throw new CygnusBadRequest(`${target} target not supported, ${TARGET} expected.`)
      if (!headers.hasContentType) throw new CygnusBadRequest("Missing content type. Required 'application/json; charset=utf-8'")
      const text = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : ''
      if (text.length === 0) throw new CygnusBadRequest('No content in the request')
      let body: unknown
      try {
        body = JSON.parse(text)
      } catch (err) {
        // Cygnus logs a parse error and fails with a 500; a client error is told as one here (§2, deviations).
        throw new CygnusBadRequest(`the notification is not valid JSON (${(err as Error).message})`)
      }
      const points = notificationPoints(body, headers, receivedAt)
      deps.store.append(points)
      await deps.store.durable()
      if (log.enabled('DEBUG')) log.debug('NOTIFY', `${points.length} points of ${headers.service}${headers.servicePath}`)
      return reply.code(200).send()
    } catch (err) {
      if (err instanceof CygnusBadRequest) {
        log.warn('NOTIFY-BAD', `Bad HTTP notification (${err.message})`)
        return jettyError(reply, 400, `Bad request from client. ${err.message}`)
      }
      throw err
    }
  }

  app.route({ method: methods, url: '*', handler: handle })
  app.setNotFoundHandler(handle)
  app.setErrorHandler((err: Error & { code?: string; statusCode?: number }, req, reply) => {
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return jettyError(reply, 413, `notification larger than ${MAX_NOTIFICATION} bytes`)
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return jettyError(reply, 400, `Bad request from client. ${err.message}`)
    log.error('HTTP-500', `${req.method} ${req.url} failed: ${err.message}`, { stack: err.stack })
    return jettyError(reply, 500, 'Deal with unknown exception.')
  })
  return app
}

/**
 * Cygnus's management API (docs/compatibility/cygnus.md §3): GET /v1/version; every other request
 * is "<method> <path> not found" as Cygnus answers the ones it does not know.
 */
export function createCygnusApiApp(version: string): FastifyInstance {
  const app = Fastify({ schemaController: lazySchemaController })
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body))
  const handle = async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const uri = req.url.split('?')[0]!
    if (req.method === 'GET' && uri === '/v1/version') {
      return reply.code(200).header('Content-Type', 'application/json; charset=utf-8').send(`${JSON.stringify({ success: 'true', version: `${CYGNUS_VERSION}.${version}` })}\n`)
    }
    return reply.code(404).header('Content-Type', 'text/html;charset=utf-8').send(`${req.method} ${uri} not found\n`)
  }
  app.route({ method: methods, url: '*', handler: handle })
  app.setNotFoundHandler(handle)
  // The body never matters here: a body Fastify cannot take (a malformed Content-Type) gets the same answer as any other.
  app.setErrorHandler((_err, req, reply) => handle(req, reply))
  return app
}
