import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { CommandCenter } from '../agent/commands'
import type { Resolution } from '../agent/device-resolver'
import type { AgentOutcome, MeasureIngest } from '../agent/measure-ingest'
import { MappingError } from '../agent/measure-mapping'
import type { ContextBrokerClient } from '../context/types'
import { excerpt, type Tracer } from '../trace/tracer'
import { ulProtocol, type DecodedGroup } from '../agent-protocol'
import type { SouthBinding } from './south-app'

/** iotagent-ul's measure path when IOTA_DEFAULT_RESOURCE is empty. */
export const UL_HTTP_PATH = '/iot/d'

export interface UlHttpDeps {
  ingest: MeasureIngest
  commands: CommandCenter
  context: ContextBrokerClient
  tracer: Tracer
  /** FIWARE IOTA_DEFAULT_RESOURCE, read once: the path is `it || /iot/d`; it also names the group lookup in errors. */
  defaultResource: string
  /** Hears what was done with each request (lessons, classroom), as for MQTT messages. */
  observe?: (outcome: AgentOutcome, where: string) => void
}

/** A FIWARE error answer of the south port. */
class SouthError extends Error {
  constructor(
    readonly status: number,
    override readonly name: string,
    message: string
  ) {
    super(message)
  }
}

const first = (v: unknown): string | undefined => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined)

/**
 * UltraLight over HTTP (docs/compatibility/iot-agent-ul.md §3.7): `GET <path>?i=&k=&d=[&t=][&getCmd=1]`
 * and `POST <path>?i=&k=[&t=][&getCmd=1]` with a text/plain body. Measures and command results go
 * through the same pipeline as MQTT messages; a 200 is sent once the update is durable, with the
 * polling device's queued commands when it asks for them.
 */
export function ulHttpBinding(deps: UlHttpDeps): SouthBinding {
  const path = deps.defaultResource || UL_HTTP_PATH
  return {
    name: 'UltraLight',
    register(app: FastifyInstance) {
      // As iotagent-ul: a POST without Content-Type is text/plain.
      const textByDefault = (req: FastifyRequest, _reply: FastifyReply, done: () => void): void => {
        if (req.headers['content-type'] === undefined) req.raw.headers['content-type'] = 'text/plain'
        done()
      }
      const handler = (req: FastifyRequest, reply: FastifyReply): Promise<void> => handle(deps, path, req, reply)
      app.get(path, handler)
      app.post(path, { onRequest: textByDefault }, handler)
    }
  }
}

async function handle(deps: UlHttpDeps, path: string, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const started = performance.now()
  try {
    const text = await measureRequest(deps, path, req)
    void reply
      .code(200)
      .header('X-Processing-Time', String(Math.round(performance.now() - started)))
      .type('text/plain; charset=utf-8')
      .send(text)
  } catch (err) {
    const e = err instanceof SouthError ? err : new SouthError(500, 'INTERNAL_ERROR', (err as Error).message)
    void reply.code(e.status).send({ name: e.name, message: e.message })
  }
}

/** The body of the 200 answer: '' or the queued commands. Throws SouthError. */
async function measureRequest(deps: UlHttpDeps, path: string, req: FastifyRequest): Promise<string> {
  const q = (req.query ?? {}) as Record<string, unknown>
  const apikey = first(q.k)
  const deviceId = first(q.i)
  const d = first(q.d)
  const t = first(q.t)
  const getCmd = first(q.getCmd) === '1'
  const post = req.method === 'POST'
  const missing: string[] = []
  if (!apikey) missing.push('API Key')
  if (!deviceId) missing.push('Device Id')
  if (!post && !d && !getCmd) missing.push('Payload')
  if (missing.length) throw new SouthError(400, 'MANDATORY_PARAMS_NOT_FOUND', `Some of the mandatory params weren't found in the request: ${JSON.stringify(missing)}`)
  if (post && !isTextPlain(req.headers['content-type'])) {
    throw new SouthError(400, 'UNSUPPORTED_TYPE', "The request content didn't have the expected type [text/plain ]")
  }
  // As iotagent-ul: the body, else the `d` parameter (also on POST).
  const body = post && typeof req.body === 'string' ? req.body : ''
  const payload = body || d || ''
  let groups: DecodedGroup[] | undefined
  try {
    // `t` replaces each measure group's timestamp (docs/compatibility/iot-agent-ul.md §3.7).
    groups = payload ? ulProtocol.decodeMeasures(Buffer.from(payload, 'utf8'), t || undefined) : undefined
  } catch (err) {
    if (ulProtocol.isParseError(err)) throw new SouthError(400, 'PARSE_ERROR', `There was a syntax error in the Ultralight request: ${err.message}`)
    throw err
  }
  const where = `${req.method} ${path}`
  const outcome: AgentOutcome = { agent: 'ul', kind: 'attrs', apikey: apikey!, deviceId: deviceId! }
  deps.ingest.counters.messages++
  const trace = deps.tracer.sampleMeasure() ? beginTrace(deps.tracer, req, payload, outcome) : undefined
  if (trace !== undefined) outcome.traceId = trace
  try {
    const r = deps.ingest.resolve(outcome, where)
    if (!r.ok) throw resolveError(r, outcome, deps.defaultResource)
    if (groups) measures(deps, r.device, groups, outcome, where)
    const commands = (getCmd ? deps.commands.takePolled(r.device) : undefined) ?? ''
    if (groups) await durable(deps.context)
    return commands
  } finally {
    deps.observe?.(outcome, where)
  }
}

