import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import type { NotificationReceiver } from '../../agent/configuration-subscriptions'
import { ProviderError, type ContextProvider } from '../../agent/context-provider'
import type { Provisioning } from '../../agent/provisioning'
import type { SettingsStore } from '../../config/settings-store'
import type { Logger, SourceLogger } from '../../log/logger'
import { lazySchemaController } from '../../net/schema-compilers'
import { iotaErrors } from '../../registry/errors'
import type { Registry } from '../../registry/registry'
import { IotaError } from '../../registry/types'
import type { Tracer } from '../../trace/tracer'
import { observeRequests, type RequestObservers } from '../request-observer'
import { adminRoutes } from './admin-routes'
import { deviceRoutes } from './device-routes'
import { groupRoutes } from './group-routes'
import { PROVIDER_PATHS, providerRoutes } from './provider-routes'

export interface NorthDeps {
  provisioning: Provisioning
  registry: Registry
  provider: ContextProvider
  /** `POST /notify` (configuration subscriptions); without it the route does not exist. */
  notifications?: NotificationReceiver
  logger: Logger
  /** The engine's settings: `/admin/log` changes the log level through them. */
  settings: SettingsStore
  /** The port the north API listens on, reported by `/iot/about`. */
  northPort: () => number
  /** The FIWARE agent release `/iot/about` reports (iotagent-ul's by default). */
  agentVersion?: string
  /** Largest accepted body in bytes (FIWARE IOTA_EXPRESS_LIMIT). */
  bodyLimit: number
  /** Records the provider requests of commands while someone watches traces. */
  tracer?: Tracer
  /** Hears of each answered request while a started lesson watches them (docs/lessons.md). */
  requests?: RequestObservers
}

/**
 * The IoT Agent's north HTTP API (docs/compatibility/iot-agent-ul.md §1): provisioning of groups and devices,
 * the context-provider endpoints the context broker forwards commands to, and the about, ready and
 * log-level endpoints. Serve it with `serveHttp`.
 *
 * Every client mistake is a 4xx with FIWARE's `{name, message}` (`{error, description}` on the
 * context-provider endpoints, as the real agent answers there); nothing a client sends makes it
 * answer 500 or stop serving.
 */
export function createNorthApp(deps: NorthDeps): FastifyInstance {
  const app = Fastify({
    bodyLimit: deps.bodyLimit,
    schemaController: lazySchemaController,
    // Express (FIWARE's server) accepts a trailing slash; device ids may be long.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1024 },
    // A URL the router cannot decode (`%C0`) or an over-long id: a FIWARE 400, not Fastify's own
    // error body (the reference answers 500 URIError; docs/compatibility/iot-agent-ul.md, Deviations).
    frameworkErrors: (err, _req, reply) => {
      void (reply as FastifyReply).code(400).send({ name: 'BAD_REQUEST', message: err.message })
    }
  })
  const log = deps.logger.child('north')
  installBodyParsers(app)
  observeRequests(app, 'north', deps.requests)
  app.setErrorHandler((err: FastifyError, req, reply) => answerError(err, req, reply, log))
  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).send({ name: 'NOT_FOUND', message: `Cannot ${req.method} ${req.url.split('?')[0]}` })
  })
  groupRoutes(app, deps.provisioning)
  deviceRoutes(app, deps.provisioning)
  providerRoutes(app, deps.provider, deps.notifications, deps.tracer)
  adminRoutes(app, deps.settings, deps.northPort, deps.agentVersion)
  return app
}

/**
 * JSON for `application/json` and `application/*+json`, as FIWARE's body-parser; an empty JSON body
 * is no body. Other content types are read and ignored (the body is then missing, which the schema
 * refuses), so a wrong content type is a FIWARE error rather than Fastify's 415. Malformed JSON is a
 * 400 WRONG_SYNTAX (FIWARE answers 500 SyntaxError).
 */
function installBodyParsers(app: FastifyInstance): void {
  const json = app.getDefaultJsonParser('remove', 'remove')
  app.removeAllContentTypeParsers()
  const parseJson = (req: FastifyRequest, body: string | Buffer, done: (err: Error | null, body?: unknown) => void): void => {
    const text = body.toString()
    if (text.trim() === '') return done(null, undefined)
    void json(req, text, (err, value) => (err ? done(iotaErrors.wrongSyntax('the body is not valid JSON'), undefined) : done(null, value)))
  }
  app.addContentTypeParser('application/json', { parseAs: 'string' }, parseJson)
  app.addContentTypeParser(/^application\/[\w.-]+\+json/i, { parseAs: 'string' }, parseJson)
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, _body, done) => done(null, undefined))
}

function answerError(err: FastifyError | Error, req: FastifyRequest, reply: FastifyReply, log: SourceLogger): void {
  const { status, name, message } = classify(err)
  if (status >= 500) log.error('NORTH-ERROR', `${req.method} ${req.url}: ${name}: ${message}`)
  else log.debug('NORTH-REFUSED', `${req.method} ${req.url}: ${status} ${name}`)
  if (PROVIDER_PATHS.has(req.routeOptions.url ?? '')) {
    // The context-provider endpoints answer in NGSI form, without the characters Orion forbids.
    void reply.code(status).send({ error: name, description: message.replace(/[<>"'=;()]/g, '') })
  } else {
    void reply.code(status).send({ name, message })
  }
}

function classify(err: FastifyError | Error): { status: number; name: string; message: string } {
  if (err instanceof IotaError) return { status: err.status, name: err.name, message: err.message }
  if (err instanceof ProviderError) return { status: err.status, name: err.error, message: err.description }
  const status = (err as FastifyError).statusCode
  if (status === 413) return { status, name: 'PAYLOAD_TOO_LARGE', message: 'The request body is larger than the configured limit' }
  if (status !== undefined && status >= 400 && status < 500) return { status, name: 'BAD_REQUEST', message: err.message }
  return { status: 500, name: 'INTERNAL_ERROR', message: err.message }
}
