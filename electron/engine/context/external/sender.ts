import type { SourceLogger } from '../../log/logger'
import { safeHeaders } from '../../trace/frames'
import { excerpt, type Tracer } from '../../trace/tracer'
import type { HttpAnswer } from './http-transport'
import { updateCall, type OrionClient } from './orion-client'
import type { Lane, Outbox, OutboxItem } from './outbox'

/**
 * Sends the queued updates to the external Orion, lane by lane (tenant + service path), one
 * request in flight per lane so that updates reach Orion in the order they were queued. Whatever
 * accumulated while the previous request was out goes in the next one: a single update is the
 * agent's `POST /v2/entities?options=upsert`, several are one `POST /v2/op/update` (`append`)
 * whose entities Orion applies one by one, in order — two updates of one entity stay two
 * elements, so subscribers and history see every intermediate value.
 *
 * Updates leave the queue only when Orion answered 2xx. No answer, a 5xx, or a status that says
 * nothing about the updates (auth, throttling, a wrong URL) → the same updates are tried again
 * after an exponential back-off with jitter. Any other 4xx blames the updates: the batch is split
 * in halves until the culprit is alone, and that one update is dropped (counted, logged), so one
 * bad update never blocks its lane.
 */

export interface SenderOptions {
  /** Entities per `POST /v2/op/update`. */
  maxBatchUpdates: number
  /** Bytes per request body; Orion refuses more than 1 MiB. */
  maxBatchBytes: number
  retryMinMs: number
  retryMaxMs: number
  /** Each request carrying traced updates is a hop of their traces. */
  tracer?: Tracer
}

interface LaneState {
  running: boolean
  timer: NodeJS.Timeout | null
  attempt: number
  /** While isolating a rejected update: the batch size to use (0 = normal). */
  limit: number
  /** …until updates up to this sequence number are settled. */
  suspectUntil: number
}

/** Statuses that are not about the updates themselves: the same request may succeed later. */
const TRANSIENT = new Set([401, 403, 404, 405, 407, 408, 429])

function transient(a: HttpAnswer): boolean {
  // Orion's answer to a URL it does not know (a wrong path prefix in IOTA_CB_URL) is a 400.
  return a.status >= 500 || TRANSIENT.has(a.status) || (a.status === 400 && a.body.includes('Service not found'))
}

export class Sender {
  private readonly states = new Map<string, LaneState>()
  private readonly running = new Set<Promise<void>>()
  private closed = false
  private lastWarnAt = 0
  private suppressed = 0
  readonly counters = { sent: 0, retried: 0, rejected: 0, requests: 0, lastSuccessAt: 0 }

  constructor(
    private readonly outbox: Outbox,
    private readonly orion: OrionClient,
    private readonly opts: SenderOptions,
    private readonly log: SourceLogger,
    private readonly onRejected: (text: string, error: string) => void = () => {}
  ) {}

