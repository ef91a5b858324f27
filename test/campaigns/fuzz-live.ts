/**
 * Live fuzz campaign: a real engine (embedded broker and context broker, loopback, ephemeral
 * ports) receives random and structured MQTT topics and payloads, and malformed bodies, headers
 * and query strings on every HTTP route of the north API and of the NGSI-v2 API, read from the apps
 * themselves (Fastify's route tree of the north app, the NGSI service table), and of the series'
 * other ports (the JSON agent's north API, the south port, the context provider, the HTTP devices,
 * Cygnus and STH-Comet; seriesRoutes lists them).
 *
 * Every HTTP answer must be a success or a 4xx FIWARE error (`{name, message}` on the north API,
 * `{error, description}` on NGSI-v2 and on the agent's context-provider endpoints). A 5xx is a
 * failure, except Orion's own 501 NotImplemented of the routes it knows but this broker does not
 * serve (NOT_IMPLEMENTED below; docs/compatibility/orion.md lists them). Afterwards the engine
 * must still serve: both APIs answer and a measure reaches its entity.
 */
import { request as httpRequest } from 'node:http'
import { connect as netConnect } from 'node:net'
import fc from 'fast-check'
import mqtt from 'mqtt'
import { createNorthApp } from '../../electron/engine/north/iota/app'
import { ROUTES } from '../../electron/engine/north/ngsi/routes'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'

const APIKEY = 'fuzzkey'
const DEVICES = ['fz001', 'fz002', 'fz003']
const TENANT = { 'fiware-service': 'fuzz', 'fiware-servicepath': '/' }

/** Routes that answer 501 by design, as Orion does for them: `METHOD /path/pattern`. */
export const NOT_IMPLEMENTED = new Set(['POST /v2/op/notify'])

export interface LiveBudget {
  seconds: number
  seed?: number
}

export interface LiveOutcome {
  mqttMessages: number
  /** Connections the broker closed over a protocol violation (each followed by a new one). */
  mqttDisconnects: number
  httpRequests: number
  rawRequests: number
  /** Answers by status class, e.g. {"2xx": 10, "4xx": 200}. */
  statuses: Record<string, number>
  routes: number
  failures: string[]
  seed: number
}

/** The APIs fuzzed: the engine endpoint role of each (engine.ts), for its address. */
const API_ROLES = {
  north: 'iota-north',
  ngsi: 'ngsi',
  'json-north': 'iota-json-north',
  south: 'iota-south',
  provider: 'context-provider',
  devices: 'http-devices',
  cygnus: 'cygnus',
  'cygnus-api': 'cygnus-api',
  sth: 'sth'
} as const

interface RouteUnderTest {
  api: keyof typeof API_ROLES
  /** Path segments; `*` is an id of the fuzzer's choice. */
  pattern: string[]
  methods: string[]
}

/** The north app's routes, from Fastify's route tree of an app built like the engine's. */
async function northRoutes(run: RunningEngine): Promise<RouteUnderTest[]> {
  const e = run.engine
  const app = createNorthApp({
    provisioning: e.provisioning,
    registry: e.registry,
    provider: e.commands,
    notifications: e.southbound.notifications,
    logger: e.logger,
    settings: e.settings,
    northPort: () => 0,
    bodyLimit: e.config.iota.bodyLimit
  })
  await app.ready()
  const tree = app.printRoutes({ commonPrefix: false })
  await app.close()
  const out: RouteUnderTest[] = []
  const stack: Array<{ column: number; path: string }> = []
  for (const line of tree.split('\n')) {
    const m = /^([\s│]*)[├└]── (\S+) \(([^)]*)\)/.exec(line)
    if (!m) continue
    const column = m[1]!.length
    while (stack.length && stack[stack.length - 1]!.column >= column) stack.pop()
    const path = (stack[stack.length - 1]?.path ?? '') + m[2]!
    stack.push({ column, path })
    const pattern = path.split('/').slice(1).map((s) => (s.startsWith(':') ? '*' : s))
    out.push({ api: 'north', pattern, methods: m[3]!.split(', ') })
  }
  if (out.length === 0) throw new Error(`no route read from the north app's route tree:\n${tree}`)
  return out
}

function ngsiRoutes(): RouteUnderTest[] {
  return ROUTES.map((r) => ({ api: 'ngsi', pattern: r.pattern, methods: Object.keys(r.methods) }))
}

