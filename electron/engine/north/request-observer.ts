import type { FastifyInstance } from 'fastify'

/** One answered request of the north API or the NGSI API, as the lessons see it (docs/lessons.md, checks and hints). */
export interface ObservedRequest {
  api: 'north' | 'ngsi'
  method: string
  /** The path without its query. */
  path: string
  status: number
  /** FIWARE error name of a 4xx/5xx answer: `error` of an NGSI answer, `name` of the agent's. */
  error?: string
  /** Whether the request carried a `fiware-service` header. */
  tenant: boolean
  service: string
  servicePath: string
  at: number
  /** The client's address (IPv4-mapped IPv6 written as IPv4): classroom mode attributes untenanted requests by it. */
  peer?: string
}

export type RequestObserver = (r: ObservedRequest) => void

/** Error bodies larger than this are not read for their error name. */
const MAX_ERROR_BODY = 4096

/**
 * Where the north and NGSI apps report their answered requests. Nobody listens unless a lessons
 * runtime watches a started lesson (the user's, or a trainee's in classroom mode): the apps' hook
 * then costs one property read per request.
 */
export class RequestObservers {
  private readonly listeners = new Set<RequestObserver>()

  get active(): boolean {
    return this.listeners.size > 0
  }

  /** Adds a listener; returns the function that removes it. */
  listen(listener: RequestObserver): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  notify(r: ObservedRequest): void {
    for (const l of this.listeners) l(r)
  }
}

/** `::ffff:10.0.0.5` → `10.0.0.5`. */
export function peerAddress(address: string | undefined): string | undefined {
  return address?.startsWith('::ffff:') ? address.slice(7) : address
}

const header = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v)

/** The FIWARE error name of an error answer: `{error, description}` (Orion, the agent's provider endpoints) or `{name, message}` (the agent). */
export function errorName(payload: unknown): string | undefined {
  let text: string | undefined
  if (typeof payload === 'string') text = payload
  else if (Buffer.isBuffer(payload)) text = payload.length <= MAX_ERROR_BODY ? payload.toString('utf8') : undefined
  if (text === undefined || text.length > MAX_ERROR_BODY || !text.startsWith('{')) return undefined
  try {
    const body = JSON.parse(text) as { error?: unknown; name?: unknown }
    const name = typeof body.error === 'string' ? body.error : body.name
    return typeof name === 'string' ? name : undefined
  } catch {
    return undefined
  }
}

/** Adds the hook that reports each answer of `app` to `observers` (while someone listens). */
export function observeRequests(app: FastifyInstance, api: ObservedRequest['api'], observers: RequestObservers | undefined): void {
  if (!observers) return
  app.addHook('onSend', (req, reply, payload, done) => {
    if (observers.active) {
      const status = reply.statusCode
      const service = header(req.headers['fiware-service'])
      const r: ObservedRequest = {
        api,
        method: req.method,
        path: req.url.split('?')[0]!,
        status,
        tenant: service !== undefined,
        service: (service ?? '').toLowerCase(),
        servicePath: header(req.headers['fiware-servicepath']) || '/',
        at: Date.now()
      }
      const peer = peerAddress(req.socket.remoteAddress)
      if (peer !== undefined) r.peer = peer
      if (status >= 400) {
        const name = errorName(payload)
        if (name !== undefined) r.error = name
      }
      observers.notify(r)
    }
    done(null, payload)
  })
}
