import { isDateType, normalizeIsoDate } from './datetime'
import { badRequest, DESC, parseError } from './errors'
import {
  checkAttributeName,
  checkAttributeType,
  checkMetadataName,
  checkMetadataType,
  hasForbiddenChars
} from './identifiers'
import type { NormalizedAttribute, StoredMetadata } from './model'

/**
 * Validation and defaults of one attribute (parseContextAttribute.cpp, ContextAttribute::check,
 * Metadata::check), shared by the HTTP payload parser and the IoT Agent's direct calls.
 */

export interface MetadataInput {
  type?: string
  value?: unknown
}

export interface AttributeInput {
  type?: string
  value?: unknown
  metadata?: Record<string, MetadataInput> | Map<string, MetadataInput>
}

/** Containers allowed inside one value: Orion stops at nesting level 50 below the root. */
const MAX_CONTAINER_DEPTH = 51

/** Orion's default types by JSON value (docs/compatibility/ngsi-v2.md §1.4); DateTime is never inferred. */
export function defaultType(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return 'Text'
    case 'number':
      return 'Number'
    case 'boolean':
      return 'Boolean'
    case 'object':
      return value === null ? 'None' : 'StructuredValue'
    default:
      return 'None'
  }
}

/**
 * Walks a compound value: nesting limit, finite numbers and (unless unrestricted) forbidden
 * characters in strings. Keys are free, as in Orion.
 */
function checkCompound(value: unknown, depth: number, checkChars: boolean): void {
  if (depth > MAX_CONTAINER_DEPTH) throw parseError(DESC.maxNesting)
  const items = Array.isArray(value) ? value : Object.values(value as object)
  for (const v of items) {
    if (typeof v === 'string') {
      if (checkChars && hasForbiddenChars(v)) throw badRequest('Invalid characters in attribute value')
    } else if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw badRequest('Invalid JSON type for attribute value')
    } else if (typeof v === 'object' && v !== null) {
      checkCompound(v, depth + 1, checkChars)
    } else if (v === undefined || typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') {
      throw badRequest('Invalid JSON type for attribute value')
    }
  }
}

function checkScalar(value: unknown): void {
  if (value === undefined || value === null) return
  const t = typeof value
  if (t === 'number' && !Number.isFinite(value)) throw badRequest('Invalid JSON type for attribute value')
  if (t !== 'string' && t !== 'number' && t !== 'boolean' && t !== 'object') {
    throw badRequest('Invalid JSON type for attribute value')
  }
}

export function normalizeMetadata(name: string, input: MetadataInput): StoredMetadata {
  let value = input.value === undefined ? null : input.value
  checkScalar(value)
  const typeGiven = input.type !== undefined
  if (typeGiven && typeof input.type !== 'string') throw badRequest('invalid JSON type for attribute metadata type')
  if (typeGiven && isDateType(input.type!) && value !== null) {
    const iso = typeof value === 'string' ? normalizeIsoDate(value) : null
    if (iso === null) throw badRequest('date has invalid format in metadata value')
    value = iso
  }
  if (typeof value === 'object' && value !== null) checkCompound(value, 1, false)
  const type = typeGiven ? input.type! : defaultType(value)
  checkMetadataName(name)
  checkMetadataType(type)
  if (typeof value === 'string' && hasForbiddenChars(value)) throw badRequest('Invalid characters in metadata value')
  return { type, value }
}

function metadataEntries(md: AttributeInput['metadata']): Iterable<[string, MetadataInput]> {
  if (md === undefined) return []
  return md instanceof Map ? md : Object.entries(md)
}

/** Validates an attribute in normalized form and applies Orion's defaults. */
export function normalizeAttribute(name: string, input: AttributeInput): NormalizedAttribute {
  const typeGiven = input.type !== undefined
  if (typeGiven && typeof input.type !== 'string') throw badRequest('invalid JSON type for attribute type')
  let value = input.value === undefined ? null : input.value
  checkScalar(value)

  let metadata: Map<string, StoredMetadata> | null = null
  let unrestricted = input.type === 'TextUnrestricted'
  for (const [mdName, mdInput] of metadataEntries(input.metadata)) {
    if (typeof mdInput !== 'object' || mdInput === null || Array.isArray(mdInput)) throw badRequest('metadata must be a JSON object')
    const md = normalizeMetadata(mdName, mdInput)
    if (mdName === 'TextUnrestricted' && md.value === true) unrestricted = true
    ;(metadata ??= new Map()).set(mdName, md)
  }

  if (typeGiven && isDateType(input.type!) && value !== null) {
    const iso = typeof value === 'string' ? normalizeIsoDate(value) : null
    if (iso === null) throw badRequest('date has invalid format in attribute value')
    value = iso
  }
  if (input.type === 'geo:json' && value !== null && (typeof value !== 'object' || Array.isArray(value))) {
    throw badRequest('geo:json needs an object or null as value')
  }

  const type = typeGiven ? input.type! : defaultType(value)
  checkAttributeName(name)
  // Only reachable through direct calls: in JSON payloads these keys are the entity's own.
  if (name === 'id' || name === 'type') throw badRequest(`invalid input, '${name}' as attribute`)
  checkAttributeType(type)
  if (typeof value === 'string') {
    if (!unrestricted && hasForbiddenChars(value)) throw badRequest('Invalid characters in attribute value')
  } else if (typeof value === 'object' && value !== null) {
    checkCompound(value, 1, !unrestricted)
  }
  // An omitted type is defaulted from the value and applies on update too (Orion test 1784).
  return { name, type, typeGiven: true, value, metadata }
}

/** Types that make an attribute the entity's location (one per entity, docs/compatibility/ngsi-v2.md §1.4). */
const GEO_TYPES = new Set(['geo:json', 'geo:point', 'geo:line', 'geo:box', 'geo:polygon'])

export function isLocationAttribute(type: string, metadata: Map<string, StoredMetadata> | null): boolean {
  return GEO_TYPES.has(type) && metadata?.get('ignoreType')?.value !== true
}
