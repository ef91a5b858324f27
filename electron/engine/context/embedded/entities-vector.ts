import { badRequest, DESC } from './errors'
import { hasForbiddenIdChars, MAX_ID_LENGTH } from './identifiers'
import { compileEntityPattern } from './query/entity-filter'

/**
 * The `entities` vector of subscriptions and registrations (parseEntitiesVector.cpp) and the
 * string vectors around it (parseStringVector.cpp), with Orion's messages. Patterns are
 * compiled once here so that an invalid regex is a 400, never a failure later.
 */

export interface EntityIdSpec {
  id?: string
  idPattern?: string
  type?: string
  typePattern?: string
}

type Json = Record<string, unknown>

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** getStringOpt(): absent → undefined; present but not a string → `<description> is not a string`. */
export function optionalString(o: Json, field: string, description: string = field): string | undefined {
  if (!(field in o)) return undefined
  const v = o[field]
  if (typeof v !== 'string') throw badRequest(`${description} is not a string`)
  return v
}

export function parseEntitiesVector(value: unknown): EntityIdSpec[] {
  if (!Array.isArray(value)) throw badRequest('/entities/ is not an array')
  const out: EntityIdSpec[] = []
  for (const item of value) {
    if (!isObject(item)) throw badRequest('/entities/ vector item is not an object')
    if (!('id' in item) && !('idPattern' in item)) throw badRequest('/entities/ vector item does not have /id/ nor /idPattern/')
    if ('id' in item && 'idPattern' in item) throw badRequest('/entities/ vector item has both /id/ and /idPattern/')
    if ('type' in item && 'typePattern' in item) throw badRequest('/entities/ element has both /type/ and /typePattern/')
    const e: EntityIdSpec = {}
    const id = optionalString(item, 'id', '/entities/ vector item /id/')
    if (id !== undefined) {
      if (id.length === 0) throw badRequest('/entities/ element id is empty')
      if (hasForbiddenIdChars(id)) throw badRequest('forbidden characters in /entities/ vector item /id/')
      if (id.length > MAX_ID_LENGTH) throw badRequest('max id length exceeded in /entities/ vector item /id/')
      e.id = id
    }
    const idPattern = optionalString(item, 'idPattern', '/entities/ vector item /idPattern/')
    if (idPattern !== undefined) {
      if (idPattern.length === 0) throw badRequest('/entities/ vector item /idPattern/ is empty')
      compileEntityPattern(idPattern, 'idPattern')
      e.idPattern = idPattern
    }
    const type = optionalString(item, 'type', '/entities/ vector item type')
    if (type !== undefined) {
      if (hasForbiddenIdChars(type)) throw badRequest('forbidden characters in /entities/ vector item /type/')
      if (type.length > MAX_ID_LENGTH) throw badRequest('max type length exceeded in /entities/ vector item /type/')
      if (type.length === 0) throw badRequest(DESC.emptyEntityType)
      e.type = type
    }
    const typePattern = optionalString(item, 'typePattern', '/entities/ vector item /typePattern/')
    if (typePattern !== undefined) {
      if (typePattern.length === 0) throw badRequest('/entities/ vector item /typePattern/ is empty')
      compileEntityPattern(typePattern, 'typePattern')
      e.typePattern = typePattern
    }
    // Duplicates are dropped, as Orion does.
    if (!out.some((o) => o.id === e.id && o.idPattern === e.idPattern && o.type === e.type && o.typePattern === e.typePattern)) out.push(e)
  }
  return out
}

/** parseStringVector(…, emptyStringNotAllowed, unique) for `attrs`, `exceptAttrs`, `metadata`, `alterationTypes`. */
export function parseStringVector(value: unknown, field: string): string[] {
  if (!Array.isArray(value)) throw badRequest(`the field /${field}/ must be a JSON array`)
  const out: string[] = []
  value.forEach((v, i) => {
    if (typeof v !== 'string') throw badRequest(`only JSON Strings allowed in string vector /${field}/`)
    if (value.indexOf(v, i + 1) !== -1) throw badRequest(`duplicated item /${v}/ in array`)
    if (hasForbiddenIdChars(v) && v !== '') throw badRequest('forbidden characters in attribute name')
    if (v === '') throw badRequest(`empty string found in string vector /${field}/`)
    out.push(v)
  })
  return out
}
