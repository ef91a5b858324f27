import type { SourceLogger } from '../../../log/logger'
import type { TutorialHosts } from '../../../net/tutorial-hosts'
import { excerpt, type Tracer } from '../../../trace/tracer'
import { NgsiError } from '../../types'
import { DESC } from '../errors'
import type { NormalizedAttribute } from '../model'
import type { StoredRegistration } from '../registrations'
import { attributeText } from '../render'
import { objectText, toJsonText } from '../json-text'
import { forwardHeaders, postToProvider, providerTarget, type ForwardOrigin } from './provider-client'

/**
 * Forwarded updates (docs/compatibility/ngsi-v2.md §5.3, postUpdateContext.cpp): one `POST …/op/update` per provider with
 * all its attributes grouped by entity, sent one after the other; only a 204 counts as success,
 * 404/422 mark those attributes "not updated", anything else (other status, timeout, no
 * connection) is a failed forward. The client's answer is then computed from "context element
 * responses" (CERs): successes and failures per entity, local ones included.
 */

export interface ForwardItem {
  registration: StoredRegistration
  id: string
  /** The type Orion resolved (local entity, request or registration); may be unknown. */
  type: string | undefined
  attr: NormalizedAttribute
}

/** One context element response: some attributes of one entity, updated or not. */
export interface UpdateCer {
  id: string
  type: string
  attrs: string[]
  ok: boolean
}

interface EntityGroup {
  id: string
  type: string | undefined
  attrs: NormalizedAttribute[]
}

function groupByProvider(items: ForwardItem[]): Map<string, { reg: StoredRegistration; entities: EntityGroup[] }> {
  const out = new Map<string, { reg: StoredRegistration; entities: EntityGroup[] }>()
  for (const item of items) {
    let p = out.get(item.registration.url)
    if (!p) {
      p = { reg: item.registration, entities: [] }
      out.set(item.registration.url, p)
    }
    let e = p.entities.find((g) => g.id === item.id && g.type === item.type)
    if (!e) {
      e = { id: item.id, type: item.type, attrs: [] }
      p.entities.push(e)
    }
    if (!e.attrs.some((a) => a.name === item.attr.name)) e.attrs.push(item.attr)
  }
  return out
}

function updateBody(entities: EntityGroup[]): string {
  const items = entities.map((e) => {
    const members: Array<[string, string]> = [['id', toJsonText(e.id)]]
    if (e.type !== undefined) members.push(['type', toJsonText(e.type)])
    for (const a of e.attrs) {
      const metadata = a.metadata ? [...a.metadata].map(([name, md]) => ({ name, type: md.type, value: md.value })) : []
      members.push([a.name, attributeText({ name: a.name, type: a.type, value: a.value, metadata })])
    }
    return objectText(members)
  })
  return `{"actionType":"update","entities":[${items.join(',')}]}`
}

export async function forwardUpdates(
  items: ForwardItem[],
  origin: ForwardOrigin,
  timeoutMs: number,
  log: SourceLogger,
  tracer?: Tracer,
  tutorialHosts?: TutorialHosts
): Promise<{ cers: UpdateCer[]; forwardOk: boolean }> {
  const cers: UpdateCer[] = []
  let forwardOk = true
  let index = 0
  // The client's request is traced when the NGSI API linked its correlator to a trace; a forwarded update is a command.
  const trace = tracer?.enabled ? tracer.linked(origin.correlator) : undefined
  if (trace !== undefined) tracer!.describe(trace, { kind: 'command' })
  for (const [url, { reg, entities }] of groupByProvider(items)) {
    index++
    const target = providerTarget(url, '/op/update')
    const body = updateBody(entities)
    if (trace !== undefined) {
      for (const e of entities) tracer!.hop(trace, { step: 'registration', registrationId: reg.id, provider: url, entityId: e.id, attributes: e.attrs.map((a) => a.name) })
    }
    const started = trace === undefined ? 0 : performance.now()
    const answer = await postToProvider(target, body, origin, index, timeoutMs, tutorialHosts)
    if (answer.routed) log.info('FWD-UPDATE-ROUTED', `forwarding update to ${target}: ${answer.routed.via} (${answer.routed.url})`, { registration: reg.id })
    if (trace !== undefined) {
      const request = { method: 'POST', url: target, headers: forwardHeaders(origin, index), body: excerpt(body), bodyBytes: Buffer.byteLength(body) }
      const latencyMs = Math.round((performance.now() - started) * 1000) / 1000
      const routed = answer.routed ? { routed: { host: answer.routed.host, service: answer.routed.service, url: answer.routed.url } } : {}
      tracer!.hop(trace, answer.ok ? { step: 'forwarded', request, status: answer.status, latencyMs, ...routed } : { step: 'forwarded', request, error: answer.reason, latencyMs, ...routed })
    }
    const toCers = (ok: boolean): void => {
      for (const e of entities) cers.push({ id: e.id, type: e.type ?? '', attrs: e.attrs.map((a) => a.name), ok })
    }
    if (answer.ok && answer.status === 204) {
      toCers(true)
      log.debug('FWD-UPDATE', `forwarded update to ${target}`, { registration: reg.id })
    } else if (answer.ok && (answer.status === 404 || answer.status === 422)) {
      toCers(false)
      log.info('FWD-UPDATE-NOTFOUND', `provider ${target} answered ${answer.status}`, { registration: reg.id })
    } else {
      forwardOk = false
      const reason = answer.ok ? `unexpected response from context provider: ${answer.status}` : answer.reason
      log.warn('FWD-UPDATE-FAILED', `forwarding update to ${target} failed: ${reason}`, { registration: reg.id })
    }
  }
  return { cers, forwardOk }
}

/** The client's answer once forwards were involved; null means 204. */
export function forwardedUpdateError(cers: UpdateCer[], forwardOk: boolean): NgsiError | null {
  const failures = cers.filter((c) => !c.ok)
  if (forwardOk && failures.length === 0) return null
  if (failures.length === cers.length) return new NgsiError(404, 'NotFound', DESC.entityNotFound)
  if (failures.length === 0) return null
  const failing = failures.map((c) => `${c.id}-${c.type} : [${c.attrs.join(', ')}]`).join(', ')
  return new NgsiError(404, 'PartialUpdate', `Some of the following attributes were not updated: { ${failing} }`)
}
