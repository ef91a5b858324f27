import { randomUUID } from 'node:crypto'
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import type { Logger } from '../log/logger'
import { lazySchemaController } from '../net/schema-compilers'
import { aggregate, aggrFunctions } from './sth-aggregate'
import { parseSthRequest, type SthQuery } from './sth-query'
import type { HistoryStore, SeriesKey, StoredPoint } from './store'

/** The STH-Comet release whose answers this API gives (docs/compatibility/sth-comet.md §1). */
export const STH_COMET_VERSION = '2.11.0'

const DATA_PATH = /^\/STH\/v1\/contextEntities\/type\/([^/]+)\/id\/([^/]+)\/attributes\/([^/]+)$/

export interface SthAppDeps {
  store: HistoryStore
  logger: Logger
}

/** STH-Comet's NGSI v1 answer around `values` (its getNGSIPayload). */
function ngsiPayload(key: SeriesKey, values: unknown[]): unknown {
  return {
    contextResponses: [
      {
        contextElement: { attributes: [{ name: key.attrName, values }], id: key.entityId, isPattern: false, type: key.entityType },
        statusCode: { code: '200', reasonPhrase: 'OK' }
      }
    ]
  }
}

const rawValue = (p: StoredPoint): unknown => ({ recvTime: new Date(p.recvTime).toISOString(), attrType: p.attrType, attrValue: p.attrValue })

/**
 * Raw points as STH-Comet selects them (its getRawData): lastN, the newest N in ascending order
 * (0: all); hOffset/hLimit, a page from the oldest (a limit of 0: no limit); neither, all.
 */
function rawPoints(store: HistoryStore, key: SeriesKey, q: SthQuery): { points: StoredPoint[]; total: number } {
  const range = { from: q.dateFrom, to: q.dateTo }
  const total = store.count(key, range)
  if (q.lastN) return { points: store.read(key, range, { offset: Math.max(0, total - q.lastN) }), total }
  if (q.hOffset || q.hLimit) return { points: store.read(key, range, { offset: q.hOffset ?? 0, limit: q.hLimit || undefined }), total }
  return { points: store.read(key, range), total }
}

function decode(s: string): string | undefined {
  try {
    return decodeURIComponent(s)
  } catch {
    return undefined
  }
}

/**
 * The STH-Comet API (docs/compatibility/sth-comet.md §2–§4) over the history store: `/version`
 * and the raw and aggregated data of an attribute, with STH-Comet's checks, answers and errors.
 */
export function createSthApp(deps: SthAppDeps): FastifyInstance {
  const log = deps.logger.child('sth')
  const app = Fastify({ schemaController: lazySchemaController })
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body))

  const send = (reply: FastifyReply, status: number, body: unknown, correlator?: string): FastifyReply => {
    if (correlator) void reply.header('Fiware-Correlator', correlator)
    return reply.code(status).header('Content-Type', 'application/json; charset=utf-8').send(JSON.stringify(body))
  }

  const handle = async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const url = new URL(req.url, 'http://sth')
    const given = req.headers['fiware-correlator']
    const correlator = (Array.isArray(given) ? given[0] : given) || randomUUID()
    const get = req.method === 'GET' || req.method === 'HEAD'
    if (get && url.pathname === '/version') return send(reply, 200, { version: STH_COMET_VERSION })
    const m = get ? DATA_PATH.exec(url.pathname) : null
    const parts = m ? [decode(m[1]!), decode(m[2]!), decode(m[3]!)] : []
    if (!m || parts.some((p) => p === undefined)) return send(reply, 404, { statusCode: 404, error: 'Not Found' }, correlator)
    const parsed = parseSthRequest(req.headers, url.searchParams)
    if (parsed.kind === 'error') return send(reply, 400, parsed.body)
    const [entityType, entityId, attrName] = parts as [string, string, string]
    const key: SeriesKey = { service: parsed.service, servicePath: parsed.servicePath, entityType, entityId, attrName }
    if (parsed.kind === 'aggregated') {
      const q = parsed.query
      const groups = aggregate(deps.store, key, aggrFunctions(q.aggrMethod), q.aggrPeriod, q.dateFrom, q.dateTo)
      return send(reply, 200, ngsiPayload(key, groups), correlator)
    }
    const { points, total } = rawPoints(deps.store, key, parsed.query)
    if (parsed.query.count) void reply.header('Fiware-Total-Count', String(total))
    if (log.enabled('DEBUG')) log.debug('HTTP', `${req.method} ${req.url} -> ${points.length} points`, { correlator })
    return send(reply, 200, ngsiPayload(key, points.map(rawValue)), correlator)
  }

  app.route({ method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'], url: '*', handler: handle })
  app.setNotFoundHandler(handle)
  app.setErrorHandler((err: Error & { statusCode?: number }, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500
    if (status === 500) log.error('HTTP-500', `${req.method} ${req.url} failed: ${err.message}`, { stack: err.stack })
    return send(reply, status, { statusCode: status, error: status === 500 ? 'Internal Server Error' : 'Bad Request', message: err.message })
  })
  return app
}
