import type { SourceLogger } from '../../../log/logger'
import { HttpSender, type SendOutcome } from './http-sender'
import { buildRequest, type NotificationJob } from './notification-request'

/**
 * Delivery of notifications, off the update path (docs/compatibility/ngsi-v2.md §4.4). Updates only append a job to the
 * queue of its subscription; sending happens later on the event loop.
 *
 * Policy:
 * - one bounded queue per subscription (default 1,000 pending) within a bound for all of them
 *   (default 10,000); when a bound is reached the OLDEST pending notification of that
 *   subscription is dropped and counted, so a slow or dead receiver holds no more than that and
 *   the newest state still gets through. Pending notifications stay alive for as long as the
 *   receiver is late, which is what costs the garbage collector on a saturated queue (with a
 *   catch-all subscription and a slow receiver, an update cost about 0.3 µs more CPU with 1,000
 *   pending than with 100, but 3 µs more with 10,000, on a 3 µs update);
 * - at most 4 requests in flight per subscription and 8 overall, subscriptions served in turn:
 *   a loaded event loop turns slowly, and one request at a time would then deliver only a few
 *   dozen notifications per second. As in Orion, notifications sent together may arrive in any
 *   order (`maxInFlightPerSubscription: 1` keeps them in order);
 * - a timeout per request (the subscription's `timeout`, else 5 s); no retries, as in Orion.
 */

export interface NotifierOptions {
  maxPendingPerSubscription?: number
  /** Pending notifications of all subscriptions together. */
  maxPending?: number
  maxInFlight?: number
  /** Requests in flight for one subscription (1 = strictly in order). */
  maxInFlightPerSubscription?: number
  defaultTimeoutMs?: number
  sender?: HttpSender
}

export interface NotifierStats {
  pending: number
  inFlight: number
  sent: number
  failed: number
  /** Dropped because their subscription's queue was full. */
  dropped: number
  /** Not sent because a custom template did not resolve to a usable request. */
  unsendable: number
}

export type ResultListener = (job: NotificationJob, outcome: SendOutcome) => void

/** A ring buffer that drops its oldest item when full. */
class Ring<T> {
  private items: Array<T | undefined>
  private head = 0
  length = 0

  constructor(private readonly capacity: number) {
    this.items = new Array<T | undefined>(Math.min(capacity, 64))
  }

  /** Appends; returns the dropped oldest item when the ring was full. */
  push(item: T): T | undefined {
    if (this.length === this.capacity) {
      const dropped = this.items[this.head]
      this.items[this.head] = item
      this.head = (this.head + 1) % this.items.length
      return dropped
    }
    if (this.length === this.items.length) {
      // Grow (up to capacity), unrolling the ring.
      const grown = new Array<T | undefined>(Math.min(this.capacity, this.items.length * 2))
      for (let i = 0; i < this.length; i++) grown[i] = this.items[(this.head + i) % this.items.length]
      this.items = grown
      this.head = 0
    }
    this.items[(this.head + this.length) % this.items.length] = item
    this.length++
    return undefined
  }

  shift(): T | undefined {
    if (this.length === 0) return undefined
    const item = this.items[this.head]
    this.items[this.head] = undefined
    this.head = (this.head + 1) % this.items.length
    this.length--
    return item
  }
}

interface Lane {
  id: string
  queue: Ring<NotificationJob>
  /** Requests of this subscription in flight. */
  inFlight: number
  /** Listed in `ready` (has pending notifications and room for one more request). */
  ready: boolean
  closed: boolean
}

export class Notifier {
  private readonly lanes = new Map<string, Lane>()
  private ready: Lane[] = []
  private scheduled = false
  private closed = false
  private readonly maxPendingPerSub: number
  private readonly maxPending: number
  private readonly maxInFlight: number
  private readonly maxInFlightPerSub: number
  private readonly timeoutMs: number
  private readonly sender: HttpSender
  private readonly counters: NotifierStats = { pending: 0, inFlight: 0, sent: 0, failed: 0, dropped: 0, unsendable: 0 }
  private idleWaiters: Array<() => void> = []

  constructor(
    private readonly onResult: ResultListener,
    private readonly log: SourceLogger,
    opts: NotifierOptions = {}
  ) {
    this.maxPendingPerSub = opts.maxPendingPerSubscription ?? 1_000
    this.maxPending = opts.maxPending ?? 10_000
    this.maxInFlight = opts.maxInFlight ?? 8
    this.maxInFlightPerSub = opts.maxInFlightPerSubscription ?? 4
    this.timeoutMs = opts.defaultTimeoutMs ?? 5_000
    this.sender = opts.sender ?? new HttpSender()
  }

