import { isObject } from './entities-vector'
import { badRequest, DESC, parseError } from './errors'
import { hasForbiddenIdChars, MAX_ID_LENGTH } from './identifiers'
import { compileEntityPattern, type EntitySelector, type EntitySpecFilter } from './query/entity-filter'
import { parseExpression } from './subscriptions/subscription-input'

/**
 * `POST /v2/op/query` body (docs/compatibility/ngsi-v2.md §3.2; parseBatchQuery.cpp, parseEntityObject.cpp): entities
 * (OR-ed, patterns allowed), attrs, expression (q, mq, geo) and metadata, with the deprecated
 * `attributes` (select those attributes and only entities having one of them). Messages are
 * those of Orion's functional test 1080.
 */

export interface BatchQueryInput {
  selector: EntitySelector
  /** Attributes to render; undefined = all. */
  attrs?: string[]
  metadata?: string[]
}

function parseStringList(value: unknown, field: string): string[] {
  if (!Array.isArray(value)) throw badRequest(`the field /${field}/ must be a JSON array`)
  const out: string[] = []
  for (const v of value) {
    if (typeof v !== 'string') throw badRequest(`only JSON Strings allowed in ${field} list`)
    if (!out.includes(v)) out.push(v)
  }
  return out
}

function parseEntity(item: unknown): EntitySpecFilter {
  if (!isObject(item)) throw badRequest('entity is not a JSON object')
  if ('id' in item && 'idPattern' in item) throw badRequest('both /id/ and /idPattern/ present')
  if (!('id' in item) && !('idPattern' in item)) throw badRequest('nor /id/ nor /idPattern/ present')
  const e: EntitySpecFilter = {}
  for (const [k, v] of Object.entries(item)) {
    if (k === 'id') {
      if (typeof v !== 'string') throw badRequest('Invalid JSON type for entity id')
      if (hasForbiddenIdChars(v)) throw badRequest('Invalid characters in entity id')
      if (v.length > MAX_ID_LENGTH) throw badRequest(`entity id length: ${v.length}, max length supported: ${MAX_ID_LENGTH}`)
      e.id = v
    } else if (k === 'idPattern') {
      if (typeof v !== 'string') throw badRequest('Invalid JSON type for entity idPattern')
      compileEntityPattern(v, 'idPattern')
      e.idPattern = v
    } else if (k === 'type') {
      if (typeof v !== 'string') throw badRequest('Invalid JSON type for entity type')
      if (v === '') throw badRequest(DESC.emptyEntityType)
      if (hasForbiddenIdChars(v)) throw badRequest('Invalid characters in entity type')
      e.type = v
    } else if (k === 'typePattern') {
      if (typeof v !== 'string') throw badRequest('Invalid JSON type for entity typePattern')
      compileEntityPattern(v, 'typePattern')
      e.typePattern = v
    } else throw badRequest('no attributes allowed in Entity in this payload')
  }
  if (e.id === '') throw badRequest(DESC.emptyEntityId)
  return e
}

export function parseBatchQueryBody(body: unknown): BatchQueryInput {
  if (!isObject(body)) throw parseError()
  const keys = Object.keys(body)
  if (keys.length === 0) throw badRequest(DESC.emptyPayload)
  if (!['entities', 'attributes', 'attrs', 'expression'].some((k) => k in body)) {
    throw badRequest('Invalid JSON payload, no relevant fields found')
  }
  const selector: EntitySelector = {}
  const out: BatchQueryInput = { selector }
  let attributes: string[] | undefined
  for (const [k, v] of Object.entries(body)) {
    if (k === 'entities') {
      if (!Array.isArray(v)) throw badRequest('not a JSON array')
      const specs = v.map(parseEntity)
      if (specs.length > 0) selector.entities = specs
    } else if (k === 'attributes') attributes = parseStringList(v, 'attributes')
    else if (k === 'attrs') out.attrs = parseStringList(v, 'attrs')
    else if (k === 'expression') {
      const e = parseExpression(v)
      for (const key of ['q', 'mq', 'georel', 'geometry', 'coords'] as const) if (e[key] !== undefined) selector[key] = e[key]
    } else if (k === 'metadata') out.metadata = parseStringList(v, 'metadata')
    else throw badRequest(`Unrecognized field in JSON payload: /${k}/`)
  }
  if (attributes && attributes.length > 0) {
    selector.withAnyAttr = attributes
    if (!out.attrs || out.attrs.length === 0) out.attrs = attributes
  }
  if (out.attrs && out.attrs.length === 0) delete out.attrs
  return out
}
