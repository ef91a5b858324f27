import type { AgentCountersDto, EngineApi, EngineStatus, ServiceEndpoint } from '../../../shared/contract'
import type { CommandCenter } from '../agent/commands'
import type { Southbound } from '../agent/southbound'
import { safeUrl } from '../broker/external-options'
import type { MqttBroker } from '../broker/types'
import type { ContextSide } from '../compose'
import type { EngineConfig } from '../config/types'
import type { Inspector } from '../inspector/inspector'
import type { Registry } from '../registry/registry'
import type { Simulator } from '../simulator/simulator'
import { PRODUCT_VERSION } from '../version'
import { componentStatus, stoppedComponents } from './component-status'
import type { EventHub } from './events'

/** Engine status is pushed once a second while someone listens. */
const STATUS_MS = 1000

/** What the status is read from. */
export interface StatusSources {
  readonly startedAt: number
  readonly config: Pick<EngineConfig, 'dataDir'>
  readonly context: ContextSide
  readonly broker: Pick<MqttBroker, 'status'>
  readonly southbound: Pick<Southbound, 'stats'>
  readonly commands: Pick<CommandCenter, 'stats'>
  readonly inspector: Pick<Inspector, 'stats'>
  readonly registry: Pick<Registry, 'counts'>
  /** The IoT Agent JSON's side of the same counters. */
  readonly jsonAgent: { readonly southbound: Pick<Southbound, 'stats'>; readonly commands: Pick<CommandCenter, 'stats'>; readonly registry: Pick<Registry, 'counts'> }
  readonly simulator: Pick<Simulator, 'list' | 'fleetList'>
  endpoints(): ServiceEndpoint[]
}

/** The simulated devices that publish now: running seed devices and the devices of running fleets. */
export function simulatedClients(sim: Pick<Simulator, 'list' | 'fleetList'>): number {
  let n = 0
  for (const d of sim.list()) if (d.running) n++
  for (const f of sim.fleetList()) if (f.running) n += f.count
  return n
}

function agentCounters(agent: { readonly southbound: Pick<Southbound, 'stats'>; readonly commands: Pick<CommandCenter, 'stats'> }): AgentCountersDto {
  const sb = agent.southbound.stats()
  return {
    messages: sb.messages,
    measures: sb.measures,
    updates: sb.updates,
    commandResults: sb.commandResults,
    autoprovisioned: sb.autoprovisioned,
    rejected: sb.rejected,
    commands: agent.commands.stats()
  }
}

function noCounters(): AgentCountersDto {
  return { messages: 0, measures: 0, updates: 0, commandResults: 0, autoprovisioned: 0, rejected: {}, commands: { sent: 0, ok: 0, errors: 0, expired: 0, pending: 0, unknownCommand: 0 } }
}

export function engineStatus(src: StatusSources): EngineStatus {
  const b = src.broker.status()
  const simulated = simulatedClients(src.simulator)
  const ins = src.inspector.stats()
  const side = src.context
  const cb = side.client.stats()
  const queue =
    side.mode === 'external'
      ? {
          reachable: cb.reachable,
          backlog: cb.backlog ?? 0,
          backlogBytes: cb.backlogBytes ?? 0,
          sent: cb.sent ?? 0,
          retried: cb.retried ?? 0,
          dropped: cb.dropped ?? 0,
          failed: cb.failed,
          lastError: cb.lastError,
          lastErrorAt: cb.lastErrorAt,
          lastSuccessAt: cb.lastSuccessAt
        }
      : undefined
  return {
    version: PRODUCT_VERSION,
    state: 'running',
    startedAt: src.startedAt,
    dataDir: src.config.dataDir,
    // An external broker does not tell its clients: only the simulated ones are counted there.
    mqtt: { kind: b.kind, up: b.up, clients: b.clients + simulated, simulatedClients: simulated, url: b.url, lastError: b.lastError, messagesIn: b.messagesIn, messagesOut: b.messagesOut, ...(b.auth ? { auth: b.auth } : {}), ...(b.refusedConnects ? { refusedConnects: b.refusedConnects } : {}) },
    contextBroker: { kind: side.mode, url: side.mode === 'external' ? side.url : undefined, queue },
    endpoints: src.endpoints(),
    components: componentStatus({ broker: b, endpoints: src.endpoints(), contextMode: side.mode, contextStats: cb }),
    agent: agentCounters(src),
    jsonAgent: agentCounters(src.jsonAgent),
    inspector: { messages: ins.messages, rate: ins.rate, buffered: ins.buffered, bufferedBytes: ins.bufferedBytes, topics: ins.topics },
    registry: src.registry.counts(),
    jsonRegistry: src.jsonAgent.registry.counts(),
    // An external Orion's entities are not counted here (that would be a request a second).
    entities: side.mode === 'embedded' ? side.broker.stats().entities : 0
  }
}

/**
 * The status of a host whose engine is not running (see host.ts): `state` stopped, the reason in
 * `error`, the kinds of broker as configured, every counter zero and no endpoint.
 */
export function stoppedStatus(config: Pick<EngineConfig, 'dataDir' | 'mqtt' | 'contextBroker'>, error: string, since: number): EngineStatus {
  const cb = config.contextBroker
  return {
    version: PRODUCT_VERSION,
    state: 'stopped',
    error,
    startedAt: since,
    dataDir: config.dataDir,
    mqtt: { kind: config.mqtt.mode, up: false, clients: 0, simulatedClients: 0, url: config.mqtt.mode === 'external' ? safeUrl(config.mqtt.url) : undefined, messagesIn: 0, messagesOut: 0 },
    contextBroker: { kind: cb.mode, url: cb.mode === 'external' ? cb.url : undefined },
    endpoints: [],
    components: stoppedComponents(config.mqtt.mode, cb.mode, since),
    agent: noCounters(),
    jsonAgent: noCounters(),
    inspector: { messages: 0, rate: 0, buffered: 0, bufferedBytes: 0, topics: 0 },
    registry: { groups: 0, devices: 0 },
    jsonRegistry: { groups: 0, devices: 0 },
    entities: 0
  }
}

/** `engine.status`, and the `status` stream (one status a second). */
export function statusArea(status: () => EngineStatus, hub: EventHub): Pick<EngineApi, 'engine.status'> {
  hub.whileListened(['status'], () => {
    const timer = setInterval(() => hub.emit('status', status()), STATUS_MS)
    timer.unref?.()
    return () => clearInterval(timer)
  })
  return { 'engine.status': async () => status() }
}
