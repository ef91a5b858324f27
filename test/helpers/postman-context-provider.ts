import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A stand-in for the context provider of the Portuguese tutorial 4 (the container
 * `context-provider`, port 5000), for the two requests the Postman collection sends to it directly
 * on `localhost:5000`:
 *
 * - `GET /health` → 200 `{"relative humidity": <0–100>, "temperature": <10–40>}`, new random
 *   values on every call;
 * - `POST /op/query` with an NGSI-v2 query body (`{"entities":[{"type":"Store","id":…}],"attrs":[…]}`)
 *   → 200 with a normalized entity array holding random `relativeHumidity` (0–100) and
 *   `temperature` (10–40), type `Number`, for every requested `Store` entity; `attrs` selects the
 *   attributes (none or empty = both). Keys come out sorted, as the provider's JSON encoder does:
 *   `[{"id":…,"relativeHumidity":{…},"temperature":{…},"type":"Store"}]`.
 *
 * It listens on an ephemeral port of 127.0.0.1 (the test maps the tutorial's `localhost:5000` to
 * its `url`) and records every request, so a test can tell that nothing else (the context broker,
 * for instance) reached it.
 */

export interface ProviderRequest {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: string
}

export interface TutorialContextProvider {
  /** Every request received, in order. */
  requests: ProviderRequest[]
  /** `http://127.0.0.1:<port>`. */
  url: string
  close(): Promise<void>
}

const ATTRS = ['relativeHumidity', 'temperature'] as const

function randomInt(min: number, max: number): number {
  return min + Math.floor(Math.random() * (max - min + 1))
}

function randomValue(attr: (typeof ATTRS)[number]): number {
  return attr === 'temperature' ? randomInt(10, 40) : randomInt(0, 100)
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

function query(body: string): { status: number; body: unknown } {
  let req: { entities?: Array<{ id?: unknown; type?: unknown }>; attrs?: unknown }
  try {
    req = JSON.parse(body) as typeof req
  } catch {
    return { status: 400, body: { error: 'BadRequest', description: 'invalid JSON' } }
  }
  const wanted = Array.isArray(req.attrs) && req.attrs.length > 0 ? ATTRS.filter((a) => (req.attrs as unknown[]).includes(a)) : [...ATTRS]
  const out: Array<Record<string, unknown>> = []
  for (const e of req.entities ?? []) {
    if (e.type !== 'Store' || typeof e.id !== 'string') continue
    const entity: Record<string, unknown> = { id: e.id }
    for (const a of wanted) entity[a] = { type: 'Number', value: randomValue(a) }
    entity.type = 'Store'
    out.push(entity)
  }
  return { status: 200, body: out }
}

function handle(requests: ProviderRequest[]) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body })
      const path = (req.url ?? '').split('?')[0]
      if (req.method === 'GET' && path === '/health') {
        send(res, 200, { 'relative humidity': randomValue('relativeHumidity'), temperature: randomValue('temperature') })
      } else if (req.method === 'POST' && (path === '/op/query' || path === '//op/query')) {
        const r = query(body)
        send(res, r.status, r.body)
      } else {
        send(res, 404, { error: 'NotFound', description: `no route ${req.method} ${path}` })
      }
    })
  }
}

function listen(server: Server, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, host, () => {
      server.off('error', reject)
      resolve((server.address() as AddressInfo).port)
    })
  })
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections()
    server.close(() => resolve())
  })
}

/** Starts the stand-in on an ephemeral port of 127.0.0.1. */
export async function startTutorialContextProvider(): Promise<TutorialContextProvider> {
  const requests: ProviderRequest[] = []
  const server = createServer(handle(requests))
  const port = await listen(server, '127.0.0.1')
  return { requests, url: `http://127.0.0.1:${port}`, close: () => closeServer(server) }
}
