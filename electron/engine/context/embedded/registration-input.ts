import { parseIsoDate } from './datetime'
import { badRequest, DESC, notImplemented } from './errors'
import { hasForbiddenChars, hasForbiddenIdChars, MAX_ID_LENGTH } from './identifiers'

/**
 * `POST /v2/registrations` body → a validated registration (parseRegistration.cpp,
 * parseEntitiesVector.cpp, parseStringVector.cpp), with Orion's messages. The IoT Agent's typed
 * RegistrationRequest goes through the same function: there is no second code path.
 */

export type ForwardingMode = 'all' | 'query' | 'update' | 'none'

export interface RegistrationEntity {
  id?: string
  idPattern?: string
  type?: string
}

export interface RegistrationSpec {
  description?: string
  entities: RegistrationEntity[]
  /** Empty: every attribute of the entities. */
  attrs: string[]
  url: string
  supportedForwardingMode: ForwardingMode
  legacyForwarding: boolean
  /** Milliseconds since the epoch; absent = permanent. */
  expires?: number
  status: 'active' | 'inactive'
}

type Json = Record<string, unknown>

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

const MAX_DESCRIPTION = 1024

function optionalString(o: Json, field: string, description: string): string | undefined {
  if (!(field in o)) return undefined
  const v = o[field]
  if (typeof v !== 'string') throw badRequest(`${description} is not a string`)
  return v
}

function parseEntities(value: unknown): RegistrationEntity[] {
  if (!Array.isArray(value)) throw badRequest('/entities/ is not an array')
  const out: RegistrationEntity[] = []
  for (const item of value) {
    if (!isObject(item)) throw badRequest('/entities/ vector item is not an object')
    if (!('id' in item) && !('idPattern' in item)) throw badRequest('/entities/ vector item does not have /id/ nor /idPattern/')
    if ('id' in item && 'idPattern' in item) throw badRequest('/entities/ vector item has both /id/ and /idPattern/')
    if ('type' in item && 'typePattern' in item) throw badRequest('/entities/ element has both /type/ and /typePattern/')
    const e: RegistrationEntity = {}
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
      try {
        new RegExp(idPattern)
      } catch {
        throw badRequest('Invalid regex for entity idPattern')
      }
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
    if (typePattern !== undefined && typePattern.length === 0) throw badRequest('/entities/ vector item /typePattern/ is empty')
    // Context providers take concrete entities or ".*" only (Orion answers 501 otherwise).
    if (e.idPattern !== undefined && e.idPattern !== '.*') throw notImplemented('Unsupported idPattern')
    if (typePattern !== undefined) throw notImplemented('typePattern is not supported')
    if (!out.some((o) => o.id === e.id && o.idPattern === e.idPattern && o.type === e.type)) out.push(e)
  }
  return out
}

function parseAttrs(value: unknown): string[] {
  if (!Array.isArray(value)) throw badRequest('the field /attrs/ must be a JSON array')
  const out: string[] = []
  value.forEach((v, i) => {
    if (typeof v !== 'string') throw badRequest('only JSON Strings allowed in string vector /attrs/')
    if (value.indexOf(v, i + 1) !== -1) throw badRequest(`duplicated item /${v}/ in array`)
    if (hasForbiddenIdChars(v) && v !== '') throw badRequest('forbidden characters in attribute name')
    if (v === '') throw badRequest('empty string found in string vector /attrs/')
    out.push(v)
  })
  return out
}

function isValidProviderUrl(url: string): boolean {
  try {
    const u = new URL(url)
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname.length > 0
  } catch {
    return false
  }
}

function parseProvider(value: unknown): Pick<RegistrationSpec, 'url' | 'supportedForwardingMode' | 'legacyForwarding'> {
  if (!isObject(value)) throw badRequest('/provider/ must be a JSON object')
  if (Object.keys(value).length === 0) throw badRequest('/provider/ empty')
  if (!('http' in value)) throw badRequest('/provider/ must contain a field /http/')
  const http = value.http
  if (!isObject(http)) throw badRequest('/http/ must be a JSON object')
  if (!('url' in http)) throw badRequest('/http/ must contain a field /url/')
  const url = http.url
  if (typeof url !== 'string') throw badRequest('/url/ field of /http/ must be a JSON string')
  if (url.length === 0) throw badRequest('/url/ field of /http/ cannot be the empty string')
  if (!isValidProviderUrl(url)) throw badRequest('/url/ field of /http/ is invalid')
  let supportedForwardingMode: ForwardingMode = 'all'
  if ('supportedForwardingMode' in value) {
    const mode = value.supportedForwardingMode
    if (typeof mode !== 'string') throw badRequest('/supportedForwardingMode/ must be a JSON string')
    if (mode !== 'all' && mode !== 'query' && mode !== 'update' && mode !== 'none') {
      throw badRequest('invalid value of /supportedForwardingMode/')
    }
    supportedForwardingMode = mode
  }
  let legacyForwarding = false
  if ('legacyForwarding' in value) {
    if (typeof value.legacyForwarding !== 'boolean') throw badRequest('the field /legacyForwarding/ must be a boolean')
    legacyForwarding = value.legacyForwarding
  }
  return { url, supportedForwardingMode, legacyForwarding }
}

export function parseRegistration(body: unknown): RegistrationSpec {
  if (!isObject(body)) throw badRequest('not a JSON object')
  if (Object.keys(body).length === 0) throw badRequest(DESC.emptyPayload)

  let description: string | undefined
  if ('description' in body) {
    if (typeof body.description !== 'string') throw badRequest('invalid description')
    description = body.description
    if (description.length > MAX_DESCRIPTION) throw badRequest('max description length exceeded')
    if (hasForbiddenChars(description)) throw badRequest('forbidden characters in description')
  }

  if (!('dataProvided' in body)) throw badRequest('the field /dataProvided/ is missing in payload')
  const dataProvided = body.dataProvided
  if (!isObject(dataProvided)) throw badRequest('/dataProvided/ must be a JSON object')
  if (Object.keys(dataProvided).length === 0) throw badRequest('/dataProvided/ is empty')
  const entities = 'entities' in dataProvided ? parseEntities(dataProvided.entities) : []
  const attrs = 'attrs' in dataProvided ? parseAttrs(dataProvided.attrs) : []

  if (!('provider' in body)) throw badRequest('the field /provider/ is missing in payload')
  const provider = parseProvider(body.provider)

  const spec: RegistrationSpec = { entities, attrs, ...provider, status: 'active' }
  if (description !== undefined) spec.description = description

  const expires = optionalString(body, 'expires', 'expires')
  if (expires !== undefined && expires !== '') {
    const ms = parseIsoDate(expires)
    if (ms === null) throw badRequest('the field /expires/ has an invalid format')
    spec.expires = ms
  }
  if ('status' in body) {
    if (typeof body.status !== 'string') throw badRequest('/status/ must be a string')
    if (body.status !== 'active' && body.status !== 'inactive') throw badRequest('invalid value for /status/')
    spec.status = body.status
  }
  return spec
}
