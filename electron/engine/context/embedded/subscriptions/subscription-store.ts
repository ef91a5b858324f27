import type { SourceLogger } from '../../../log/logger'
import { CoalescedWriter } from '../../../persist/coalesced-writer'
import { DocStore } from '../../../persist/doc-store'
import type { PersistedSubscription } from './model'
import { SubscriptionIndex, type LiveSubscription } from './subscription-index'
import { compileSubscription } from './subscription-match'

/**
 * Subscriptions in memory (per tenant, in id order = creation order) and in subscriptions.db.
 * Every record goes through one coalesced writer: creations, patches and deletions are awaited
 * (group commit) before the client hears back; counter changes are only marked, so that many
 * notifications cost one write per subscription per flush.
 */

export interface StoreOptions {
  flushIntervalMs: number
  commitDelayMs: number
  compactionIntervalMs?: number
  log: SourceLogger
}

function record(sub: LiveSubscription): PersistedSubscription {
  return { id: sub.id, tenant: sub.tenant, servicePath: sub.servicePath, spec: sub.spec, counters: { ...sub.counters } }
}

export function liveSubscription(p: PersistedSubscription): LiveSubscription {
  return { ...p, compiled: compileSubscription(p.spec, p.servicePath), dirty: false, seen: 0 }
}

export class SubscriptionStore {
  readonly index = new SubscriptionIndex()
  private readonly byTenant = new Map<string, Map<string, LiveSubscription>>()
  private count_ = 0
  /** Called whenever the set of subscriptions (or one of them) changed. */
  onSetChange: () => void = () => {}

  private constructor(
    private readonly docs: DocStore<PersistedSubscription>,
    private readonly writer: CoalescedWriter<PersistedSubscription>
  ) {}

  static async open(filename: string, opts: StoreOptions): Promise<SubscriptionStore> {
    const docs = await DocStore.open<PersistedSubscription>(filename, opts.compactionIntervalMs)
    if (docs.notice) opts.log.warn('DATAFILE-REPAIRED', docs.notice)
    const writer = new CoalescedWriter(docs, {
      flushIntervalMs: opts.flushIntervalMs,
      commitDelayMs: opts.commitDelayMs,
      onError: (err) => opts.log.error('PERSIST-SUBSCRIPTIONS', `writing subscriptions.db failed: ${err.message}`)
    })
    const store = new SubscriptionStore(docs, writer)
    const all = (await docs.all()).map((r) => r.value).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    for (const p of all) {
      try {
        store.insert(liveSubscription(p))
      } catch (err) {
        opts.log.error('SUBSCRIPTION-LOAD', `subscription ${p.id} could not be restored: ${(err as Error).message}`)
      }
    }
    return store
  }

  count(): number {
    return this.count_
  }

  /** Subscriptions of a tenant in creation order. */
  list(tenant: string): LiveSubscription[] {
    return [...(this.byTenant.get(tenant)?.values() ?? [])]
  }

  get(tenant: string, id: string): LiveSubscription | undefined {
    return this.byTenant.get(tenant)?.get(id)
  }

  all(): Iterable<LiveSubscription> {
    return [...this.byTenant.values()].flatMap((t) => [...t.values()])
  }

  /** Stores a new subscription; resolves once it is on disk, then it starts to fire. */
  async create(sub: LiveSubscription): Promise<void> {
    this.writer.mark(sub.id, () => record(sub))
    await this.writer.durable()
    this.insert(sub)
    this.onSetChange()
  }

  /** Replaces a subscription by its patched version (same id); resolves once on disk. */
  async replace(old: LiveSubscription, next: LiveSubscription): Promise<void> {
    this.index.remove(old)
    this.byTenant.get(old.tenant)!.set(old.id, next)
    this.index.add(next)
    this.onSetChange()
    this.writer.mark(next.id, () => record(next))
    await this.writer.durable()
  }

  async remove(sub: LiveSubscription): Promise<void> {
    const t = this.byTenant.get(sub.tenant)
    if (!t?.delete(sub.id)) return
    if (t.size === 0) this.byTenant.delete(sub.tenant)
    this.index.remove(sub)
    this.count_--
    this.onSetChange()
    this.writer.mark(sub.id, () => null)
    await this.writer.durable()
  }

  /** Counters or status changed: written with the next flush, not now. */
  markDirty(sub: LiveSubscription): void {
    if (sub.dirty || this.get(sub.tenant, sub.id) !== sub) return
    sub.dirty = true
    this.writer.mark(sub.id, () => {
      sub.dirty = false
      // A patch may have replaced the object meanwhile: write whatever holds the id now.
      const current = this.get(sub.tenant, sub.id)
      return current ? record(current) : null
    })
  }

  async close(): Promise<void> {
    await this.writer.close()
    await this.docs.close()
  }

  private insert(sub: LiveSubscription): void {
    let t = this.byTenant.get(sub.tenant)
    if (!t) {
      t = new Map()
      this.byTenant.set(sub.tenant, t)
    }
    t.set(sub.id, sub)
    this.index.add(sub)
    this.count_++
  }
}
