import type { EngineApi, TraceDto } from '../../../shared/contract'
import type { Tracer } from '../trace/tracer'
import { Throttle, type EventHub } from './events'

/** Traces carried by one `trace` batch; the others changed in the period are read with trace.get. */
export const TRACE_BATCH_TRACES = 100

/**
 * `trace.get`, `trace.recent` and the `trace` stream. Listening to the stream is what switches
 * recording on (the trace view is open); a request switches it on for a while too (see
 * trace/tracer.ts for the rule). The stream sends, at most ten times a second, each trace begun or
 * changed in the period, as it is at that moment.
 */
export function traceArea(tracer: Tracer, hub: EventHub): Pick<EngineApi, 'trace.get' | 'trace.recent'> {
  hub.whileListened(['trace'], () => {
    const unwatch = tracer.watch()
    let dirty = new Set<number>()
    const throttle = new Throttle(() => {
      const ids = dirty
      dirty = new Set()
      const traces: TraceDto[] = []
      for (const id of ids) {
        const t = tracer.get(id)
        if (t) traces.push(t)
        if (traces.length >= TRACE_BATCH_TRACES) break
      }
      if (traces.length) hub.emit('trace', traces)
    })
    const off = tracer.onChange((id) => {
      dirty.add(id)
      throttle.request()
    })
    return () => {
      off()
      throttle.cancel()
      unwatch()
    }
  })

  return {
    'trace.get': async ({ id }) => {
      tracer.touch()
      return tracer.get(id) ?? null
    },
    'trace.recent': async (filter) => {
      tracer.touch()
      return tracer.recent(filter)
    }
  }
}
