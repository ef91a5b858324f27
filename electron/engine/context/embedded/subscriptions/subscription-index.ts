import type { CompiledSubscription } from './subscription-match'
import type { PersistedSubscription } from './model'

/**
 * Which subscriptions an entity change has to look at. Per tenant, subscriptions are filed
 * under each entity item of their subject: an exact id goes to `byId`; a pattern with an exact
 * type goes to `byType`; anything else (a pattern without type, or a type pattern) is
 * checked for every change of the tenant. An update of an entity therefore costs a tenant
 * lookup and two map lookups when no subscription concerns it, however many exist.
 */

export interface LiveSubscription extends PersistedSubscription {
  compiled: CompiledSubscription
  /** Counters changed since the last write (the writer reads the record when it flushes). */
  dirty: boolean
  /** Visit stamp, so that a subscription filed under several keys is looked at once per change. */
  seen: number
}

export interface TenantIndex {
  byId: Map<string, LiveSubscription[]>
  byType: Map<string, LiveSubscription[]>
  rest: LiveSubscription[]
  size: number
}

function fileUnder(map: Map<string, LiveSubscription[]>, key: string, sub: LiveSubscription): void {
  const list = map.get(key)
  if (!list) map.set(key, [sub])
  else if (!list.includes(sub)) list.push(sub)
}

function unfile(map: Map<string, LiveSubscription[]>, sub: LiveSubscription): void {
  for (const [key, list] of map) {
    const rest = list.filter((s) => s !== sub)
    if (rest.length === 0) map.delete(key)
    else if (rest.length !== list.length) map.set(key, rest)
  }
}

export class SubscriptionIndex {
  private readonly tenants = new Map<string, TenantIndex>()

  tenant(name: string): TenantIndex | undefined {
    return this.tenants.get(name)
  }

  add(sub: LiveSubscription): void {
    let t = this.tenants.get(sub.tenant)
    if (!t) {
      t = { byId: new Map(), byType: new Map(), rest: [], size: 0 }
      this.tenants.set(sub.tenant, t)
    }
    for (const e of sub.spec.entities) {
      if (e.id !== undefined) fileUnder(t.byId, e.id, sub)
      else if (e.type !== undefined) fileUnder(t.byType, e.type, sub)
      else if (!t.rest.includes(sub)) t.rest.push(sub)
    }
    t.size++
  }

  remove(sub: LiveSubscription): void {
    const t = this.tenants.get(sub.tenant)
    if (!t) return
    unfile(t.byId, sub)
    unfile(t.byType, sub)
    t.rest = t.rest.filter((s) => s !== sub)
    t.size--
    if (t.size === 0) this.tenants.delete(sub.tenant)
  }

  /** Whether any subscription of the tenant may concern the entity (cheap pre-check). */
  mayConcern(tenant: TenantIndex, id: string, type: string): boolean {
    return tenant.rest.length > 0 || tenant.byId.has(id) || tenant.byType.has(type)
  }

  /** Calls `visit` once for each subscription that may concern entity id/type of the tenant. */
  forEachCandidate(tenant: TenantIndex, id: string, type: string, stamp: number, visit: (sub: LiveSubscription) => void): void {
    visitOnce(tenant.byId.get(id), stamp, visit)
    visitOnce(tenant.byType.get(type), stamp, visit)
    visitOnce(tenant.rest, stamp, visit)
  }
}

function visitOnce(list: LiveSubscription[] | undefined, stamp: number, visit: (sub: LiveSubscription) => void): void {
  if (!list) return
  for (const sub of list) {
    if (sub.seen === stamp) continue
    sub.seen = stamp
    visit(sub)
  }
}
