/**
 * `npm run bench`: the engine's measure pipeline under load, over real MQTT/TCP connections.
 *
 * The engine runs in this process (as in `serve`); simulated devices run in a child process
 * (test/bench/loader.mjs), one TCP connection each, so they do not share the engine's event loop.
 * A listener on the context broker's change events sees each measure arrive in its entity: it
 * counts them and computes publish→entity latency from the send time the device put in the payload.
 *
 * Phases: the raw broker rate (one publisher → one subscriber on `#`, test/bench/raw-broker.mjs)
 * as the reference; a paced phase (default 5,000 measures/s) for latency; a sustained phase
 * (default 20,000 measures/s, paced) for loss and latency at the target rate; a flood phase (as fast
 * as TCP back-pressure allows) for throughput, loss and memory. Under a flood the devices send
 * faster than the engine can process, so the backlog waits in socket buffers and the flood's
 * latency measures that queue, not the engine. The json phase floods the IoT Agent JSON the same
 * way: the same devices provisioned on its north port, JSON objects on `json/<apikey>/<id>/attrs`.
 *
 * The external phase measures the external-Orion mode: a second engine whose context broker is
 * the NGSI-v2 server of another process (test/helpers/ngsi-remote.ts, standing for Orion), first
 * paced at --rate (latency while Orion keeps up), then flooded with a burst of --external-count
 * measures (as fast as TCP allows, at most --duration seconds); that server counts and times the
 * measures that reach its entities. The engine takes measures in far faster than one Orion can
 * apply them: the burst waits in the engine's queue and the figure (`externalMeasuresPerSec`) is
 * the rate at which the queue is delivered. The default burst fits the default queue
 * (100,000 updates, 64 MiB); a longer flood overflows it and the oldest updates are dropped
 * (counted, reported as loss).
 *
 * The external-mqtt phase measures the external-broker mode: an engine subscribed to Debian's
 * Mosquitto (started on a free port) instead of its own broker, and a burst of --mqtt-count
 * measures published to Mosquitto, once at QoS 0 and once at QoS 1. At QoS 1 the agent
 * acknowledges each message only once its effects are on disk, and mqtt.js handles one delivery
 * after the other, so that rate is the group commit's round trip; Mosquitto queues the rest.
 *
 * The trace phase measures what tracing costs: the paced and flood phases again, with the trace
 * view open (a listener of the API's `trace` stream, so every measure's hops are recorded and
 * streamed). It prints both rates and their ratio (`traceOverhead`); the target is within 10 %.
 *
 * The startup, command and devices10k phases run `serve` as built JavaScript in its own process
 * (test/bench/serve-phases.ts): the time to "Ready." and the idle memory; a command's round trip
 * PATCH → device → `<cmd>_status` OK; the engine's memory with 10,000 connected devices.
 *
 * Options: --devices N (1000) --duration S (10) --rate R (5000) --sustained-rate R (20000)
 *          --qos 0|1 (0) --external-count N (50000) --mqtt-count N (20000)
 *          --startup-runs N (5) --commands N (1000) --many-devices N (10000)
 *          --phases raw,paced,sustained,flood,json,trace,external,external-mqtt,startup,command,devices10k,history
 * The history phase (test/bench/history-phase.ts): points/s into the history store and through
 * the Cygnus sink, and the time of a 1-hour range read over a day of 1-s points.
 * The last line printed is one JSON object with the figures.
 */
import { spawn } from 'node:child_process'
import { rmSync, mkdtempSync } from 'node:fs'
import { tmpdir, cpus } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { createEngineApi } from '../../electron/engine/api'
import { defaultConfig } from '../../electron/engine/config/defaults'
import { Engine } from '../../electron/engine/engine'
import { MOSQUITTO, startMosquitto } from '../helpers/mosquitto'
import { startRemoteNgsi } from '../helpers/ngsi-remote-process'
import { ArrivalProbe } from './arrival-probe'
import { commandPhase, devices10kPhase, startupPhase } from './serve-phases'
import { historyPhase } from './history-phase'
import { ephemeralPorts } from '../helpers/ports'

