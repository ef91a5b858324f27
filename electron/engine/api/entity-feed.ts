import type { EventPayloads } from '../../../shared/contract'
import type { EntityChange } from '../context/embedded/entity-store'
import { TelemetryStore } from '../telemetry/telemetry-store'
import type { ContextAccess } from './context-access'
import { Throttle, type EventHub } from './events'

type EntityEvent = EventPayloads['entities'][number]

/** Entities named per `entities` batch; more wait for the next batch. */
const ENTITIES_PER_BATCH = 1000
/** Attribute updates per `telemetry` batch; more wait for the next batch (oldest changes first). */
const TELEMETRY_PER_BATCH = 1000
/** Entities noted per period at most; changes of further entities are seen when they change again. */
const MAX_PENDING = 10_000

/**
 * One listener on the context broker's changes feeds the `entities` stream, the `telemetry` stream
 * and the series of `telemetry.series`. It runs on the measure hot path, so all it does per change
 * is note the entity in a Map (one lookup; a set only for the first change of an entity in the
 * period). Once per batch period the noted entities are read: their numeric attributes sampled
 * into the telemetry store, their ids sent on `entities`, the latest points on `telemetry`.
 *
 * Active while a GUI is connected (any stream has a listener): history is then recorded even when
 * no chart is open, so a chart opened later has the last minutes. An engine without GUI pays
 * nothing. The recorded history is kept (bounded) when the GUI goes, for a window opened again.
 */
export function entityFeed(context: ContextAccess, hub: EventHub, points: () => number): TelemetryStore {
  const store = new TelemetryStore({ points })
  let pending = new Map<EntityChange['entity'], EntityEvent['kind']>()
  let carry: EntityEvent[] = []

  const flush = (): void => {
    const reporting = hub.has('entities')
    const events = carry
    carry = []
    for (const [e, kind] of pending) {
      if (kind === 'deleted') store.remove(e.key)
      else store.sample(e)
      if (reporting && events.length < MAX_PENDING) events.push({ service: e.tenant, servicePath: e.servicePath, id: e.id, type: e.type, kind })
    }
    pending.clear()
    if (events.length) {
      hub.emit('entities', events.length > ENTITIES_PER_BATCH ? events.slice(0, ENTITIES_PER_BATCH) : events)
      carry = events.slice(ENTITIES_PER_BATCH)
    }
    if (hub.has('telemetry')) {
      const updates = store.takeUpdates(TELEMETRY_PER_BATCH)
      if (updates.length) hub.emit('telemetry', updates)
    }
    if (carry.length || store.pending()) throttle.request()
  }
  const throttle = new Throttle(flush)

  hub.whileListened([], () => {
    const off = context.onChange((c) => {
      const before = pending.get(c.entity)
      // A creation stays a creation when updated in the same period; a deletion wins.
      if (before === c.kind || (before === 'created' && c.kind === 'updated')) return
      if (before === undefined && pending.size >= MAX_PENDING) return
      pending.set(c.entity, c.kind)
      throttle.request()
    })
    return () => {
      off()
      throttle.cancel()
      pending = new Map()
      carry = []
    }
  })
  hub.whileListened(['telemetry'], () => {
    store.track(true)
    return () => store.track(false)
  })
  return store
}
