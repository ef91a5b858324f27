import { NgsiError } from '../types'
import { isLocationAttribute } from './attribute-input'
import { isDateType, normalizeIsoDate } from './datetime'
import { badRequest, DESC } from './errors'
import type { NormalizedAttribute, StoredAttribute, StoredEntity, StoredMetadata } from './model'

/**
 * Attribute update semantics (MongoCommonUpdate.cpp mergeAttrInfo, docs/compatibility/ngsi-v2.md §1.4):
 * - the value is always replaced; the type only when the request gave one (PUT …/value keeps
 *   it, every other update defaults it from the new value);
 * - metadata are "sticky": the request's metadata first, then the stored ones the request does
 *   not mention (in name order, as Orion rebuilds them); `overrideMetadata` replaces the set;
 *   `onlyValue` (PUT …/value) keeps it untouched.
 */

export interface MergeOptions {
  overrideMetadata?: boolean
  onlyValue?: boolean
  /** `options=forcedUpdate`: every written attribute counts as changed (notifications). */
  forcedUpdate?: boolean
}

/** What an update did to an attribute: nothing, its value or type (maybe metadata too), or metadata only. */
export const Change = { None: 0, Value: 1, MetadataOnly: 2 } as const
export type Change = (typeof Change)[keyof typeof Change]

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a)) {
    const bb = b as unknown[]
    return a.length === bb.length && a.every((v, i) => deepEqual(v, bb[i]))
  }
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  if (ka.length !== kb.length) return false
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
}

export function metadataEqual(a: Map<string, StoredMetadata> | null, b: Map<string, StoredMetadata> | null): boolean {
  const sa = a?.size ?? 0
  const sb = b?.size ?? 0
  if (sa !== sb) return false
  if (sa === 0) return true
  for (const [name, md] of a!) {
    const other = b!.get(name)
    if (!other || other.type !== md.type || !deepEqual(other.value, md.value)) return false
  }
  return true
}

function mergeMetadata(
  request: Map<string, StoredMetadata> | null,
  stored: Map<string, StoredMetadata> | null
): Map<string, StoredMetadata> | null {
  if (!stored || stored.size === 0) return request
  if (!request || request.size === 0) return stored
  let kept: string[] | null = null
  for (const name of stored.keys()) if (!request.has(name)) (kept ??= []).push(name)
  // The measure hot path lands here: the request restates every stored metadata.
  if (!kept) return request
  const merged = new Map(request)
  for (const name of kept.sort()) merged.set(name, stored.get(name)!)
  return merged
}

/** Creates a stored attribute from a request attribute. */
export function createAttribute(input: NormalizedAttribute, now: number): StoredAttribute {
  return { type: input.type, value: input.value, metadata: input.metadata, creDate: now, modDate: now }
}

/** Applies a request attribute to a stored one; returns what actually changed. */
export function mergeAttribute(stored: StoredAttribute, input: NormalizedAttribute, opts: MergeOptions, now: number): Change {
  const type = input.typeGiven ? input.type : stored.type
  let value = input.value
  // PUT …/value on a DateTime attribute: the kept type still demands a valid date.
  if (!input.typeGiven && isDateType(type) && typeof value === 'string') {
    const iso = normalizeIsoDate(value)
    if (iso === null) throw badRequest('date has invalid format in attribute value')
    value = iso
  }
  let metadata: Map<string, StoredMetadata> | null
  if (opts.onlyValue) metadata = stored.metadata
  else if (opts.overrideMetadata) metadata = input.metadata
  else metadata = mergeMetadata(input.metadata, stored.metadata)
  const change =
    type !== stored.type || !deepEqual(stored.value, value) ? Change.Value : metadataEqual(stored.metadata, metadata) ? Change.None : Change.MetadataOnly
  stored.type = type
  stored.value = value
  stored.metadata = metadata
  stored.modDate = now
  return change
}

/**
 * One location attribute per entity (location.cpp): simulates the operation on the names of
 * location attributes and answers 413 NoResourcesAvailable when a second one would appear.
 */
export function checkLocations(
  entity: StoredEntity | null,
  attrs: NormalizedAttribute[],
  mode: 'create' | 'append' | 'appendStrict' | 'update' | 'replace'
): void {
  // Fast exit for the common case (measures): typed, non-geographic attributes only.
  if (attrs.every((a) => a.typeGiven && !a.type.startsWith('geo:'))) return
  const locations = new Set<string>()
  if (entity && mode !== 'replace') {
    for (const [name, a] of entity.attrs) if (isLocationAttribute(a.type, a.metadata)) locations.add(name)
  }
  let relevant = false
  for (const a of attrs) {
    const exists = !!entity && mode !== 'replace' && entity.attrs.has(a.name)
    if (mode === 'update' && !exists) continue
    if (mode === 'appendStrict' && exists) continue
    const stored = exists ? entity.attrs.get(a.name)! : null
    const type = a.typeGiven || !stored ? a.type : stored.type
    const metadata = stored ? mergeMetadata(a.metadata, stored.metadata) : a.metadata
    if (isLocationAttribute(type, metadata)) {
      locations.add(a.name)
      relevant = true
    } else locations.delete(a.name)
  }
  if (relevant && locations.size > 1) throw new NgsiError(413, 'NoResourcesAvailable', DESC.geoLocations)
}
