import { randomUUID } from 'node:crypto'
import type { EntityDto } from '../../../shared/contract'
import type { ChangeListener } from '../context/embedded/entity-store'
import { entityText } from '../context/embedded/render'
import type { Scope } from '../context/types'
import { httpFrame } from '../trace/frames'
import { NO_TRACER, type Tracer } from '../trace/tracer'
import { entityDto } from './entity-dto'
import type { ContextSide } from '../compose'

type Entity = EntityDto

/**
 * The context broker as the GUI reads it, embedded or external: the embedded broker is called
 * directly; an external Orion through the engine's HTTP client of it, as any NGSI-v2 client would.
 * Entities are returned in normalized NGSI-v2 form in both cases.
 */
export interface ContextAccess {
  listEntities(scope: Scope, q: { type?: string; limit?: number; offset?: number }): Promise<{ count: number; entities: Entity[] }>
  getEntity(scope: Scope, id: string, type?: string): Promise<Entity>
  /** How a client of Orion sends a command: an update of the command attribute, forwarded to the agent. */
  sendCommand(scope: Scope, id: string, type: string, command: string, value: unknown): Promise<void>
  /**
   * Change events of the entities (embedded broker only: an external Orion tells nothing without
   * subscriptions, so the entities and telemetry streams stay silent then). Returns the unsubscribe.
   */
  onChange(listener: ChangeListener): () => void
}

const normalized = (v: Parameters<typeof entityText>[0]): Entity => entityDto(JSON.parse(entityText(v, 'normalized')))
const query = (scope: Scope) => ({ service: scope.service, servicePaths: [scope.servicePath] })

const errorStatus = (err: unknown): number | undefined => {
  const s = (err as { status?: unknown; statusCode?: unknown } | null)?.status ?? (err as { statusCode?: unknown } | null)?.statusCode
  return typeof s === 'number' ? s : undefined
}

/**
 * A command sent from the GUI, traced like the same PATCH from any client (while someone watches):
 * its first hop is that request, marked as sent by this program, and its correlator links the
 * forward to the agent and the agent's hops (publish, PENDING, reply, result) to it.
 */
function tracedCommand(tracer: Tracer, baseUrl: string, send: (correlator: string | undefined) => Promise<void>): SendCommand {
  return async (scope, id, type, command, value) => {
    if (!tracer.enabled) return send(undefined)
    const correlator = randomUUID()
    const url = `${baseUrl}/v2/entities/${encodeURIComponent(id)}/attrs?type=${encodeURIComponent(type)}`
    const headers: Record<string, string> = { 'content-type': 'application/json', 'fiware-servicepath': scope.servicePath || '/', 'fiware-correlator': correlator }
    if (scope.service) headers['fiware-service'] = scope.service
    const body = JSON.stringify({ [command]: { type: 'command', value } })
    const trace = tracer.begin('request', { step: 'request', request: httpFrame('PATCH', url, headers, body), entityId: id, attributes: [command], from: 'gui' }, { entityId: id })
    tracer.link(correlator, trace)
    try {
      await send(correlator)
      tracer.hop(trace, { step: 'response', status: 204 })
    } catch (err) {
      const status = errorStatus(err)
      tracer.hop(trace, status === undefined ? { step: 'response', error: (err as Error).message } : { step: 'response', status, error: (err as Error).message })
      throw err
    }
  }
}

type SendCommand = ContextAccess['sendCommand']

export function contextAccess(side: ContextSide, tracer: Tracer = NO_TRACER): ContextAccess {
  if (side.mode === 'embedded') {
    const cb = side.broker
    return {
      listEntities: async (scope, q) => {
        const r = await cb.queryEntities(query(scope), { selector: q.type ? { types: [q.type] } : {}, limit: q.limit ?? 100, offset: q.offset })
        return { count: r.count, entities: r.entities.map(normalized) }
      },
      getEntity: async (scope, id, type) => normalized(await cb.getEntity(query(scope), { id, type })),
      sendCommand: (scope, id, type, command, value) =>
        tracedCommand(tracer, '', (correlator) =>
          cb.updateAttributes({ service: scope.service, servicePath: scope.servicePath, ...(correlator ? { correlator } : {}) }, { id, type }, { [command]: { type: 'command', value } })
        )(scope, id, type, command, value),
      onChange: (listener) => cb.onChange(listener)
    }
  }
  const orion = side.orion
  return {
    listEntities: async (scope, q) => {
      const r = await orion.listEntities(scope, q)
      return { count: r.count, entities: r.entities.map(entityDto) }
    },
    getEntity: async (scope, id, type) => entityDto(await orion.getEntity(scope, id, type)),
    sendCommand: (scope, id, type, command, value) =>
      tracedCommand(tracer, orion.url, (correlator) => orion.updateAttributes(scope, id, type, { [command]: { type: 'command', value } }, correlator))(scope, id, type, command, value),
    onChange: () => () => {}
  }
}