function measures(deps: UlHttpDeps, dev: Extract<Resolution, { ok: true }>['device'], groups: DecodedGroup[], outcome: AgentOutcome, where: string): void {
  try {
    deps.ingest.measures(dev, groups, outcome)
  } catch (err) {
    if (err instanceof MappingError) {
      deps.ingest.reject(outcome, err.code, `${where}: ${err.message}`)
      throw new SouthError(400, err.code, err.message)
    }
    // The context broker refused the update (an invalid attribute name, for instance): its status and error.
    const e = err as Error & { status?: number; error?: string }
    const code = e.error ? `NGSI_${e.error}` : 'UPDATE_FAILED'
    deps.ingest.reject(outcome, code, `${where}: ${e.message}`)
    throw new SouthError(e.status !== undefined && e.status >= 400 && e.status < 600 ? e.status : 500, e.error ?? 'UPDATE_FAILED', e.message)
  }
}

function durable(context: ContextBrokerClient): Promise<void> {
  return new Promise((resolve, reject) => context.whenDurable((err) => (err ? reject(new SouthError(500, 'INTERNAL_ERROR', `the update could not be stored: ${err.message}`)) : resolve())))
}

function isTextPlain(type: string | undefined): boolean {
  return type !== undefined && type.split(';')[0]!.trim().toLowerCase() === 'text/plain'
}

/**
 * The reference's answers for a device it cannot find (docs/compatibility/iot-agent-ul.md §3.7),
 * including its message text with a tab where an apostrophe was meant.
 */
function resolveError(r: Extract<Resolution, { ok: false }>, outcome: AgentOutcome, defaultResource: string): SouthError {
  if (r.reason === 'DEVICE_NOT_FOUND') return new SouthError(404, 'DEVICE_NOT_FOUND', `Device not found with ID [${outcome.deviceId}]`)
  if (r.reason === 'AUTOPROVISION_DISABLED') {
    const g = r.group
    const wanted = { id: outcome.deviceId, apikey: outcome.apikey, service: g?.service, subservice: g?.subservice, type: g?.entity_type }
    return new SouthError(404, 'DEVICE_NOT_FOUND', `No device was found with id:${outcome.deviceId} and ${JSON.stringify(wanted)}`)
  }
  const values = defaultResource ? { resource: defaultResource, apikey: outcome.apikey } : { apikey: outcome.apikey }
  return new SouthError(404, 'DEVICE_GROUP_NOT_FOUND', `Couldn\t find device group for fields: ["resource","apikey"] and values: ${JSON.stringify(values)}`)
}

/** The first hops of a request's trace: received (the request line and body) and parsed. */
function beginTrace(tracer: Tracer, req: FastifyRequest, payload: string, outcome: AgentOutcome): number | undefined {
  const text = excerpt(payload)
  const bytes = Buffer.byteLength(payload)
  const id = tracer.begin('measure', { step: 'received', topic: `${req.method} ${req.url}`, qos: 0, bytes, payload: text, truncated: text.length < payload.length }, { deviceId: outcome.deviceId })
  if (id !== undefined) tracer.hop(id, { step: 'parsed', apikey: outcome.apikey, deviceId: outcome.deviceId, kind: outcome.kind })
  return id
}
