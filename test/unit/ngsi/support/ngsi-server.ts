import { request as httpRequest, createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { EmbeddedContextBroker } from '../../../../electron/engine/context/embedded/broker'
import type { NotificationOptions } from '../../../../electron/engine/context/embedded/subscriptions/subscription-service'
import { silentLogger } from '../../../../electron/engine/log/logger'
import { serveHttp, type HttpService } from '../../../../electron/engine/north/http-service'
import { createNgsiApp } from '../../../../electron/engine/north/ngsi/app'
import { tempDir } from '../../../helpers/temp-dir'

/**
 * Test support for the NGSI-v2 broker: a real broker on a temporary data directory served on an
 * ephemeral port, a raw HTTP client (full control of headers, unlike fetch) and a recording
 * context provider.
 */

export const PERSISTENCE = { flushIntervalMs: 1000, commitDelayMs: 5, compactionIntervalMs: 600_000 }

export interface Res {
  status: number
  headers: IncomingHttpHeaders
  text: string
  /** The body parsed as JSON. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the answer's JSON is untyped by nature: the tests' assertions are what check its shape
  json(): any
}

export interface RequestOptions {
  /** An object is sent as JSON (with `Content-Type: application/json` unless given). */
  body?: unknown
  headers?: Record<string, string>
}

export function rawRequest(base: string, method: string, path: string, opts: RequestOptions = {}): Promise<Res> {
  const url = new URL(base)
  const headers: Record<string, string> = { ...opts.headers }
  let payload: Buffer | undefined
  if (opts.body !== undefined) {
    payload = Buffer.from(typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body))
    if (typeof opts.body !== 'string' && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['Content-Type'] = 'application/json'
    }
    headers['Content-Length'] = String(payload.length)
  }
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) })
      })
    })
    req.on('error', reject)
    if (payload) req.write(payload)
    req.end()
  })
}

export interface NgsiServer {
  base: string
  port: number
  broker: EmbeddedContextBroker
  dataDir: string
  req(method: string, path: string, opts?: RequestOptions): Promise<Res>
  /** Stops the server and the broker; keeps the data directory unless `cleanup`. */
  close(cleanup?: boolean): Promise<void>
}

export async function startNgsi(opts: { dataDir?: string; forwardTimeoutMs?: number; notifications?: NotificationOptions } = {}): Promise<NgsiServer> {
  const dir = opts.dataDir ? { path: opts.dataDir, cleanup: () => {} } : tempDir('ulcc-ngsi-')
  const logger = silentLogger()
  const broker = await EmbeddedContextBroker.open({
    dataDir: dir.path,
    persistence: PERSISTENCE,
    logger,
    ...(opts.forwardTimeoutMs ? { forwardTimeoutMs: opts.forwardTimeoutMs } : {}),
    ...(opts.notifications ? { notifications: opts.notifications } : {})
  })
  let svc: HttpService
  try {
    svc = await serveHttp(createNgsiApp({ broker, logger }), ['127.0.0.1'], 0, 'NGSI-v2 test API')
  } catch (err) {
    await broker.close()
    throw err
  }
  const port = svc.bound[0]!.port
  const base = `http://127.0.0.1:${port}`
  let closed = false
  return {
    base,
    port,
    broker,
    dataDir: dir.path,
    req: (method, path, o) => rawRequest(base, method, path, o),
    close: async (cleanup = true) => {
      if (closed) return
      closed = true
      await svc.close()
      await broker.close()
      if (cleanup) dir.cleanup()
    }
  }
}

export interface RecordedRequest {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: string
}

export interface ProviderAnswer {
  status: number
  body?: string
  headers?: Record<string, string>
}

/** What the provider does with a request: answer now, answer later (a promise), or never ('hang'). */
export type ProviderBehaviour = (req: RecordedRequest) => ProviderAnswer | Promise<ProviderAnswer> | 'hang'

/** A context provider on an ephemeral port that records what it receives. */
export interface FakeProvider {
  url: string
  requests: RecordedRequest[]
  behaviour: ProviderBehaviour
  close(): Promise<void>
}

export async function startProvider(behaviour: ProviderBehaviour = () => ({ status: 204 })): Promise<FakeProvider> {
  const provider: FakeProvider = { url: '', requests: [], behaviour, close: async () => {} }
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const recorded: RecordedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') }
      provider.requests.push(recorded)
      const answer = provider.behaviour(recorded)
      if (answer === 'hang') return
      void Promise.resolve(answer).then((a) => {
        res.writeHead(a.status, { ...(a.body ? { 'Content-Type': 'application/json' } : {}), ...a.headers })
        res.end(a.body)
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  provider.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  provider.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  return provider
}
