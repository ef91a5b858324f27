import { join } from 'node:path'
import type { SourceLogger } from '../../../log/logger'
import type { EntityStore } from '../entity-store'
import { HttpSender, type SenderOptions } from './http-sender'
import { NotificationTrigger } from './notification-trigger'
import { Notifier, type NotifierOptions, type NotifierStats } from './notifier'
import { SubscriptionsApi } from './subscriptions-api'
import { SubscriptionStore } from './subscription-store'

/**
 * Subscriptions assembled: their store (subscriptions.db), the trigger on entity changes, the
 * notifier and the API. The broker holds one of these.
 */

export interface NotificationOptions extends NotifierOptions, SenderOptions {}

export interface SubscriptionServiceOptions {
  dataDir: string
  flushIntervalMs: number
  commitDelayMs: number
  compactionIntervalMs?: number
  log: SourceLogger
  notifications?: NotificationOptions
}

export class SubscriptionService {
  private constructor(
    readonly api: SubscriptionsApi,
    readonly trigger: NotificationTrigger,
    private readonly notifier: Notifier,
    private readonly store: SubscriptionStore
  ) {}

  static async open(entities: EntityStore, opts: SubscriptionServiceOptions): Promise<SubscriptionService> {
    const store = await SubscriptionStore.open(join(opts.dataDir, 'subscriptions.db'), opts)
    const n = opts.notifications ?? {}
    const sender = n.sender ?? new HttpSender(n)
    let trigger: NotificationTrigger | null = null
    const notifier = new Notifier((job, outcome) => trigger?.onResult(job, outcome), opts.log, { ...n, sender })
    trigger = new NotificationTrigger(entities, store, notifier, opts.log)
    const api = new SubscriptionsApi(store, opts.log, (id) => notifier.forget(id))
    return new SubscriptionService(api, trigger, notifier, store)
  }

  count(): number {
    return this.store.count()
  }

  stats(): NotifierStats {
    return this.notifier.stats()
  }

  /** Resolves once every queued notification has been delivered (or has failed). */
  idle(): Promise<void> {
    return this.notifier.idle()
  }

  async close(): Promise<void> {
    this.trigger.close()
    this.notifier.close()
    await this.store.close()
  }
}
