/**
 * Benchmark phases on `serve` in its own process (test/bench/serve-process.ts), as a classroom
 * server runs it:
 *
 * - startup: the built serve started RUNS times (the browser GUI on, already built): time from the
 *   spawn to "Ready.", and the resident memory after 2 s idle and once settled (12 s idle: V8's
 *   memory reducer runs 8 s after the last burst of allocation). Targets: ≤ 0.5 s, ≤ 80 MB.
 * - command: one device (mqtt.js) answering each command on cmdexe at once; COMMANDS commands sent
 *   one after the other as `PATCH /v2/entities/{id}/attrs` to the NGSI port; each is timed from the
 *   PATCH until a subscription's notification (to an HTTP server in this process) shows
 *   `<cmd>_status` OK with this command's result in `<cmd>_info`. Target p99 ≤ 10 ms on loopback.
 * - devices10k: 10,000 provisioned devices, one MQTT/TCP connection each (test/bench/loader.mjs in a
 *   child process), one measure per second each; the engine's resident memory (its process only)
 *   once they are connected and while they send.
 */
import { createServer } from 'node:http'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { connectAsync } from 'mqtt'
import { ensureRendererBuilt } from '../../scripts/renderer-build'
import { listenLocal } from '../helpers/local-server'
import { percentile } from '../helpers/percentile'
import { ensureServeBuilt, LOOPBACK_PORTS, startBuiltServe, type ServeProcess } from './serve-process'

const root = join(import.meta.dirname, '..', '..')
const ms = (x: number): number => Math.round(x * 100) / 100
const sleep = (t: number): Promise<void> => new Promise((r) => setTimeout(r, t))

export interface PhaseTools {
  /** Runs a child script of test/bench with its JSON config; `onLine` hears its other output lines. */
  runChild(script: string, config: unknown, onLine?: (line: string) => void): Promise<Record<string, unknown>>
  /** Provisions `count` devices (APIKEY, PREFIX0…) through the north API. */
  provision(north: string, count: number): Promise<void>
  apikey: string
  prefix: string
}

export async function startupPhase(out: Record<string, unknown>, rows: string[][], runs: number): Promise<void> {
  await ensureServeBuilt()
  await ensureRendererBuilt(root, (reason) => process.stderr.write(`building the browser GUI first (${reason})\n`))
  const ready: number[] = []
  const rss: number[] = []
  const settled: number[] = []
  for (let i = 0; i < runs; i++) {
    const serve = await startBuiltServe(LOOPBACK_PORTS)
    try {
      ready.push(serve.readyMs)
      await sleep(2000)
      rss.push(serve.rssMb())
      // V8's memory reducer gives back what the start left over once the process has been idle for 8 s.
      await sleep(10_000)
      settled.push(serve.rssMb())
    } finally {
      await serve.stop()
    }
  }
  const sortedReady = [...ready].sort((a, b) => a - b)
  const sortedRss = [...rss].sort((a, b) => a - b)
  const readyP50 = Math.round(percentile(sortedReady, 50))
  const readyMax = Math.round(sortedReady[sortedReady.length - 1]!)
  const idleRss = percentile(sortedRss, 50)
  const sortedSettled = [...settled].sort((a, b) => a - b)
  const settledRss = percentile(sortedSettled, 50)
  out.startup = { runs, readyMs: readyP50, readyMaxMs: readyMax, idleRssMb: idleRss, idleRssMaxMb: sortedRss[sortedRss.length - 1], settledRssMb: settledRss, settledRssMaxMb: sortedSettled[sortedSettled.length - 1] }
  rows.push([`startup (built serve, ${runs} runs)`, `ready ${readyP50} ms (max ${readyMax})`, '', '', `RSS idle ${idleRss} MB at 2 s, ${settledRss} MB at 12 s`])
}

/** Sends one command; resolves when its PATCH is answered. */
async function patchCommand(ngsi: string, service: string, entityId: string, value: string): Promise<void> {
  const r = await fetch(`${ngsi}/v2/entities/${encodeURIComponent(entityId)}/attrs?type=Device`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', 'fiware-service': service, 'fiware-servicepath': '/' },
    body: JSON.stringify({ ring: { type: 'command', value } })
  })
  if (r.status !== 204) throw new Error(`PATCH ring: ${r.status} ${await r.text()}`)
}

