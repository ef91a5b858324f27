/**
 * A stand-in for an external Orion, in a process of its own: only the embedded NGSI-v2 broker
 * and its HTTP API (`EmbeddedContextBroker.open` + `createNgsiApp` + `serveHttp`), on a loopback
 * port, with its own data directory — so that it can be killed with SIGKILL and restarted on the
 * same port and data, as a real Orion can.
 *
 *   node --import tsx test/helpers/ngsi-remote.ts '{"dataDir":"…","port":0}'
 *
 * Options (JSON): dataDir, port (0 = ephemeral), changeLog (a file where every entity change is
 * appended synchronously, so that the record survives a SIGKILL), probe (an attribute holding a
 * send time in ms: arrivals are counted and timed instead of recorded, for the benchmark),
 * record (false: keep counters only).
 *
 * Prints one JSON line `{"pid","port","controlPort"}` once listening. The control port (a separate
 * server, not part of the NGSI API) answers GET /requests (what the NGSI API received), GET
 * /changes (every entity change, with the values of the attributes written), GET /counters and
 * POST /reset.
 */
import { appendFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { EmbeddedContextBroker } from '../../electron/engine/context/embedded/broker'
import { Logger } from '../../electron/engine/log/logger'
import { serveHttp } from '../../electron/engine/north/http-service'
import { createNgsiApp } from '../../electron/engine/north/ngsi/app'
import { percentile } from './percentile'

export interface RemoteRequest {
  method: string
  url: string
  /** `fiware-service` as received; null when the header was absent. */
  service: string | null
  servicePath: string | null
  bytes: number
  /** Entities in the body of a `POST /v2/op/update`. */
  entities?: number
  status?: number
}

export interface RemoteChange {
  kind: string
  tenant: string
  servicePath: string
  id: string
  type: string
  /** Values of the attributes the request wrote. */
  attrs: Record<string, unknown>
}

interface Options {
  dataDir: string
  port?: number
  changeLog?: string
  probe?: string
  record?: boolean
}

const MAX_RECORDS = 500_000
const opts = JSON.parse(process.argv[2] ?? '{}') as Options
if (!opts.dataDir) {
  process.stderr.write('usage: ngsi-remote.ts \'{"dataDir":"…","port":0}\'\n')
  process.exit(2)
}
const record = opts.record !== false

const logger = new Logger('WARN', 100, [(e) => process.stderr.write(`remote ${e.level} ${e.code} ${e.message}\n`)])
const broker = await EmbeddedContextBroker.open({
  dataDir: opts.dataDir,
  persistence: { flushIntervalMs: 1000, commitDelayMs: 5, compactionIntervalMs: 600_000 },
  logger
})

let requests: RemoteRequest[] = []
let changes: RemoteChange[] = []
const counters = { requests: 0, changes: 0, probe: { count: 0, firstAt: 0, lastAt: 0 } }
let latencies: number[] = []

broker.onChange((c) => {
  counters.changes++
  if (opts.probe) {
    const sent = c.entity.attrs.get(opts.probe)?.value
    if (!c.attrs.includes(opts.probe) || typeof sent !== 'number') return
    const now = performance.timeOrigin + performance.now()
    if (counters.probe.count++ === 0) counters.probe.firstAt = now
    counters.probe.lastAt = now
    if (latencies.length < MAX_RECORDS) latencies.push(now - sent)
    return
  }
  const attrs: Record<string, unknown> = {}
  for (const name of c.attrs) attrs[name] = c.entity.attrs.get(name)?.value
  const change: RemoteChange = { kind: c.kind, tenant: c.service, servicePath: c.servicePath, id: c.id, type: c.type, attrs }
  if (opts.changeLog) appendFileSync(opts.changeLog, JSON.stringify(change) + '\n')
  if (record && changes.length < MAX_RECORDS) changes.push(change)
})

const app = createNgsiApp({ broker, logger })
app.addHook('preHandler', async (req) => {
  counters.requests++
  if (!record) return
  const header = (name: string): string | null => {
    const v = req.headers[name]
    return v === undefined ? null : String(v)
  }
  const body = Buffer.isBuffer(req.body) ? req.body : undefined
  const r: RemoteRequest = { method: req.method, url: req.url, service: header('fiware-service'), servicePath: header('fiware-servicepath'), bytes: body?.length ?? 0 }
  if (body && req.url.startsWith('/v2/op/update')) {
    try {
      r.entities = (JSON.parse(body.toString('utf8')) as { entities: unknown[] }).entities.length
    } catch {
      // A malformed body is the broker's to answer.
    }
  }
  if (requests.length < MAX_RECORDS) requests.push(r)
  ;(req as unknown as { recorded: RemoteRequest }).recorded = r
})
app.addHook('onResponse', async (req, reply) => {
  const r = (req as unknown as { recorded?: RemoteRequest }).recorded
  if (r) r.status = reply.statusCode
})
const svc = await serveHttp(app, ['127.0.0.1'], opts.port ?? 0, 'remote NGSI-v2 API')

const control = createServer((req, res) => {
  const send = (body: unknown): void => {
    res.writeHead(200, { 'Content-Type': 'application/json' })
    res.end(JSON.stringify(body))
  }
  if (req.method === 'GET' && req.url === '/requests') return send(requests)
  if (req.method === 'GET' && req.url === '/changes') return send(changes)
  if (req.method === 'GET' && req.url === '/counters') {
    const sorted = [...latencies].sort((a, b) => a - b)
    return send({ ...counters, latency: sorted.length ? { p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99) } : { p50Ms: null, p99Ms: null } })
  }
  if (req.method === 'POST' && req.url === '/reset') {
    requests = []
    changes = []
    latencies = []
    counters.requests = counters.changes = 0
    counters.probe = { count: 0, firstAt: 0, lastAt: 0 }
    return send({})
  }
  res.writeHead(404)
  res.end()
})
await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve))

process.stdout.write(JSON.stringify({ pid: process.pid, port: svc.bound[0]!.port, controlPort: (control.address() as AddressInfo).port }) + '\n')

process.on('SIGTERM', () => {
  control.close()
  void svc
    .close()
    .then(() => broker.close())
    .finally(() => process.exit(0))
})
