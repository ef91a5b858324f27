import type { AttributeInput, MetadataInput } from './attribute-input'
import { badRequest, DESC, parseError } from './errors'
import { hasForbiddenIdChars, MAX_ID_LENGTH } from './identifiers'
import { parseActionType, type ActionType } from './update-outcome'

/**
 * Request payloads → typed inputs, with the structural checks and messages of Orion's
 * jsonParseV2 (parseEntity, parseContextAttribute, parseMetadata, parseBatchUpdate,
 * parseAttributeValue, textParse). Semantic checks of attributes (names, types, characters,
 * dates) happen in attribute-input.ts, which every operation runs.
 */

export interface EntityInput {
  id: string
  /** Absent: `Thing` on creation; for batch updates, any type matches. */
  type?: string
  attrs: Record<string, AttributeInput>
}

export interface BatchInput {
  actionType: ActionType
  entities: EntityInput[]
}

export interface ParseOptions {
  keyValues?: boolean
}

type Json = Record<string, unknown>

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** JSON.parse with Orion's ParseError on syntax errors. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    throw parseError()
  }
}

function parseMetadata(value: unknown): Record<string, MetadataInput> {
  if (!isObject(value)) throw badRequest('metadata not a JSON object')
  const out: Record<string, MetadataInput> = {}
  for (const [name, md] of Object.entries(value)) {
    if (!isObject(md)) throw badRequest('metadata must be a JSON object')
    const item: MetadataInput = {}
    for (const [k, v] of Object.entries(md)) {
      if (k === 'type') {
        if (typeof v !== 'string') throw badRequest('invalid JSON type for attribute metadata type')
        item.type = v
      } else if (k === 'value') item.value = v
      else throw badRequest('invalid JSON field for attribute metadata')
    }
    out[name] = item
  }
  return out
}

/** One attribute object `{type?, value?, metadata?}` (normalized form). */
export function parseAttributeObject(value: unknown): AttributeInput {
  if (!isObject(value)) throw badRequest('attribute must be a JSON object, unless keyValues option is used')
  const attr: AttributeInput = {}
  for (const [k, v] of Object.entries(value)) {
    if (k === 'type') {
      if (typeof v !== 'string') throw badRequest('invalid JSON type for attribute type')
      attr.type = v
    } else if (k === 'value') attr.value = v
    else if (k === 'metadata') attr.metadata = parseMetadata(v)
    else throw badRequest('unrecognized property for context attribute')
  }
  return attr
}

function parseAttribute(value: unknown, opts: ParseOptions): AttributeInput {
  return opts.keyValues ? { value } : parseAttributeObject(value)
}

function checkIdLengths(id: string, type: string | undefined): void {
  if (id.length > MAX_ID_LENGTH) throw badRequest(`entity id length: ${id.length}, max length supported: ${MAX_ID_LENGTH}`)
  if (type !== undefined && type.length > MAX_ID_LENGTH) {
    throw badRequest(`entity type length: ${type.length}, max length supported: ${MAX_ID_LENGTH}`)
  }
}

/** `POST /v2/entities` body. */
export function parseEntityBody(body: unknown, opts: ParseOptions = {}): EntityInput {
  if (!isObject(body)) throw parseError()
  if (!('id' in body)) throw badRequest(DESC.emptyEntityId)
  let id = ''
  let type: string | undefined
  const attrs: Record<string, AttributeInput> = {}
  for (const [k, v] of Object.entries(body)) {
    if (k === 'id') {
      if (typeof v !== 'string') throw badRequest('Invalid JSON type for entity id')
      if (v.length === 0) throw badRequest(DESC.emptyEntityId)
      if (hasForbiddenIdChars(v)) throw badRequest('Invalid characters in entity id')
      id = v
    } else if (k === 'type') {
      if (typeof v !== 'string') throw badRequest('Invalid JSON type for entity type')
      if (v.length === 0) throw badRequest(DESC.emptyEntityType)
      if (hasForbiddenIdChars(v)) throw badRequest('Invalid characters in entity type')
      type = v
    } else attrs[k] = parseAttribute(v, opts)
  }
  checkIdLengths(id, type)
  return type === undefined ? { id, attrs } : { id, type, attrs }
}

/** Body of `POST|PATCH|PUT /v2/entities/{id}/attrs`: attributes only. */
export function parseAttrsBody(body: unknown, opts: ParseOptions = {}): Record<string, AttributeInput> {
  if (!isObject(body)) throw parseError()
  if ('id' in body) throw badRequest('entity id specified in payload')
  if ('type' in body) throw badRequest('entity type specified in payload')
  const attrs: Record<string, AttributeInput> = {}
  let members = 0
  for (const [k, v] of Object.entries(body)) {
    attrs[k] = parseAttribute(v, opts)
    members++
  }
  if (members === 0) throw badRequest(DESC.emptyPayload)
  return attrs
}

