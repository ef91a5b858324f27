/**
 * Fans the engine API's event streams out to the consumers of one transport (the pages on the
 * WebSocket, the window over IPC). The API is subscribed to a stream only while at least one
 * consumer wants it: a stream nobody looks at costs nothing beyond the engine's own batching.
 */
import type { EventName, EventPayloads, EventSubscribe } from '../../../shared/contract'

/** Every event stream of the contract; a record, so that a new stream cannot be forgotten here. */
const EVENT_STREAMS: Record<EventName, true> = {
  status: true,
  commands: true,
  logs: true,
  inspector: true,
  telemetry: true,
  entities: true,
  provisioning: true,
  simulator: true
}

export const EVENT_NAMES = Object.keys(EVENT_STREAMS) as readonly EventName[]

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(EVENT_STREAMS, name)
}

/**
 * One event batch as a consumer receives it. `json()` is the batch as the WebSocket message
 * `{"type":"event","event":…,"payload":…}`, serialized at most once however many consumers send it.
 */
export type Delivery = <E extends EventName>(event: E, payload: EventPayloads[E], json: () => string) => void

export interface EventConsumer {
  subscribe(event: EventName): void
  unsubscribe(event: EventName): void
  subscribed(event: EventName): boolean
  streams(): EventName[]
  /** Unsubscribes from everything; the consumer gets nothing more. */
  close(): void
}

export class EventHub {
  private readonly consumers = new Map<EventName, Set<Delivery>>()
  private readonly upstream = new Map<EventName, () => void>()

  /** `onError` hears of a consumer that threw; the others still get the batch. */
  constructor(
    private readonly source: EventSubscribe,
    private readonly onError: (err: unknown) => void = () => undefined
  ) {}

  consumer(deliver: Delivery): EventConsumer {
    const mine = new Set<EventName>()
    let closed = false
    return {
      subscribe: (event) => {
        if (closed || mine.has(event)) return
        mine.add(event)
        this.add(event, deliver)
      },
      unsubscribe: (event) => {
        if (!mine.delete(event)) return
        this.remove(event, deliver)
      },
      subscribed: (event) => mine.has(event),
      streams: () => [...mine],
      close: () => {
        closed = true
        for (const event of mine) this.remove(event, deliver)
        mine.clear()
      }
    }
  }

  /** Streams the engine API is currently subscribed to. */
  activeStreams(): EventName[] {
    return [...this.upstream.keys()]
  }

  close(): void {
    for (const off of this.upstream.values()) off()
    this.upstream.clear()
    this.consumers.clear()
  }

  private add(event: EventName, deliver: Delivery): void {
    let set = this.consumers.get(event)
    if (!set) this.consumers.set(event, (set = new Set()))
    set.add(deliver)
    if (!this.upstream.has(event)) this.upstream.set(event, this.source(event, (payload) => this.dispatch(event, payload)))
  }

  private remove(event: EventName, deliver: Delivery): void {
    const set = this.consumers.get(event)
    if (!set?.delete(deliver) || set.size > 0) return
    this.consumers.delete(event)
    this.upstream.get(event)?.()
    this.upstream.delete(event)
  }

  private dispatch<E extends EventName>(event: E, payload: EventPayloads[E]): void {
    let json: string | undefined
    const encode = (): string => (json ??= JSON.stringify({ type: 'event', event, payload }))
    // A copy: a consumer may unsubscribe (or close) while the batch is handed out.
    for (const deliver of [...(this.consumers.get(event) ?? [])]) {
      try {
        deliver(event, payload, encode)
      } catch (err) {
        this.onError(err)
      }
    }
  }
}
