import { ORION_VERSION } from '../forwarding/provider-client'
import type { NotificationOrigin } from './builtin-receiver'
import { toJsonText } from '../json-text'
import { customHeaders, customUrl, patchEntity, resolveJson, substitute, unescapeText, type MacroContext } from './custom-notification'
import type { NotificationSpec } from './model'
import { urlScheme } from './notification-input'
import { notificationBody, notifiedView, resolveSnapshot, type EntitySnapshot, type NotifiedEntity } from './notification-payload'

/**
 * The HTTP request of one notification (docs/compatibility/ngsi-v2.md §4.4; Notifier.cpp and httpRequestSend.cpp):
 * method, URL, Orion's headers (Fiware-Service unless default tenant, Fiware-ServicePath of the
 * entity, Fiware-Correlator with `cbnotif`, Ngsiv2-AttrsFormat, X-Auth-Token of the triggering
 * request) and body. httpCustom headers replace the standard ones of the same name (an empty
 * value removes it) except Fiware-Correlator and Ngsiv2-AttrsFormat.
 */

/** A notification waiting to be sent: everything is captured when it fires. */
export interface NotificationJob extends Omit<NotifiedEntity, 'entity'> {
  subscriptionId: string
  tenant: string
  spec: NotificationSpec
  snapshot: EntitySnapshot
  /** Correlator of the triggering request; the header adds `; cbnotif=<notifIndex>`. */
  correlator: string
  notifIndex: number
  authToken?: string
  /** The trace of the update that fired it (in memory only). */
  trace?: number
}

/** What the rendering needs: the job with its entity rebuilt from the snapshot. */
type Notified = NotificationJob & NotifiedEntity

export interface OutgoingNotification {
  method: string
  url: string
  headers: Array<[string, string]>
  body: string | null
  timeoutMs: number
  /** The subscription and tenant it comes from (for the built-in receiver, builtin-receiver.ts). */
  origin?: NotificationOrigin
}

const JSON_TYPE = 'application/json; charset=utf-8'

interface Content {
  body: string | null
  contentType: string | null
  format: string
}

function regularContent(job: Notified, view = notifiedView(job.spec, job)): Content {
  return { body: notificationBody(job.subscriptionId, job.spec.attrsFormat, view), contentType: JSON_TYPE, format: job.spec.attrsFormat }
}

/** setPayload/setJsonPayload/setNgsiPayload: null when a macro is broken (nothing is sent). */
function customContent(job: Notified, ctx: MacroContext): Content | null {
  const c = job.spec.httpCustom!
  if (c.payload === null) return { body: null, contentType: null, format: 'custom' }
  if (typeof c.payload === 'string') {
    const r = substitute(c.payload, ctx, 'null')
    if (r.status === 'error') return null
    return { body: unescapeText(r.value), contentType: 'text/plain', format: 'custom' }
  }
  if (c.json !== undefined) return { body: toJsonText(resolveJson(c.json, ctx)), contentType: JSON_TYPE, format: 'custom' }
  if (c.ngsi !== undefined) {
    const patched = { ...job, entity: patchEntity(c.ngsi, ctx) }
    return regularContent(job, notifiedView(job.spec, patched))
  }
  return regularContent(job)
}

/** Encodes what Node refuses in a request path (spaces, non-ASCII); Orion sends the URL as built. */
function safeUrl(url: string): string {
  return url.replace(/[^\x21-\x7e]/g, (c) => encodeURIComponent(c))
}

export function buildRequest(queued: NotificationJob, defaultTimeoutMs: number): OutgoingNotification | null {
  const job: Notified = { ...queued, entity: resolveSnapshot(queued.snapshot) }
  const n: NotificationSpec = job.spec
  const ctx: MacroContext = { entity: job.entity, tenant: job.tenant, authToken: job.authToken }
  let url: string
  let method = 'POST'
  let content: Content | null
  let custom: Map<string, string> | null = null
  if (n.httpCustom) {
    const u = customUrl(n.httpCustom, ctx)
    custom = customHeaders(n.httpCustom, ctx)
    content = customContent(job, ctx)
    // A URL that is malformed once its macros are replaced is not sent (as in Orion).
    if (u === null || custom === null || content === null) return null
    const scheme = urlScheme(u)
    if (scheme !== 'http' && scheme !== 'https') return null
    url = u
    method = n.httpCustom.method ?? 'POST'
  } else {
    url = n.http!.url
    content = regularContent(job)
  }
  const standard: Array<[string, string | undefined]> = [
    ['User-Agent', `orion/${ORION_VERSION} ultralight-control-center`],
    ['Fiware-Service', job.tenant || undefined],
    ['Fiware-ServicePath', job.entity.servicePath || '/'],
    ['X-Auth-Token', job.authToken],
    ['Accept', 'application/json'],
    ['Content-Type', content.contentType ?? undefined]
  ]
  const headers: Array<[string, string]> = []
  for (const [name, value] of standard) {
    const key = name.toLowerCase()
    const override = custom?.get(key)
    custom?.delete(key)
    const v = override ?? value
    if (v !== undefined && v !== '') headers.push([name, v])
  }
  custom?.delete('fiware-correlator')
  custom?.delete('ngsiv2-attrsformat')
  headers.push(['Fiware-Correlator', `${job.correlator}; cbnotif=${job.notifIndex}`], ['Ngsiv2-AttrsFormat', content.format])
  for (const [name, value] of custom ?? []) if (value !== '') headers.push([name, value])
  const target = n.http ?? n.httpCustom!
  const origin: NotificationOrigin = { subscriptionId: job.subscriptionId, service: job.tenant, servicePath: job.entity.servicePath || '/' }
  if (job.trace !== undefined) origin.trace = job.trace
  return { method, url: safeUrl(url), headers, body: content.body, timeoutMs: target.timeout > 0 ? target.timeout : defaultTimeoutMs, origin }
}
