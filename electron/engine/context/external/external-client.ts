import { join } from 'node:path'
import type { ContextBrokerAuthConfig } from '../../config/types'
import type { Logger, SourceLogger } from '../../log/logger'
import { NO_TRACER, type Tracer } from '../../trace/tracer'
import { MAX_REQUEST_BYTES } from '../embedded-client'
import {
  NgsiError,
  type ContextBrokerClient,
  type ContextClientStats,
  type EntityUpdate,
  type NgsiAttribute,
  type RegistrationRequest,
  type Scope,
  type SubscriptionRequest
} from '../types'
import { fileTrustStore } from './orion-auth'
import { BATCH_ENVELOPE_BYTES, entityText, OrionClient, type RequestOutcome } from './orion-client'
import { Outbox } from './outbox'
import { Sender } from './sender'

/** Settings of the client; the defaults suit a field deployment. */
export interface ExternalClientOptions {
  /** Base URL of Orion, e.g. `http://orion:1026`. */
  url: string
  /** The engine's data directory; the queue lives in `<dataDir>/external-cb-queue/`. */
  dataDir: string
  logger: Logger
  /** Group commit of the queue (the engine's persistence settings). */
  flushIntervalMs?: number
  commitDelayMs?: number
  /** Queue bounds: beyond them the oldest updates are dropped (default 100,000 updates, 64 MiB). */
  queueMaxUpdates?: number
  queueMaxBytes?: number
  /** Timeout of one request (default 10 s). */
  timeoutMs?: number
  /** How often Orion is probed with `GET /version` for its state and version (default 10 s; 0: never). */
  probeIntervalMs?: number
  /** Back-off between attempts while Orion does not answer (default 250 ms doubling up to 30 s). */
  retryMinMs?: number
  retryMaxMs?: number
  /** Batch bounds (default 500 entities, 1,000,000 bytes: under Orion's 1 MiB). */
  maxBatchUpdates?: number
  maxBatchBytes?: number
  /** Records the requests traced updates went out in. */
  tracer?: Tracer
  /** Authentication towards Orion (a PEP proxy in front of it). */
  auth?: ContextBrokerAuthConfig
  /** PEM certificate authorities for an https Orion. */
  ca?: string | Buffer
}

export const QUEUE_DIR = 'external-cb-queue'
/** The OAuth2 refresh token last renewed (orion-auth.ts TrustStore). */
export const AUTH_TRUST_FILE = 'external-cb-auth.json'

/**
 * The IoT Agent's client of an external Orion (docs/compatibility/iot-agent-ul.md §4–§5), faster than the
 * FIWARE agent and without losing data: measures and command statuses go through a durable
 * queue (Outbox) and are sent in order-preserving batches (Sender); registrations, device-update
 * attributes and configuration lookups are the agent's requests, made at once (OrionClient).
 *
 * `upsert` never waits and never touches the disk or the network; `whenDurable` tells when what
 * was queued is on disk, which is when a QoS 1 measure may be acknowledged.
 */
export class ExternalContextClient implements ContextBrokerClient {
  readonly kind = 'external' as const
  private readonly log: SourceLogger
  private readonly sender: Sender
  private readonly listeners = new Set<(reachable: boolean) => void>()
  private readonly upsertListeners = new Set<(scope: Scope, update: EntityUpdate) => void>()
  private reachable: boolean | undefined
  /** When `reachable` took its current value (ms since the epoch). */
  private reachableSince: number | undefined
  private lastError: string | undefined
  private lastErrorAt: number | undefined
  private lastAnswerAt: number | undefined
  private probeTimer: NodeJS.Timeout | undefined
  private probing = false
  private rejectedSync = 0
  private closing: Promise<void> | null = null
  private readonly tracer: Tracer
  /** The HTTP client of the external Orion, also for the GUI's reads and commands. */
  readonly orion: OrionClient

