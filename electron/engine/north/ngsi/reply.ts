import type { FastifyReply } from 'fastify'
import { NgsiError } from '../../context/types'

/** What a handler answers; written to the wire by `sendReply`. */
export interface NgsiReply {
  status: number
  body?: string
  /** Content-Type of the body (no Content-Type without body, as Orion). */
  contentType?: 'application/json' | 'text/plain'
  /** Extra headers, in Orion's spelling (Location, Fiware-Total-Count, Allow). */
  headers?: Array<[string, string]>
}

export function json(body: string, status = 200, headers?: Array<[string, string]>): NgsiReply {
  return headers ? { status, body, contentType: 'application/json', headers } : { status, body, contentType: 'application/json' }
}

export function noContent(headers?: Array<[string, string]>): NgsiReply {
  return headers ? { status: 204, headers } : { status: 204 }
}

export function created(location: string): NgsiReply {
  return { status: 201, headers: [['Location', location]] }
}

/** Orion escapes these characters in error texts (htmlEscape in string.cpp). */
const ESCAPES: Record<string, string> = {
  '<': '&lt;',
  '>': '&gt;',
  '(': '&#40;',
  ')': '&#41;',
  '=': '&#61;',
  "'": '&#39;',
  '"': '&quot;',
  ';': '&#59;'
}

function escapeHtml(s: string): string {
  return s.replace(/[<>()='";]/g, (c) => ESCAPES[c]!)
}

/** `{"error":…,"description":…}` in Orion's key order. */
export function errorReply(err: NgsiError, headers?: Array<[string, string]>): NgsiReply {
  const body = JSON.stringify({ error: escapeHtml(err.error), description: escapeHtml(err.description) })
  return json(body, err.status, headers)
}

export function badRequestReply(description: string): NgsiReply {
  return errorReply(new NgsiError(400, 'BadRequest', description))
}

export function sendReply(reply: FastifyReply, r: NgsiReply): FastifyReply {
  reply.code(r.status)
  // Set on the raw response so that the header names keep Orion's capitalisation.
  for (const [name, value] of r.headers ?? []) reply.raw.setHeader(name, value)
  if (r.body === undefined) return reply.send()
  reply.header('Content-Type', r.contentType ?? 'application/json')
  // A Buffer, so that Fastify does not append "; charset=utf-8": Orion sends the bare type.
  return reply.send(Buffer.from(r.body, 'utf8'))
}