const here = fileURLToPath(new URL('.', import.meta.url))
const { values: opt } = parseArgs({
  options: {
    devices: { type: 'string', default: '1000' },
    duration: { type: 'string', default: '10' },
    rate: { type: 'string', default: '5000' },
    qos: { type: 'string', default: '0' },
    phases: { type: 'string', default: 'raw,paced,sustained,flood,json,trace,external,external-mqtt,startup,command,devices10k,history' },
    'startup-runs': { type: 'string', default: '5' },
    commands: { type: 'string', default: '1000' },
    'many-devices': { type: 'string', default: '10000' },
    'sustained-rate': { type: 'string', default: '20000' },
    'external-count': { type: 'string', default: '50000' },
    'mqtt-count': { type: 'string', default: '20000' }
  }
})
const DEVICES = Number(opt.devices)
const DURATION = Number(opt.duration)
const RATE = Number(opt.rate)
const QOS = Number(opt.qos) as 0 | 1
const PHASES = new Set(opt.phases.split(','))
const SUSTAINED = Number(opt['sustained-rate'])
const EXTERNAL_COUNT = Number(opt['external-count'])
const MQTT_COUNT = Number(opt['mqtt-count'])
const APIKEY = 'benchkey'
const PREFIX = 'bench'

const mb = (bytes: number): number => Math.round(bytes / 1048576)

function runChild(script: string, config: unknown, onLine: (line: string) => void = () => {}): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(here, script), JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'inherit'] })
    let buf = ''
    let result: Record<string, unknown> | undefined
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString()
      let i: number
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i)
        buf = buf.slice(i + 1)
        if (line.startsWith('result ')) result = JSON.parse(line.slice(7)) as Record<string, unknown>
        else onLine(line)
      }
    })
    child.on('exit', (code) => (result ? resolve(result) : reject(new Error(`${script} exited with code ${code} without a result`))))
  })
}

/** An engine on ephemeral loopback ports (`configure` may change its configuration), its URLs and data directory. */
async function benchEngine(prefix: string, configure: (c: ReturnType<typeof defaultConfig>) => void = () => {}): Promise<{ engine: Engine; north: string; jsonNorth: string; mqttUrl: string; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), prefix))
  const config = defaultConfig(dataDir)
  config.hosts = ['127.0.0.1']
  config.ports = ephemeralPorts()
  config.logLevel = 'WARN'
  configure(config)
  let warnings = 0
  const engine = await Engine.start(config, {
    logSinks: [
      (e) => {
        if (++warnings <= 5) process.stderr.write(`engine ${e.level} ${e.code} ${e.message}\n`)
      }
    ]
  })
  const port = (name: string): number | undefined => engine.endpoints().find((e) => e.name === name)?.addresses[0]?.port
  // With an external MQTT broker the engine has no MQTT listener of its own (mqttUrl is then '').
  const mqttPort = port('MQTT broker (TCP)')
  const jsonNorth = `http://127.0.0.1:${port('IoT Agent JSON north API')}`
  return { engine, north: `http://127.0.0.1:${port('IoT Agent UltraLight north API')}`, jsonNorth, mqttUrl: mqttPort ? `mqtt://127.0.0.1:${mqttPort}` : '', dataDir }
}

/** Provisioning, through the real north API: one group, `count` devices as in the seed tutorial (`resource`: the group's). */
async function provision(north: string, count = DEVICES, resource = ''): Promise<void> {
  const headers = { 'content-type': 'application/json', 'fiware-service': 'bench', 'fiware-servicepath': '/' }
  const post = async (path: string, body: unknown): Promise<void> => {
    const r = await fetch(north + path, { method: 'POST', headers, body: JSON.stringify(body) })
    if (r.status !== 201) throw new Error(`${path}: ${r.status} ${await r.text()}`)
  }
  await post('/iot/services', { services: [{ apikey: APIKEY, resource, entity_type: 'Device' }] })
  for (let i = 0; i < count; i += 200) {
    const devices = []
    for (let j = i; j < Math.min(count, i + 200); j++) {
      devices.push({
        device_id: `${PREFIX}${j}`,
        entity_name: `urn:ngsi-ld:Bench:${j}`,
        entity_type: 'Device',
        apikey: APIKEY,
        transport: 'MQTT',
        attributes: [
          { object_id: 't', name: 'temperature', type: 'Number' },
          { object_id: 'rh', name: 'relativeHumidity', type: 'Number' },
          { object_id: 's', name: 'sequence', type: 'Number' },
          { object_id: 'ts', name: 'sentAt', type: 'Number' }
        ],
        static_attributes: [{ name: 'refStore', type: 'Relationship', value: 'urn:ngsi-ld:Store:001' }]
      })
    }
    await post('/iot/devices', { devices })
  }
}

