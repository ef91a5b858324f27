/**
 * What a lesson's checks and its reset need of the context broker, for one tenant: its entities,
 * registrations and subscriptions, read and deleted. Embedded: direct calls to the broker;
 * external Orion: its NGSI-v2 API through the engine's Orion client (docs/compatibility/ngsi-v2.md
 * §2, §4, §5), as any client would.
 */
import type { EntityDto } from '../../../shared/contract'
import { entityDto } from '../api/entity-dto'
import type { ContextSide } from '../compose-context'
import { entityText } from '../context/embedded/render'
import { tenantHeaders, type OrionClient } from '../context/external/orion-client'
import type { Scope } from '../context/types'

/** Orion's largest page. */
const PAGE = 1000

export interface TenantContext {
  readonly mode: 'embedded' | 'external'
  entities(scope: Scope): Promise<EntityDto[]>
  registrations(scope: Scope): Promise<unknown[]>
  subscriptions(scope: Scope): Promise<unknown[]>
  /** Deletes every entity, registration and subscription of the tenant's service path; returns how many of each. */
  clear(scope: Scope): Promise<{ entities: number; registrations: number; subscriptions: number }>
  /** Embedded only: a change of an entity of a tenant, or of a subscription's counters by a notification (an external Orion tells nothing). */
  onChange(listener: (service: string, servicePath: string) => void): () => void
}

const idOf = (x: unknown): string | undefined => {
  const id = (x as { id?: unknown } | null)?.id
  return typeof id === 'string' ? id : undefined
}

export function tenantContext(side: ContextSide): TenantContext {
  if (side.mode === 'embedded') {
    const cb = side.broker
    const query = (scope: Scope) => ({ service: scope.service, servicePaths: [scope.servicePath] })
    const entities = async (scope: Scope): Promise<EntityDto[]> => {
      const r = await cb.queryEntities(query(scope), { selector: {}, limit: PAGE })
      return r.entities.map((v) => entityDto(JSON.parse(entityText(v, 'normalized'))))
    }
    const registrations = async (scope: Scope): Promise<unknown[]> => cb.listRegistrations({ service: scope.service, servicePath: scope.servicePath }, { limit: PAGE }).registrations
    // Those made without Fiware-ServicePath (`/#`, as Postman's tutorial requests make them) apply to the lesson's path too.
    const subscriptions = async (scope: Scope): Promise<unknown[]> => cb.subscriptionsCovering(scope.service, scope.servicePath)
    return {
      mode: 'embedded',
      entities,
      registrations,
      subscriptions,
      clear: async (scope) => {
        const out = { entities: 0, registrations: 0, subscriptions: 0 }
        const ctx = { service: scope.service, servicePath: scope.servicePath }
        for (const s of await subscriptions(scope)) {
          const id = idOf(s)
          if (id) await cb.deleteSubscription(ctx, id).then(() => out.subscriptions++)
        }
        for (const r of await registrations(scope)) {
          const id = idOf(r)
          if (id) await cb.deleteRegistration(ctx, id).then(() => out.registrations++)
        }
        // Page by page: a deletion shortens the list.
        for (let batch = await entities(scope), rounds = 0; batch.length > 0 && rounds < 100; batch = await entities(scope), rounds++) {
          for (const e of batch) await cb.deleteEntity(ctx, { id: e.id, type: e.type }).then(() => out.entities++)
        }
        return out
      },
      onChange: (listener) => {
        const offEntities = cb.onChange((c) => listener(c.service, c.servicePath))
        // A `subscription` check with `notified` is met only once the delivery result is in the counters.
        const offResults = cb.onNotificationResult(listener)
        return () => {
          offEntities()
          offResults()
        }
      }
    }
  }
  return orionTenantContext(side.orion)
}

function orionTenantContext(orion: OrionClient): TenantContext {
  const list = async (scope: Scope, what: 'registrations' | 'subscriptions'): Promise<unknown[]> => {
    const a = await orion.call({ method: 'GET', path: `/v2/${what}?limit=${PAGE}`, headers: { Accept: 'application/json', ...tenantHeaders(scope) } })
    if (a.status !== 200) throw new Error(`the context broker answered ${a.status} to GET /v2/${what}`)
    const body = JSON.parse(a.body) as unknown
    return Array.isArray(body) ? (body as unknown[]) : []
  }
  const entities = async (scope: Scope): Promise<EntityDto[]> => (await orion.listEntities(scope, { limit: PAGE })).entities.map(entityDto)
  const remove = async (scope: Scope, path: string): Promise<boolean> => {
    const a = await orion.call({ method: 'DELETE', path, headers: { Accept: 'application/json', ...tenantHeaders(scope) } })
    if (a.status === 404) return false
    if (a.status >= 300) throw new Error(`the context broker answered ${a.status} to DELETE ${path}`)
    return true
  }
  return {
    mode: 'external',
    entities,
    registrations: (scope) => list(scope, 'registrations'),
    subscriptions: (scope) => list(scope, 'subscriptions'),
    clear: async (scope) => {
      const out = { entities: 0, registrations: 0, subscriptions: 0 }
      for (const s of await list(scope, 'subscriptions')) {
        const id = idOf(s)
        if (id && (await remove(scope, `/v2/subscriptions/${encodeURIComponent(id)}`))) out.subscriptions++
      }
      for (const r of await list(scope, 'registrations')) {
        const id = idOf(r)
        if (id && (await remove(scope, `/v2/registrations/${encodeURIComponent(id)}`))) out.registrations++
      }
      for (let batch = await entities(scope), rounds = 0; batch.length > 0 && rounds < 100; batch = await entities(scope), rounds++) {
        let removed = 0
        for (const e of batch) if (await remove(scope, `/v2/entities/${encodeURIComponent(e.id)}?type=${encodeURIComponent(e.type)}`)) removed++
        out.entities += removed
        if (removed === 0) break
      }
      return out
    },
    onChange: () => () => {}
  }
}
