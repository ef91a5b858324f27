import type { EngineApi, EngineStatus } from '../../../shared/contract'
import type { Engine } from '../engine'
import { PRODUCT_VERSION } from '../version'
import type { EventHub } from './events'

/** Engine status is pushed once a second while someone listens. */
const STATUS_MS = 1000

export function engineStatus(engine: Engine): EngineStatus {
  const b = engine.broker.status()
  const sb = engine.southbound.stats()
  const ins = engine.inspector.stats()
  const cb = engine.contextClient.stats()
  const queue =
    engine.contextClient.kind === 'external'
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
    startedAt: engine.startedAt,
    dataDir: engine.config.dataDir,
    mqtt: { kind: b.kind, up: b.up, clients: b.clients, url: b.url, lastError: b.lastError, messagesIn: b.messagesIn, messagesOut: b.messagesOut },
    contextBroker: { kind: engine.contextClient.kind, url: engine.config.contextBroker.mode === 'external' ? engine.config.contextBroker.url : undefined, queue },
    endpoints: engine.endpoints(),
    agent: {
      messages: sb.messages,
      measures: sb.measures,
      updates: sb.updates,
      commandResults: sb.commandResults,
      autoprovisioned: sb.autoprovisioned,
      rejected: sb.rejected,
      commands: engine.commands.stats()
    },
    inspector: { messages: ins.messages, rate: ins.rate, buffered: ins.buffered, bufferedBytes: ins.bufferedBytes, topics: ins.topics },
    registry: engine.registry.counts(),
    // An external Orion's entities are not counted here (that would be a request a second).
    entities: engine.contextBroker?.stats().entities ?? 0
  }
}

/** `engine.status`, and the `status` stream (one status a second). */
export function statusArea(engine: Engine, hub: EventHub): Pick<EngineApi, 'engine.status'> {
  hub.whileListened(['status'], () => {
    const timer = setInterval(() => hub.emit('status', engineStatus(engine)), STATUS_MS)
    timer.unref?.()
    return () => clearInterval(timer)
  })
  return { 'engine.status': async () => engineStatus(engine) }
}
