import { parseAttributeObject } from '../entity-json'
import { isObject, optionalString, parseStringVector } from '../entities-vector'
import { badRequest, notImplemented } from '../errors'
import { hasForbiddenChars, hasForbiddenCharsExcept } from '../identifiers'
import type { AttrsFormat, HttpCustomTarget, HttpTarget } from './model'

/**
 * The `notification` object of a subscription (parseNotification in parseSubscription.cpp):
 * exactly one transport (`http` or `httpCustom`; MQTT and Kafka are not offered by this
 * broker), the attribute selection, the format and the failure limit.
 */

export interface NotificationPatch {
  target: { http: HttpTarget } | { httpCustom: HttpCustomTarget }
  attrs: string[]
  /** Absent when neither attrs nor exceptAttrs was given. */
  exceptAttrs?: boolean
  attrsFormat: AttrsFormat
  metadata: string[]
  onlyChangedAttrs?: boolean
  covered?: boolean
  maxFailsLimit: number
}

const MAX_HTTP_TIMEOUT = 1_800_000
const FORMATS = new Set<string>(['normalized', 'keyValues', 'values', 'simplifiedNormalized', 'simplifiedKeyValues'])
const METHODS = new Set(['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE', 'CONNECT'])
const TRANSPORTS = ['http', 'httpCustom', 'mqtt', 'mqttCustom', 'kafka', 'kafkaCustom']

/**
 * parseUrl() in string.cpp: scheme http, https (or mqtt/kafka, refused by the caller), a host,
 * an optional port in 1–65535, an optional path. Returns the scheme, or null.
 */
export function urlScheme(url: string): string | null {
  const m = /^(https?|mqtt|kafka):\/\/([^/]+)(\/.*)?$/.exec(url)
  if (!m) return null
  try {
    const u = new URL(`http://${m[2]}`)
    if (u.hostname === '' || u.username || u.password) return null
    const port = /:(\d*)$/.exec(m[2]!.replace(/^\[.*\]/, ''))
    if (port && (port[1] === '' || Number(port[1]) < 1 || Number(port[1]) > 65535)) return null
  } catch {
    return null
  }
  return m[1]!
}

function checkScheme(scheme: string | null, invalid: string): void {
  if (scheme === null) throw badRequest(invalid)
  if (scheme === 'mqtt') throw badRequest('mqtt URL cannot be used in http notifications')
  if (scheme === 'kafka') throw badRequest('kafka URL cannot be used in http notifications')
}

function parseTimeout(o: Record<string, unknown>): number {
  if (!('timeout' in o)) return 0
  const v = o.timeout
  if (typeof v !== 'number' || !Number.isInteger(v)) throw badRequest('timeout is not an int')
  if (v < 0 || v > MAX_HTTP_TIMEOUT) throw badRequest(`timeout field must be an integer between 0 and ${MAX_HTTP_TIMEOUT}`)
  return v
}

function parseHttp(value: unknown): HttpTarget {
  if (!isObject(value)) throw badRequest('http notification is not an object')
  const url = optionalString(value, 'url', 'url http notification')
  if (url === undefined) throw badRequest('url http notification is missing')
  if (hasForbiddenChars(url)) throw badRequest('forbidden characters in http field /url/')
  const timeout = parseTimeout(value)
  checkScheme(urlScheme(url), 'Invalid URL parsing notification url')
  return { url, timeout }
}

/** parseDictionary(): string values, no forbidden characters (headers may contain quotes). */
function parseDictionary(value: unknown, name: string, exceptions = ''): Record<string, string> {
  if (!isObject(value)) throw badRequest(`${name} is not an object`)
  if (Object.keys(value).length === 0) throw badRequest(`${name} is empty`)
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw badRequest(`${name} element is not a string`)
    if (hasForbiddenCharsExcept(v, exceptions) || hasForbiddenChars(k)) throw badRequest(`forbidden characters in custom ${name}`)
    out[k] = v
  }
  return out
}

/** The `ngsi` patch: id/type strings, attributes without metadata (but evalPriority). */
function parseNgsi(value: unknown): Record<string, unknown> {
  if (!isObject(value)) throw badRequest('ngsi field in httpCustom is not an object')
  for (const [k, v] of Object.entries(value)) {
    if (k === 'id' && typeof v !== 'string') throw badRequest('Invalid JSON type for entity id')
    if (k === 'type' && typeof v !== 'string') throw badRequest('Invalid JSON type for entity type')
    if (k === 'id' || k === 'type') continue
    const attr = parseAttributeObject(v)
    for (const md of Object.keys(attr.metadata ?? {})) {
      if (md !== 'evalPriority') throw badRequest('only evalPriority metadata is allowed in ngsi field in custom notifications')
    }
  }
  return value
}

