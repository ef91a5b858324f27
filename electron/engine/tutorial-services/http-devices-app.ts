import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import type { SourceLogger } from '../log/logger'
import { lazySchemaController } from '../net/schema-compilers'
import { formatDeviceAnswer, METHOD_NOT_ALLOWED, parseDeviceCommand } from './http-device-commands'
import type { HttpDevices } from './http-devices'

/**
 * The HTTP side of the built-in dummy devices (docs/compatibility/tutorial-services.md §4.1): the
 * server the tutorials call `http://dummy-device:80`. Any path is a device (`POST /dht22`,
 * `POST /device1`); the tenant is the request's `fiware-service`/`fiware-servicepath`, as the
 * agents send them with every pushed command.
 */

export interface HttpDevicesAppOptions {
  devices: HttpDevices
  log: SourceLogger
}

/** A command request is one short line. */
const BODY_LIMIT = 16 * 1024

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name]
  return Array.isArray(v) ? v[0] : v
}

export function createHttpDevicesApp(opts: HttpDevicesAppOptions): FastifyInstance {
  const app = Fastify({ bodyLimit: BODY_LIMIT, schemaController: lazySchemaController })
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body))
  app.addHook('onClose', async () => opts.devices.close())

  const command = async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const path = req.url.split('?')[0]!
    const body = typeof req.body === 'string' ? req.body : ''
    const parsed = parseDeviceCommand(body, header(req, 'content-type'))
    if ('status' in parsed) return reply.code(parsed.status).send(parsed.body)
    // Orion and the agents send no service header for the default service.
    const service = (header(req, 'fiware-service') ?? '').toLowerCase()
    const servicePath = header(req, 'fiware-servicepath') || '/'
    const answer = opts.devices.command(service, servicePath, path, parsed)
    if ('status' in answer) return reply.code(answer.status).send(answer.body)
    opts.log.debug('HTTP-DEVICE-COMMAND', `${path} (${service || 'default service'} ${servicePath}): ${parsed.command} → ${answer.result}`)
    const { contentType, body: text } = formatDeviceAnswer(parsed, answer.result)
    return reply.code(200).type(contentType).send(text)
  }

  app.post('/*', command)
  // The tutorial device answers commands only; any other method is refused as it refuses an unknown command.
  app.setNotFoundHandler(async (_req, reply) => reply.code(METHOD_NOT_ALLOWED.status).header('allow', 'POST').send(METHOD_NOT_ALLOWED.body))
  app.setErrorHandler(async (err: Error & { code?: string; statusCode?: number }, req, reply) => {
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return reply.code(413).send({ error: 'RequestEntityTooLarge', description: `payload size too large, max size supported: ${BODY_LIMIT}` })
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return reply.code(400).send({ error: 'BadRequest', description: err.message })
    opts.log.error('HTTP-DEVICE-ERROR', `${req.method} ${req.url.slice(0, 200)}: ${err.message}`)
    return reply.code(500).send({ error: 'InternalServerError', description: 'internal error' })
  })
  return app
}
