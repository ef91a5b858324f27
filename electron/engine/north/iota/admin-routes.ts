import type { FastifyInstance } from 'fastify'
import type { LogLevel } from '../../config/types'
import type { Logger } from '../../log/logger'
import { queryParam } from './request'

/**
 * The versions of the FIWARE components whose API this one follows (iotagent-node-lib and
 * iotagent-ul), reported by `/iot/about` as the real agent reports its own.
 */
export const FIWARE_LIB_VERSION = '4.14.0'
export const FIWARE_AGENT_VERSION = '3.7.0'

const LEVELS: Record<string, LogLevel> = { DEBUG: 'DEBUG', INFO: 'INFO', WARN: 'WARN', WARNING: 'WARN', ERROR: 'ERROR', FATAL: 'FATAL' }

/** `/iot/about`, `/version`, `/ready` and `/admin/log` (spec iot-agent-ul.md §1.5). */
export function adminRoutes(app: FastifyInstance, logger: Logger, northPort: () => number): void {
  const about = async (): Promise<Record<string, unknown>> => ({
    libVersion: FIWARE_LIB_VERSION,
    port: northPort(),
    baseRoot: '/',
    version: FIWARE_AGENT_VERSION
  })
  app.get('/iot/about', about)
  app.get('/version', about)

  // The app is only served once the engine has started, so being reachable means ready.
  app.get('/ready', async () => ({}))

  app.put('/admin/log', async (req, reply) => {
    const raw = queryParam(req, 'level')
    if (!raw) return reply.code(400).send({ error: 'log level missing' })
    const level = LEVELS[raw.toUpperCase()]
    if (!level) return reply.code(400).send({ error: 'invalid log level' })
    logger.level = level
    return reply.code(200).send('')
  })

  app.get('/admin/log', async () => ({ level: logger.level }))
}
