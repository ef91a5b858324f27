import { randomUUID } from 'node:crypto'
import type { SourceLogger } from '../../../log/logger'
import { NO_TRACER, type Tracer } from '../../../trace/tracer'
import type { EntityChange, EntityStore } from '../entity-store'
import type { SendOutcome } from './http-sender'
import { isExpired } from './model'
import { onlyChangedNames, snapshotEntity } from './notification-payload'
import type { NotificationJob } from './notification-request'
import type { Notifier } from './notifier'
import type { LiveSubscription } from './subscription-index'
import { alterationOf, classifyChange, entityMatches, expressionMatches, triggeredBy, type ClassifiedChange } from './subscription-match'
import type { SubscriptionStore } from './subscription-store'

/**
 * Turns entity changes into notifications (docs/compatibility/ngsi-v2.md §4.3), synchronously and cheaply, on the update
 * path: it listens to the entity store only while subscriptions exist, looks only at the
 * candidates the index gives for the entity, checks the cheap conditions first (status,
 * expiry, alteration, attributes, entity, throttling) and the expression last, then copies what
 * the notification needs and queues it. It also applies delivery results to the counters.
 */

/** The client request the changes being processed belong to (correlator, token). */
export interface RequestContext {
  correlator?: string
  authToken?: string
  /** Notifications of this request so far (`cbnotif=<n>`). */
  notified: number
  /** The trace of the measure being applied (trace/tracer.ts): its notifications are hops of it. */
  trace?: number
}

const NO_ATTRS: string[] = []

export class NotificationTrigger {
  private unlisten: (() => void) | null = null
  private stamp = 0
  private request: RequestContext | null = null
  /** Subscriptions whose failing is already logged (one warning per failure streak). */
  private readonly failing = new Set<string>()
  /** Records the notifications of traced updates (set by the broker). */
  tracer: Tracer = NO_TRACER
  /** Told of each delivery result once the subscription's counters show it (lessons check them): the tenant and the notified entity's service path. */
  readonly resultListeners = new Set<(tenant: string, servicePath: string) => void>()

  constructor(
    private readonly entities: EntityStore,
    private readonly subs: SubscriptionStore,
    private readonly notifier: Notifier,
    private readonly log: SourceLogger
  ) {
    subs.onSetChange = () => this.refresh()
    this.refresh()
  }

  /** Marks the start of a request's synchronous entity processing (see runWrite, upsertSync). */
  begin(ctx: RequestContext): void {
    this.request = ctx
  }

  end(): void {
    this.request = null
  }

  get active(): boolean {
    return this.unlisten !== null
  }

  close(): void {
    this.unlisten?.()
    this.unlisten = null
  }

  /** Listens only while subscriptions exist; previous values are recorded only when asked for. */
  private refresh(): void {
    const any = this.subs.count() > 0
    if (any && !this.unlisten) this.unlisten = this.entities.onChange(this.onChange)
    if (!any && this.unlisten) {
      this.unlisten()
      this.unlisten = null
    }
    let previous = false
    for (const s of this.subs.all()) if (s.compiled.needsPrevious) previous = true
    this.entities.capturePrevious = previous
  }

  // The change being dispatched, for `visit` (bound once: no closure per change on the hot path).
  private current: { change: EntityChange; classified: ClassifiedChange; now: number } | null = null

  private readonly onChange = (change: EntityChange): void => {
    const tenant = this.subs.index.tenant(change.service)
    if (!tenant || !this.subs.index.mayConcern(tenant, change.id, change.type)) return
    this.current = { change, classified: classifyChange(change), now: Date.now() }
    try {
      this.subs.index.forEachCandidate(tenant, change.id, change.type, ++this.stamp, this.visit)
    } finally {
      this.current = null
    }
  }

  private readonly visit = (sub: LiveSubscription): void => {
    const c = this.current!
    this.consider(sub, c.change, c.classified, c.now)
  }

  private consider(sub: LiveSubscription, change: EntityChange, cls: ClassifiedChange, now: number): void {
    const spec = sub.spec
    if (spec.status === 'inactive' || isExpired(spec, now)) return
    if (!triggeredBy(spec, sub.compiled, cls, change.servicePath)) return
    if (!entityMatches(sub.compiled, change.id, change.type)) return
    const n = spec.notification
    let onlyAttrs: string[] | null = null
    if (n.onlyChangedAttrs) {
      onlyAttrs = onlyChangedNames(n, cls.requestAttrs)
      if (onlyAttrs.length === 0) return
    }
    const last = sub.counters.lastNotification
    // Throttling drops (never delays) what comes too early.
    if (spec.throttling > 0 && last !== undefined && now - last < spec.throttling * 1000) return
    if (!expressionMatches(sub.compiled, change.entity)) return
    this.fire(sub, change, cls, onlyAttrs, now)
  }