/**
 * The routes of the series' other ports (docs/compatibility/iot-agent-json.md §4.1,
 * iot-agent-ul.md §3.7, tutorial-services.md, cygnus.md, sth-comet.md): the JSON agent's north API
 * is the north app again; the others are listed here.
 */
function seriesRoutes(north: RouteUnderTest[]): RouteUnderTest[] {
  return [
    ...north.map((r) => ({ ...r, api: 'json-north' as const })),
    { api: 'south', pattern: ['iot', 'd'], methods: ['GET', 'POST'] },
    { api: 'south', pattern: ['iot', 'json'], methods: ['GET', 'POST'] },
    { api: 'south', pattern: ['iot', 'json', 'attrs', '*'], methods: ['POST'] },
    { api: 'south', pattern: ['iot', 'json', 'commands'], methods: ['POST'] },
    { api: 'south', pattern: ['iot', 'json', 'configuration'], methods: ['POST'] },
    { api: 'provider', pattern: ['health'], methods: ['GET'] },
    { api: 'provider', pattern: ['op', 'query'], methods: ['POST'] },
    { api: 'devices', pattern: ['*'], methods: ['POST'] },
    { api: 'cygnus', pattern: ['notify'], methods: ['POST'] },
    { api: 'cygnus-api', pattern: ['v1', 'version'], methods: ['GET'] },
    { api: 'sth', pattern: ['version'], methods: ['GET'] },
    { api: 'sth', pattern: ['STH', 'v1', 'contextEntities', 'type', '*', 'id', '*', 'attributes', '*'], methods: ['GET'] }
  ]
}

interface HttpAnswer {
  status: number
  body: string
  contentType: string
}

function send(url: string, method: string, headers: Record<string, string>, body?: Buffer): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), contentType: String(res.headers['content-type'] ?? '') }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(body)
  })
}

/** A raw request over TCP (request lines and headers Node's client would refuse to send); resolves with the first line of the answer, or '' if the server closed. */
function sendRaw(url: string, text: Buffer): Promise<string> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = netConnect(Number(port), hostname, () => socket.end(text))
    let got = ''
    socket.on('data', (d: Buffer) => (got += d.toString('latin1')))
    socket.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' || err.code === 'EPIPE' ? resolve(got.split('\r\n')[0] ?? '') : reject(err)))
    socket.on('close', () => resolve(got.split('\r\n')[0] ?? ''))
  })
}

/** Checks one answer; returns a failure text or undefined. */
function judge(route: RouteUnderTest, method: string, path: string, a: HttpAnswer): string | undefined {
  const where = `${method} ${path} → ${a.status}`
  const key = `${method} /${route.pattern.join('/')}`
  if (a.status >= 500 && !(a.status === 501 && NOT_IMPLEMENTED.has(key))) return `${where}: server error ${a.body.slice(0, 300)}`
  if (a.status < 200 || a.status >= 600) return `${where}: not an HTTP answer`
  if (a.status >= 400 && method !== 'HEAD' && a.body !== '') {
    // Cygnus answers as its Jetty server does: an HTML error page on the sink, a text line on the management API (docs/compatibility/cygnus.md).
    if (route.api === 'cygnus') return a.body.includes(`<h2>HTTP ERROR ${a.status}</h2>`) ? undefined : `${where}: not Cygnus's error page: ${a.body.slice(0, 200)}`
    if (route.api === 'cygnus-api') return / not found\n$/.test(a.body) ? undefined : `${where}: not Cygnus's error text: ${a.body.slice(0, 200)}`
    let json: unknown
    try {
      json = JSON.parse(a.body)
    } catch {
      return `${where}: error answer is not JSON: ${a.body.slice(0, 200)}`
    }
    const o = json as Record<string, unknown>
    const fiware =
      (typeof o.name === 'string' && typeof o.message === 'string') ||
      (typeof o.error === 'string' && typeof o.description === 'string') ||
      // The agent's log-level endpoint answers `{error}` alone, as iotagent-node-lib (docs/compatibility/iot-agent-ul.md §1).
      (key.endsWith(' /admin/log') && typeof o.error === 'string') ||
      // STH-Comet's errors are hapi's `{statusCode, error[, message]}` (docs/compatibility/sth-comet.md).
      (route.api === 'sth' && typeof o.statusCode === 'number' && typeof o.error === 'string') ||
      // The tutorials' dummy device answers an unknown command `{error}` (405), as its Flask app (tutorial-services.md §4).
      (route.api === 'devices' && typeof o.error === 'string')
    if (!fiware) return `${where}: not a FIWARE error: ${a.body.slice(0, 200)}`
  }
  return undefined
}

