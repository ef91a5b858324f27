import type { SourceLogger } from '../../log/logger'
import type { TutorialHosts } from '../../net/tutorial-hosts'
import type { Tracer } from '../../trace/tracer'
import type { NgsiAttribute } from '../types'
import type { Attributes } from './api-types'
import { normalizeAttribute } from './attribute-input'
import { processElement, type Element, type ElementOptions, type ElementResult, type UpdateDeps } from './entity-updates'
import { forwardedUpdateError, forwardUpdates } from './forwarding/forward-update'
import type { ForwardOrigin } from './forwarding/provider-client'
import type { NormalizedAttribute } from './model'
import { adaptForSingleEntity, combineOutcomes, type ActionType } from './update-outcome'

/**
 * The path every entity write takes: validated attributes, local application entity by entity,
 * forwards to context providers, Orion's answer for the request, and durability before the
 * caller hears back (group commit), whatever the outcome.
 */

export function normalizeAttributes(attrs: Attributes): NormalizedAttribute[] {
  return Object.entries(attrs).map(([name, a]) => normalizeAttribute(name, a))
}

/** Attribute names of a deletion (values are irrelevant there). */
export function attributeNames(attrs: Attributes | string[]): NormalizedAttribute[] {
  const names = Array.isArray(attrs) ? attrs : Object.keys(attrs)
  return names.map((name) => ({ name, type: 'None', typeGiven: false, value: null, metadata: null }))
}

/** Like normalizeAttributes, for caller-owned objects: compound values are copied (they are rare). */
export function normalizeOwnedAttributes(attrs: Record<string, NgsiAttribute>): NormalizedAttribute[] {
  const out: NormalizedAttribute[] = []
  for (const name in attrs) {
    const a = attrs[name]!
    const value = typeof a.value === 'object' && a.value !== null ? structuredClone(a.value) : a.value
    out.push(normalizeAttribute(name, value === a.value ? a : { ...a, value }))
  }
  return out
}

export interface WriteTarget {
  tenant: string
  servicePath: string
  origin: ForwardOrigin
}

/** Subscriptions see which request the entity changes they get belong to (correlator, token). */
export interface RequestScope {
  readonly active: boolean
  begin(ctx: { correlator?: string; authToken?: string; notified: number }): void
  end(): void
}

export interface PipelineDeps extends UpdateDeps {
  forwardTimeoutMs: number
  log: SourceLogger
  durable(): Promise<void>
  requests?: RequestScope
  /** Forwards of a traced request (linked by its correlator) are hops of its trace. */
  tracer?: Tracer
  /** Routes providers' tutorial host names that do not resolve to the built-in services (net/tutorial-hosts.ts). */
  tutorialHosts?: TutorialHosts
}

/**
 * Runs one request; throws Orion's error for it. `attributeUrl` is set for single-entity
 * operations (true on attribute URLs), whose answers Orion rewrites.
 */
export async function runWrite(
  deps: PipelineDeps,
  w: WriteTarget,
  elements: Element[],
  action: ActionType,
  opts: ElementOptions,
  attributeUrl?: boolean
): Promise<ElementResult[]> {
  const results: ElementResult[] = []
  try {
    const now = Date.now()
    const scope = deps.requests?.active ? deps.requests : undefined
    // A traced request (linked by its correlator) has its notifications as hops of its trace.
    const trace = scope && w.origin.correlator !== undefined && deps.tracer?.enabled ? deps.tracer.linked(w.origin.correlator) : undefined
    scope?.begin({ correlator: w.origin.correlator, ...(w.origin.authToken ? { authToken: w.origin.authToken } : {}), notified: 0, ...(trace === undefined ? {} : { trace }) })
    try {
      for (const el of elements) results.push(processElement(deps, w.tenant, w.servicePath, el, action, opts, now))
    } finally {
      scope?.end()
    }
    const forwards = results.flatMap((r) => r.forwards)
    let error
    if (forwards.length === 0) error = combineOutcomes(results.map((r) => r.outcome))
    else {
      const { cers, forwardOk } = await forwardUpdates(forwards, w.origin, deps.forwardTimeoutMs, deps.log, deps.tracer, deps.tutorialHosts)
      error = forwardedUpdateError([...results.flatMap((r) => r.cers), ...cers], forwardOk)
    }
    if (attributeUrl !== undefined) error = adaptForSingleEntity(error, attributeUrl)
    if (error) throw error
    return results
  } finally {
    await deps.durable()
  }
}
