import type { IncomingHttpHeaders } from 'node:http'
import type { HttpFrameDto } from '../../../shared/trace'
import { excerpt } from './tracer'

/** Headers a trace never shows: they carry credentials. */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'x-auth-token', 'cookie', 'set-cookie'])

/** Request headers as a hop shows them: lower-case names, no credentials. */
export function safeHeaders(headers: IncomingHttpHeaders | Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name in headers) {
    const key = name.toLowerCase()
    if (SECRET_HEADERS.has(key)) continue
    const v = headers[name]
    if (v !== undefined) out[key] = Array.isArray(v) ? v.join(', ') : String(v)
  }
  return out
}

/** An inbound HTTP request as a hop shows it (body excerpt, no credentials). */
export function httpFrame(method: string, url: string, headers: IncomingHttpHeaders, body: Buffer | string | undefined): HttpFrameDto {
  const frame: HttpFrameDto = { method, url, headers: safeHeaders(headers) }
  if (body !== undefined) {
    const text = typeof body === 'string' ? body : body.subarray(0, 4 * 2048).toString('utf8')
    frame.body = excerpt(text)
    frame.bodyBytes = typeof body === 'string' ? Buffer.byteLength(body) : body.length
  }
  return frame
}
