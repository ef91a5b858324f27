/**
 * Traces: the hops of one measure or command through the engine (shared/trace.ts). The engine
 * records them only while someone watches, so the views that can open a trace (the inspector, the
 * device page) call `useTraceRecording()`: while one of them is shown, this store listens to the
 * `trace` stream, which keeps recording on, and keeps the newest traces it was sent.
 */
import { defineStore } from 'pinia'
import { onBeforeUnmount, onMounted, shallowRef } from 'vue'
import type { RequestArgs, TraceDto } from '../../../shared/contract'
import { on, request, traineeSession } from '../services/engine'

/** Traces kept from the stream (the newest; older ones are asked for with `trace.get`). */
const KEEP = 300

export const useTrace = defineStore('trace', () => {
  /** Traces by id, the newest last; replaced as a whole when it changes. */
  const traces = shallowRef<ReadonlyMap<number, TraceDto>>(new Map())
  let watchers = 0
  let off: (() => void) | undefined

  function keep(list: readonly TraceDto[]): void {
    if (!list.length) return
    const next = new Map(traces.value)
    for (const tr of list) {
      next.delete(tr.id)
      next.set(tr.id, tr)
    }
    while (next.size > KEEP) next.delete(next.keys().next().value!)
    traces.value = next
  }

  /** Starts listening (recording on); the returned function stops this watcher. */
  function watch(): () => void {
    watchers++
    if (watchers === 1) off = on('trace', keep)
    let done = false
    return () => {
      if (done) return
      done = true
      watchers--
      if (watchers === 0) {
        off?.()
        off = undefined
      }
    }
  }

  /** One trace; the stream's copy when it has it, else the engine's. null when it is unknown. */
  async function get(id: number): Promise<TraceDto | null> {
    const tr = await request('trace.get', { id })
    if (tr) keep([tr])
    return tr ?? traces.value.get(id) ?? null
  }

  async function recent(args: RequestArgs<'trace.recent'>): Promise<TraceDto[]> {
    const list = await request('trace.recent', args)
    keep([...list].reverse())
    return list
  }

  /** The newest kept trace of a command of an entity (the stream's traces only). */
  function latestCommand(entityId: string, command: string): TraceDto | undefined {
    let found: TraceDto | undefined
    for (const tr of traces.value.values()) {
      if (tr.kind === 'measure') continue
      const pending = tr.hops.find((h) => h.step === 'pending')
      if ((tr.entityId ?? pending?.entityId) !== entityId) continue
      if (tr.hops.some((h) => (h.step === 'pending' || h.step === 'published' || h.step === 'result') && h.command === command)) found = tr
    }
    return found
  }

  return { traces, watch, get, recent, latestCommand }
})

/** Keeps recording on while the calling component is mounted. */
export function useTraceRecording(): void {
  const store = useTrace()
  let stop: (() => void) | undefined
  // A trainee of classroom mode gets no traces: the server refuses the stream (docs/classroom.md).
  if (traineeSession) return
  onMounted(() => (stop = store.watch()))
  onBeforeUnmount(() => stop?.())
}
