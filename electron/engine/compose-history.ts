import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import type { Teardown } from './compose-teardown'
import type { EngineConfig } from './config/types'
import { createCygnusApiApp, createCygnusApp } from './history/cygnus-app'
import { JournaledHistoryStore } from './history/journaled-store'
import { createSthApp } from './history/sth-app'
import type { HistoryStore } from './history/store'
import type { Logger } from './log/logger'
import type { HostGuard } from './net/host-guard'
import type { HttpHostCheck, HttpService } from './north/http-service'
import { PRODUCT_VERSION } from './version'

/** The built-in history: the store, Cygnus's two ports and STH-Comet's API. */
export interface HistorySide {
  readonly store: HistoryStore
  /** Cygnus's notification port (`cygnus:5050/notify`); none when its port is taken. */
  readonly cygnus: HttpService | undefined
  /** Cygnus's management API (`/v1/version`); none when its port is taken. */
  readonly cygnusApi: HttpService | undefined
  /** STH-Comet's API; none when its port is taken. */
  readonly sth: HttpService | undefined
}

export interface HistoryServing {
  hostGuard: HostGuard
  /** The text of a refused Host. */
  notAllowed: (host: string) => string
  /** Serves an app on the configured hosts and puts its close in the teardown. */
  serve: (app: FastifyInstance, port: number, what: string, hostCheck: HttpHostCheck) => Promise<HttpService>
}

/** How often the retention by age runs. */
const PRUNE_INTERVAL_MS = 60_000

/**
 * Opens the history store (`<dataDir>/history/points.log`) and serves the Cygnus-compatible sink,
 * its management API and the STH-Comet-compatible API (docs/compatibility/cygnus.md,
 * docs/compatibility/sth-comet.md). The store closes after the three servers. A port already in
 * use (a real Cygnus or STH-Comet running beside) does not stop the engine: that listener is left
 * out with a warning, as the tutorials' other services (compose-tutorial.ts).
 */
export async function openHistory(config: EngineConfig, logger: Logger, teardown: Teardown, serving: HistoryServing): Promise<HistorySide> {
  const log = logger.child('history')
  const { store, notice } = await JournaledHistoryStore.open({
    filename: join(config.dataDir, 'history', 'points.log'),
    limits: config.history,
    flushIntervalMs: config.persistence.flushIntervalMs,
    commitDelayMs: config.persistence.commitDelayMs,
    pruneIntervalMs: PRUNE_INTERVAL_MS,
    onError: (err) => log.error('HISTORY-WRITE', `the history could not be written: ${err.message}`)
  })
  teardown.defer('history store', () => store.close())
  if (notice) log.warn('HISTORY-TORN', notice)
  const { hostGuard, notAllowed, serve } = serving
  const sthCheck: HttpHostCheck = { guard: hostGuard, refusal: (host) => ({ status: 400, body: { statusCode: '400', error: 'Bad Request', message: notAllowed(host) } }) }
  const cygnusCheck: HttpHostCheck = { guard: hostGuard, refusal: (host) => ({ status: 400, body: { error: 'BadRequest', description: notAllowed(host) } }) }
  const optional = async (app: FastifyInstance, port: number, what: string, check: HttpHostCheck, flag: string): Promise<HttpService | undefined> => {
    try {
      return await serve(app, port, what, check)
    } catch (err) {
      if ((err as Error & { cause?: NodeJS.ErrnoException }).cause?.code !== 'EADDRINUSE') throw err
      await app.close()
      logger.write('WARN', 'engine', 'LISTEN_SKIPPED', `${(err as Error).message}; the built-in ${what} is off (choose another port with --${flag})`)
      return undefined
    }
  }
  const cygnus = await optional(createCygnusApp({ store, logger }), config.ports.cygnus, 'Cygnus notifications', cygnusCheck, 'cygnus-port')
  const cygnusApi = await optional(createCygnusApiApp(PRODUCT_VERSION), config.ports.cygnusApi, 'Cygnus management API', cygnusCheck, 'cygnus-api-port')
  const sth = await optional(createSthApp({ store, logger }), config.ports.sth, 'STH-Comet API', sthCheck, 'sth-port')
  return { store, cygnus, cygnusApi, sth }
}