export async function commandPhase(out: Record<string, unknown>, rows: string[][], count: number): Promise<void> {
  await ensureServeBuilt()
  const serve: ServeProcess = await startBuiltServe([...LOOPBACK_PORTS, '--no-gui', '--log-level', 'WARN'])
  const service = 'benchcmd'
  const apikey = 'cmdkey'
  const deviceId = 'cmd001'
  const entityId = 'urn:ngsi-ld:Bench:cmd001'
  const headers = { 'content-type': 'application/json', 'fiware-service': service, 'fiware-servicepath': '/' }

  // The notification showing OK with the expected result ends the wait of the command under way.
  let waiting: { info: string; done: (at: number) => void } | undefined
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const at = performance.now()
      res.writeHead(204).end()
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data?: Array<Record<string, unknown>> }
        for (const e of body.data ?? []) if (waiting && e.ring_status === 'OK' && e.ring_info === waiting.info) waiting.done(at)
      } catch {
        // Not a notification of ours.
      }
    })
  })
  const notifications = await listenLocal(receiver)
  const device = await connectAsync(serve.url('MQTT broker (TCP)'), { clientId: deviceId, reconnectPeriod: 0 })
  try {
    const north = serve.url('IoT Agent UltraLight north API')
    const ngsi = serve.url('NGSI-v2 context broker')
    const post = async (url: string, body: unknown): Promise<void> => {
      const r = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) })
      if (r.status !== 201) throw new Error(`${url}: ${r.status} ${await r.text()}`)
    }
    await post(`${north}/iot/services`, { services: [{ apikey, resource: '', entity_type: 'Device' }] })
    await post(`${north}/iot/devices`, {
      devices: [{ device_id: deviceId, entity_name: entityId, entity_type: 'Device', apikey, transport: 'MQTT', commands: [{ name: 'ring', type: 'command' }] }]
    })
    // The device answers each command at once, with the command's value as its result.
    device.on('message', (_topic, payload) => {
      const text = payload.toString()
      const value = text.slice(text.indexOf('|') + 1)
      device.publish(`/ul/${apikey}/${deviceId}/cmdexe`, `${deviceId}@ring|${value}`)
    })
    await device.subscribeAsync(`/${apikey}/${deviceId}/cmd`)
    await post(`${ngsi}/v2/subscriptions`, {
      subject: { entities: [{ id: entityId, type: 'Device' }], condition: { attrs: ['ring_status'] } },
      notification: { http: { url: `${notifications.url}/notify` }, attrs: ['ring_status', 'ring_info'], attrsFormat: 'keyValues' }
    })

    const one = async (value: string): Promise<{ totalMs: number; patchMs: number }> => {
      const ok = new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`command ${value}: no OK notification within 10 s`)), 10_000)
        waiting = {
          info: value,
          done: (at) => {
            clearTimeout(timer)
            waiting = undefined
            resolve(at)
          }
        }
      })
      const start = performance.now()
      await patchCommand(ngsi, service, entityId, value)
      const patched = performance.now()
      return { totalMs: (await ok) - start, patchMs: patched - start }
    }
    // Warm-up: connections, JIT, the first writes of the data files.
    for (let i = 0; i < 50; i++) await one(`w${i}`)
    const total: number[] = []
    const patch: number[] = []
    for (let i = 0; i < count; i++) {
      const t = await one(`c${i}`)
      total.push(t.totalMs)
      patch.push(t.patchMs)
    }
    total.sort((a, b) => a - b)
    patch.sort((a, b) => a - b)
    const result = {
      commands: count,
      p50Ms: ms(percentile(total, 50)),
      p99Ms: ms(percentile(total, 99)),
      maxMs: ms(total[total.length - 1]!),
      patchP50Ms: ms(percentile(patch, 50)),
      patchP99Ms: ms(percentile(patch, 99))
    }
    out.command = result
    rows.push([`command PATCH → device → _status OK (${count})`, '', '', `p50 ${result.p50Ms} ms p99 ${result.p99Ms} ms`, ''])
  } finally {
    await device.endAsync(true)
    await notifications.close()
    await serve.stop()
  }
}

export async function devices10kPhase(out: Record<string, unknown>, rows: string[][], tools: PhaseTools, devices: number, durationSec: number): Promise<void> {
  await ensureServeBuilt()
  const serve = await startBuiltServe([...LOOPBACK_PORTS, '--no-gui', '--log-level', 'WARN'])
  try {
    await tools.provision(serve.url('IoT Agent UltraLight north API'), devices)
    const rssProvisioned = serve.rssMb()
    let rssConnected = NaN
    const samples: number[] = []
    const sampler = setInterval(() => samples.push(serve.rssMb()), 500)
    const started = performance.now()
    let connectMs = NaN
    const r = await tools.runChild(
      'loader.mjs',
      { url: serve.url('MQTT broker (TCP)'), apikey: tools.apikey, devices, prefix: tools.prefix, mode: 'paced', rate: devices, durationSec, qos: 0 },
      (line) => {
        if (line === 'ready') {
          connectMs = performance.now() - started
          rssConnected = serve.rssMb()
        }
      }
    )
    clearInterval(sampler)
    const rssEnd = serve.rssMb()
    const result = {
      devices,
      durationSec,
      sent: r.sent,
      connectSec: Math.round(connectMs / 100) / 10,
      rssProvisionedMb: rssProvisioned,
      rssConnectedMb: rssConnected,
      rssMaxMb: Math.max(rssConnected, rssEnd, ...samples.filter((x) => !Number.isNaN(x))),
      rssEndMb: rssEnd
    }
    out.devices10k = result
    rows.push([`${devices} devices connected, 1 measure/s each`, `${Math.round((r.sent as number) / durationSec)} measures/s sent`, '', '', `engine RSS ${rssProvisioned}→${rssConnected}→${result.rssMaxMb} MB`])
  } finally {
    await serve.stop()
  }
}