  private constructor(
    private readonly outbox: Outbox,
    opts: ExternalClientOptions
  ) {
    this.log = opts.logger.child('context')
    this.tracer = opts.tracer ?? NO_TRACER
    this.orion = new OrionClient(
      opts.url,
      {
        timeoutMs: opts.timeoutMs ?? 10_000,
        auth: opts.auth,
        ca: opts.ca,
        trustStore: fileTrustStore(join(opts.dataDir, AUTH_TRUST_FILE)),
        onStoreError: (err) => this.log.warn('CB-AUTH-STORE', `the refresh token the OAuth2 server renewed could not be saved (${err.message}); the next start uses the configured one`)
      },
      (o) => this.observe(o)
    )
    this.sender = new Sender(
      outbox,
      this.orion,
      {
        maxBatchUpdates: opts.maxBatchUpdates ?? 500,
        maxBatchBytes: Math.min(opts.maxBatchBytes ?? 1_000_000, MAX_REQUEST_BYTES - BATCH_ENVELOPE_BYTES),
        retryMinMs: opts.retryMinMs ?? 250,
        retryMaxMs: opts.retryMaxMs ?? 30_000,
        tracer: this.tracer
      },
      this.log,
      (_text, why) => this.noteError(`update refused: ${why}`)
    )
    const every = opts.probeIntervalMs ?? 10_000
    if (every > 0) {
      this.probeTimer = setInterval(() => void this.probe(Math.min(every, 5000)), every)
      this.probeTimer.unref?.()
    }
  }

  /**
   * One probe of Orion (`GET /version`): its answer or failure updates the reachability, the last
   * answer and the version the status shows. Never rejects; one probe at a time.
   */
  async probe(timeoutMs = 5000): Promise<void> {
    if (this.probing || this.closing) return
    this.probing = true
    try {
      await this.orion.version(timeoutMs)
    } catch {
      // The outcome was observed (observe()); a 4xx or an unreadable body is noted here.
    } finally {
      this.probing = false
    }
  }

  /** Opens the queue (updates a previous run left are sent again) and starts sending. */
  static async open(opts: ExternalClientOptions): Promise<ExternalContextClient> {
    const log = opts.logger.child('context')
    const outbox = await Outbox.open(join(opts.dataDir, QUEUE_DIR), {
      maxUpdates: opts.queueMaxUpdates ?? 100_000,
      maxBytes: opts.queueMaxBytes ?? 64 * 1024 * 1024,
      flushIntervalMs: opts.flushIntervalMs ?? 1000,
      commitDelayMs: opts.commitDelayMs ?? 5,
      onError: (err) => log.error('CB-QUEUE-WRITE', `writing the queue of the external context broker failed: ${err.message}`)
    })
    const client = new ExternalContextClient(outbox, opts)
    const c = outbox.counters
    if (c.loaded) log.info('CB-QUEUE-LOADED', `${c.loaded} update(s) queued for ${opts.url} before the last stop are sent again`)
    if (c.dropped) log.warn('CB-QUEUE-FULL', `${c.dropped} of them, the oldest, were dropped: the queue is smaller than they are`)
    if (c.tornLines) log.warn('CB-QUEUE-TORN', `${c.tornLines} incomplete line(s) of the queue files skipped (a write cut by a crash)`)
    for (const lane of outbox.lanes()) client.sender.kick(lane)
    return client
  }

  get url(): string {
    return this.orion.url
  }

  /**
   * Queues the updates, in order, for `POST /v2/entities?options=upsert` / `POST /v2/op/update`.
   * Throws at once, as Orion would answer 413, when the request iotagent-ul would send for them
   * is over 1 MiB; every other refusal comes from Orion, later, and is counted in `failed`.
   */
  upsert(scope: Scope, updates: EntityUpdate[], trace?: number): void {
    if (updates.length === 0) return
    const texts = updates.map(entityText)
    const sizes = texts.map((t) => Buffer.byteLength(t))
    const total = updates.length === 1 ? sizes[0]! : sizes.reduce((a, b) => a + b + 1, BATCH_ENVELOPE_BYTES - 1)
    if (total > MAX_REQUEST_BYTES) {
      this.rejectedSync += updates.length
      throw new NgsiError(413, 'RequestEntityTooLarge', `payload size: ${total}, max size supported: ${MAX_REQUEST_BYTES}`)
    }
    const lane = this.outbox.lane(scope)
    for (let i = 0; i < texts.length; i++) this.outbox.push(lane, texts[i]!, sizes[i]!, trace)
    if (trace !== undefined) this.tracer.hop(trace, { step: 'queued', entities: updates.length })
    this.sender.kick(lane)
    if (this.upsertListeners.size) for (const u of updates) for (const l of this.upsertListeners) l(scope, u)
  }

  /**
   * Every update as it is queued (what the agent sends Orion), synchronously: with an external
   * Orion there are no entity change events in this process, and the GUI's live views (telemetry,
   * entity activity) can follow the agent's own updates instead. Listeners must not modify them.
   */
  onUpsert(listener: (scope: Scope, update: EntityUpdate) => void): () => void {
    this.upsertListeners.add(listener)
    return () => this.upsertListeners.delete(listener)
  }