/**
 * External-Orion mode: an engine whose context broker is the NGSI-v2 server of another process,
 * flooded like the embedded one. That server counts the measures reaching its entities and times
 * them from the send time in the payload; loss = sent − arrived once the engine's queue is empty.
 */
async function externalPhase(out: Record<string, unknown>, rows: string[][]): Promise<void> {
  const remoteDir = mkdtempSync(join(tmpdir(), 'ulcc-bench-remote-'))
  const remote = await startRemoteNgsi({ dataDir: remoteDir, probe: 'sentAt', record: false })
  const { engine, north, mqttUrl, dataDir } = await benchEngine('ulcc-bench-ext-', (c) => {
    c.contextBroker = { mode: 'external', url: remote.url }
  })
  // Drained when every measure arrived, or when nothing moved for 3 s with the engine's queue empty.
  const drained = async (sent: number): Promise<Awaited<ReturnType<typeof remote.counters>>> => {
    let c = await remote.counters()
    for (let last = -1, still = Date.now(); c.probe.count < sent; c = await remote.counters()) {
      if (c.probe.count !== last || (engine.contextClient.stats().backlog ?? 0) > 0) [last, still] = [c.probe.count, Date.now()]
      else if (Date.now() - still > 3000) break
      await new Promise((res) => setTimeout(res, 100))
    }
    return c
  }
  const ms = (x: number | null): number => Math.round((x ?? NaN) * 100) / 100
  try {
    await provision(north)

    // Paced at --rate: the latency from the device to Orion's entity when Orion keeps up.
    const p = await runChild('loader.mjs', { url: mqttUrl, apikey: APIKEY, devices: DEVICES, prefix: PREFIX, mode: 'paced', rate: RATE, durationSec: DURATION, qos: QOS })
    const pc = await drained(p.sent as number)
    out.externalPaced = { rate: RATE, sent: p.sent, received: pc.probe.count, lost: (p.sent as number) - pc.probe.count, p50Ms: ms(pc.latency.p50Ms), p99Ms: ms(pc.latency.p99Ms) }
    rows.push([`external Orion, paced ${RATE}/s`, `${Math.round(pc.probe.count / ((pc.probe.lastAt - pc.probe.firstAt) / 1000))} measures/s`, `lost ${(p.sent as number) - pc.probe.count}`, `p50 ${ms(pc.latency.p50Ms)} ms p99 ${ms(pc.latency.p99Ms)} ms`, ''])
    await remote.reset()

    let maxBacklog = 0
    const rss: number[] = [process.memoryUsage().rss]
    const sampler = setInterval(() => {
      rss.push(process.memoryUsage().rss)
      maxBacklog = Math.max(maxBacklog, engine.contextClient.stats().backlog ?? 0)
    }, 250)
    const r = await runChild('loader.mjs', { url: mqttUrl, apikey: APIKEY, devices: DEVICES, prefix: PREFIX, mode: 'flood', durationSec: DURATION, qos: QOS, count: EXTERNAL_COUNT })
    const c = await drained(r.sent as number)
    clearInterval(sampler)
    rss.push(process.memoryUsage().rss)
    const st = engine.contextClient.stats()
    const received = c.probe.count
    const perSec = Math.round(received / ((c.probe.lastAt - c.probe.firstAt) / 1000))
    const lost = (r.sent as number) - received
    const p50 = ms(c.latency.p50Ms)
    const p99 = ms(c.latency.p99Ms)
    const rssStartMb = mb(rss[0]!)
    const rssMaxMb = mb(Math.max(...rss))
    const rssEndMb = mb(rss[rss.length - 1]!)
    out.external = {
      sent: r.sent,
      received,
      lost,
      measuresPerSec: perSec,
      p50Ms: p50,
      p99Ms: p99,
      requests: c.requests,
      entitiesPerRequest: Math.round((received / Math.max(1, c.requests)) * 10) / 10,
      maxBacklog,
      retried: st.retried,
      dropped: st.dropped,
      failed: st.failed,
      rssStartMb,
      rssMaxMb,
      rssEndMb
    }
    out.externalMeasuresPerSec = perSec
    rows.push([
      `external Orion, burst of ${EXTERNAL_COUNT}`,
      `${perSec} measures/s`,
      `lost ${lost}`,
      `p50 ${p50} ms p99 ${p99} ms`,
      `RSS ${rssStartMb}→${rssMaxMb}→${rssEndMb} MB`
    ])
  } finally {
    await engine.stop()
    await remote.stop()
    rmSync(dataDir, { recursive: true, force: true })
    rmSync(remoteDir, { recursive: true, force: true })
  }
}

