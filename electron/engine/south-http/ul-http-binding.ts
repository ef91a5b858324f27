import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AgentOutcome } from '../agent/measure-ingest'
import { ulProtocol, type DecodedGroup } from '../agent-protocol'
import type { SouthBinding } from './south-app'
import { beginTrace, durable, ingestMeasures, mediaType, resolveDevice, SouthError, southParams, type SouthBindingDeps } from './south-request'

/** iotagent-ul's measure path when IOTA_DEFAULT_RESOURCE is empty. */
export const UL_HTTP_PATH = '/iot/d'

/** `defaultResource`: FIWARE IOTA_DEFAULT_RESOURCE, read once; the path is `it || /iot/d`. */
export type UlHttpDeps = SouthBindingDeps

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
  const post = req.method === 'POST'
  const { apikey, deviceId, d, t, getCmd } = southParams(req, !post)
  if (post && mediaType(req.headers['content-type']) !== 'text/plain') {
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
  const outcome: AgentOutcome = { agent: 'ul', kind: 'attrs', apikey, deviceId }
  deps.ingest.counters.messages++
  const trace = deps.tracer.sampleMeasure() ? beginTrace(deps.tracer, req, payload, outcome) : undefined
  if (trace !== undefined) outcome.traceId = trace
  try {
    const dev = resolveDevice(deps, outcome, where)
    if (groups) ingestMeasures(deps, dev, groups, outcome, where)
    const commands = (getCmd ? deps.commands.takePolled(dev) : undefined) ?? ''
    if (groups) await durable(deps.context)
    return commands
  } finally {
    deps.observe?.(outcome, where)
  }
}
