import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingHttpHeaders } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import { readFile } from 'node:fs/promises'

/**
 * HTTP/1.1 to one server (the external Orion) with kept-alive connections, an overall timeout per
 * request and a cap on response sizes. Node's own http client is used rather than fetch: it gives
 * direct control over the connection pool and tells whether a request went out on a reused
 * connection, which is what makes the retry below safe.
 */

/** The CA bundle of an https Orion (`contextBroker.caFile`), read once at start; undefined without one. */
export async function readCaFile(path: string | undefined): Promise<Buffer | undefined> {
  if (!path) return undefined
  try {
    return await readFile(path)
  } catch (err) {
    throw new Error(`cannot read the context broker CA file ${path}: ${(err as Error).message}`, { cause: err })
  }
}

/** A reused connection was found closed before the request reached the server. */
class RetryOnNewSocket extends Error {}

export interface HttpAnswer {
  status: number
  headers: IncomingHttpHeaders
  body: string
}

export interface HttpCall {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /** Path and query below the base URL, e.g. `/v2/op/update`. */
  path: string
  headers: Record<string, string>
  body?: string
}

/** No HTTP answer: connection refused or reset, DNS failure, timeout, or the client closed. */
export class TransportError extends Error {
  override name = 'TransportError'
  constructor(
    message: string,
    readonly code: string
  ) {
    super(message)
  }
}

export interface TransportOptions {
  timeoutMs: number
  /** Connections kept to the server (requests beyond wait for one). */
  maxSockets?: number
  /** Larger answers are an error (entity listings are the largest the engine asks for). */
  maxResponseBytes?: number
  /** PEM certificate authorities an https server must chain to (instead of the system's). */
  ca?: string | Buffer
}

export class HttpTransport {
  private readonly agent: HttpAgent
  private readonly request: typeof httpRequest
  private readonly host: string
  private readonly port: number
  private readonly basePath: string
  private readonly active = new Set<ClientRequest>()
  private closed = false

  constructor(
    readonly baseUrl: string,
    private readonly opts: TransportOptions
  ) {
    const url = new URL(baseUrl)
    const https = url.protocol === 'https:'
    const agentOpts = { keepAlive: true, maxSockets: opts.maxSockets ?? 16, keepAliveMsecs: 1000 }
    this.agent = https ? new HttpsAgent(opts.ca ? { ...agentOpts, ca: opts.ca } : agentOpts) : new HttpAgent(agentOpts)
    this.request = https ? httpsRequest : httpRequest
    this.host = url.hostname.replace(/^\[(.*)\]$/, '$1')
    this.port = url.port ? Number(url.port) : https ? 443 : 80
    // Orion may sit behind a proxy under a path prefix: keep it, without its trailing slash.
    this.basePath = url.pathname.replace(/\/+$/, '')
  }

  /** Resolves with any HTTP answer (errors included); rejects with TransportError only. */
  async send(call: HttpCall, timeoutMs = this.opts.timeoutMs): Promise<HttpAnswer> {
    try {
      return await this.once(call, timeoutMs)
    } catch (err) {
      // A kept-alive connection the server closed meanwhile fails at once with ECONNRESET (or
      // EPIPE): the request never reached the server, so it is sent again, once, on a new one.
      if (err instanceof RetryOnNewSocket) return this.once(call, timeoutMs)
      throw err
    }
  }

  /** Ends every request in flight (they reject with TransportError 'closed') and the pool. */
  close(): void {
    this.closed = true
    for (const req of this.active) req.destroy(new TransportError('the client was closed', 'CLOSED'))
    this.agent.destroy()
  }

  private once(call: HttpCall, timeoutMs: number): Promise<HttpAnswer> {
    if (this.closed) return Promise.reject(new TransportError('the client was closed', 'CLOSED'))
    const headers: Record<string, string> = { ...call.headers }
    if (call.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(call.body))
    const max = this.opts.maxResponseBytes ?? 32 * 1024 * 1024
    return new Promise<HttpAnswer>((resolve, reject) => {
      const req = this.request({ host: this.host, port: this.port, method: call.method, path: this.basePath + call.path, headers, agent: this.agent })
      this.active.add(req)
      let settled = false
      const fail = (err: NodeJS.ErrnoException): void => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        this.active.delete(req)
        if (err instanceof TransportError) return reject(err)
        if (req.reusedSocket && (err.code === 'ECONNRESET' || err.code === 'EPIPE')) return reject(new RetryOnNewSocket())
        reject(new TransportError(`${call.method} ${this.baseUrl}${call.path.split('?')[0]}: ${err.message}`, err.code ?? 'EIO'))
      }
      const timer = setTimeout(() => req.destroy(new TransportError(`no answer in ${timeoutMs} ms`, 'ETIMEDOUT')), timeoutMs)
      req.on('response', (res) => {
        const chunks: Buffer[] = []
        let size = 0
        res.on('data', (c: Buffer) => {
          size += c.length
          if (size > max) req.destroy(new TransportError(`answer larger than ${max} bytes`, 'ETOOBIG'))
          else chunks.push(c)
        })
        res.on('end', () => {
          if (settled) return
          settled = true
          clearTimeout(timer)
          this.active.delete(req)
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') })
        })
        res.on('error', fail)
        res.on('aborted', () => fail(new TransportError('the connection closed in the middle of the answer', 'ECONNRESET')))
      })
      req.on('error', fail)
      req.end(call.body)
    })
  }
}

