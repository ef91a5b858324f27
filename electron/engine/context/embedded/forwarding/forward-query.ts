import type { SourceLogger } from '../../../log/logger'
import type { TutorialHosts } from '../../../net/tutorial-hosts'
import { normalizeAttribute } from '../attribute-input'
import { parseAttributeObject } from '../entity-json'
import { toJsonText } from '../json-text'
import type { StoredAttribute } from '../model'
import type { StoredRegistration } from '../registrations'
import type { ResolvedEntity } from '../render'
import { postToProvider, providerTarget, type ForwardOrigin } from './provider-client'

/**
 * Forwarded queries (docs/compatibility/ngsi-v2.md §5.4, postQueryContext.cpp): `POST <provider path>/op/query?limit=…&
 * offset=…&options=count` with `{"entities":[<one entity>],"attrs":[…]}`, one request per provider
 * and entity; the provider answers a normalized
 * entity array. A provider that fails, times out or answers something else is ignored (the
 * client still gets the local data). Provider attributes are merged after the local ones;
 * local attributes shadow provider ones of the same name.
 */

export interface EntitySpec {
  id?: string
  idPattern?: string
  type?: string
}

export interface QueryForward {
  registration: StoredRegistration
  entity: EntitySpec
  /** Registered attributes not present locally; [] = all (registration without attrs). */
  attrs: string[]
}

/** One forwarded query: one provider, one entity; attrs null = all. */
interface ProviderRequest {
  url: string
  entity: EntitySpec
  attrs: string[] | null
}

function entityKey(e: EntitySpec): string {
  return JSON.stringify([e.id ?? null, e.idPattern ?? null, e.type ?? null])
}

/**
 * The forwarded queries, as Orion's postQueryContext builds them: one per provider and entity
 * (never several entities, nor several providers, in one request), entity by entity in the order
 * they come, each entity's providers in registration order. An attribute two registrations
 * provide is asked of the first one only (cprLookupByAttribute); a registration without attrs
 * asks for everything.
 */
function group(forwards: QueryForward[]): ProviderRequest[] {
  const byEntity = new Map<string, { requests: Map<string, ProviderRequest>; claimed: Map<string, string> }>()
  for (const f of forwards) {
    const key = entityKey(f.entity)
    let entity = byEntity.get(key)
    if (!entity) {
      entity = { requests: new Map(), claimed: new Map() }
      byEntity.set(key, entity)
    }
    const url = f.registration.url
    let attrs: string[] | null
    if (f.attrs.length === 0) attrs = null
    else {
      attrs = []
      for (const a of f.attrs) {
        const owner = entity.claimed.get(a)
        if (owner !== undefined && owner !== url) continue
        entity.claimed.set(a, url)
        attrs.push(a)
      }
      // Every attribute it offers is provided by an earlier registration: nothing to ask.
      if (attrs.length === 0) continue
    }
    const r = entity.requests.get(url)
    if (!r) entity.requests.set(url, { url, entity: f.entity, attrs })
    else if (attrs === null || r.attrs === null) r.attrs = null
    else for (const a of attrs) if (!r.attrs.includes(a)) r.attrs.push(a)
  }
  const out: ProviderRequest[] = []
  for (const entity of byEntity.values()) out.push(...entity.requests.values())
  return out
}

function queryBody(req: ProviderRequest): string {
  const e = req.entity
  const parts: string[] = []
  if (e.id !== undefined) parts.push(`"id":${toJsonText(e.id)}`)
  if (e.idPattern !== undefined) parts.push(`"idPattern":${toJsonText(e.idPattern)}`)
  if (e.type !== undefined) parts.push(`"type":${toJsonText(e.type)}`)
  return `{"entities":[{${parts.join(',')}}],"attrs":${toJsonText(req.attrs ?? [])}}`
}

/** Parses a provider's answer; throws when it is not a normalized entity array. */
function parseProviderEntities(body: string): ResolvedEntity[] {
  const data: unknown = JSON.parse(body)
  if (!Array.isArray(data)) throw new Error('not a JSON array')
  return data.map((item) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new Error('entity is not an object')
    const { id, type, ...rest } = item as Record<string, unknown>
    if (typeof id !== 'string' || (type !== undefined && typeof type !== 'string')) throw new Error('bad id or type')
    const attrs = new Map<string, StoredAttribute>()
    for (const [name, raw] of Object.entries(rest)) {
      const a = normalizeAttribute(name, parseAttributeObject(raw))
      attrs.set(name, { type: a.type, value: a.value, metadata: a.metadata, creDate: 0, modDate: 0 })
    }
    // '' marks a provider that did not say the type: it then matches the entity asked for.
    return { id, type: type ?? '', servicePath: '', creDate: 0, modDate: 0, attrs }
  })
}

export interface ProviderResults {
  entities: ResolvedEntity[]
  /** Sum of the providers' Fiware-Total-Count headers. */
  totalCount: number
}

export async function queryProviders(
  forwards: QueryForward[],
  origin: ForwardOrigin,
  page: { limit: number; offset: number },
  timeoutMs: number,
  log: SourceLogger,
  tutorialHosts?: TutorialHosts
): Promise<ProviderResults> {
  const results: ProviderResults = { entities: [], totalCount: 0 }
  // As Orion, the page moves on across providers: each one is asked for what the previous ones left.
  let { limit, offset } = page
  let index = 0
  for (const req of group(forwards)) {
    index++
    const target = providerTarget(req.url, '/op/query', `?limit=${limit}&offset=${offset}&options=count`)
    const answer = await postToProvider(target, queryBody(req), origin, index, timeoutMs, tutorialHosts)
    if (answer.routed) log.info('FWD-QUERY-ROUTED', `forwarding query to ${target}: ${answer.routed.via} (${answer.routed.url})`)
    if (!answer.ok) {
      log.warn('FWD-QUERY-FAILED', `forwarding query to ${target} failed: ${answer.reason}`)
      continue
    }
    let entities: ResolvedEntity[]
    try {
      entities = parseProviderEntities(answer.body)
    } catch (err) {
      log.warn('FWD-QUERY-BADANSWER', `invalid context provider response from ${target} (${answer.status}): ${(err as Error).message}`)
      continue
    }
    results.entities.push(...entities)
    const counted = answer.totalCount ?? 0
    results.totalCount += counted
    limit = Math.max(0, limit - entities.length)
    offset = offset > counted ? offset - counted : 0
  }
  return results
}

/** Whether a provider's entity is the one known as id/type (a provider may omit the type). */
export function sameEntity(p: ResolvedEntity, id: string, type: string | undefined): boolean {
  return p.id === id && (p.type === '' || type === undefined || p.type === type)
}

/** A provider's entity standing alone: its type, else the one asked for, else Thing. */
export function withType(p: ResolvedEntity, type: string | undefined): ResolvedEntity {
  return p.type === '' ? { ...p, type: type ?? 'Thing' } : p
}

/** Local attributes first, then the provider's ones the entity does not have locally. */
export function mergeProviderAttributes(local: ResolvedEntity, provided: ResolvedEntity[]): ResolvedEntity {
  let attrs: Map<string, StoredAttribute> | null = null
  for (const p of provided) {
    for (const [name, a] of p.attrs) {
      if (local.attrs.has(name) || attrs?.has(name)) continue
      attrs ??= new Map(local.attrs)
      attrs.set(name, a)
    }
  }
  return attrs ? { ...local, attrs } : local
}
