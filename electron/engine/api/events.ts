import type { EventName, EventPayloads, EventSubscribe } from '../../../shared/contract'

/** Events of one stream are sent at most this often (DESIGN §3: ~10 per second). */
export const BATCH_MS = 100

type Listener = (payload: never) => void

interface Activation {
  events: readonly EventName[]
  start: () => () => void
  stop: (() => void) | null
}

/**
 * The event streams of the GUI contract: listeners per stream, and the work behind each stream
 * started only while someone listens to it. The IPC and WebSocket transports subscribe per stream,
 * so an engine without a GUI has no hook on its hot paths and no timer running for the GUI.
 */
export class EventHub {
  private readonly listeners = new Map<EventName, Set<Listener>>()
  private readonly activations: Activation[] = []
  private closed = false

  readonly on: EventSubscribe = (event, listener) => {
    if (this.closed) return () => {}
    let set = this.listeners.get(event)
    if (!set) this.listeners.set(event, (set = new Set()))
    const l = listener as Listener
    set.add(l)
    this.refresh()
    return () => {
      if (set.delete(l)) this.refresh()
    }
  }

  /** Whether `event` has at least one listener now. */
  has(event: EventName): boolean {
    return (this.listeners.get(event)?.size ?? 0) > 0
  }

  /** Whether any stream has a listener (a GUI is connected). */
  hasAny(): boolean {
    for (const set of this.listeners.values()) if (set.size > 0) return true
    return false
  }

  emit<E extends EventName>(event: E, payload: EventPayloads[E]): void {
    const set = this.listeners.get(event)
    if (!set) return
    for (const l of set) {
      // A failing listener (a window being torn down) must not stop the others nor the batch timer.
      try {
        ;(l as (p: EventPayloads[E]) => void)(payload)
      } catch {
        /* the transport reports its own errors */
      }
    }
  }

  /**
   * Runs `start` when one of `events` (every stream when empty) gets a listener, and the function
   * it returned when none of them has one any more.
   */
  whileListened(events: readonly EventName[], start: () => () => void): void {
    const a: Activation = { events, start, stop: null }
    this.activations.push(a)
    this.update(a)
  }

  private refresh(): void {
    for (const a of this.activations) this.update(a)
  }

  private update(a: Activation): void {
    const wanted = !this.closed && (a.events.length === 0 ? this.hasAny() : a.events.some((e) => this.has(e)))
    if (wanted && !a.stop) a.stop = a.start()
    else if (!wanted && a.stop) {
      const stop = a.stop
      a.stop = null
      stop()
    }
  }

  close(): void {
    this.closed = true
    this.listeners.clear()
    this.refresh()
  }
}

/**
 * Calls `flush` at most once per `periodMs` after `request()`: on the next turn of the event loop
 * after a quiet period (a lone command status shows at once), else one period after the previous
 * flush, so that a burst of any length costs at most ten emissions per second.
 */
export class Throttle {
  private timer: NodeJS.Timeout | null = null
  private last = 0

  constructor(
    private readonly flush: () => void,
    private readonly periodMs = BATCH_MS
  ) {}

  request(): void {
    if (this.timer) return
    const wait = Math.max(0, this.last + this.periodMs - Date.now())
    this.timer = setTimeout(() => {
      this.timer = null
      this.last = Date.now()
      this.flush()
    }, wait)
    this.timer.unref?.()
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }
}

/**
 * Collects items of a push stream (commands, logs, provisioning) and emits them in batches, at most
 * every BATCH_MS and at most `max` per batch; what exceeds `max` in one period is dropped from the
 * live view (the GUI re-reads lists or the log ring anyway).
 */
export class Batcher<T> {
  private items: T[] = []
  private readonly throttle: Throttle

  constructor(
    emit: (items: T[]) => void,
    private readonly max = 500
  ) {
    this.throttle = new Throttle(() => {
      const items = this.items
      this.items = []
      if (items.length) emit(items)
    })
  }

  push(item: T): void {
    if (this.items.length < this.max) this.items.push(item)
    this.throttle.request()
  }

  close(): void {
    this.throttle.cancel()
    this.items = []
  }
}
