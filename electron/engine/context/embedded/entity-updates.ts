import { DESC, entityNotFound, tooManyResults, unprocessable } from './errors'
import type { EntityStore } from './entity-store'
import type { MergeOptions } from './attribute-merge'
import type { ForwardItem, UpdateCer } from './forwarding/forward-update'
import type { NormalizedAttribute, StoredEntity } from './model'
import { registrationCoversPath, registrationEntityType, type RegistrationStore } from './registrations'
import {
  attrsOutcome,
  entityMissingOutcome,
  labelOf,
  successOutcome,
  type ActionType,
  type EntityOutcome
} from './update-outcome'

/**
 * One entity of an update request processed locally (processContextElement in Orion): create,
 * append, update, replace or delete; attributes an update cannot find locally are looked up in
 * the registrations and become forwards. The result carries both Orion's "coverage" outcome
 * (used when nothing is forwarded) and the per-entity responses (used when something is).
 */

export interface Element {
  id: string
  /** As given by the client; absent = any type (batch) or `Thing` on creation. */
  type?: string
  attrs: NormalizedAttribute[]
}

export interface ElementOptions extends MergeOptions {
  /** POST /v2/entities/{id}/attrs: the entity must exist (404 otherwise). */
  mustExist?: boolean
  /** POST /v2/entities without upsert: the entity must not exist (422 Already Exists). */
  mustNotExist?: boolean
}

export interface ElementResult {
  outcome: EntityOutcome
  forwards: ForwardItem[]
  cers: UpdateCer[]
  created: boolean
}

export interface UpdateDeps {
  store: EntityStore
  registrations: RegistrationStore
}

/** The registration providing `attr` of an entity, for a forwarded update. */
function providerFor(deps: UpdateDeps, tenant: string, servicePath: string, id: string, type: string | undefined, attr: string) {
  const regs = deps.registrations.providersFor(tenant, (p) => registrationCoversPath(p, servicePath), id, type, 'update')
  return regs.find((r) => r.attrs.length === 0 || r.attrs.includes(attr))
}

function splitForForwarding(
  deps: UpdateDeps,
  tenant: string,
  servicePath: string,
  el: Element,
  entity: StoredEntity | undefined,
  candidates: NormalizedAttribute[]
): { forwards: ForwardItem[]; unprovided: string[] } {
  const forwards: ForwardItem[] = []
  const unprovided: string[] = []
  const knownType = entity?.type ?? el.type
  for (const attr of candidates) {
    const reg = providerFor(deps, tenant, servicePath, el.id, knownType, attr.name)
    if (reg) forwards.push({ registration: reg, id: el.id, type: knownType ?? registrationEntityType(reg, el.id), attr })
    else unprovided.push(attr.name)
  }
  return { forwards, unprovided }
}

export function processElement(
  deps: UpdateDeps,
  tenant: string,
  servicePath: string,
  el: Element,
  action: ActionType,
  opts: ElementOptions,
  now: number
): ElementResult {
  const label = labelOf(el.id, el.type)
  const found = deps.store.find(tenant, el.id, el.type, (p) => p === servicePath)
  if (found.length > 1) throw tooManyResults()
  const entity = found[0]
  const result: ElementResult = { outcome: successOutcome(label), forwards: [], cers: [], created: false }

  if (action === 'append' || action === 'appendStrict') {
    if (!entity) {
      if (opts.mustExist) throw entityNotFound()
      deps.store.create(tenant, servicePath, el.id, el.type ?? 'Thing', el.attrs, now)
      result.created = true
      return result
    }
    if (opts.mustNotExist) throw unprocessable(DESC.alreadyExists)
    const r = deps.store.apply(entity, el.attrs, action, opts, now)
    if (action === 'appendStrict') result.outcome = attrsOutcome(label, 'existingAttrs', r.existing, el.attrs.length)
    return result
  }

  if (action === 'delete') {
    if (!entity) {
      result.outcome = entityMissingOutcome(label)
      return result
    }
    const names = el.attrs.map((a) => a.name)
    if (names.length === 0) deps.store.deleteEntity(entity)
    else result.outcome = attrsOutcome(label, 'missingAttrs', deps.store.deleteAttributes(entity, names, now), names.length)
    return result
  }

  // update / replace: what is not local may belong to a context provider.
  if (!entity) {
    const { forwards, unprovided } = splitForForwarding(deps, tenant, servicePath, el, undefined, el.attrs)
    result.outcome = entityMissingOutcome(label)
    result.forwards = forwards
    if (unprovided.length > 0 || forwards.length === 0) result.cers.push({ id: el.id, type: el.type ?? '', attrs: unprovided, ok: false })
    return result
  }
  if (action === 'replace') {
    deps.store.apply(entity, el.attrs, 'replace', opts, now)
    result.cers.push({ id: entity.id, type: entity.type, attrs: el.attrs.map((a) => a.name), ok: true })
    return result
  }
  const local = el.attrs.filter((a) => entity.attrs.has(a.name))
  const absent = el.attrs.filter((a) => !entity.attrs.has(a.name))
  const { forwards, unprovided } = splitForForwarding(deps, tenant, servicePath, el, entity, absent)
  if (local.length > 0) deps.store.apply(entity, local, 'update', opts, now)
  result.forwards = forwards
  result.outcome = attrsOutcome(label, 'missingAttrs', unprovided, el.attrs.length)
  if (local.length > 0) result.cers.push({ id: entity.id, type: entity.type, attrs: local.map((a) => a.name), ok: true })
  if (unprovided.length > 0) result.cers.push({ id: entity.id, type: entity.type, attrs: unprovided, ok: false })
  return result
}
