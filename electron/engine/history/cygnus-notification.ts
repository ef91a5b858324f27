import type { HistoryPoint } from './store'

/**
 * What Cygnus (cygnus-ngsi's NGSIRestHandler and its sinks) makes of a notification
 * (docs/compatibility/cygnus.md §2): the checks of its headers, with its error texts, and one
 * point per notified attribute.
 */

/** Cygnus's limits on the tenant headers (NGSIConstants). */
const SERVICE_MAX = 50
const SERVICE_PATH_MAX = 50
/** Cygnus's defaults when a notification has no tenant headers. */
export const DEFAULT_SERVICE = 'default'
export const DEFAULT_SERVICE_PATH = '/'

export class CygnusBadRequest extends Error {}

export interface NotificationHeaders {
  service: string
  servicePath: string
  /** Ngsiv2-AttrsFormat; undefined: NGSI v1 (Cygnus's legacy format). */
  format: string | undefined
  /** Whether a Content-Type was given (Cygnus checks it after the method and the path). */
  hasContentType: boolean
}

/** Cygnus's checks of the headers' values (a missing Content-Type is told later, see hasContentType). */
export function readNotificationHeaders(headers: Record<string, string | string[] | undefined>): NotificationHeaders {
  const one = (name: string): string | undefined => {
    const v = headers[name]
    return Array.isArray(v) ? v[0] : v
  }
  const contentType = one('content-type')
  if (contentType !== undefined && !contentType.includes('application/json')) throw new CygnusBadRequest(`${contentType} content type not supported`)
  const service = one('fiware-service') ?? DEFAULT_SERVICE
  if (service.length > SERVICE_MAX) throw new CygnusBadRequest(`'fiware-service' header length greater than ${SERVICE_MAX}) for ${service}`)
  const servicePath = one('fiware-servicepath') ?? DEFAULT_SERVICE_PATH
  for (const part of servicePath.split(',')) {
    if (part.length > SERVICE_PATH_MAX) throw new CygnusBadRequest(`'fiware-servicePath' header length greater than ${SERVICE_PATH_MAX}) for ${servicePath}`)
    if (!part.startsWith('/')) throw new CygnusBadRequest(`'fiware-servicepath' header value ${servicePath} must start with '/'`)
  }
  return { service, servicePath, format: one('ngsiv2-attrsformat'), hasContentType: contentType !== undefined }
}

interface Attribute {
  name: string
  type: string
  value: unknown
  timeInstant: unknown
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** The type Orion gives a value without one (NGSI v2), for keyValues notifications. */
function typeOf(v: unknown): string {
  if (typeof v === 'number') return 'Number'
  if (typeof v === 'boolean') return 'Boolean'
  if (typeof v === 'string') return 'Text'
  if (v === null) return 'None'
  return 'StructuredValue'
}

/** An attribute value as Cygnus stores it with its default attr_native_types=false: as text. */
export function valueText(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v) ?? 'null'
}

/** A TimeInstant metadata value as Cygnus reads it: epoch milliseconds or an ISO 8601 date; else none. */
function timeInstantOf(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v
  if (typeof v !== 'string') return undefined
  const t = /^\d+$/.test(v) ? Number(v) : Date.parse(v)
  return Number.isFinite(t) ? t : undefined
}

interface Entity {
  id: string
  type: string
  attrs: Attribute[]
}

function v2Entities(body: unknown, keyValues: boolean): Entity[] {
  if (!isObject(body) || !Array.isArray(body.data)) throw new CygnusBadRequest('the notification has no data array')
  return body.data.map((e: unknown) => {
    if (!isObject(e) || typeof e.id !== 'string') throw new CygnusBadRequest('a notified entity has no id')
    const attrs: Attribute[] = []
    for (const [name, a] of Object.entries(e)) {
      if (name === 'id' || name === 'type') continue
      if (keyValues) attrs.push({ name, type: typeOf(a), value: a, timeInstant: undefined })
      else if (isObject(a)) {
        const md = isObject(a.metadata) && isObject(a.metadata.TimeInstant) ? a.metadata.TimeInstant.value : undefined
        attrs.push({ name, type: typeof a.type === 'string' ? a.type : typeOf(a.value), value: a.value, timeInstant: md })
      }
    }
    return { id: e.id, type: typeof e.type === 'string' ? e.type : 'Thing', attrs }
  })
}

function v1Entities(body: unknown): Entity[] {
  if (!isObject(body) || !Array.isArray(body.contextResponses)) throw new CygnusBadRequest('the notification has no contextResponses array')
  return body.contextResponses.map((r: unknown) => {
    const ce = isObject(r) && isObject(r.contextElement) ? r.contextElement : undefined
    if (!ce || typeof ce.id !== 'string') throw new CygnusBadRequest('a notified context element has no id')
    const attrs: Attribute[] = []
    for (const a of Array.isArray(ce.attributes) ? (ce.attributes as unknown[]) : []) {
      if (!isObject(a) || typeof a.name !== 'string') continue
      const mds = Array.isArray(a.metadatas) ? (a.metadatas as unknown[]) : []
      const ti = mds.find((m) => isObject(m) && m.name === 'TimeInstant')
      attrs.push({ name: a.name, type: typeof a.type === 'string' ? a.type : '', value: a.value, timeInstant: isObject(ti) ? ti.value : undefined })
    }
    return { id: ce.id, type: typeof ce.type === 'string' ? ce.type : '', attrs }
  })
}

/**
 * The points of a notification: one per attribute of each notified entity, at the attribute's
 * TimeInstant metadata when it has one, else at `receivedAt` (Cygnus's recvTime). The service
 * path header holds one path per entity, or one for all of them in a normalized notification.
 */
export function notificationPoints(body: unknown, h: NotificationHeaders, receivedAt: number): HistoryPoint[] {
  let entities: Entity[]
  if (h.format === undefined || h.format === 'legacy') entities = v1Entities(body)
  else if (h.format === 'normalized' || h.format === 'keyValues') entities = v2Entities(body, h.format === 'keyValues')
  else throw new CygnusBadRequest(`${h.format} format not supported`)
  let paths = h.servicePath.split(',')
  if (h.format !== undefined && h.format !== 'legacy' && paths.length === 1 && entities.length > 1) paths = entities.map(() => paths[0]!)
  if (paths.length !== entities.length) throw new CygnusBadRequest("'fiware-servicepath' header value does not match the number of notified context responses")
  const points: HistoryPoint[] = []
  entities.forEach((e, i) => {
    for (const a of e.attrs) {
      points.push({
        service: h.service,
        servicePath: paths[i]!,
        entityId: e.id,
        entityType: e.type,
        attrName: a.name,
        attrType: a.type,
        attrValue: valueText(a.value),
        recvTime: timeInstantOf(a.timeInstant) ?? receivedAt
      })
    }
  })
  return points
}