/**
 * External-broker mode: the agent subscribed to Mosquitto. Bursts of MQTT_COUNT measures go to
 * Mosquitto as fast as it takes them, at QoS 0 then QoS 1; the figure is the rate at which they
 * reach the entities. Mosquitto may queue every one of them (its per-client queue is raised).
 * The engine's client speaks MQTT 3.1.1 (as iotagent-ul), where Mosquitto keeps at most
 * `max_inflight_messages` (20) QoS 1 deliveries unacknowledged; then QoS 1 once more with MQTT 5,
 * where the client's receive maximum (the ack window, 1,000) sets that number (`qos1v5`).
 */
async function externalMqttPhase(out: Record<string, unknown>, rows: string[][]): Promise<void> {
  if (!MOSQUITTO) {
    process.stderr.write('external-mqtt phase skipped: mosquitto is not installed (Debian: apt-get install mosquitto)\n')
    return
  }
  const mosquitto = await startMosquitto({ extra: [`max_queued_messages ${MQTT_COUNT + 1000}`, 'max_queued_bytes 0'] })
  const results: Record<string, unknown> = {}
  try {
    for (const protocolVersion of [4, 5] as const) {
      const { engine, north, dataDir } = await benchEngine('ulcc-bench-mqtt-', (c) => {
        c.mqtt = { mode: 'external', url: mosquitto.url, rejectUnauthorized: true, clientId: 'ulcc-bench', keepalive: 60, protocolVersion }
      })
      try {
        await provision(north)
        const probe = new ArrivalProbe(engine.contextBroker!)
        for (const qos of protocolVersion === 4 ? ([0, 1] as const) : ([1] as const)) {
          probe.reset(MQTT_COUNT)
          const r = await runChild('loader.mjs', { url: mosquitto.url, apikey: APIKEY, devices: DEVICES, prefix: PREFIX, mode: 'flood', durationSec: 600, qos, count: MQTT_COUNT })
          await probe.drained(r.sent as number, 5000)
          const lost = (r.sent as number) - probe.received
          const lat = probe.latency()
          const key = protocolVersion === 5 ? `qos${qos}v5` : `qos${qos}`
          results[key] = { sent: r.sent, received: probe.received, lost, measuresPerSec: probe.rate(), p50Ms: lat.p50Ms, p99Ms: lat.p99Ms }
          const version = protocolVersion === 5 ? 'MQTT 5' : 'MQTT 3.1.1'
          rows.push([`external MQTT broker (${version}), QoS ${qos} burst of ${MQTT_COUNT}`, `${probe.rate()} measures/s`, `lost ${lost}`, `p50 ${lat.p50Ms} ms p99 ${lat.p99Ms} ms`, ''])
        }
      } finally {
        await engine.stop()
        rmSync(dataDir, { recursive: true, force: true })
      }
    }
    out.externalMqtt = results
  } finally {
    await mosquitto.stop()
  }
}

