import { parseIsoDate } from '../datetime'
import { isObject, optionalString, parseEntitiesVector, parseStringVector } from '../entities-vector'
import { badRequest, DESC, notImplemented, parseError } from '../errors'
import { hasForbiddenChars } from '../identifiers'
import { parseGeoQuery } from '../query/geo-filter'
import { parseSimpleQuery } from '../query/simple-query'
import { parseNotification, type NotificationPatch } from './notification-input'
import type { AlterationType, SubscriptionExpression, SubscriptionSpec, SubscriptionStatus } from './model'

/**
 * `POST /v2/subscriptions` and `PATCH /v2/subscriptions/{id}` bodies (parseSubscription.cpp,
 * parseExpression.cpp), checked in Orion's order with Orion's messages. A PATCH changes only the
 * top-level fields it carries, but `subject` and `notification` are replaced as a whole.
 */

export interface SubjectPatch {
  entities: SubscriptionSpec['entities']
  conditionAttrs: string[]
  expression: SubscriptionExpression
  alterationTypes: AlterationType[]
  /** Absent: unchanged by a PATCH, true on creation. */
  notifyOnMetadataChange?: boolean
}

export interface SubscriptionPatch {
  /** '' removes the description (PATCH). */
  description?: string
  subject?: SubjectPatch
  notification?: NotificationPatch
  /** null: permanent. */
  expires?: number | null
  status?: SubscriptionStatus
  throttling?: number
}

const MAX_DESCRIPTION = 1024
const ALTERATION_TYPES = new Set<string>(['entityCreate', 'entityChange', 'entityUpdate', 'entityDelete'])

/** getInt64Opt(): a JSON integer. */
export function optionalInteger(o: Record<string, unknown>, field: string, description: string = field): number | undefined {
  if (!(field in o)) return undefined
  const v = o[field]
  if (typeof v !== 'number' || !Number.isInteger(v)) throw badRequest(`${description} is not an int`)
  return v
}

export function optionalBoolean(o: Record<string, unknown>, field: string): boolean | undefined {
  if (!(field in o)) return undefined
  const v = o[field]
  if (typeof v !== 'boolean') throw badRequest(`${field} is not a bool`)
  return v
}

/** parseExpression(): q, mq and the geo triple (all or nothing), each validated now. */
export function parseExpression(value: unknown): SubscriptionExpression {
  if (!isObject(value)) throw badRequest('expression is not an object')
  if (Object.keys(value).length === 0) throw badRequest('expression is empty')
  const out: SubscriptionExpression = {}
  for (const key of ['q', 'mq'] as const) {
    if (!(key in value)) continue
    const text = value[key]
    if (typeof text !== 'string') throw badRequest(`${key} is not a string`)
    if (text === '') throw badRequest(`${key} is empty`)
    parseSimpleQuery(text, key)
    out[key] = text
  }
  for (const key of ['geometry', 'coords', 'georel'] as const) {
    const text = optionalString(value, key)
    if (text === undefined) continue
    if (text === '') throw badRequest(`${key} is empty`)
    out[key] = text
  }
  const given = [out.georel, out.geometry, out.coords].filter((v) => v !== undefined).length
  if (given > 0 && given < 3) throw badRequest('partial geo expression: geometry, georel and coords have to be provided together')
  if (given === 3) {
    const geo = parseGeoQuery(out.georel, out.geometry!, out.coords!)
    if (typeof geo === 'string') throw badRequest(`error parsing geo-query fields: ${geo}`)
  }
  return out
}

function parseCondition(value: unknown, subject: SubjectPatch): void {
  if (!isObject(value)) throw badRequest('condition is not an object')
  if (Object.keys(value).length === 0) throw badRequest('condition is empty')
  if ('attrs' in value) subject.conditionAttrs = parseStringVector(value.attrs, 'attrs')
  if ('jexlExpression' in value) {
    if (typeof value.jexlExpression !== 'string') throw badRequest('jexlExpression is not a string')
    // Evaluating JEXL is out of this broker's scope; ignoring it would notify too much.
    throw notImplemented('jexlExpression is not supported by this context broker')
  }
  if ('expression' in value) subject.expression = parseExpression(value.expression)
  if ('alterationTypes' in value) {
    for (const t of parseStringVector(value.alterationTypes, 'alterationTypes')) {
      if (!ALTERATION_TYPES.has(t)) throw badRequest(`unknown subscription alterationType: ${t}`)
      subject.alterationTypes.push(t as AlterationType)
    }
  }
  const nomc = optionalBoolean(value, 'notifyOnMetadataChange')
  if (nomc !== undefined) subject.notifyOnMetadataChange = nomc
}

