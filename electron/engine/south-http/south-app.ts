import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify'

/**
 * One agent's part of the HTTP south port (docs/compatibility/iot-agent-ul.md §3.7): the
 * UltraLight agent's `/iot/d`, the JSON agent's `/iot/json`. A binding adds its routes to the
 * shared app; bodies reach it as raw text, and it checks the content type it speaks itself.
 */
export interface SouthBinding {
  /** For logs, e.g. 'UltraLight'. */
  readonly name: string
  /** Adds the binding's routes; called once, before the app is served. */
  register(app: FastifyInstance): void
}

export interface SouthAppOptions {
  /** Largest accepted body in bytes (FIWARE IOTA_EXPRESS_LIMIT). */
  bodyLimit: number
}

/**
 * The agents' HTTP south port (FIWARE IOTA_HTTP_PORT, 7896), where devices send measures and
 * fetch or answer commands. Serve it with `serveHttp`. Errors are FIWARE's `{name, message}`.
 */
export function createSouthApp(bindings: readonly SouthBinding[], options: SouthAppOptions): FastifyInstance {
  const app = Fastify({
    bodyLimit: options.bodyLimit,
    routerOptions: { ignoreTrailingSlash: true },
    frameworkErrors: (err, _req, reply) => {
      void (reply as FastifyReply).code(400).send({ name: 'BAD_REQUEST', message: err.message })
    }
  })
  // Every body arrives as text: each binding decides which content types it accepts (as iotagent-ul's 415-free 400 UNSUPPORTED_TYPE).
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body))
  app.setErrorHandler((err: FastifyError, _req, reply) => {
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500
    const name = status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST'
    void reply.code(status).send({ name, message: err.message })
  })
  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).send({ name: 'NOT_FOUND', message: `Cannot ${req.method} ${req.url.split('?')[0]}` })
  })
  for (const b of bindings) b.register(app)
  return app
}
