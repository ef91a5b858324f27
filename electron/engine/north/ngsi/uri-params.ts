import { hasForbiddenChars, hasForbiddenCharsExcept } from '../../context/embedded/identifiers'

/**
 * URI parameters as Orion checks them while reading the request (uriArgumentGet in rest.cpp):
 * empty values, pagination, `options` tokens and combinations, forbidden characters. Every
 * parameter is checked in order and the last error wins, as in Orion.
 */

export const OPTION_TOKENS = new Set([
  'count',
  'normalized',
  'values',
  'keyValues',
  'append',
  'unique',
  'dateCreated',
  'dateModified',
  'noAttrDetail',
  'upsert',
  'forcedUpdate',
  'overrideMetadata',
  'flowControl',
  'skipForwarding',
  'fullCounters',
  'libVersions',
  'skipInitialNotification'
])

export interface UriParams {
  /** Last value of each parameter. */
  values: Map<string, string>
  options: Set<string>
}

/** Parses `options` into tokens; null when a token is unknown or a combination is forbidden. */
export function parseOptions(value: string, into: Set<string>): boolean {
  for (const token of value.replace(/^,+/, '').split(',')) {
    if (!OPTION_TOKENS.has(token)) return false
    into.add(token)
  }
  const has = (t: string): boolean => into.has(t)
  if (has('keyValues') && has('values')) return false
  if (has('keyValues') && has('unique')) return false
  if (has('unique') && has('values')) return false
  return true
}

function checkParam(key: string, value: string, options: Set<string>): string | null {
  if (value === '') return `Empty right-hand-side for URI param /${key}/`
  if (key === 'offset' && !/^\d+$/.test(value)) return `Bad pagination offset: /${value}/ [must be a decimal number]`
  if (key === 'limit') {
    if (!/^\d+$/.test(value)) return `Bad pagination limit: /${value}/ [must be a positive integer number]`
    if (Number(value) > 1000) return `Bad pagination limit: /${value}/ [max: 1000]`
  }
  let error: string | null = null
  if (key === 'options' && !parseOptions(value, options)) error = 'Invalid value for URI param /options/'
  let forbidden = false
  if (key === 'geometry' || key === 'georel') forbidden = hasForbiddenCharsExcept(value, '=;')
  else if (key === 'coords') forbidden = hasForbiddenCharsExcept(value, ';')
  else if (key !== 'q' && key !== 'mq' && key !== 'idPattern' && key !== 'typePattern') {
    forbidden = hasForbiddenChars(key) || hasForbiddenChars(value)
  }
  return forbidden ? 'invalid character in URI parameter' : error
}

/** Reads the query string; returns the parameters and the error Orion would report, if any. */
export function readUriParams(query: string): { params: UriParams; error: string | null } {
  const params: UriParams = { values: new Map(), options: new Set() }
  let error: string | null = null
  if (query === '') return { params, error }
  for (const [key, value] of new URLSearchParams(query)) {
    params.values.set(key, value)
    const e = checkParam(key, value, params.options)
    if (e) error = e
  }
  return { params, error }
}
