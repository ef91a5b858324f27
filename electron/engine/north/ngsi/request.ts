import type { IncomingHttpHeaders } from 'node:http'
import { NgsiError } from '../../context/types'
import { hasForbiddenChars } from '../../context/embedded/identifiers'
import { parseServicePathHeader, type ServicePathUse } from '../../context/embedded/scope'
import { acceptable, parseAccept, type AcceptInfo } from './accept'
import { readUriParams, type UriParams } from './uri-params'

/**
 * An incoming request after Orion's protocol checks (connectionTreat in rest.cpp), in Orion's
 * order: URL path characters, service path header, Content-Type, URI parameters and Accept
 * header errors, acceptable Accept, Content-Type on GET/DELETE, missing payload.
 */
export interface NgsiRequest {
  method: string
  /** Decoded path without its (one) trailing slash. */
  path: string
  /** Path components (leading slashes skipped, as Orion's stringSplit). */
  components: string[]
  params: UriParams
  /** Raw `Fiware-Service` (validated later, after payload parsing, as Orion does). */
  serviceHeader: string
  /** Raw `Fiware-ServicePath`, and the validated list. */
  servicePathHeader: string | undefined
  servicePaths: string[]
  correlator: string
  authToken: string | undefined
  /** Media type of the payload without parameters; null without payload. */
  contentType: string | null
  body: Buffer | undefined
  accept: AcceptInfo
}

export const MAX_PAYLOAD = 1048576

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name]
  return Array.isArray(v) ? v[v.length - 1] : v
}

/** Percent-decoding that leaves invalid escapes as they are (as libmicrohttpd does). */
export function decodePath(raw: string): string {
  return raw.replace(/(%[0-9a-fA-F]{2})+/g, (seq) => {
    try {
      return decodeURIComponent(seq)
    } catch {
      return seq.replace(/%([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)))
    }
  })
}

export function splitPath(path: string): string[] {
  const trimmed = path.replace(/^\/+/, '')
  return trimmed === '' ? [] : trimmed.split('/')
}

function verbUse(method: string): ServicePathUse {
  return method === 'GET' || method === 'POST' || method === 'PUT' || method === 'PATCH' || method === 'DELETE' ? method : 'OTHER'
}

export function readRequest(
  method: string,
  rawUrl: string,
  headers: IncomingHttpHeaders,
  body: Buffer | undefined,
  correlator: string
): NgsiRequest | NgsiError {
  const q = rawUrl.indexOf('?')
  let path = decodePath(q === -1 ? rawUrl : rawUrl.slice(0, q))
  const query = q === -1 ? '' : rawUrl.slice(q + 1)
  const accept = parseAccept(header(headers, 'accept'))
  const { params, error: paramError } = readUriParams(query)

  if (hasForbiddenChars(path)) return new NgsiError(400, 'BadRequest', 'invalid character in URI')
  if (path.endsWith('/')) path = path.slice(0, -1)

  const servicePathHeader = header(headers, 'fiware-servicepath')
  let servicePaths: string[]
  try {
    servicePaths = parseServicePathHeader(servicePathHeader, verbUse(method))
  } catch (err) {
    return err as NgsiError
  }

  const contentLength = body?.length ?? 0
  const rawType = header(headers, 'content-type')
  const contentType = rawType === undefined ? null : rawType.split(';')[0]!
  if (contentLength > 0) {
    if (contentType === null || contentType === '') {
      return new NgsiError(415, 'UnsupportedMediaType', 'Content-Type header not used, default application/octet-stream is not supported')
    }
    if (contentType !== 'application/json' && contentType !== 'text/plain') {
      return new NgsiError(415, 'UnsupportedMediaType', `not supported content type: ${contentType}`)
    }
  }

  // Accept errors are found first, URI parameter errors later overwrite them.
  if (paramError) return new NgsiError(400, 'BadRequest', paramError)
  if (accept.error) return new NgsiError(accept.error.status, accept.error.status === 406 ? 'NotAcceptable' : 'BadRequest', accept.error.description)

  const isValue = path.endsWith('/value')
  if (!acceptable(accept, isValue)) {
    return new NgsiError(406, 'NotAcceptable', isValue ? 'acceptable MIME types: application/json, text/plain' : 'acceptable MIME types: application/json')
  }
  if ((method === 'GET' || method === 'DELETE') && rawType !== undefined && contentLength === 0) {
    return new NgsiError(400, 'BadRequest', 'Orion accepts no payload for GET/DELETE requests. HTTP header Content-Type is thus forbidden')
  }
  if ((method === 'POST' || method === 'PUT' || method === 'PATCH') && contentLength === 0) {
    return new NgsiError(411, 'ContentLengthRequired', 'Zero/No Content-Length in PUT/POST/PATCH request')
  }

  return {
    method,
    path,
    components: splitPath(path),
    params,
    serviceHeader: header(headers, 'fiware-service') ?? '',
    servicePathHeader,
    servicePaths,
    correlator,
    authToken: header(headers, 'x-auth-token'),
    contentType: contentLength > 0 ? contentType : null,
    body: contentLength > 0 ? body : undefined,
    accept
  }
}
