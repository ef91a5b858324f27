import type { SourceLogger } from '../../../log/logger'
import { checkPagination } from '../entity-reads'
import { badRequest, notFound } from '../errors'
import { newObjectId } from '../object-id'
import { checkTenant, parseServicePathHeader } from '../scope'
import { newCounters, type SubscriptionSpec } from './model'
import { inPath } from './subscription-match'
import { liveSubscription, type SubscriptionStore } from './subscription-store'
import { parseSubscription, patchedSpec, specOf } from './subscription-input'
import { subscriptionView, type SubscriptionView } from './subscription-view'

/**
 * The subscription operations (docs/compatibility/ngsi-v2.md §4.1) with Orion's scoping rules (§1.3): a subscription
 * belongs to a tenant and stores the first service path of the creating request (`/#` without
 * header), its matching scope. Listing with a path shows only those stored with exactly that
 * path (none or `/#`: all); GET by id with a path header needs an exact match too (functional
 * test 3945); PATCH stores the request's path (mongoUpdateSubscription); DELETE ignores it.
 */

export interface SubscriptionScope {
  service: string
  /** The `Fiware-ServicePath` header as received (may be absent). */
  servicePath?: string
}

export interface SubscriptionPage {
  limit?: number
  offset?: number
}

export const SUBSCRIPTION_NOT_FOUND = 'The requested subscription has not been found. Check id'

function firstPath(header: string | undefined, use: 'GET' | 'POST' | 'PATCH'): string | undefined {
  const paths = parseServicePathHeader(header, use === 'PATCH' ? 'POST' : use)
  return paths[0] === undefined || paths[0] === '' ? undefined : paths[0]
}

function targetUrl(spec: SubscriptionSpec): string {
  return (spec.notification.http ?? spec.notification.httpCustom)!.url
}

/** idCheck(): 24 hexadecimal characters. */
function checkId(id: string): string {
  if (id.length !== 24) throw badRequest('Invalid subscription ID: bad length - 24 chars expected')
  if (!/^[0-9a-fA-F]{24}$/.test(id)) throw badRequest('Invalid subscription ID: invalid char in ID string')
  return id.toLowerCase()
}

export class SubscriptionsApi {
  constructor(
    private readonly store: SubscriptionStore,
    private readonly log: SourceLogger,
    /** Called after a deletion (its pending notifications go too). */
    private readonly onDeleted: (id: string) => void = () => {}
  ) {}

  /** `POST /v2/subscriptions`: resolves with the new id once the subscription is on disk. */
  async create(scope: SubscriptionScope, body: unknown): Promise<string> {
    const tenant = checkTenant(scope.service)
    const servicePath = firstPath(scope.servicePath, 'POST') ?? '/#'
    const spec = specOf(parseSubscription(body, false))
    const sub = liveSubscription({ id: newObjectId(), tenant, servicePath, spec, counters: newCounters() })
    await this.store.create(sub)
    this.log.info('SUBSCRIPTION-CREATED', `subscription ${sub.id} created`, { service: tenant, servicePath, url: targetUrl(spec) })
    return sub.id
  }

  list(scope: SubscriptionScope, page: SubscriptionPage = {}): { subscriptions: SubscriptionView[]; count: number } {
    const tenant = checkTenant(scope.service)
    const { limit, offset } = checkPagination(page.limit, page.offset)
    const path = firstPath(scope.servicePath, 'GET')
    let all = this.store.list(tenant)
    if (path !== undefined && path !== '/#') all = all.filter((s) => s.servicePath === path)
    const now = Date.now()
    return { subscriptions: all.slice(offset, offset + limit).map((s) => subscriptionView(s, now)), count: all.length }
  }

  get(scope: SubscriptionScope, id: string): SubscriptionView {
    const tenant = checkTenant(scope.service)
    const key = checkId(id)
    const path = firstPath(scope.servicePath, 'GET')
    const sub = this.store.get(tenant, key)
    if (!sub || (path !== undefined && sub.servicePath !== path)) throw notFound(SUBSCRIPTION_NOT_FOUND)
    return subscriptionView(sub)
  }

  /** `PATCH /v2/subscriptions/{id}`: the fields given replace the stored ones. */
  async update(scope: SubscriptionScope, id: string, body: unknown): Promise<void> {
    const tenant = checkTenant(scope.service)
    const servicePath = firstPath(scope.servicePath, 'PATCH') ?? '/#'
    const patch = parseSubscription(body, true)
    const old = this.store.get(tenant, id.toLowerCase())
    if (!old) throw notFound('subscription id not found')
    const next = liveSubscription({ id: old.id, tenant, servicePath, spec: patchedSpec(old.spec, patch), counters: old.counters })
    await this.store.replace(old, next)
    this.log.info('SUBSCRIPTION-UPDATED', `subscription ${old.id} updated`, { service: tenant, servicePath, status: next.spec.status })
  }

  /**
   * The tenant's subscriptions that notify changes of entities of `servicePath`: those of exactly
   * that path and those made for a pattern covering it (`/#`, which a request without
   * `Fiware-ServicePath` gets). Not an Orion request: the lessons' checks use it.
   */
  covering(service: string, servicePath: string): SubscriptionView[] {
    const tenant = checkTenant(service)
    const now = Date.now()
    return this.store
      .list(tenant)
      .filter((s) => s.servicePath === servicePath || inPath(s.compiled, servicePath))
      .map((s) => subscriptionView(s, now))
  }

  async delete(scope: SubscriptionScope, id: string): Promise<void> {
    const tenant = checkTenant(scope.service)
    const sub = this.store.get(tenant, id.toLowerCase())
    if (!sub) throw notFound(SUBSCRIPTION_NOT_FOUND)
    await this.store.remove(sub)
    this.onDeleted(sub.id)
    this.log.info('SUBSCRIPTION-DELETED', `subscription ${sub.id} deleted`, { service: tenant })
  }
}
