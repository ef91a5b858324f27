import { defaultType } from '../attribute-input'
import { formatIsoDate } from '../datetime'
import type { EntityIdSpec } from '../entities-vector'
import { isExpired, type HttpCustomTarget, type HttpTarget, type PersistedSubscription } from './model'

/**
 * A subscription as `GET /v2/subscriptions` renders it in Orion 4.x (Subscription::toJson,
 * Notification::toJson, HttpInfo::toJson): keys in Orion's order, counters only once they have
 * a value, dates with second precision, `expired` status past `expires`.
 */

export type SubscriptionView = Record<string, unknown>

/** Orion keeps these times in seconds. */
function date(ms: number): string {
  return formatIsoDate(Math.floor(ms / 1000) * 1000)
}

function entityIdView(e: EntityIdSpec): Record<string, string> {
  const out: Record<string, string> = {}
  if (e.id !== undefined) out.id = e.id
  if (e.idPattern !== undefined) out.idPattern = e.idPattern
  if (e.type !== undefined) out.type = e.type
  if (e.typePattern !== undefined) out.typePattern = e.typePattern
  return out
}

function sorted(dict: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(dict).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

/** The `ngsi` patch rendered as a normalized entity (defaults applied, metadata always present). */
function ngsiView(ngsi: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  if (typeof ngsi.id === 'string') out.id = ngsi.id
  if (typeof ngsi.type === 'string') out.type = ngsi.type
  for (const [name, raw] of Object.entries(ngsi)) {
    if (name === 'id' || name === 'type') continue
    const a = raw as { type?: string; value?: unknown; metadata?: Record<string, unknown> }
    const value = a.value === undefined ? null : a.value
    out[name] = { type: a.type ?? defaultType(value), value, metadata: a.metadata ?? {} }
  }
  return out
}

function httpView(h: HttpTarget | HttpCustomTarget, custom: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { url: h.url }
  if (h.timeout > 0) out.timeout = h.timeout
  if (!custom) return out
  const c = h as HttpCustomTarget
  if (c.payload === null) out.payload = null
  else if (c.payload !== undefined) out.payload = c.payload
  else if (c.json !== undefined) out.json = c.json
  else if (c.ngsi !== undefined) out.ngsi = ngsiView(c.ngsi)
  if (c.method !== undefined) out.method = c.method
  if (c.qs) out.qs = sorted(c.qs)
  if (c.headers) out.headers = sorted(c.headers)
  return out
}

export function subscriptionView(sub: PersistedSubscription, now = Date.now()): SubscriptionView {
  const { spec, counters } = sub
  const view: SubscriptionView = { id: sub.id }
  if (spec.description) view.description = spec.description
  if (spec.expires !== undefined) view.expires = date(spec.expires)
  view.status = isExpired(spec, now) ? 'expired' : spec.status

  const condition: Record<string, unknown> = { attrs: [...spec.conditionAttrs] }
  const e = spec.expression
  const expression: Record<string, string> = {}
  for (const k of ['q', 'mq', 'geometry', 'coords', 'georel'] as const) if (e[k] !== undefined) expression[k] = e[k]!
  if (Object.keys(expression).length > 0) condition.expression = expression
  if (spec.alterationTypes.length > 0) condition.alterationTypes = [...spec.alterationTypes]
  condition.notifyOnMetadataChange = spec.notifyOnMetadataChange
  view.subject = { entities: spec.entities.map(entityIdView), condition }

  const n = spec.notification
  const notification: Record<string, unknown> = {}
  if (counters.timesSent > 0) notification.timesSent = counters.timesSent
  if (counters.lastNotification !== undefined) notification.lastNotification = date(counters.lastNotification)
  notification[n.exceptAttrs ? 'exceptAttrs' : 'attrs'] = [...n.attrs]
  notification.onlyChangedAttrs = n.onlyChangedAttrs
  notification.attrsFormat = n.attrsFormat
  if (n.http) notification.http = httpView(n.http, false)
  if (n.httpCustom) notification.httpCustom = httpView(n.httpCustom, true)
  if (n.metadata.length > 0) notification.metadata = [...n.metadata]
  if (counters.lastFailure !== undefined) notification.lastFailure = date(counters.lastFailure)
  if (counters.lastFailureReason) notification.lastFailureReason = counters.lastFailureReason
  if (counters.lastSuccess !== undefined) notification.lastSuccess = date(counters.lastSuccess)
  if (counters.lastSuccessCode !== undefined) notification.lastSuccessCode = counters.lastSuccessCode
  if (n.maxFailsLimit > 0) notification.maxFailsLimit = n.maxFailsLimit
  if (counters.failsCounter > 0) notification.failsCounter = counters.failsCounter
  notification.covered = n.covered
  view.notification = notification
  if (spec.throttling > 0) view.throttling = spec.throttling
  return view
}