/** Body of `PUT /v2/entities/{id}/attrs/{name}`. */
export function parseAttributeBody(body: unknown): AttributeInput {
  if (!isObject(body)) throw parseError()
  return parseAttributeObject(body)
}

/** `PUT …/value` with `Content-Type: application/json`: only an object or an array. */
export function parseJsonValueBody(body: unknown): unknown {
  if (typeof body !== 'object' || body === null) throw badRequest('Neither JSON Object nor JSON Array for attribute::value')
  return body
}

/** `PUT …/value` with `Content-Type: text/plain` (textParse.cpp). */
export function parseTextValue(text: string): unknown {
  if (text.startsWith('"')) {
    if (text.length < 2 || !text.endsWith('"')) throw badRequest('Missing citation-mark at end of string')
    return text.slice(1, -1)
  }
  if (text === 'true' || text === 'True' || text === 'TRUE') return true
  if (text === 'false' || text === 'False' || text === 'FALSE') return false
  if (text === 'null' || text === 'Null' || text === 'NULL') return null
  const n = parseDecimal(text)
  if (n === null) throw badRequest('attribute value type not recognized')
  return n
}

/** strtod-like: a decimal (or hex) number, surrounding white space allowed; null otherwise. */
export function parseDecimal(text: string): number | null {
  const t = text.trim()
  if (!/^[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?|0[xX][0-9a-fA-F]+)$/.test(t)) return null
  const n = /0[xX]/.test(t) ? (t.startsWith('-') ? -1 : 1) * parseInt(t.replace(/^[+-]?0[xX]/, ''), 16) : Number(t)
  return Number.isFinite(n) ? n : null
}

/** One element of a batch `entities` array (parseEntityObject.cpp). */
function parseBatchEntity(item: unknown, opts: ParseOptions): EntityInput {
  if (!isObject(item)) throw badRequest('entity is not a JSON object')
  if ('id' in item && 'idPattern' in item) throw badRequest('both /id/ and /idPattern/ present')
  if (!('id' in item) && !('idPattern' in item)) throw badRequest('nor /id/ nor /idPattern/ present')
  let id = ''
  let type: string | undefined
  const attrs: Record<string, AttributeInput> = {}
  for (const [k, v] of Object.entries(item)) {
    if (k === 'id') {
      if (typeof v !== 'string') throw badRequest('Invalid JSON type for entity id')
      if (hasForbiddenIdChars(v)) throw badRequest('Invalid characters in entity id')
      id = v
    } else if (k === 'idPattern') {
      // Batch updates take concrete entities only (Orion answers 501 NotImplemented).
      throw new BatchPatternError()
    } else if (k === 'type') {
      if (typeof v !== 'string') throw badRequest('Invalid JSON type for entity type')
      if (v.length === 0) throw badRequest(DESC.emptyEntityType)
      if (hasForbiddenIdChars(v)) throw badRequest('Invalid characters in entity type')
      type = v
    } else if (k === 'typePattern') {
      if (typeof v !== 'string') throw badRequest('Invalid JSON type for entity typePattern')
    } else attrs[k] = parseAttribute(v, opts)
  }
  if (id.length === 0) throw badRequest('id and idPattern cannot be both empty at the same time')
  checkIdLengths(id, type)
  return type === undefined ? { id, attrs } : { id, type, attrs }
}

/** Thrown for `idPattern` in a batch update; the HTTP layer answers 501 as Orion does. */
export class BatchPatternError extends Error {
  constructor() {
    super('NotImplemented')
  }
}

/** `POST /v2/op/update` body. */
export function parseBatchBody(body: unknown, opts: ParseOptions = {}): BatchInput {
  if (!isObject(body)) throw parseError()
  if (Object.keys(body).length === 0) throw badRequest(DESC.emptyPayload)
  if (!('entities' in body)) throw badRequest('Invalid JSON payload, mandatory field /entities/ not found')
  if (!('actionType' in body)) throw badRequest('Invalid JSON payload, mandatory field /actionType/ not found')
  let actionType: ActionType | null = null
  let entities: EntityInput[] = []
  for (const [k, v] of Object.entries(body)) {
    if (k === 'entities') {
      if (!Array.isArray(v)) throw badRequest('not a JSON array')
      entities = v.map((item) => parseBatchEntity(item, opts))
    } else if (k === 'actionType') {
      actionType = typeof v === 'string' ? parseActionType(v) : null
      if (actionType === null) {
        throw badRequest('invalid update action type: right ones are: append, appendStric, delete, replace, update')
      }
    } else throw badRequest(`Unrecognized field in JSON payload: /${k}/`)
  }
  if (entities.length === 0) throw badRequest('empty entities vector')
  return { actionType: actionType!, entities }
}
