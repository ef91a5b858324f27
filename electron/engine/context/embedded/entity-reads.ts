import type { SourceLogger } from '../../log/logger'
import type { TutorialHosts } from '../../net/tutorial-hosts'
import type { EntityQuery, EntityQueryResult, EntityRef } from './api-types'
import { badRequest, entityNotFound, tooManyResults } from './errors'
import type { EntityStore } from './entity-store'
import { mergeProviderAttributes, queryProviders, sameEntity, withType, type EntitySpec, type QueryForward } from './forwarding/forward-query'
import type { ForwardOrigin } from './forwarding/provider-client'
import type { StoredEntity } from './model'
import { compileEntityFilter, type CompiledFilter } from './query/entity-filter'
import { parseOrderBy, sortEntities } from './query/order-by'
import { registrationCoversPath, registrationEntityType, type RegistrationStore, type StoredRegistration } from './registrations'
import { entityView, type EntityView, type ResolvedEntity } from './render'
import { servicePathMatcher } from './scope'

/**
 * Queries: local data first, then context providers for what registrations provide and the
 * entity lacks (docs/compatibility/ngsi-v2.md §5.4), unless `skipForwarding`.
 */

export interface ReadDeps {
  store: EntityStore
  registrations: RegistrationStore
  forwardTimeoutMs: number
  log: SourceLogger
  /** Routes providers' tutorial host names that do not resolve to the built-in services (net/tutorial-hosts.ts). */
  tutorialHosts?: TutorialHosts
}

export const DEFAULT_LIMIT = 20
export const MAX_LIMIT = 1000

/** Registered attributes a local entity lacks; null when the registration has nothing to add. */
function attrsToAsk(reg: StoredRegistration, local: StoredEntity | undefined): string[] | null {
  if (reg.attrs.length === 0) return []
  const missing = local ? reg.attrs.filter((a) => !local.attrs.has(a)) : reg.attrs
  return missing.length > 0 ? missing : null
}

/** Forwards needed to complete one entity known (or not) locally. */
function entityForwards(
  deps: ReadDeps,
  tenant: string,
  inScope: (regPath: string) => boolean,
  id: string,
  type: string | undefined,
  local: StoredEntity | undefined
): QueryForward[] {
  const covers = local ? (p: string) => registrationCoversPath(p, local.servicePath) : inScope
  const out: QueryForward[] = []
  for (const reg of deps.registrations.providersFor(tenant, covers, id, local?.type ?? type, 'query')) {
    const attrs = attrsToAsk(reg, local)
    if (attrs === null) continue
    const entityType = local?.type ?? type ?? registrationEntityType(reg, id)
    out.push({ registration: reg, entity: entityType === undefined ? { id } : { id, type: entityType }, attrs })
  }
  return out
}

/** Whether a registration stored under `regPath` is visible from a query scope. */
function scopeCovers(paths: string[]): (regPath: string) => boolean {
  const inPath = servicePathMatcher(paths)
  return (regPath) => {
    const base = regPath.endsWith('/#') ? regPath.slice(0, -2) || '/' : regPath
    return inPath(base)
  }
}

/** One entity by id (and type): 404 when neither local nor provided, 409 when ambiguous. */
export async function resolveEntity(
  deps: ReadDeps,
  tenant: string,
  paths: string[],
  ref: EntityRef,
  skipForwarding: boolean,
  origin: ForwardOrigin
): Promise<ResolvedEntity> {
  const found = deps.store.find(tenant, ref.id, ref.type, servicePathMatcher(paths))
  if (found.length > 1) throw tooManyResults()
  const local = found[0]
  const forwards = skipForwarding ? [] : entityForwards(deps, tenant, scopeCovers(paths), ref.id, ref.type, local)
  if (forwards.length === 0) {
    if (!local) throw entityNotFound()
    return local
  }
  const provided = await queryProviders(forwards, origin, { limit: DEFAULT_LIMIT - (local ? 1 : 0), offset: 0 }, deps.forwardTimeoutMs, deps.log, deps.tutorialHosts)
  const matching = provided.entities.filter((p) => sameEntity(p, ref.id, local?.type ?? ref.type))
  if (local) return mergeProviderAttributes(local, matching)
  const first = matching[0]
  if (!first) throw entityNotFound()
  return mergeProviderAttributes(withType(first, ref.type), matching.slice(1))
}

export function checkPagination(limit: number | undefined, offset: number | undefined): { limit: number; offset: number } {
  const l = limit ?? DEFAULT_LIMIT
  const o = offset ?? 0
  if (!Number.isInteger(l) || l < 0) throw badRequest(`Bad pagination limit: /${l}/ [must be a positive integer number]`)
  if (l > MAX_LIMIT) throw badRequest(`Bad pagination limit: /${l}/ [max: ${MAX_LIMIT}]`)
  if (!Number.isInteger(o) || o < 0) throw badRequest(`Bad pagination offset: /${o}/ [must be a decimal number]`)
  return { limit: l, offset: o }
}

/** The single entity type a query names, if any (given to provider answers without type). */
function singleTypeOf(query: EntityQuery): string | undefined {
  const specs = query.selector.entities
  if (specs) return specs.length === 1 && specs[0]!.type !== undefined ? specs[0]!.type : undefined
  return query.selector.types?.length === 1 ? query.selector.types[0] : undefined
}