  whenDurable(cb: (err?: Error) => void): void {
    this.outbox.whenDurable(cb)
  }

  createRegistration(scope: Scope, registration: RegistrationRequest): Promise<string> {
    return this.orion.createRegistration(scope, registration)
  }

  getRegistration(scope: Scope, id: string): Promise<RegistrationRequest | undefined> {
    return this.orion.getRegistration(scope, id)
  }

  deleteRegistration(scope: Scope, id: string): Promise<void> {
    return this.orion.deleteRegistration(scope, id)
  }

  createSubscription(scope: Scope, subscription: SubscriptionRequest): Promise<string> {
    return this.orion.createSubscription(scope, subscription)
  }

  appendAttributes(scope: Scope, update: EntityUpdate): Promise<void> {
    return this.orion.appendAttributes(scope, update)
  }

  getAttributes(scope: Scope, id: string, type: string, names: string[]): Promise<Record<string, NgsiAttribute>> {
    return this.orion.getAttributes(scope, id, type, names)
  }

  /** Called with the new value whenever Orion goes from answering to not answering, or back (not for the first request). */
  onReachability(listener: (reachable: boolean) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  stats(): ContextClientStats {
    const q = this.outbox.counters
    const s = this.sender.counters
    const out: ContextClientStats = {
      updates: q.queued,
      failed: s.rejected + this.rejectedSync,
      queued: q.queued,
      sent: s.sent,
      retried: s.retried,
      dropped: q.dropped,
      backlog: this.outbox.backlog,
      backlogBytes: this.outbox.backlogBytes,
      inFlight: this.outbox.inFlight
    }
    if (this.lastError !== undefined) Object.assign(out, { lastError: this.lastError, lastErrorAt: this.lastErrorAt })
    if (s.lastSuccessAt) out.lastSuccessAt = s.lastSuccessAt
    if (this.reachable !== undefined) Object.assign(out, { reachable: this.reachable, reachableSince: this.reachableSince })
    if (this.lastAnswerAt !== undefined) out.lastAnswerAt = this.lastAnswerAt
    if (this.orion.lastVersion !== undefined) out.version = this.orion.lastVersion
    return out
  }

  /**
   * Stops sending (a request in flight gets a moment to finish, then is abandoned: its updates
   * stay queued), writes the queue and closes it. What is still queued is sent after the next start.
   */
  close(graceMs = 2000): Promise<void> {
    clearInterval(this.probeTimer)
    this.closing ??= (async () => {
      const stopped = this.sender.close()
      let timer: NodeJS.Timeout | undefined
      await Promise.race([stopped, new Promise<void>((r) => (timer = setTimeout(r, graceMs)))])
      clearTimeout(timer)
      this.orion.close()
      await stopped
      await this.outbox.close()
      const left = this.outbox.backlog
      if (left) this.log.info('CB-QUEUE-KEPT', `${left} update(s) for ${this.url} stay queued on disk until the next start`)
    })()
    return this.closing
  }

  private noteError(message: string): void {
    this.lastError = message
    this.lastErrorAt = Date.now()
  }

  /** Every request's outcome: reachability transitions are logged, announced and wake the queue. */
  private observe(o: RequestOutcome): void {
    // No token, no request: Orion's reachability is unknown. Said once per cause, not per attempt.
    if (o.auth) {
      if (o.error !== this.lastError) this.log.warn('CB-AUTH', `no token for the context broker at ${this.url}: ${o.error}; updates wait in the queue on disk`)
      if (o.error) this.noteError(o.error)
      return
    }
    if (o.error) this.noteError(o.error)
    if (o.reachable) this.lastAnswerAt = Date.now()
    if (o.reachable === this.reachable) return
    const before = this.reachable
    this.reachable = o.reachable
    this.reachableSince = Date.now()
    if (!o.reachable) {
      this.log.warn('CB-UNREACHABLE', `the context broker at ${this.url} does not answer (${o.error}); updates wait in the queue on disk (${this.outbox.backlog} now)`)
    } else if (before === false) {
      this.log.info('CB-REACHABLE', `the context broker at ${this.url} answers again; ${this.outbox.backlog} queued update(s) are being sent`)
      this.sender.wakeAll()
    }
    // The first answer (or silence) at start is not a change: listeners hear of later ones only.
    if (before !== undefined) for (const l of this.listeners) l(o.reachable)
  }
}
