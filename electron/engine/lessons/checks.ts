/**
 * The checks of docs/lessons.md as pure functions: given what the engine holds for the lesson's
 * tenant (a snapshot read by the runtime), is the check satisfied, and what was seen. Request
 * checks are matched against each answered request instead (`requestMatches`).
 */
import type { EntityDto, NgsiAttributeDto } from '../../../shared/contract'
import type { LessonCheck } from '../../../shared/lessons'
import type { ObservedRequest } from '../north/request-observer'

export interface GroupLike {
  apikey: string
  resource: string
  entity_type: string
}

export interface DeviceLike {
  device_id: string
  entity_name: string
  entity_type: string
  apikey?: string
  attributes?: ReadonlyArray<{ name: string }>
  lazy?: ReadonlyArray<{ name: string }>
  static_attributes?: ReadonlyArray<{ name: string }>
  commands?: ReadonlyArray<{ name: string }>
}

/** A measure the agent accepted: when, and its trace when one was recorded. */
export interface MeasureSeen {
  at: number
  traceId?: number
}

/** One IoT Agent's registry, for one tenant. */
export interface AgentRegistryView {
  groups: readonly GroupLike[]
  devices: readonly DeviceLike[]
}

/**
 * What the engine holds for one tenant (service and service path); context parts are absent when
 * they were not read. `groups` and `devices` are the UltraLight agent's; `json`, the IoT Agent
 * JSON's, when the engine has one.
 */
export interface TenantSnapshot extends AgentRegistryView {
  json?: AgentRegistryView
  entities?: readonly EntityDto[]
  registrations?: readonly unknown[]
  subscriptions?: readonly unknown[]
  /** The latest accepted measures of a device for an entity (oldest first, at most two). */
  measures(deviceId: string, entityId: string): readonly MeasureSeen[]
  /** The trace of the latest result of a device's command, when one was recorded. */
  commandTrace?(deviceId: string, command: string): number | undefined
}

export type CheckResult = { done: false; present?: boolean } | { done: true; summary: string; data?: unknown; traceId?: number }

const NOT_YET: CheckResult = { done: false }

