import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { EffectiveDevice } from '../agent/effective-device'
import { IDENTITY_URL, pushCommand, type RewriteUrl } from '../agent/http-command-push'
import type { AgentOutcome } from '../agent/measure-ingest'
import { jsonProtocol, type DecodedGroup } from '../agent-protocol'
import * as json from '../json'
import { parseJsonText, resolveLimits } from '../json/bounded-json'
import type { SouthBinding } from './south-app'
import { beginTrace, durable, ingestMeasures, ingestOrThrow, mediaType, resolveDevice, SouthError, southParams, type SouthBindingDeps } from './south-request'

/** iotagent-json's measure path (its IOTA_DEFAULT_RESOURCE default, and the tutorials'). */
export const JSON_HTTP_PATH = '/iot/json'

/** What a POST may carry (docs/compatibility/iot-agent-json.md §4.1; SOAP/XML is not supported here). */
const UNSUPPORTED_TYPE = "The request content didn't have the expected type [application/json, text/plain, application/octet-stream ]"

/** What answers a configuration request (the JSON agent's Southbound). */
export interface ConfigurationSource {
  configurationValues(dev: EffectiveDevice, attributes: string[]): Promise<Array<[string, unknown]>>
  subscribe(dev: EffectiveDevice, attributes: string[]): void
}

/** `defaultResource`: the JSON agent's IOTA_DEFAULT_RESOURCE, read once; the path is `it || /iot/json`. */
export interface JsonHttpDeps extends SouthBindingDeps {
  /** `POST <path>/configuration`; without it the route does not exist. */
  configuration?: ConfigurationSource
  /** Where a request to a device's endpoint really goes (the tutorial host names); default: unchanged. */
  rewriteUrl?: RewriteUrl
}

/** A device's answer to the configuration push must come within this time. */
const CONFIGURATION_PUSH_TIMEOUT_MS = 10_000

type BodyKind = 'json' | 'text' | 'binary'

/** The body's kind by its Content-Type, as the reference's type check reads it; undefined: refused. */
function bodyKind(type: string | undefined): BodyKind | undefined {
  const t = mediaType(type)
  if (t === undefined) return undefined
  if (t === 'application/json' || /^application\/[\w.-]+\+json$/.test(t)) return 'json'
  if (t === 'text/plain') return 'text'
  if (t === 'application/octet-stream') return 'binary'
  return undefined
}

/** Whether the client takes a JSON answer (Express `req.accepts('json')`; no Accept header: yes). */
export function acceptsJson(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true
  return accept.split(',').some((part) => {
    const [range, ...params] = part.split(';').map((p) => p.trim().toLowerCase())
    if (params.some((p) => /^q=0(\.0*)?$/.test(p))) return false
    return range === 'application/json' || range === 'application/*' || range === '*/*' || (range !== undefined && range.endsWith('+json'))
  })
}

/**
 * JSON over HTTP (docs/compatibility/iot-agent-json.md §4): on the shared south port, under the JSON
 * agent's path,
 * - `GET <path>?k=&i=&d=<json>[&t=][&getCmd=1]` and `POST <path>?k=&i=[&t=][&getCmd=1]` with a JSON
 *   body (an object, or an array of objects for a multi-measure): measures, and polling;
 * - `POST <path>/attrs/<attribute>?k=&i=`: one attribute (JSON, text or bytes);
 * - `POST <path>/commands?k=&i=`: results of polled commands, `{"<cmd>": <result>}`.
 * Everything goes through the JSON agent's measure pipeline, as its MQTT messages; the 200 is sent
 * once the update is durable: `{}` (or the queued commands), as JSON when the client accepts it.
 */
export function jsonHttpBinding(deps: JsonHttpDeps): SouthBinding {
  const path = deps.defaultResource || JSON_HTTP_PATH
  return {
    name: 'JSON',
    register(app: FastifyInstance) {
      // Bytes stay bytes for the single-attribute route (their hex is the value, §4.3).
      app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_req, body, done) => done(null, body))
      const route =
        (kind: Route) =>
        (req: FastifyRequest, reply: FastifyReply): Promise<void> =>
          handle(deps, path, kind, req, reply)
      app.get(path, route('measures'))
      app.post(path, route('measures'))
      app.post(`${path}/attrs/:attribute`, route('attribute'))
      app.post(`${path}/commands`, route('commands'))
      const configuration = deps.configuration
      if (configuration) app.post(`${path}/configuration`, (req, reply) => configurationRequest(deps, configuration, path, req, reply))
    }
  }
}

type Route = 'measures' | 'attribute' | 'commands'

