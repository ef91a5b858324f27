import type { FastifyInstance } from 'fastify'
import { parseLogLevel } from '../../config/load'
import type { SettingsStore } from '../../config/settings-store'
import { PRODUCT_NAME, PRODUCT_VERSION } from '../../version'
import { queryParam } from './request'

/**
 * The versions of the FIWARE components whose API this one follows (iotagent-node-lib and
 * iotagent-ul), reported by `/iot/about` as the real agent reports its own.
 */
export const FIWARE_LIB_VERSION = '4.14.0'
export const FIWARE_AGENT_VERSION = '3.7.0'
/** The iotagent-json release whose behaviour the JSON agent follows (docs/compatibility/iot-agent-json.md §1). */
export const FIWARE_JSON_AGENT_VERSION = '3.14.0'

/**
 * `/iot/about`, `/version`, `/ready` and `/admin/log` (docs/compatibility/iot-agent-ul.md §1.5).
 * The about body has FIWARE's fields, which clients read, and one of ours: `product`, naming this
 * application and its version.
 */
export function adminRoutes(app: FastifyInstance, settings: SettingsStore, northPort: () => number, agentVersion = FIWARE_AGENT_VERSION): void {
  const about = async (): Promise<Record<string, unknown>> => ({
    libVersion: FIWARE_LIB_VERSION,
    port: northPort(),
    baseRoot: '/',
    version: agentVersion,
    product: { name: PRODUCT_NAME, version: PRODUCT_VERSION }
  })
  app.get('/iot/about', about)
  app.get('/version', about)

  // The app is only served once the engine has started, so being reachable means ready.
  app.get('/ready', async () => ({}))

  app.put('/admin/log', async (req, reply) => {
    const raw = queryParam(req, 'level')
    if (!raw) return reply.code(400).send({ error: 'log level missing' })
    const level = parseLogLevel(raw)
    if (!level) return reply.code(400).send({ error: 'invalid log level' })
    // Through the settings store: the logger follows it, and the settings page shows the new level.
    settings.setLogLevel(level, 'admin-api')
    return reply.code(200).send('')
  })

  app.get('/admin/log', async () => ({ level: settings.config.logLevel }))
}