/** Which parts of the context broker a check reads. */
export function contextNeeds(check: LessonCheck): 'entities' | 'registrations' | 'subscriptions' | undefined {
  switch (check.kind) {
    case 'measure':
    case 'command':
    case 'entity':
    case 'entity-gone':
      return 'entities'
    case 'registration':
      return 'registrations'
    case 'subscription':
      return 'subscriptions'
    default:
      return undefined
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** An attribute has a value: not absent, not '' and not null (a provisioned attribute starts as ''). */
export function hasValue(a: NgsiAttributeDto | string | undefined): boolean {
  if (!isObject(a)) return false
  const v = a.value
  return v !== undefined && v !== null && v !== ''
}

function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const ka = Object.keys(a)
  const kb = Object.keys(b as object)
  return ka.length === kb.length && ka.every((k) => jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
}

const names = (list: ReadonlyArray<{ name: string }> | undefined): string[] => (list ?? []).map((x) => x.name)

/** The registry a check reads: the agent it names (`agent: json`), else the UltraLight agent's; a JSON check without a JSON agent sees nothing. */
function registryOf(snap: TenantSnapshot, agent: 'ul' | 'json' | undefined): AgentRegistryView {
  if (agent !== 'json') return snap
  return snap.json ?? { groups: [], devices: [] }
}

function deviceOf(snap: TenantSnapshot, deviceId: string, agent?: 'ul' | 'json'): DeviceLike | undefined {
  return registryOf(snap, agent).devices.find((d) => d.device_id === deviceId)
}

function entityOf(snap: TenantSnapshot, id: string, type?: string): EntityDto | undefined {
  return snap.entities?.find((e) => e.id === id && (type === undefined || e.type === type))
}

const attrValues = (e: EntityDto, attrs: readonly string[]): Record<string, unknown> =>
  Object.fromEntries(attrs.map((a) => [a, (e[a] as NgsiAttributeDto | undefined)?.value]))

function checkGroup(check: Extract<LessonCheck, { kind: 'group' }>, snap: TenantSnapshot): CheckResult {
  const g = registryOf(snap, check.agent).groups.find(
    (x) => (check.apikey === undefined || x.apikey === check.apikey) && (check.entity_type === undefined || x.entity_type === check.entity_type) && (check.resource === undefined || x.resource === check.resource)
  )
  if (!g) return NOT_YET
  return { done: true, summary: `service group ${g.apikey}${g.resource ? ` ${g.resource}` : ''} (entity type ${g.entity_type}) exists`, data: { apikey: g.apikey, resource: g.resource, entity_type: g.entity_type } }
}

function checkDevice(check: Extract<LessonCheck, { kind: 'device' }>, snap: TenantSnapshot): CheckResult {
  const d = deviceOf(snap, check.device_id, check.agent)
  if (!d) return NOT_YET
  if (check.entity_name !== undefined && d.entity_name !== check.entity_name) return NOT_YET
  const commands = names(d.commands)
  const attributes = [...names(d.attributes), ...names(d.lazy), ...names(d.static_attributes)]
  if (!(check.commands ?? []).every((c) => commands.includes(c))) return NOT_YET
  if (!(check.attributes ?? []).every((a) => attributes.includes(a))) return NOT_YET
  return {
    done: true,
    summary: `device ${d.device_id} is provisioned (entity ${d.entity_name})`,
    data: { device_id: d.device_id, entity_name: d.entity_name, entity_type: d.entity_type, commands, attributes: names(d.attributes) }
  }
}

/** State-based: the device's entity has values for the attributes, whenever the measure came (even before the lesson was opened). */
function checkMeasure(check: Extract<LessonCheck, { kind: 'measure' }>, snap: TenantSnapshot): CheckResult {
  const d = deviceOf(snap, check.device_id, check.agent)
  if (!d) return NOT_YET
  const e = entityOf(snap, d.entity_name, d.entity_type)
  if (!e) return NOT_YET
  // Without a list: at least one of the device's measured attributes has a value.
  const wanted = check.attributes ?? names(d.attributes)
  const ok = check.attributes ? wanted.every((a) => hasValue(e[a])) : wanted.some((a) => hasValue(e[a]))
  if (!ok) return NOT_YET
  const seen = snap.measures(d.device_id, d.entity_name)
  const last = seen[seen.length - 1]
  return {
    done: true,
    summary: `entity ${e.id} has values for ${wanted.join(', ')}`,
    data: { entityId: e.id, entityType: e.type, values: attrValues(e, wanted) },
    ...(last?.traceId === undefined ? {} : { traceId: last.traceId })
  }
}

/** State-based: the entity's `<command>_status` holds the status (works with an external Orion too). */
function checkCommand(check: Extract<LessonCheck, { kind: 'command' }>, snap: TenantSnapshot): CheckResult {
  const d = deviceOf(snap, check.device_id, check.agent)
  if (!d) return NOT_YET
  const e = entityOf(snap, d.entity_name, d.entity_type)
  if (!e) return NOT_YET
  const status = (e[`${check.command}_status`] as NgsiAttributeDto | undefined)?.value
  const info = (e[`${check.command}_info`] as NgsiAttributeDto | undefined)?.value
  // An unanswered command ends as status ERROR with info EXPIRED (docs/compatibility/iot-agent-ul.md).
  const ended = status === 'ERROR' && info === 'EXPIRED' ? 'EXPIRED' : status
  if (ended !== check.status && !(check.status === 'ERROR' && status === 'ERROR')) return NOT_YET
  const traceId = snap.commandTrace?.(d.device_id, check.command)
  return {
    done: true,
    summary: `command ${check.command} of ${d.device_id} ended ${check.status}`,
    data: { entityId: e.id, command: check.command, status, ...(info === undefined ? {} : { info }) },
    ...(traceId === undefined ? {} : { traceId })
  }
}

/** The two latest accepted measures of the device, at most `atMostSeconds` apart. */
function checkInterval(check: Extract<LessonCheck, { kind: 'measure-interval' }>, snap: TenantSnapshot): CheckResult {
  const d = deviceOf(snap, check.device_id, check.agent)
  if (!d) return NOT_YET
  const seen = snap.measures(d.device_id, d.entity_name)
  if (seen.length < 2) return NOT_YET
  const a = seen[seen.length - 2]!
  const b = seen[seen.length - 1]!
  const seconds = (b.at - a.at) / 1000
  if (seconds > check.atMostSeconds) return NOT_YET
  return {
    done: true,
    summary: `two measures of ${d.device_id} arrived ${seconds.toFixed(1)} s apart`,
    data: { deviceId: d.device_id, seconds, at: [a.at, b.at] },
    ...(b.traceId === undefined ? {} : { traceId: b.traceId })
  }
}

function entityMatches(check: Extract<LessonCheck, { kind: 'entity' }>, e: EntityDto): boolean {
  if (check.id !== undefined && e.id !== check.id) return false
  if (check.type !== undefined && e.type !== check.type) return false
  if (check.attributes && !check.attributes.every((a) => isObject(e[a]))) return false
  for (const [a, type] of Object.entries(check.attributeTypes ?? {})) if ((e[a] as NgsiAttributeDto | undefined)?.type !== type) return false
  for (const [a, value] of Object.entries(check.values ?? {})) {
    const attr = e[a]
    if (!isObject(attr) || !jsonEqual((attr as NgsiAttributeDto).value, value)) return false
  }
  return true
}

function checkEntity(check: Extract<LessonCheck, { kind: 'entity' }>, snap: TenantSnapshot): CheckResult {
  const found = (snap.entities ?? []).filter((e) => entityMatches(check, e))
  const count = check.count ?? 1
  if (found.length < count) return NOT_YET
  return { done: true, summary: `${found.length} matching ${found.length === 1 ? 'entity' : 'entities'}: ${found.slice(0, 5).map((e) => e.id).join(', ')}`, data: { ids: found.slice(0, 20).map((e) => e.id), count: found.length } }
}

/** Done when the entity (or attribute) is absent after it was seen present (`seenBefore`): never done for something that never existed. */
function checkGone(check: Extract<LessonCheck, { kind: 'entity-gone' }>, snap: TenantSnapshot, seenBefore: boolean): CheckResult {
  if (!snap.entities) return NOT_YET
  const e = entityOf(snap, check.id)
  const present = e !== undefined && (check.attribute === undefined || isObject(e[check.attribute]))
  if (present) return { done: false, present: true }
  if (!seenBefore) return NOT_YET
  return { done: true, summary: check.attribute ? `attribute ${check.attribute} of ${check.id} was removed` : `entity ${check.id} was removed`, data: { id: check.id, ...(check.attribute ? { attribute: check.attribute } : {}) } }
}

function checkRegistration(check: Extract<LessonCheck, { kind: 'registration' }>, snap: TenantSnapshot): CheckResult {
  for (const r of snap.registrations ?? []) {
    if (!isObject(r) || !isObject(r.dataProvided)) continue
    const entities = Array.isArray(r.dataProvided.entities) ? (r.dataProvided.entities as unknown[]).filter(isObject) : []
    const attrs = Array.isArray(r.dataProvided.attrs) ? (r.dataProvided.attrs as unknown[]) : []
    if (check.entityId !== undefined && !entities.some((e) => e.id === check.entityId)) continue
    if (check.attributes && !check.attributes.every((a) => attrs.includes(a))) continue
    const url = isObject(r.provider) && isObject(r.provider.http) ? r.provider.http.url : undefined
    return { done: true, summary: `registration ${String(r.id)} covers ${check.entityId ?? 'the entities'}${check.attributes ? ` (${check.attributes.join(', ')})` : ''}`, data: { id: r.id, entities, attrs, provider: url } }
  }
  return NOT_YET
}

/** A query as written, without spaces around it and its trailing `;` (`price<50;` is `price<50`). */
const sameQuery = (q: string): string => q.trim().replace(/;+$/, '')

function checkSubscription(check: Extract<LessonCheck, { kind: 'subscription' }>, snap: TenantSnapshot): CheckResult {
  for (const s of snap.subscriptions ?? []) {
    if (!isObject(s) || !isObject(s.subject) || !isObject(s.notification)) continue
    const entities = Array.isArray(s.subject.entities) ? (s.subject.entities as unknown[]).filter(isObject) : []
    if (check.entityType !== undefined && !entities.some((e) => e.type === check.entityType)) continue
    const cond = isObject(s.subject.condition) && Array.isArray(s.subject.condition.attrs) ? (s.subject.condition.attrs as unknown[]) : []
    const notified = Array.isArray(s.notification.attrs) ? (s.notification.attrs as unknown[]) : []
    if (check.attributes && !check.attributes.every((a) => cond.includes(a) || notified.includes(a))) continue
    const expression = isObject(s.subject.condition) && isObject(s.subject.condition.expression) ? s.subject.condition.expression : {}
    if (check.q !== undefined && (typeof expression.q !== 'string' || sameQuery(expression.q) !== sameQuery(check.q))) continue
    if (check.attrsFormat !== undefined && (s.notification.attrsFormat ?? 'normalized') !== check.attrsFormat) continue
    const code = s.notification.lastSuccessCode
    const success = s.notification.lastSuccess !== undefined && (typeof code !== 'number' || (code >= 200 && code < 300))
    if (check.notified && !success) continue
    return {
      done: true,
      summary: `subscription ${String(s.id)} exists${check.notified ? ' and notified' : ''}`,
      data: { id: s.id, entities, timesSent: s.notification.timesSent, lastSuccess: s.notification.lastSuccess }
    }
  }
  return NOT_YET
}

/** Evaluates a state-based check (every kind but `request`, which `requestMatches` decides). */
export function evaluateCheck(check: LessonCheck, snap: TenantSnapshot, seenBefore = false): CheckResult {
  switch (check.kind) {
    case 'request':
      return NOT_YET
    case 'group':
      return checkGroup(check, snap)
    case 'device':
      return checkDevice(check, snap)
    case 'measure':
      return checkMeasure(check, snap)
    case 'command':
      return checkCommand(check, snap)
    case 'measure-interval':
      return checkInterval(check, snap)
    case 'entity':
      return checkEntity(check, snap)
    case 'entity-gone':
      return checkGone(check, snap, seenBefore)
    case 'registration':
      return checkRegistration(check, snap)
    case 'subscription':
      return checkSubscription(check, snap)
  }
}

/** A path as the trainee wrote it: percent escapes decoded when they are valid. */
export function decodedPath(path: string): string {
  try {
    return decodeURIComponent(path)
  } catch {
    return path
  }
}

/**
 * A request check is satisfied by a request to its API whose path starts with `path` (method when
 * given; a 2xx answer unless `ok: false`), sent in the lesson's tenant or without any tenant
 * header (health requests such as `GET /iot/about` carry none; a tenant-scoped request without
 * the header would not find the lesson's data and so not be answered 2xx).
 */
export function requestMatches(check: Extract<LessonCheck, { kind: 'request' }>, r: ObservedRequest, service: string): boolean {
  if (r.api !== check.api) return false
  if (check.method !== undefined && r.method.toUpperCase() !== check.method.toUpperCase()) return false
  if (!decodedPath(r.path).startsWith(check.path)) return false
  if ((check.ok ?? true) && (r.status < 200 || r.status >= 300)) return false
  return !r.tenant || r.service === service
}

export function requestEvidence(r: ObservedRequest, traceId?: number): { done: true; summary: string; data: unknown; traceId?: number } {
  return {
    done: true,
    summary: `${r.method} ${r.path} was answered ${r.status}`,
    data: { api: r.api, method: r.method, path: r.path, status: r.status, ...(r.tenant ? { service: r.service, servicePath: r.servicePath } : {}) },
    ...(traceId === undefined ? {} : { traceId })
  }
}