function parseSubject(value: unknown): SubjectPatch {
  if (!isObject(value)) throw badRequest('subject is not an object')
  if (!('entities' in value)) throw badRequest('no subject entities specified')
  const entities = parseEntitiesVector(value.entities)
  if (entities.length === 0) throw badRequest('subject entities is empty')
  const subject: SubjectPatch = { entities, conditionAttrs: [], expression: {}, alterationTypes: [] }
  if ('condition' in value) parseCondition(value.condition, subject)
  return subject
}

/** Parses a body; `update` for PATCH (subject and notification may then be absent). */
export function parseSubscription(body: unknown, update: boolean): SubscriptionPatch {
  // The router already answered malformed JSON; anything but an object is the same ParseError.
  if (!isObject(body)) throw parseError()
  if (Object.keys(body).length === 0) throw badRequest(DESC.emptyPayload)
  const patch: SubscriptionPatch = {}

  const description = optionalString(body, 'description')
  if (description !== undefined) {
    if (description.length > MAX_DESCRIPTION) throw badRequest('max description length exceeded')
    if (hasForbiddenChars(description)) throw badRequest('forbidden characters in description')
    patch.description = description
  }
  if ('subject' in body) patch.subject = parseSubject(body.subject)
  else if (!update) throw badRequest('no subject for subscription specified')
  if ('notification' in body) patch.notification = parseNotification(body.notification)
  else if (!update) throw badRequest('no notification for subscription specified')

  const expires = optionalString(body, 'expires')
  if (expires !== undefined) {
    if (expires === '') patch.expires = null
    else {
      const ms = parseIsoDate(expires)
      if (ms === null) throw badRequest('expires has an invalid format')
      // Orion keeps seconds.
      patch.expires = Math.floor(ms / 1000) * 1000
    }
  }
  const status = optionalString(body, 'status')
  if (status !== undefined) {
    if (status !== 'active' && status !== 'inactive' && status !== 'oneshot') {
      throw badRequest('status is not valid: it has to be either active, inactive or oneshot')
    }
    patch.status = status
  }
  const throttling = optionalInteger(body, 'throttling')
  if (throttling !== undefined) patch.throttling = throttling
  return patch
}

/** A new subscription from a validated POST body, with Orion's defaults. */
export function specOf(patch: SubscriptionPatch): SubscriptionSpec {
  const subject = patch.subject!
  const n = patch.notification!
  const spec: SubscriptionSpec = {
    entities: subject.entities,
    conditionAttrs: subject.conditionAttrs,
    expression: subject.expression,
    alterationTypes: subject.alterationTypes,
    notifyOnMetadataChange: subject.notifyOnMetadataChange ?? true,
    notification: {
      ...n.target,
      attrs: n.attrs,
      exceptAttrs: n.exceptAttrs ?? false,
      attrsFormat: n.attrsFormat,
      metadata: n.metadata,
      onlyChangedAttrs: n.onlyChangedAttrs ?? false,
      covered: n.covered ?? false,
      maxFailsLimit: n.maxFailsLimit
    },
    status: patch.status ?? 'active',
    throttling: patch.throttling ?? 0
  }
  if (patch.description) spec.description = patch.description
  if (typeof patch.expires === 'number') spec.expires = patch.expires
  return spec
}

/** The subscription after a PATCH (mongoUpdateSubscription.cpp: $set/$unset of the given fields). */
export function patchedSpec(old: SubscriptionSpec, patch: SubscriptionPatch): SubscriptionSpec {
  const spec: SubscriptionSpec = { ...old }
  if (patch.subject) {
    spec.entities = patch.subject.entities
    spec.conditionAttrs = patch.subject.conditionAttrs
    spec.expression = patch.subject.expression
    spec.alterationTypes = patch.subject.alterationTypes
    if (patch.subject.notifyOnMetadataChange !== undefined) spec.notifyOnMetadataChange = patch.subject.notifyOnMetadataChange
  }
  if (patch.notification) {
    const n = patch.notification
    const prev = old.notification
    spec.notification = {
      ...n.target,
      attrs: n.attrs,
      // Without attrs/exceptAttrs the list is reset to [] and means "all attributes".
      exceptAttrs: n.exceptAttrs ?? false,
      attrsFormat: n.attrsFormat,
      metadata: n.metadata,
      onlyChangedAttrs: n.onlyChangedAttrs ?? prev.onlyChangedAttrs,
      covered: n.covered ?? prev.covered,
      maxFailsLimit: n.maxFailsLimit
    }
  }
  if (patch.description !== undefined) {
    if (patch.description === '') delete spec.description
    else spec.description = patch.description
  }
  if (patch.expires !== undefined) {
    if (patch.expires === null) delete spec.expires
    else spec.expires = patch.expires
  }
  if (patch.status !== undefined) spec.status = patch.status
  if (patch.throttling !== undefined) spec.throttling = patch.throttling
  return spec
}
