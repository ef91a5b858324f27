import type { SourceLogger } from '../../../log/logger'
import { normalizeAttribute } from '../attribute-input'
import { parseAttributeObject } from '../entity-json'
import { toJsonText } from '../json-text'
import type { StoredAttribute } from '../model'
import type { StoredRegistration } from '../registrations'
import type { ResolvedEntity } from '../render'
import { postToProvider, providerTarget, type ForwardOrigin } from './provider-client'

/**
 * Forwarded queries (spec §5.4, postQueryContext.cpp): `POST <provider path>/op/query?limit=…&
 * offset=…&options=count` with `{"entities":[…],"attrs":[…]}`; the provider answers a normalized
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

interface ProviderRequest {
  entities: EntitySpec[]
  attrs: string[] | null
}

function group(forwards: QueryForward[]): Map<string, ProviderRequest> {
  const out = new Map<string, ProviderRequest>()
  for (const f of forwards) {
    let r = out.get(f.registration.url)
    if (!r) {
      r = { entities: [], attrs: [] }
      out.set(f.registration.url, r)
    }
    if (!r.entities.some((e) => e.id === f.entity.id && e.idPattern === f.entity.idPattern && e.type === f.entity.type)) {
      r.entities.push(f.entity)
    }
    // A registration without attrs asks for everything.
    if (f.attrs.length === 0 || r.attrs === null) r.attrs = null
    else for (const a of f.attrs) if (!r.attrs.includes(a)) r.attrs.push(a)
  }
  return out
}

function queryBody(req: ProviderRequest): string {
  const entities = req.entities.map((e) => {
    const parts: string[] = []
    if (e.id !== undefined) parts.push(`"id":${toJsonText(e.id)}`)
    if (e.idPattern !== undefined) parts.push(`"idPattern":${toJsonText(e.idPattern)}`)
    if (e.type !== undefined) parts.push(`"type":${toJsonText(e.type)}`)
    return `{${parts.join(',')}}`
  })
  return `{"entities":[${entities.join(',')}],"attrs":${toJsonText(req.attrs ?? [])}}`
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
  log: SourceLogger
): Promise<ProviderResults> {
  const results: ProviderResults = { entities: [], totalCount: 0 }
  let index = 0
  for (const [url, req] of group(forwards)) {
    index++
    const target = providerTarget(url, '/op/query', `?limit=${page.limit}&offset=${page.offset}&options=count`)
    const answer = await postToProvider(target, queryBody(req), origin, index, timeoutMs)
    if (!answer.ok) {
      log.warn('FWD-QUERY-FAILED', `forwarding query to ${target} failed: ${answer.reason}`)
      continue
    }
    try {
      results.entities.push(...parseProviderEntities(answer.body))
      if (answer.totalCount !== undefined) results.totalCount += answer.totalCount
    } catch (err) {
      log.warn('FWD-QUERY-BADANSWER', `invalid context provider response from ${target} (${answer.status}): ${(err as Error).message}`)
    }
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