/** Specs for entities that only providers may hold, derived from the query's selector. */
function providerOnlySpecs(reg: StoredRegistration, query: EntityQuery, known: Set<string>, testIdType: (id: string, type?: string) => boolean): EntitySpec[] {
  const out: EntitySpec[] = []
  const singleType = singleTypeOf(query)
  for (const e of reg.entities) {
    if (e.id !== undefined) {
      if (!known.has(e.id) && testIdType(e.id, e.type ?? singleType)) out.push(e.type ? { id: e.id, type: e.type } : { id: e.id })
    } else if (query.selector.entities) {
      // op/query: ask for each entity spec of the request (patterns included) the registration covers.
      for (const s of query.selector.entities) {
        const type = e.type ?? s.type
        if (e.type !== undefined && s.type !== undefined && s.type !== e.type) continue
        if (s.id !== undefined && known.has(s.id)) continue
        const spec: EntitySpec = s.id !== undefined ? { id: s.id } : { idPattern: s.idPattern ?? '.*' }
        if (type !== undefined) spec.type = type
        out.push(spec)
      }
    } else if (query.selector.ids) {
      for (const id of query.selector.ids) if (!known.has(id)) out.push(e.type ? { id, type: e.type } : { id })
    } else {
      const type = e.type ?? singleType
      const spec: EntitySpec = { idPattern: query.selector.idPattern ?? '.*' }
      if (type !== undefined) spec.type = type
      out.push(spec)
    }
  }
  return out
}

/**
 * Order of the matches: creation order by default; `orderBy=geo:distance` first means distance
 * from the `near` point and nothing else (Orion then leaves the order to MongoDB's $near, which
 * is no order at all without a near query).
 */
function sortMatches(matched: StoredEntity[], orderBy: ReturnType<typeof parseOrderBy> | null, filter: CompiledFilter): void {
  if (!orderBy) return
  if (orderBy[0]?.name === 'geo:distance' && !orderBy[0].descending) {
    const distance = filter.geo?.distance
    if (!distance) return
    const d = new Map(matched.map((e) => [e, distance(e)]))
    matched.sort((a, b) => d.get(a)! - d.get(b)!)
    return
  }
  sortEntities(matched, orderBy)
}

/** `GET /v2/entities` and `POST /v2/op/query`: filter, order, paginate, complete from providers, render views. */
export async function queryEntities(
  deps: ReadDeps,
  tenant: string,
  paths: string[],
  query: EntityQuery,
  origin: ForwardOrigin
): Promise<EntityQueryResult<EntityView>> {
  const { limit, offset } = checkPagination(query.limit, query.offset)
  const filter = compileEntityFilter(query.selector, paths)
  const orderBy = query.orderBy !== undefined ? parseOrderBy(query.orderBy) : null
  const matched: StoredEntity[] = []
  const inPath = servicePathMatcher(paths)
  // Ids present locally (even if filtered out): providers are never asked for those as new entities.
  const known = new Set<string>()
  for (const e of deps.store.entities(tenant)) {
    if (inPath(e.servicePath)) known.add(e.id)
    if (filter.test(e)) matched.push(e)
  }
  sortMatches(matched, orderBy, filter)
  let count = matched.length
  const page: ResolvedEntity[] = matched.slice(offset, offset + limit)

  if (!query.skipForwarding && limit > 0) {
    const inScope = scopeCovers(paths)
    const forwards: QueryForward[] = []
    for (const e of page) forwards.push(...entityForwards(deps, tenant, inScope, e.id, e.type, e as StoredEntity))
    // As Orion, entities held only by providers are looked for when nothing matched locally.
    if (matched.length === 0) {
      for (const reg of deps.registrations.providersFor(tenant, inScope, undefined, undefined, 'query')) {
        for (const entity of providerOnlySpecs(reg, query, known, (id, type) => filter.testIdType(id, type))) {
          forwards.push({ registration: reg, entity, attrs: reg.attrs })
        }
      }
    }
    if (forwards.length > 0) {
      const providerPage = { limit: Math.max(0, limit - page.length), offset: Math.max(0, offset - matched.length) }
      const provided = await queryProviders(forwards, origin, providerPage, deps.forwardTimeoutMs, deps.log, deps.tutorialHosts)
      count += provided.totalCount
      for (let i = 0; i < page.length; i++) {
        const local = page[i]!
        page[i] = mergeProviderAttributes(local, provided.entities.filter((p) => sameEntity(p, local.id, local.type)))
      }
      const singleType = singleTypeOf(query)
      // Entities only providers hold come after the local ones, as if they were local.
      for (const answer of provided.entities) {
        const p = withType(answer, singleType)
        if (known.has(p.id) || !filter.testIdType(p.id, p.type)) continue
        const same = page.findIndex((e) => e.id === p.id && e.type === p.type)
        if (same >= 0) page[same] = mergeProviderAttributes(page[same]!, [p])
        else if (page.length < limit) page.push(p)
      }
    }
  }
  return { entities: page.map((e) => entityView(e, query)), count }
}