async function handle(deps: JsonHttpDeps, path: string, route: Route, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const started = performance.now()
  const processing = (): string => String(Math.round(performance.now() - started))
  try {
    const polled = await southRequest(deps, path, route, req)
    const body = polled ?? '{}'
    if (acceptsJson(req.headers.accept)) void reply.code(200).header('X-Processing-Time', processing()).type('application/json; charset=utf-8').send(body)
    // As iotagent-json: without JSON in Accept, nothing to say is an empty text, commands are their JSON text.
    else void reply.code(200).header('X-Processing-Time', processing()).type(polled === undefined ? 'text/plain; charset=utf-8' : 'text/html; charset=utf-8').send(polled ?? '')
  } catch (err) {
    const e = err instanceof SouthError ? err : new SouthError(500, 'INTERNAL_ERROR', (err as Error).message)
    void reply.code(e.status).header('X-Processing-Time', processing()).send({ name: e.name, message: e.message })
  }
}

/** A decoder's PARSE_ERROR as the south port's 400 (deviation: the reference answers SyntaxError, §4.1). */
function decode<T>(read: () => T): T {
  try {
    return read()
  } catch (err) {
    if (jsonProtocol.isParseError(err)) throw new SouthError(400, 'PARSE_ERROR', err.message)
    throw err
  }
}

/** The text of a body read as text by the south app (every type but octet-stream). */
const textOf = (body: unknown): string => (typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : '')

/** Handles one request; returns the polled commands when `getCmd=1` found some (none: undefined). Throws SouthError. */
async function southRequest(deps: JsonHttpDeps, path: string, route: Route, req: FastifyRequest): Promise<string | undefined> {
  const post = req.method === 'POST'
  const params = southParams(req, !post)
  const kind = post ? bodyKind(req.headers['content-type']) : undefined
  if (post && kind === undefined) throw new SouthError(400, 'UNSUPPORTED_TYPE', UNSUPPORTED_TYPE)
  const attribute = route === 'attribute' ? (req.params as { attribute: string }).attribute : undefined
  const payload = post ? textOf(req.body) : (params.d ?? '')
  const where = `${req.method} ${route === 'measures' ? path : route === 'commands' ? `${path}/commands` : `${path}/attrs/${attribute}`}`
  const outcome: AgentOutcome = { agent: 'json', kind: route === 'commands' ? 'cmdexe' : route === 'attribute' ? 'attr' : 'attrs', apikey: params.apikey, deviceId: params.deviceId }
  // Decoded before the device is looked up: a malformed body is the client's mistake whatever the device.
  const t = params.t || undefined
  let groups: DecodedGroup[] | undefined
  let value: unknown
  let results: json.JsonCommandResult[] | undefined
  if (route === 'measures') {
    // A POST body is read as JSON only with a JSON type (a text/plain body is ignored, as the reference does).
    const text = post ? (kind === 'json' ? payload : '') : payload
    groups = text.trim() === '' ? undefined : decode(() => jsonProtocol.decodeMeasures(Buffer.from(text, 'utf8'), t))
  } else if (route === 'attribute') {
    value = decode(() => singleValue(kind!, req.body)).value
  } else {
    results = kind === 'json' && payload.trim() !== '' ? decode(() => json.parseCommandResults(payload)) : []
  }
  deps.ingest.counters.messages++
  const trace = deps.tracer.sampleMeasure() ? beginTrace(deps.tracer, req, payload, outcome) : undefined
  if (trace !== undefined) outcome.traceId = trace
  try {
    const dev = resolveDevice(deps, outcome, where)
    let wrote = false
    if (groups?.length) {
      ingestMeasures(deps, dev, groups, outcome, where)
      wrote = true
    }
    if (attribute !== undefined) {
      ingestOrThrow(deps, outcome, where, () => deps.ingest.write(dev, [[attribute, value]], t, outcome))
      wrote = true
    }
    if (results?.length) {
      commandResults(deps, dev, results, outcome, where)
      wrote = true
    }
    const polled = params.getCmd && route !== 'attribute' ? deps.commands.takePolled(dev) : undefined
    if (wrote) await durable(deps.context)
    return polled
  } finally {
    deps.observe?.(outcome, where)
  }
}

/** §4.3: text as is, bytes in hex, JSON as parsed. */
function singleValue(kind: BodyKind, body: unknown): json.JsonSingleMeasure {
  if (kind === 'binary') return json.singleMeasureFromHttpBody({ kind: 'binary', bytes: Buffer.isBuffer(body) ? body : Buffer.alloc(0) })
  if (kind === 'text') return json.singleMeasureFromHttpBody({ kind: 'text', text: textOf(body) })
  const text = textOf(body)
  const what = 'the attribute value'
  return { value: text.trim() === '' ? '' : parseJsonText(text, what, resolveLimits(undefined)), encoding: 'json' }
}

