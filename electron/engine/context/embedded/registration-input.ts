import { parseIsoDate } from './datetime'
import { badRequest, DESC, notImplemented } from './errors'
import { isObject, optionalString, parseEntitiesVector, parseStringVector } from './entities-vector'
import { hasForbiddenChars } from './identifiers'

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

const MAX_DESCRIPTION = 1024

/** Registrations take concrete entities or ".*" only: Orion answers 501 otherwise. */
function parseEntities(value: unknown): RegistrationEntity[] {
  return parseEntitiesVector(value).map((e) => {
    if (e.idPattern !== undefined && e.idPattern !== '.*') throw notImplemented('Unsupported idPattern')
    if (e.typePattern !== undefined) throw notImplemented('typePattern is not supported')
    const out: RegistrationEntity = {}
    if (e.id !== undefined) out.id = e.id
    if (e.idPattern !== undefined) out.idPattern = e.idPattern
    if (e.type !== undefined) out.type = e.type
    return out
  })
}

function parseAttrs(value: unknown): string[] {
  return parseStringVector(value, 'attrs')
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
