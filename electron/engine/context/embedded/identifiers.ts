import { badRequest, DESC } from './errors'

/**
 * Orion's character rules (forbiddenChars.cpp, limits.h). Identifiers (entity id/type,
 * attribute and metadata names/types) are 1–256 printable ASCII characters (33–126) without
 * `& ? / #` nor the "common" set `< > " ' = ; ( )`; string values only exclude the common set
 * (unless the attribute is TextUnrestricted).
 */
export const MAX_ID_LENGTH = 256

const FORBIDDEN_IN_ID = /[^\x21-\x7e]|[&?/#<>"'=;()]/
const FORBIDDEN_IN_VALUE = /[<>"'=;()]/

/**
 * Identifiers already found valid. Every measure names the same few entity ids, types and
 * attribute names again: a set lookup (the string's hash is cached) is cheaper than the regex.
 * Bounded: emptied when full.
 */
const validIds = new Set<string>()
const VALID_IDS_MAX = 8192

export function hasForbiddenIdChars(s: string): boolean {
  if (validIds.has(s)) return false
  if (FORBIDDEN_IN_ID.test(s)) return true
  if (validIds.size >= VALID_IDS_MAX) validIds.clear()
  validIds.add(s)
  return false
}

export function hasForbiddenChars(s: string): boolean {
  return FORBIDDEN_IN_VALUE.test(s)
}

/** Same as hasForbiddenChars, ignoring the characters of `except` (URI params georel, coords). */
export function hasForbiddenCharsExcept(s: string, except: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!
    if (except.includes(c)) continue
    if ('<>"\'=;()'.includes(c)) return true
  }
  return false
}

/** Entity id of a request body (parseEntity.cpp + Entity::checkId order). */
export function checkEntityId(id: unknown): string {
  if (typeof id !== 'string') throw badRequest('Invalid JSON type for entity id')
  if (id.length === 0) throw badRequest(DESC.emptyEntityId)
  if (hasForbiddenIdChars(id)) throw badRequest('Invalid characters in entity id')
  if (id.length > MAX_ID_LENGTH) throw badRequest(`entity id length: ${id.length}, max length supported: ${MAX_ID_LENGTH}`)
  return id
}

export function checkEntityType(type: unknown): string {
  if (typeof type !== 'string') throw badRequest('Invalid JSON type for entity type')
  if (type.length === 0) throw badRequest(DESC.emptyEntityType)
  if (hasForbiddenIdChars(type)) throw badRequest('Invalid characters in entity type')
  if (type.length > MAX_ID_LENGTH) throw badRequest(`entity type length: ${type.length}, max length supported: ${MAX_ID_LENGTH}`)
  return type
}

/** Attribute name rules of ContextAttribute::check. */
export function checkAttributeName(name: string): void {
  if (name.length === 0) throw badRequest(DESC.emptyAttrName)
  if (name.length > MAX_ID_LENGTH) throw badRequest(`attribute name length: ${name.length}, max length supported: ${MAX_ID_LENGTH}`)
  if (hasForbiddenIdChars(name)) throw badRequest('Invalid characters in attribute name')
}

export function checkAttributeType(type: string): void {
  if (type.length > MAX_ID_LENGTH) throw badRequest(`attribute type length: ${type.length}, max length supported: ${MAX_ID_LENGTH}`)
  if (type.length === 0) throw badRequest('attribute type length: 0, min length supported: 1')
  if (hasForbiddenIdChars(type)) throw badRequest('Invalid characters in attribute type')
}

export function checkMetadataName(name: string): void {
  if (name.length === 0) throw badRequest('metadata name length: 0, min length supported: 1')
  if (name.length > MAX_ID_LENGTH) throw badRequest(`metadata name length: ${name.length}, max length supported: ${MAX_ID_LENGTH}`)
  if (hasForbiddenIdChars(name)) throw badRequest('Invalid characters in metadata name')
}

export function checkMetadataType(type: string): void {
  if (type.length > MAX_ID_LENGTH) throw badRequest(`metadata type length: ${type.length}, max length supported: ${MAX_ID_LENGTH}`)
  if (type.length === 0) throw badRequest('metadata type length: 0, min length supported: 1')
  if (hasForbiddenIdChars(type)) throw badRequest('Invalid characters in metadata type')
}

/**
 * An entity id or attribute name taken from the URL path: Orion answers `invalid character in
 * URI` for forbidden characters there, and the length messages of the payload checks.
 */
export function checkPathEntityId(id: string): void {
  if (id.length === 0) throw badRequest(DESC.emptyEntityId)
  if (hasForbiddenIdChars(id)) throw badRequest('invalid character in URI')
}

export function checkPathAttributeName(name: string): void {
  if (name.length === 0) throw badRequest(DESC.emptyAttrName)
  if (hasForbiddenIdChars(name)) throw badRequest('invalid character in URI')
}