const idArb = fc.oneof(
  fc.constantFrom(...DEVICES, 'urn:ngsi-ld:Thing:1', '..', '%2F', '%00', '%C0', 'a%20b', '*', '#', 'x'.repeat(300)),
  fc.string({ unit: fc.constantFrom('a', 'Z', '0', '-', '_', ':', '.', '%', '~', '(', ')', "'", '!', '$', '&', '+', '=', ','), minLength: 1, maxLength: 20 })
)
const headerValue = fc.string({ unit: fc.constantFrom('a', '/', '#', ',', ' ', '\t', ';', '=', '*', '.', '"', 'é', '0'), maxLength: 30 })
const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/ld+json',
  'text/plain',
  'text/json',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=latin1',
  ''
)
const jsonBody = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc.record({
    devices: fc.array(fc.record({ device_id: idArb, entity_name: fc.option(idArb), protocol: fc.option(fc.string()), attributes: fc.option(fc.array(fc.jsonValue({ maxDepth: 2 }))) }, { requiredKeys: [] })),
    services: fc.array(fc.record({ apikey: fc.option(fc.string()), resource: fc.option(fc.string()), entity_type: fc.option(fc.jsonValue({ maxDepth: 1 })) }, { requiredKeys: [] })),
    id: idArb,
    type: fc.jsonValue({ maxDepth: 1 }),
    temperature: fc.jsonValue({ maxDepth: 2 }),
    actionType: fc.constantFrom('append', 'update', 'delete', 'replace', 'appendStrict', 'x'),
    entities: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
    subject: fc.jsonValue({ maxDepth: 3 }),
    notification: fc.jsonValue({ maxDepth: 3 }),
    level: fc.constantFrom('DEBUG', 'ERROR', 'fatal', 'x', '')
  }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 60 }),
  fc.constant('{"a":' .repeat(200)),
  fc.constant('[' .repeat(5000) + ']'.repeat(5000)),
  fc.constant('{"__proto__":{"x":1},"constructor":{"prototype":{"y":2}}}')
)
const queryString = fc.oneof(
  fc.constant(''),
  fc
    .dictionary(
      fc.constantFrom('q', 'mq', 'limit', 'offset', 'options', 'attrs', 'metadata', 'type', 'id', 'idPattern', 'typePattern', 'georel', 'geometry', 'coords', 'orderBy', 'device', 'resource', 'apikey', 'protocol', 'level'),
      fc.string({ unit: fc.constantFrom('a', '1', '-', ';', ':', '=', '<', '>', '!', '~', '.', ',', "'", '%', '*', '(', ')', '&', ' ', '9', 'k'), maxLength: 20 }),
      { maxKeys: 4 }
    )
    .map((d) => '?' + Object.entries(d).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')),
  fc.string({ unit: fc.constantFrom('%', '&', '=', '?', 'q', 'a', '[', ']', '+'), maxLength: 15 }).map((s) => '?' + s)
)

/** Provisions the devices the structured measures go to. */
async function provision(run: RunningEngine, tenant: Record<string, string> = TENANT, apikey = APIKEY, devices = DEVICES): Promise<void> {
  const headers = { ...tenant, 'content-type': 'application/json' }
  const post = async (path: string, body: unknown): Promise<void> => {
    const r = await fetch(run.northUrl + path, { method: 'POST', headers, body: JSON.stringify(body) })
    if (r.status !== 201) throw new Error(`${path}: ${r.status} ${await r.text()}`)
  }
  await post('/iot/services', { services: [{ apikey, resource: '', entity_type: 'Thing' }] })
  await post('/iot/devices', {
    devices: devices.map((d) => ({ device_id: d, entity_name: `urn:ngsi-ld:Thing:${d}`, entity_type: 'Thing', apikey, attributes: [{ object_id: 't', name: 'temperature', type: 'Number' }], commands: [{ name: 'ping', type: 'command' }] }))
  })
}

/** Runs the campaign for `seconds`, half MQTT and half HTTP, then checks that the engine still serves. */
export async function runLiveFuzz(budget: LiveBudget): Promise<LiveOutcome> {
  const seed = budget.seed ?? (Date.now() ^ (Math.random() * 0x7fffffff)) | 0
  // One draw per call, each from the next seed: the whole campaign replays from `seed`.
  let draws = 0
  const sample = <T>(arb: fc.Arbitrary<T>): T => fc.sample(arb, { seed: (seed + draws++) | 0, numRuns: 1 })[0]!
  const outcome: LiveOutcome = { mqttMessages: 0, mqttDisconnects: 0, httpRequests: 0, rawRequests: 0, statuses: {}, routes: 0, failures: [], seed }
  const run = await startEngine((c) => {
    c.logLevel = 'ERROR'
  })
  try {
    await provision(run)
    const north = await northRoutes(run)
    const routes = [...north, ...ngsiRoutes(), ...seriesRoutes(north)]
    const bases = Object.fromEntries(
      Object.entries(API_ROLES).map(([api, role]) => [api, `http://127.0.0.1:${run.engine.endpoints().find((e) => e.role === role)!.addresses[0]!.port}`])
    ) as Record<RouteUnderTest['api'], string>
    outcome.routes = routes.length
    const deadline = (share: number): number => Date.now() + budget.seconds * 1000 * share

    // MQTT: random topics and payloads, and structured ones aimed at the provisioned devices.
    // A protocol violation (an empty topic…) makes the broker close the connection, as MQTT
    // requires: the publications in flight then end with the close, and a new client goes on.
    let client = await mqtt.connectAsync(run.mqttUrl, { clientId: 'fuzz-live', reconnectPeriod: 0 })
    let closed = new Promise<void>((resolve) => client.once('close', () => resolve()))
    const topicArb = fc.oneof(
      fc.constantFrom(...DEVICES).chain((d) =>
        fc.constantFrom(`/${APIKEY}/${d}/attrs`, `ul/${APIKEY}/${d}/attrs`, `/${APIKEY}/${d}/attrs/t`, `/${APIKEY}/${d}/cmdexe`, `/${APIKEY}/${d}/configuration/commands`, `/${APIKEY}/${d}/cmd`)
      ),
      fc.array(fc.constantFrom('', 'ul', APIKEY, 'other', 'dev', 'attrs', 'cmdexe', 'configuration', 'commands', '$SYS', 'é', 'x'.repeat(100)), { minLength: 1, maxLength: 6 }).map((s) => s.join('/'))
      // An empty topic is refused by MQTT itself (mqtt.js then never completes the publication).
    ).filter((t) => t !== '')
    const payloadArb = fc.oneof(
      fc.string({ unit: fc.constantFrom('t', '1', '2', '.', '-', '|', '#', '@', ' ', '\n', 'a', 'e', '{', '}', '"', ':', 'ping', 'configuration'), maxLength: 80 }),
      fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc.constantFrom('t|', '|', '||', '#', '@', 'fz001@ping|pong', 'fz001@|x', '2026-01-01T00:00:00Z|t|1', 't|1|t|2#t|3', 'x'.repeat(20000), '')
    )
    const mqttEnd = deadline(0.5)
    while (Date.now() < mqttEnd) {
      const batch = Array.from({ length: 50 }, () => {
        const topic = sample(topicArb)
        const payload = sample(payloadArb)
        const qos = sample(fc.constantFrom(0 as const, 1 as const))
        // No answer at all (neither PUBACK nor a close) is a hang of the broker or the agent.
        const hang = setTimeout(() => outcome.failures.push(`MQTT: no PUBACK nor close for ${JSON.stringify(topic)} ${JSON.stringify(String(payload).slice(0, 100))}`), 10_000)
        return Promise.race([client.publishAsync(topic, payload, { qos }).catch(() => undefined), closed]).finally(() => clearTimeout(hang))
      })
      await Promise.all(batch)
      outcome.mqttMessages += batch.length
      if (client.disconnected || !client.connected) {
        outcome.mqttDisconnects++
        client.end(true)
        client = await mqtt.connectAsync(run.mqttUrl, { clientId: 'fuzz-live', reconnectPeriod: 0 })
        closed = new Promise<void>((resolve) => client.once('close', () => resolve()))
      }
    }
    await client.endAsync()

    // HTTP: every route, its methods and a few others, malformed bodies, headers and queries.
    const httpEnd = deadline(0.5)
    const methods = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS')
    while (Date.now() < httpEnd) {
      const route = routes[outcome.httpRequests % routes.length]!
      const method = sample(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...route.methods) }, { weight: 1, arbitrary: methods }))
      const path = '/' + route.pattern.map((s) => (s === '*' ? encodeURIComponent(sample(idArb)).replace(/%25/g, '%') : s)).join('/') + sample(queryString)
      const headers: Record<string, string> = {}
      if (sample(fc.boolean())) headers['fiware-service'] = sample(fc.oneof(fc.constant('fuzz'), headerValue))
      if (sample(fc.boolean())) headers['fiware-servicepath'] = sample(fc.oneof(fc.constantFrom('/', '/#', '/a,/b', '//', 'a'), headerValue))
      if (sample(fc.boolean())) headers.accept = sample(fc.oneof(fc.constantFrom('application/json', 'text/plain', '*/*', 'image/png', 'application/json;q=0', ''), headerValue))
      const hasBody = method !== 'GET' && method !== 'HEAD' && sample(fc.boolean())
      let body: Buffer | undefined
      if (hasBody || sample(fc.integer({ min: 0, max: 9 })) === 0) {
        headers['content-type'] = sample(contentType)
        body = Buffer.from(sample(jsonBody))
      }
      const base = bases[route.api]
      let answer: HttpAnswer
      try {
        answer = await send(base + path, method, headers, body)
      } catch (err) {
        outcome.failures.push(`${method} ${path}: no answer (${(err as Error).message})`)
        continue
      } finally {
        outcome.httpRequests++
      }
      const cls = `${Math.floor(answer.status / 100)}xx`
      outcome.statuses[cls] = (outcome.statuses[cls] ?? 0) + 1
      const failure = judge(route, method, path, answer)
      if (failure) outcome.failures.push(failure)
      // A few requests Node's client refuses to build: garbage request lines and headers.
      if (outcome.httpRequests % 25 === 0) {
        const raw = sample(
          fc.oneof(
            fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
            fc.constantFrom(
              'GET /v2/entities HTTP/1.1\r\nHost: 127.0.0.1\r\nfiware-service: a\x01b\r\n\r\n',
              'POST /iot/devices HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 99999\r\n\r\n{"devices":',
              'POST /v2/entities HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
              'GET /%%%/\u00ff HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
              'GET / HTTP/9.9\r\n\r\n'
            ).map((s) => Buffer.from(s, 'latin1'))
          )
        )
        const first = await sendRaw(sample(fc.boolean()) ? run.northUrl : run.ngsiUrl, raw)
        outcome.rawRequests++
        if (/^HTTP\/1\.[01] 5/.test(first)) outcome.failures.push(`raw request ${JSON.stringify(raw.toString('latin1').slice(0, 80))} → ${first}`)
      }
    }

    // The engine still serves: both APIs answer and a measure reaches its entity (of a tenant the
    // fuzzer did not touch, since its requests may have deleted the first one's devices).
    const about = await fetch(`${run.northUrl}/iot/about`)
    if (about.status !== 200) outcome.failures.push(`afterwards GET /iot/about → ${about.status}`)
    const version = await fetch(`${run.ngsiUrl}/version`)
    if (version.status !== 200) outcome.failures.push(`afterwards GET /version → ${version.status}`)
    const probeTenant = { 'fiware-service': 'fuzzprobe', 'fiware-servicepath': '/' }
    await provision(run, probeTenant, 'probekey', ['probe001'])
    const probe = await mqtt.connectAsync(run.mqttUrl, { clientId: 'fuzz-probe', reconnectPeriod: 0 })
    const mark = 4242.5
    await probe.publishAsync('/probekey/probe001/attrs', `t|${mark}`, { qos: 1 })
    await probe.endAsync()
    const e = await fetch(`${run.ngsiUrl}/v2/entities/urn:ngsi-ld:Thing:probe001?options=keyValues&attrs=temperature`, { headers: probeTenant })
    const kv = (await e.json()) as { temperature?: unknown }
    if (e.status !== 200 || kv.temperature !== mark) outcome.failures.push(`afterwards a measure did not reach its entity: ${e.status} ${JSON.stringify(kv)}`)
  } finally {
    await run.dispose()
  }
  return outcome
}