  /** Queues a notification; never blocks, never throws. */
  enqueue(job: NotificationJob): void {
    if (this.closed) return
    let lane = this.lanes.get(job.subscriptionId)
    if (!lane) {
      lane = { id: job.subscriptionId, queue: new Ring(this.maxPendingPerSub), inFlight: 0, ready: false, closed: false }
      this.lanes.set(lane.id, lane)
    }
    if (lane.queue.push(job)) this.counters.dropped++
    else if (++this.counters.pending > this.maxPending) {
      // Callers normally made room with evictIfFull; this keeps the overall bound regardless.
      if (lane.queue.length > 1) {
        lane.queue.shift()
        this.counters.pending--
        this.counters.dropped++
      } else this.evictLongest()
    }
    this.markReady(lane)
    if (!this.scheduled) {
      this.scheduled = true
      setImmediate(this.pump)
    }
  }

  /**
   * When the subscription's queue is full, removes its oldest notification (counted as dropped)
   * and hands it back to be reused for the new one: a saturated queue then churns no objects.
   */
  evictIfFull(subscriptionId: string): NotificationJob | undefined {
    const lane = this.lanes.get(subscriptionId)
    const full = this.counters.pending >= this.maxPending
    if (!lane || lane.queue.length === 0 || (lane.queue.length < this.maxPendingPerSub && !full)) {
      // Overall bound reached by other subscriptions only: their longest queue gives way.
      if (full) this.evictLongest()
      return undefined
    }
    const job = lane.queue.shift()
    if (job) {
      this.counters.pending--
      this.counters.dropped++
    }
    return job
  }

  private evictLongest(): void {
    let longest: Lane | undefined
    for (const l of this.lanes.values()) if (!longest || l.queue.length > longest.queue.length) longest = l
    if (longest && longest.queue.shift()) {
      this.counters.pending--
      this.counters.dropped++
    }
  }

  /** Drops what is queued for a subscription (deleted). */
  forget(subscriptionId: string): void {
    const lane = this.lanes.get(subscriptionId)
    if (!lane) return
    lane.closed = true
    this.counters.pending -= lane.queue.length
    this.lanes.delete(subscriptionId)
    this.ready = this.ready.filter((l) => l !== lane)
    this.settleIfIdle()
  }

  stats(): NotifierStats {
    return { ...this.counters }
  }

  /** Resolves once nothing is pending or in flight. */
  idle(): Promise<void> {
    if (this.counters.pending === 0 && this.counters.inFlight === 0) return Promise.resolve()
    return new Promise((resolve) => this.idleWaiters.push(resolve))
  }

  /** Drops what is pending and aborts what is in flight. */
  close(): void {
    this.closed = true
    for (const id of [...this.lanes.keys()]) this.forget(id)
    this.sender.close()
  }

  private readonly pump = (): void => {
    this.scheduled = false
    while (this.counters.inFlight < this.maxInFlight && this.ready.length > 0) {
      const lane = this.ready.shift()!
      lane.ready = false
      const job = lane.queue.shift()
      if (!job) continue
      this.counters.pending--
      lane.inFlight++
      this.counters.inFlight++
      void this.deliver(lane, job)
      // Subscriptions take turns: back to the end of the line if it may send more.
      this.markReady(lane)
    }
    this.settleIfIdle()
  }

  private async deliver(lane: Lane, job: NotificationJob): Promise<void> {
    let outcome: SendOutcome | null = null
    try {
      const request = buildRequest(job, this.timeoutMs)
      if (request) outcome = await this.sender.send(request)
      else {
        this.counters.unsendable++
        this.log.warn('NOTIFY-UNSENDABLE', `notification of subscription ${job.subscriptionId} not sent: its URL or template does not resolve`)
      }
    } catch (err) {
      outcome = { ok: false, reason: (err as Error).message }
    }
    this.counters.inFlight--
    lane.inFlight--
    if (outcome) {
      if (outcome.ok) this.counters.sent++
      else this.counters.failed++
      try {
        this.onResult(job, outcome)
      } catch (err) {
        this.log.error('NOTIFY-RESULT', `recording a notification result failed: ${(err as Error).message}`)
      }
    }
    this.markReady(lane)
    this.pump()
  }

  private markReady(lane: Lane): void {
    if (lane.ready || lane.closed || lane.queue.length === 0 || lane.inFlight >= this.maxInFlightPerSub) return
    lane.ready = true
    this.ready.push(lane)
  }

  private settleIfIdle(): void {
    if (this.counters.pending !== 0 || this.counters.inFlight !== 0 || this.idleWaiters.length === 0) return
    const waiters = this.idleWaiters
    this.idleWaiters = []
    for (const w of waiters) w()
  }
}
