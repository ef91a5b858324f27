import type { EventName, EventPayloads, EventSubscribe } from '../../../shared/contract'

/** Events of one stream are sent at most this often (about 10 per second). */
export const BATCH_MS = 100

/** Every event stream of the contract; a record, so that a new stream cannot be forgotten here. */
const EVENT_STREAMS: Record<EventName, true> = {
  status: true,
  commands: true,
  logs: true,
  inspector: true,
  telemetry: true,
  entities: true,
  provisioning: true,
  simulator: true,
  trace: true,
  lessons: true,
  notifications: true,
  classroom: true
}

export const EVENT_NAMES = Object.keys(EVENT_STREAMS) as readonly EventName[]

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(EVENT_STREAMS, name)
}

/**
 * One event batch as a listener of the hub receives it. `json()` is the batch as the WebSocket
 * message `{"type":"event","event":…,"payload":…}` (shared/ws-protocol.ts), serialized at most
 * once however many listeners send it.
 */
export type Delivery = <E extends EventName>(event: E, payload: EventPayloads[E], json: () => string) => void

/** The streams one consumer (a page, a window) listens to, as a group. */
export interface EventConsumer {
  subscribe(event: EventName): void
  unsubscribe(event: EventName): void
  subscribed(event: EventName): boolean
  streams(): EventName[]
  /** Unsubscribes from everything; the consumer gets nothing more. */
  close(): void
}

interface Activation {
  events: readonly EventName[]
  start: () => () => void
  stop: (() => void) | null
}

/**
 * The event streams of the GUI contract: listeners per stream, and the work behind each stream
 * started only while someone listens to it (`whileListened`), so that an engine without a GUI has
 * no hook on its hot paths and no timer running for the GUI.
 *
 * The engine API has one (api.ts), fed by its areas. Each transport (the WebSocket of `serve`
 * mode, the desktop window's IPC) has one made with `relay`, which mirrors the API's streams and
 * fans them out to its consumers: the API is subscribed to a stream only while a consumer of the
 * transport wants it.
 */
export class EventHub {
  private readonly listeners = new Map<EventName, Set<Delivery>>()
  private readonly activations: Activation[] = []
  private closed = false

  /** `onError` hears of a listener that threw; the others still get the batch. */
  constructor(private readonly onError: (err: unknown) => void = () => undefined) {}

  /** A hub fed by `source` (an API's `on`), subscribed to each of its streams only while that stream has a listener here. */
  static relay(source: EventSubscribe, onError?: (err: unknown) => void): EventHub {
    const hub = new EventHub(onError)
    for (const event of EVENT_NAMES) hub.whileListened([event], () => source(event, (payload) => hub.emit(event, payload)))
    return hub
  }

  readonly on: EventSubscribe = (event, listener) => this.add(event, (_event, payload) => (listener as (p: unknown) => void)(payload))

  /** A group of subscriptions delivering to `deliver`, undone together by `close`. */
  consumer(deliver: Delivery): EventConsumer {
    const mine = new Map<EventName, () => void>()
    let closed = false
    return {
      subscribe: (event) => {
        if (closed || mine.has(event)) return
        mine.set(event, this.add(event, (e, p, json) => deliver(e, p, json)))
      },
      unsubscribe: (event) => {
        const off = mine.get(event)
        if (!off) return
        mine.delete(event)
        off()
      },
      subscribed: (event) => mine.has(event),
      streams: () => [...mine.keys()],
      close: () => {
        closed = true
        const offs = [...mine.values()]
        mine.clear()
        for (const off of offs) off()
      }
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

  /** The streams that have a listener now. */
  activeStreams(): EventName[] {
    return [...this.listeners].filter(([, set]) => set.size > 0).map(([event]) => event)
  }

  emit<E extends EventName>(event: E, payload: EventPayloads[E]): void {
    const set = this.listeners.get(event)
    if (!set || set.size === 0) return
    let json: string | undefined
    const encode = (): string => (json ??= JSON.stringify({ type: 'event', event, payload }))
    // A copy: a listener may unsubscribe (or close its consumer) while the batch is handed out.
    for (const deliver of [...set]) {
      // A failing listener (a window being torn down) must not stop the others nor the batch timer.
      try {
        deliver(event, payload, encode)
      } catch (err) {
        this.onError(err)
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

  /** Drops every listener and stops the work behind every stream. */
  close(): void {
    this.closed = true
    this.listeners.clear()
    this.refresh()
  }

  /** `deliver` is a function made for this one subscription: the same listener added twice is two listeners, each removed by its own call. */
  private add(event: EventName, deliver: Delivery): () => void {
    if (this.closed) return () => {}
    let set = this.listeners.get(event)
    if (!set) this.listeners.set(event, (set = new Set()))
    set.add(deliver)
    this.refresh()
    return () => {
      if (set.delete(deliver)) this.refresh()
    }
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