  /** Makes sure the lane's queue is being worked on (hot path: at most one setImmediate). */
  kick(lane: Lane): void {
    const st = this.state(lane)
    if (st.running || st.timer || this.closed || lane.queue.length === 0) return
    st.running = true
    const run = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.run(lane, st))
    this.running.add(run)
    void run.finally(() => this.running.delete(run))
  }

  /** Every lane waiting for its back-off is tried now (Orion was seen answering again). */
  wakeAll(): void {
    for (const lane of this.outbox.lanes()) {
      const st = this.state(lane)
      if (st.timer) {
        clearTimeout(st.timer)
        st.timer = null
        st.attempt = 0
      }
      this.kick(lane)
    }
  }

  /** Stops sending; resolves once no request is in flight any more. */
  async close(): Promise<void> {
    this.closed = true
    for (const st of this.states.values()) if (st.timer) clearTimeout(st.timer)
    while (this.running.size) await Promise.allSettled([...this.running])
  }

  /** Resolves once no request is in flight (the owner may abort them meanwhile). */
  idle(): Promise<unknown> {
    return Promise.allSettled([...this.running])
  }

  private state(lane: Lane): LaneState {
    let st = this.states.get(lane.key)
    if (!st) this.states.set(lane.key, (st = { running: false, timer: null, attempt: 0, limit: 0, suspectUntil: 0 }))
    return st
  }

  private async run(lane: Lane, st: LaneState): Promise<void> {
    try {
      while (!this.closed) {
        const items = this.outbox.take(lane, st.limit || this.opts.maxBatchUpdates, this.opts.maxBatchBytes)
        if (items.length === 0) return
        let answer: HttpAnswer | Error
        this.counters.requests++
        const texts = items.map((i) => i.text)
        const started = performance.now()
        try {
          answer = await this.orion.postUpdates(lane.scope, texts)
        } catch (err) {
          answer = err as Error
        }
        // Traced updates (recorded while someone watched) get their hop even if watching stopped since.
        if (this.opts.tracer && this.traced(items)) this.trace(lane, st, items, texts, answer, performance.now() - started)
        if (!this.settle(lane, st, items, answer)) return
      }
    } finally {
      st.running = false
    }
  }

  /** Acts on Orion's answer; false when the lane must wait (back-off) or the sender is closed. */
  private settle(lane: Lane, st: LaneState, items: OutboxItem[], answer: HttpAnswer | Error): boolean {
    const n = items.length
    if (!(answer instanceof Error) && answer.status >= 200 && answer.status < 300) {
      this.outbox.done(items)
      this.counters.sent += n
      this.counters.lastSuccessAt = Date.now()
      st.attempt = 0
      if (st.limit && items[n - 1]!.seq >= st.suspectUntil) st.limit = 0
      return true
    }
    if (this.closed || answer instanceof Error || transient(answer)) {
      // Nothing is known to be wrong with these updates: they keep their place for the next attempt.
      this.outbox.requeue(items)
      if (this.closed) return false
      this.counters.retried += n
      const base = Math.min(this.opts.retryMaxMs, this.opts.retryMinMs * 2 ** Math.min(st.attempt++, 30))
      // "Equal jitter": half fixed, half random, so that lanes (and agents) do not retry in step.
      const delay = base / 2 + Math.random() * (base / 2)
      const why = answer instanceof Error ? answer.message : `HTTP ${answer.status}`
      this.log.debug('CB-RETRY', `${n} update(s) for ${lane.scope.service || '(default tenant)'}${lane.scope.servicePath} not sent (${why}); next attempt in ${Math.round(delay)} ms`)
      st.timer = setTimeout(() => {
        st.timer = null
        this.kick(lane)
      }, delay)
      return false
    }
    if (n === 1) {
      this.outbox.done(items)
      this.counters.rejected++
      const why = answerText(answer)
      this.warn(`the context broker refused an update of ${entityOf(items[0]!.text)} (${why}); it is dropped`)
      this.onRejected(items[0]!.text, why)
      return true
    }
    // Orion names no culprit for an invalid entity in a batch: halve until it is alone.
    st.limit = Math.ceil(n / 2)
    st.suspectUntil = Math.max(st.suspectUntil, items[n - 1]!.seq)
    this.outbox.requeue(items)
    return true
  }

  private traced(items: OutboxItem[]): boolean {
    for (const it of items) if (it.trace !== undefined) return true
    return false
  }

  /** The context-update hop of every traced update of this request: the request, Orion's answer, latency and attempts. */
  private trace(lane: Lane, st: LaneState, items: OutboxItem[], texts: string[], answer: HttpAnswer | Error, ms: number): void {
    const tracer = this.opts.tracer!
    const call = updateCall(lane.scope, texts)
    const body = call.body ?? ''
    const request = { method: call.method, url: this.orion.url + call.path, headers: safeHeaders(call.headers), body: excerpt(body), bodyBytes: Buffer.byteLength(body) }
    const result = answer instanceof Error ? { error: answer.message } : { status: answer.status }
    const latencyMs = Math.round(ms * 1000) / 1000
    const done = new Set<number>()
    for (const it of items) {
      if (it.trace === undefined || done.has(it.trace)) continue
      done.add(it.trace)
      tracer.hop(it.trace, { step: 'context-update', mode: 'external', request, batch: items.length, ...result, latencyMs, retries: st.attempt })
    }
  }

  /** At most one warning a second, with the count of those not logged. */
  private warn(message: string): void {
    const now = Date.now()
    if (now - this.lastWarnAt < 1000) {
      this.suppressed++
      return
    }
    this.log.warn('CB-UPDATE-REFUSED', this.suppressed ? `${message} (and ${this.suppressed} more like it)` : message)
    this.lastWarnAt = now
    this.suppressed = 0
  }
}

function answerText(a: HttpAnswer): string {
  try {
    const e = JSON.parse(a.body) as { error?: string; description?: string }
    return `${a.status} ${e.error ?? ''}: ${e.description ?? ''}`.trim()
  } catch {
    return `${a.status} ${a.body.slice(0, 200)}`.trim()
  }
}

/** The entity id of an update's JSON, for the log (`{"id":"…"` comes first). */
function entityOf(text: string): string {
  const m = /^\{"id":("(?:[^"\\]|\\.)*")/.exec(text)
  return m ? (JSON.parse(m[1]!) as string) : 'an entity'
}