function parseHttpCustom(value: unknown): HttpCustomTarget {
  if (!isObject(value)) throw badRequest('httpCustom notification is not an object')
  const url = optionalString(value, 'url', 'url httpCustom notification')
  if (url === undefined) throw badRequest('url httpCustom notification is missing')
  if (hasForbiddenChars(url)) throw badRequest('forbidden characters in custom /url/')
  // A templated URL can only be checked once its macros are replaced.
  if (!url.includes('${')) checkScheme(urlScheme(url), 'invalid custom /url/')
  const target: HttpCustomTarget = { url, timeout: 0 }
  const method = optionalString(value, 'method', 'method httpCustom notification')
  if (method !== undefined) {
    if (!METHODS.has(method)) throw badRequest('unknown method httpCustom notification')
    target.method = method
  }
  const payloads = ['payload', 'json', 'ngsi'].filter((k) => k in value).length
  if (payloads > 1) throw badRequest('only one of payload, json or ngsi fields accepted at the same time in httpCustom, mqttCustom or kafkaCustom')
  if ('payload' in value) {
    if (value.payload === null) target.payload = null
    else {
      const payload = optionalString(value, 'payload', 'payload custom notification')!
      if (hasForbiddenChars(payload)) throw badRequest('forbidden characters in custom /payload/')
      // An empty text means the regular NGSI payload.
      if (payload !== '') target.payload = payload
    }
  } else if ('json' in value) {
    if (typeof value.json !== 'object' || value.json === null) {
      throw badRequest('json fields in httpCustom, mqttCustom or kafkaCustom must be object or array')
    }
    target.json = value.json
  } else if ('ngsi' in value) target.ngsi = parseNgsi(value.ngsi)
  if ('qs' in value) target.qs = parseDictionary(value.qs, 'notification httpCustom qs')
  if ('headers' in value) target.headers = parseDictionary(value.headers, 'notification httpCustom headers', '\'"')
  target.timeout = parseTimeout(value)
  return target
}

export function parseNotification(value: unknown): NotificationPatch {
  if (!isObject(value)) throw badRequest('notification is not an object')
  const transports = TRANSPORTS.filter((t) => t in value)
  if (transports.length > 1) throw badRequest('only one of http, httpCustom, mqtt, mqttCustom, kafka or kafkaCustom is allowed')
  if (transports.length === 0) throw badRequest('http, httpCustom, mqtt, mqttCustom, kafka or kafkaCustom is missing')
  let target: NotificationPatch['target']
  if ('http' in value) target = { http: parseHttp(value.http) }
  else if ('httpCustom' in value) target = { httpCustom: parseHttpCustom(value.httpCustom) }
  else throw notImplemented(`${transports[0]} notifications are not supported by this context broker`)

  const n: NotificationPatch = { target, attrs: [], attrsFormat: 'normalized', metadata: [], maxFailsLimit: 0 }
  if ('attrs' in value && 'exceptAttrs' in value) throw badRequest('http notification has attrs and exceptAttrs')
  if ('attrs' in value) {
    n.attrs = parseStringVector(value.attrs, 'attrs')
    n.exceptAttrs = false
  } else if ('exceptAttrs' in value) {
    n.attrs = parseStringVector(value.exceptAttrs, 'exceptAttrs')
    if (n.attrs.length === 0) throw badRequest('http notification has exceptAttrs is empty')
    n.exceptAttrs = true
  }
  if ('onlyChangedAttrs' in value) {
    if (typeof value.onlyChangedAttrs !== 'boolean') throw badRequest('onlyChangedAttrs is not a bool')
    n.onlyChangedAttrs = value.onlyChangedAttrs
  }
  if ('covered' in value) {
    if (typeof value.covered !== 'boolean') throw badRequest('covered is not a bool')
    n.covered = value.covered
    if (n.covered && n.attrs.length === 0) throw badRequest('covered true cannot be used if notification attributes list is empty')
  }
  if ('metadata' in value) n.metadata = parseStringVector(value.metadata, 'metadata')
  const format = optionalString(value, 'attrsFormat')
  if (format !== undefined) {
    if (!FORMATS.has(format)) {
      throw badRequest('invalid attrsFormat, accepted values: normalized, simplifiedNormalized, keyValues, simplifiedkeyValues, values')
    }
    n.attrsFormat = format as AttrsFormat
  }
  if ('maxFailsLimit' in value) {
    const v = value.maxFailsLimit
    if (typeof v !== 'number' || !Number.isInteger(v)) throw badRequest('maxFailsLimit is not an int')
    if (v <= 0) throw badRequest('maxFailsLimit must be greater than zero')
    n.maxFailsLimit = v
  }
  return n
}
