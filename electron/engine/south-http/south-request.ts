import type { FastifyRequest } from 'fastify'
import type { CommandCenter } from '../agent/commands'
import type { Resolution } from '../agent/device-resolver'
import type { EffectiveDevice } from '../agent/effective-device'
import type { AgentOutcome, MeasureIngest } from '../agent/measure-ingest'
import { MappingError } from '../agent/measure-mapping'
import type { DecodedGroup } from '../agent-protocol'
import type { ContextBrokerClient } from '../context/types'
import { excerpt, type Tracer } from '../trace/tracer'

/**
 * What the agents' HTTP bindings share (docs/compatibility/iot-agent-ul.md §3.7,
 * iot-agent-json.md §4.1): FIWARE's error answers, the mandatory parameters, device resolution
 * with the reference's messages, the measure pipeline and the wait until an update is durable.
 */

/** What a binding is given by the composition root. */
export interface SouthBindingDeps {
  ingest: MeasureIngest
  commands: CommandCenter
  context: ContextBrokerClient
  tracer: Tracer
  /** The agent's IOTA_DEFAULT_RESOURCE, read once: the binding's path; it also names the group lookup in errors. */
  defaultResource: string
  /** Hears what was done with each request (lessons, classroom), as for MQTT messages. */
  observe?: (outcome: AgentOutcome, where: string) => void
}

/** A FIWARE error answer of the south port. */
export class SouthError extends Error {
  constructor(
    readonly status: number,
    override readonly name: string,
    message: string
  ) {
    super(message)
  }
}

/** A query parameter's first value. */
export const first = (v: unknown): string | undefined => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined)

/** The parameters every south request carries. */
export interface SouthParams {
  apikey: string
  deviceId: string
  d: string | undefined
  t: string | undefined
  getCmd: boolean
}

/**
 * `k`, `i` (and, on `GET`, `d` or `getCmd=1`), else the reference's 400
 * `MANDATORY_PARAMS_NOT_FOUND` listing the missing ones.
 */
export function southParams(req: FastifyRequest, payloadRequired: boolean): SouthParams {
  const q = (req.query ?? {}) as Record<string, unknown>
  const apikey = first(q.k)
  const deviceId = first(q.i)
  const d = first(q.d)
  const t = first(q.t)
  const getCmd = first(q.getCmd) === '1'
  const missing: string[] = []
  if (!apikey) missing.push('API Key')
  if (!deviceId) missing.push('Device Id')
  if (payloadRequired && !d && !getCmd) missing.push('Payload')
  if (missing.length) throw new SouthError(400, 'MANDATORY_PARAMS_NOT_FOUND', `Some of the mandatory params weren't found in the request: ${JSON.stringify(missing)}`)
  return { apikey: apikey!, deviceId: deviceId!, d, t, getCmd }
}

/** The media type of a Content-Type header, lower-cased, without parameters. */
export function mediaType(type: string | undefined): string | undefined {
  return type === undefined ? undefined : type.split(';')[0]!.trim().toLowerCase()
}

/** Resolves the device of a request, or throws the reference's answer. */
export function resolveDevice(deps: SouthBindingDeps, outcome: AgentOutcome, where: string): EffectiveDevice {
  const r = deps.ingest.resolve(outcome, where)
  if (!r.ok) throw resolveError(r, outcome, deps.defaultResource)
  return r.device
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

/**
 * Runs one write of the measure pipeline (`ingest.measures`, `ingest.write`); a mapping error or the
 * context broker's refusal is counted and thrown as the south port's answer.
 */
export function ingestOrThrow(deps: SouthBindingDeps, outcome: AgentOutcome, where: string, write: () => void): void {
  try {
    write()
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

/** Measure groups through the shared pipeline (see ingestOrThrow). */
export function ingestMeasures(deps: SouthBindingDeps, dev: EffectiveDevice, groups: DecodedGroup[], outcome: AgentOutcome, where: string): void {
  ingestOrThrow(deps, outcome, where, () => deps.ingest.measures(dev, groups, outcome))
}

/** Resolves once the context broker's updates so far are durable. */
export function durable(context: ContextBrokerClient): Promise<void> {
  return new Promise((resolve, reject) => context.whenDurable((err) => (err ? reject(new SouthError(500, 'INTERNAL_ERROR', `the update could not be stored: ${err.message}`)) : resolve())))
}

/** The first hops of a request's trace: received (the request line and body) and parsed. */
export function beginTrace(tracer: Tracer, req: FastifyRequest, payload: string, outcome: AgentOutcome): number | undefined {
  const text = excerpt(payload)
  const bytes = Buffer.byteLength(payload)
  const id = tracer.begin('measure', { step: 'received', topic: `${req.method} ${req.url}`, qos: 0, bytes, payload: text, truncated: text.length < payload.length }, { deviceId: outcome.deviceId })
  if (id !== undefined) tracer.hop(id, { step: 'parsed', apikey: outcome.apikey, deviceId: outcome.deviceId, kind: outcome.kind })
  return id
}