/** §4.4 results of polled commands: each named command `OK` with its result. */
function commandResults(deps: JsonHttpDeps, dev: Parameters<JsonHttpDeps['commands']['onResult']>[0], results: json.JsonCommandResult[], outcome: AgentOutcome, where: string): void {
  const unknown: string[] = []
  outcome.attributes = []
  for (const r of results) {
    if (!deps.commands.onResult(dev, r.command, r.result)) unknown.push(r.command)
    else {
      deps.ingest.counters.commandResults++
      outcome.attributes.push(`${r.command}_status`, `${r.command}_info`)
    }
  }
  if (unknown.length) deps.ingest.reject(outcome, 'COMMAND_NOT_FOUND', `${where}: ${dev.deviceId} answered command "${unknown.join('", "')}", which it does not declare`)
}

/** A FIWARE error object answered whole, with its code, as iotagent-json serializes it (§4.5). */
class DeviceAnswerError extends Error {
  constructor(
    readonly code: number,
    override readonly name: string,
    message: string
  ) {
    super(message)
  }
}

/**
 * §2.5, §4.5 `POST <path>/configuration?k=&i=` with `{"type": "configuration", "fields": [...]}`: the
 * values are read from the context broker and POSTed as JSON to `<endpoint>/configuration`; the
 * request is answered `200 {}` once the device answered 200. `subscription` subscribes the device
 * to the fields; other types are ignored (`200 {}`).
 */
async function configurationRequest(deps: JsonHttpDeps, source: ConfigurationSource, path: string, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const started = performance.now()
  const where = `${req.method} ${path}/configuration`
  let outcome: AgentOutcome | undefined
  try {
    const params = southParams(req, false)
    if (bodyKind(req.headers['content-type']) === undefined) throw new SouthError(400, 'UNSUPPORTED_TYPE', UNSUPPORTED_TYPE)
    const text = textOf(req.body)
    const requests = decode(() => json.parseConfigurationRequests(text.trim() === '' ? '{}' : text))
    const o: AgentOutcome = { agent: 'json', kind: 'configuration', apikey: params.apikey, deviceId: params.deviceId }
    outcome = o
    deps.ingest.counters.messages++
    const dev = resolveDevice(deps, o, where)
    o.attributes = requests.flatMap((r) => r.attributes)
    for (const r of requests) {
      deps.ingest.counters.configurationRequests++
      if (r.type === 'subscription') source.subscribe(dev, r.attributes)
      else if (r.type === 'configuration') await pushConfiguration(deps, source, dev, r.attributes)
    }
    void reply.code(200).header('X-Processing-Time', String(Math.round(performance.now() - started))).send({})
  } catch (err) {
    const processing = String(Math.round(performance.now() - started))
    if (err instanceof DeviceAnswerError) {
      if (outcome) deps.ingest.reject(outcome, err.name, `${where}: ${err.message}`)
      void reply.code(err.code).header('X-Processing-Time', processing).send({ name: err.name, message: err.message, code: err.code })
      return
    }
    const e = err instanceof SouthError ? err : new SouthError(500, 'INTERNAL_ERROR', (err as Error).message)
    void reply.code(e.status).header('X-Processing-Time', processing).send({ name: e.name, message: e.message })
  } finally {
    if (outcome) deps.observe?.(outcome, where)
  }
}

/** POSTs the values to `<endpoint>/configuration` (the device's endpoint, else its group's: a deviation, §6.11). */
async function pushConfiguration(deps: JsonHttpDeps, source: ConfigurationSource, dev: EffectiveDevice, attributes: string[]): Promise<void> {
  const endpoint = dev.device.endpoint || dev.group?.endpoint
  if (!endpoint) throw new DeviceAnswerError(400, 'ENDPOINT_NOT_FOUND', `The provisioned device [${dev.deviceId} ] did not have an HTTP endpoint to call`)
  const values = await source.configurationValues(dev, attributes)
  const body = jsonProtocol.encodeConfigurationValues(dev.deviceId, values)
  const headers = { 'fiware-service': dev.scope.service, 'fiware-servicepath': dev.scope.servicePath, 'content-type': 'application/json' }
  const r = await pushCommand({ endpoint: `${endpoint}/configuration`, body, headers, timeoutMs: CONFIGURATION_PUSH_TIMEOUT_MS, signal: AbortSignal.timeout(CONFIGURATION_PUSH_TIMEOUT_MS) }, deps.rewriteUrl ?? IDENTITY_URL)
  // Any 2xx (the reference takes 200 only; docs/compatibility/iot-agent-json.md §4.5).
  if (r.status !== undefined && r.status >= 200 && r.status < 300) return
  const code = r.status !== undefined && r.status >= 400 && r.status < 600 ? r.status : 500
  const answer = r.error ?? r.body ?? ''
  throw new DeviceAnswerError(code, 'DEVICE_ENDPOINT_ERROR', `Request to the device ended up in error with code [${r.status ?? code} ] and message [${JSON.stringify(answer)}]`)
}