  private fire(sub: LiveSubscription, change: EntityChange, cls: ClassifiedChange, onlyAttrs: string[] | null, now: number): void {
    const ctx = this.request ?? { notified: 0 }
    ctx.correlator ??= randomUUID()
    ctx.notified++
    const n = sub.spec.notification
    // A full queue gives back its oldest notification (dropped) to be reused for this one.
    const reused = this.notifier.evictIfFull(sub.id)
    const snapshot = snapshotEntity(change.entity, sub.compiled.snapshot, reused?.snapshot)
    const job: NotificationJob = reused ?? ({} as NotificationJob)
    job.subscriptionId = sub.id
    job.tenant = sub.tenant
    job.spec = n
    job.correlator = ctx.correlator
    job.notifIndex = ctx.notified
    job.snapshot = snapshot
    job.alterationType = alterationOf(cls.kind)
    job.onlyAttrs = onlyAttrs
    job.previous = sub.compiled.needsPrevious ? (change.previous ?? null) : null
    // Only actionType needs them; not keeping them spares the queue an array per notification.
    job.requestAttrs = sub.compiled.needsPrevious ? cls.requestAttrs : NO_ATTRS
    job.authToken = ctx.authToken
    job.trace = ctx.trace
    // Counted when fired, as Orion does; a oneshot subscription fires once.
    sub.counters.timesSent++
    sub.counters.lastNotification = now
    if (sub.spec.status === 'oneshot') sub.spec = { ...sub.spec, status: 'inactive' }
    this.subs.markDirty(sub)
    this.notifier.enqueue(job)
  }

  /** The notification hop of the traced update that fired it. */
  private traceResult(job: NotificationJob, outcome: SendOutcome): void {
    const url = (job.spec.http ?? job.spec.httpCustom)?.url ?? ''
    const result = !outcome.ok
      ? { error: outcome.reason }
      : outcome.receiver
        ? { status: outcome.status, receiver: 'built-in' as const, host: outcome.receiver.host }
        : { status: outcome.status }
    const routed = outcome.routed ? { routed: { host: outcome.routed.host, service: outcome.routed.service, url: outcome.routed.url } } : {}
    this.tracer.hop(job.trace, { step: 'notification', subscriptionId: job.subscriptionId, url, ...result, ...routed })
  }

  /** A delivery finished: Orion 4.x counters, and maxFailsLimit deactivation. */
  readonly onResult = (job: NotificationJob, outcome: SendOutcome): void => {
    if (job.trace !== undefined) this.traceResult(job, outcome)
    const sub = this.subs.get(job.tenant, job.subscriptionId)
    if (!sub) return
    const c = sub.counters
    const now = Date.now()
    if (outcome.ok) {
      c.failsCounter = 0
      c.lastSuccess = now
      c.lastSuccessCode = outcome.status
      if (this.failing.delete(sub.id)) this.log.info('NOTIFY-RECOVERED', `notifications of subscription ${sub.id} work again`)
    } else {
      const limit = sub.spec.notification.maxFailsLimit
      if (limit > 0 && c.failsCounter >= limit && sub.spec.status !== 'inactive') {
        sub.spec = { ...sub.spec, status: 'inactive' }
        this.log.warn('SUBSCRIPTION-DISABLED', `Subscription ${sub.id} automatically disabled due to failsCounter (${c.failsCounter + 1}) overpasses maxFailsLimit (${limit})`)
      }
      c.failsCounter++
      c.lastFailure = now
      c.lastFailureReason = outcome.reason
      if (!this.failing.has(sub.id)) {
        this.failing.add(sub.id)
        this.log.warn('NOTIFY-FAILED', `notification of subscription ${sub.id} failed: ${outcome.reason}`, { url: targetUrl(sub) })
      }
    }
    this.subs.markDirty(sub)
    for (const l of this.resultListeners) l(sub.tenant, job.snapshot.servicePath || '/')
  }
}

function targetUrl(sub: LiveSubscription): string {
  return (sub.spec.notification.http ?? sub.spec.notification.httpCustom)!.url
}