async function main(): Promise<void> {
  const { engine, north, jsonNorth, mqttUrl, dataDir } = await benchEngine('ulcc-bench-')
  await provision(north)

  const probe = new ArrivalProbe(engine.contextBroker!)

  const out: Record<string, unknown> = { devices: DEVICES, durationSec: DURATION, qos: QOS, cpus: cpus().length, node: process.version }
  const rows: string[][] = []

  if (PHASES.has('raw')) {
    const raw = await runChild('raw-broker.mjs', { url: mqttUrl, durationSec: DURATION })
    const rawRate = Math.round(raw.msgsPerSec as number)
    out.rawBrokerMsgsPerSec = rawRate
    rows.push(['raw broker (1 pub → 1 sub on #)', `${rawRate} msg/s`, `lost ${(raw.sent as number) - (raw.received as number)}`, '', ''])
  }

  const pacedPhase = async (key: string, rate: number): Promise<void> => {
    probe.reset(rate * DURATION + 1000)
    const r = await runChild('loader.mjs', { url: mqttUrl, apikey: APIKEY, devices: DEVICES, prefix: PREFIX, mode: 'paced', rate, durationSec: DURATION, qos: QOS })
    await probe.drained(r.sent as number)
    const lat = probe.latency()
    const received = probe.received
    const lost = (r.sent as number) - received
    out[key] = { rate, sent: r.sent, received, lost, measuresPerSec: probe.rate(), ...lat }
    rows.push([`${key} ${rate}/s`, `${probe.rate()} measures/s`, `lost ${lost}`, `p50 ${lat.p50Ms} ms p95 ${lat.p95Ms} ms p99 ${lat.p99Ms} ms`, ''])
  }
  if (PHASES.has('paced')) await pacedPhase('paced', RATE)
  if (PHASES.has('sustained')) await pacedPhase('sustained', SUSTAINED)

  const floodPhase = async (key: string, format: 'ul' | 'json' = 'ul'): Promise<void> => {
    probe.reset(2_000_000)
    const rss: number[] = [process.memoryUsage().rss]
    const sampler = setInterval(() => {
      rss.push(process.memoryUsage().rss)
      if (process.env.BENCH_DEBUG) {
        const m = process.memoryUsage()
        process.stderr.write(`heap ${mb(m.heapUsed)} ext ${mb(m.external)} ab ${mb(m.arrayBuffers)} recv ${probe.received}\n`)
      }
    }, 250)
    const r = await runChild('loader.mjs', { url: mqttUrl, apikey: APIKEY, devices: DEVICES, prefix: PREFIX, mode: 'flood', durationSec: DURATION, qos: QOS, format })
    await probe.drained(r.sent as number)
    clearInterval(sampler)
    rss.push(process.memoryUsage().rss)
    const received = probe.received
    const lost = (r.sent as number) - received
    const lat = probe.latency()
    const perSec = probe.rate()
    const rssStartMb = mb(rss[0]!)
    const rssMaxMb = mb(Math.max(...rss))
    if (process.env.BENCH_RSS_TRACE) process.stderr.write(`rss samples (MB): ${rss.map(mb).join(' ')}\n`)
    const rssEndMb = mb(rss[rss.length - 1]!)
    out[key] = { sent: r.sent, received, lost, measuresPerSec: perSec, ...lat, rssStartMb, rssMaxMb, rssEndMb }
    rows.push([key, `${perSec} measures/s`, `lost ${lost}`, `p50 ${lat.p50Ms} ms p99 ${lat.p99Ms} ms`, `RSS ${rssStartMb}→${rssMaxMb}→${rssEndMb} MB`])
  }
  if (PHASES.has('flood')) {
    await floodPhase('flood')
    const f = out.flood as { measuresPerSec: number; rssMaxMb: number }
    out.measuresPerSec = f.measuresPerSec
    out.rssMb = f.rssMaxMb
  }

  if (PHASES.has('json')) {
    // The IoT Agent JSON: the same devices provisioned on its north port, flooded with JSON on `json/<apikey>/<id>/attrs`.
    await provision(jsonNorth, DEVICES, '/iot/json')
    await floodPhase('json flood', 'json')
    const j = out['json flood'] as { measuresPerSec: number }
    out.jsonMeasuresPerSec = j.measuresPerSec
  }

  if (PHASES.has('trace')) {
    // The trace view open: the API's `trace` stream has a listener, so every measure is traced and streamed.
    const api = createEngineApi(engine, { settings: { env: {} } })
    let streamed = 0
    const off = api.on('trace', (batch) => (streamed += batch.length))
    try {
      type Figures = { measuresPerSec: number; p99Ms: number }
      const pair = async (plain: string, traced: string): Promise<{ off: number; on: number; ratio: number; p99OffMs: number; p99OnMs: number } | undefined> => {
        const before = out[plain] as Figures | undefined
        if (!before) return undefined
        if (plain === 'flood') await floodPhase(traced)
        else await pacedPhase(traced, RATE)
        const after = out[traced] as Figures
        const ratio = Math.round((after.measuresPerSec / before.measuresPerSec) * 1000) / 1000
        return { off: before.measuresPerSec, on: after.measuresPerSec, ratio, p99OffMs: before.p99Ms, p99OnMs: after.p99Ms }
      }
      const paced = await pair('paced', 'paced, trace view open')
      const flood = await pair('flood', 'flood, trace view open')
      out.traceOverhead = { paced, flood, tracesStreamed: streamed, tracesKept: engine.tracer.stats().traces, measuresNotSampled: engine.tracer.stats().unsampled }
      for (const [name, x] of [['paced', paced], ['flood', flood]] as const) {
        if (x) rows.push([`tracing overhead (${name}): off → on`, `${x.off} → ${x.on} /s`, '', `ratio ${x.ratio}, p99 ${x.p99OffMs} → ${x.p99OnMs} ms`, ''])
      }
    } finally {
      off()
      api.close()
    }
  }

  const paced = out.paced as { lost: number; p50Ms: number; p95Ms: number; p99Ms: number } | undefined
  const flood = out.flood as { lost: number } | undefined
  const sustained = out.sustained as { lost: number } | undefined
  out.lost = (paced?.lost ?? 0) + (sustained?.lost ?? 0) + (flood?.lost ?? 0)
  if (paced) Object.assign(out, { p50Ms: paced.p50Ms, p95Ms: paced.p95Ms, p99Ms: paced.p99Ms })
  if (typeof out.measuresPerSec === 'number' && typeof out.rawBrokerMsgsPerSec === 'number') {
    out.ratioToRawBroker = Math.round((out.measuresPerSec / out.rawBrokerMsgsPerSec) * 100) / 100
  }
  const stats = engine.southbound.stats()
  out.rejected = stats.rejected
  out.entityWrites = engine.contextBroker!.stats().writer

  await engine.stop()
  rmSync(dataDir, { recursive: true, force: true })

  if (PHASES.has('external')) await externalPhase(out, rows)
  if (PHASES.has('external-mqtt')) await externalMqttPhase(out, rows)
  if (PHASES.has('startup')) await startupPhase(out, rows, Number(opt['startup-runs']))
  if (PHASES.has('command')) await commandPhase(out, rows, Number(opt.commands))
  if (PHASES.has('devices10k')) await devices10kPhase(out, rows, { runChild, provision, apikey: APIKEY, prefix: PREFIX }, Number(opt['many-devices']), DURATION)
  if (PHASES.has('history')) await historyPhase(out, rows)

  // Each column as wide as its widest cell, and a space between columns.
  const widths = [0, 1, 2, 3, 4].map((i) => Math.max(0, ...rows.map((r) => (r[i] ?? '').length)) + 2)
  widths[3] = Math.max(widths[3]!, 'latency (publish → entity)'.length + 2)
  process.stdout.write(`\n${'phase'.padEnd(widths[0]!)}${'rate'.padEnd(widths[1]!)}${'loss'.padEnd(widths[2]!)}${'latency (publish → entity)'.padEnd(widths[3])}memory\n`)
  for (const row of rows) process.stdout.write(row.map((c, i) => c.padEnd(widths[i]!)).join('') + '\n')
  process.stdout.write(JSON.stringify(out) + '\n')
}

main().catch((err: Error) => {
  process.stderr.write(`bench failed: ${err.stack ?? err.message}\n`)
  process.exit(1)
})
