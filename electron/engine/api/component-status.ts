import type { ComponentsStatusDto, ComponentStatusDto, EndpointRole, ServiceEndpoint } from '../../../shared/contract'
import type { BrokerStatus } from '../broker/types'
import type { ContextClientStats } from '../context/types'

/** What the components' states are measured from: the same readings the engine status is built of. */
export interface ComponentReadings {
  broker: BrokerStatus
  endpoints: readonly ServiceEndpoint[]
  contextMode: 'embedded' | 'external'
  /** The agent's client of the context broker (an external Orion's reachability). */
  contextStats: ContextClientStats
}

const listening = (endpoints: readonly ServiceEndpoint[], role: EndpointRole): boolean => endpoints.some((e) => e.role === role && e.addresses.length > 0)

function withError(s: ComponentStatusDto, lastError: string | undefined, lastErrorAt?: number): ComponentStatusDto {
  if (lastError !== undefined) s.lastError = lastError
  if (lastErrorAt !== undefined) s.lastErrorAt = lastErrorAt
  return s
}

/**
 * Each component's state as measured, never assumed: the MQTT broker is up when it listens
 * (embedded) or is connected (external); the IoT Agent when its north API listens; the context
 * broker when it serves its API (embedded) or answered the last request (an external Orion, which
 * is `checking` until its first answer and `unreachable`, with the error and since when, after a
 * failure).
 */
export function componentStatus(r: ComponentReadings): ComponentsStatusDto {
  const b = r.broker
  const mqtt: ComponentStatusDto =
    b.kind === 'embedded'
      ? withError({ kind: 'embedded', up: b.up, condition: b.up ? 'listening' : 'not-listening' }, b.lastError)
      : withError({ kind: 'external', up: b.up, condition: b.up ? 'connected' : 'disconnected' }, b.lastError, b.lastErrorAt)
  if (b.kind === 'external' && b.up && b.connectedSince !== undefined) mqtt.since = b.connectedSince

  const northUp = listening(r.endpoints, 'iota-north')
  const agent: ComponentStatusDto = { kind: 'embedded', up: northUp, condition: northUp ? 'listening' : 'not-listening' }

  let contextBroker: ComponentStatusDto
  if (r.contextMode === 'embedded') {
    const served = listening(r.endpoints, 'ngsi')
    contextBroker = { kind: 'embedded', up: served, condition: served ? 'running' : 'not-listening' }
  } else {
    const cb = r.contextStats
    const condition = cb.reachable === undefined ? 'checking' : cb.reachable ? 'reachable' : 'unreachable'
    contextBroker = withError({ kind: 'external', up: cb.reachable === true, condition }, cb.lastError, cb.lastErrorAt)
    if (cb.reachableSince !== undefined) contextBroker.since = cb.reachableSince
    if (cb.lastAnswerAt !== undefined) contextBroker.lastSuccessAt = cb.lastAnswerAt
    if (cb.version !== undefined) contextBroker.version = cb.version
  }
  return { mqtt, agent, contextBroker }
}

/** The components of an engine that is not running. */
export function stoppedComponents(mqttKind: 'embedded' | 'external', contextKind: 'embedded' | 'external', since: number): ComponentsStatusDto {
  const stopped = (kind: 'embedded' | 'external'): ComponentStatusDto => ({ kind, up: false, condition: 'stopped', since })
  return { mqtt: stopped(mqttKind), agent: stopped('embedded'), contextBroker: stopped(contextKind) }
}
