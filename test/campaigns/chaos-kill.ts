/**
 * Chaos campaign: kill -9 of the engine at random moments while devices are provisioned through
 * the north API and QoS 1 measures flow at a steady rate (about 1,000/s by default), then a
 * restart on the same data folder. After each restart:
 * - every device whose provisioning was answered 201 is in the registry (GET /iot/devices);
 * - for every measuring device, its entity's `seq` is at least the last sequence number whose
 *   PUBACK arrived, and is one of the numbers actually sent (no invented value).
 * At the end a data file is damaged between two runs (one line of devices.db garbled): the engine
 * must either refuse to start naming the file and what to do, or start with every acknowledged
 * device — never start without some of them.
 *
 * The engine runs in a child process (test/helpers/engine-child.ts), as in the durability tests.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import mqtt, { type MqttClient } from 'mqtt'
import { startEngine } from '../helpers/engine-harness'
import { spawnEngineProcess, type EngineProcess } from '../helpers/engine-process'
import { tempDir } from '../helpers/temp-dir'

const APIKEY = 'chaoskey'
const TENANT = { 'fiware-service': 'chaos', 'fiware-servicepath': '/' }
const JSON_TENANT = { ...TENANT, 'content-type': 'application/json' }

export interface ChaosBudget {
  kills: number
  /** Measures per second over all measuring devices. */
  rate?: number
  /** Measuring devices (one MQTT connection each). */
  devices?: number
  /** Longest run before a kill, in ms (the kill comes at a random moment up to it). */
  maxRunMs?: number
  seed?: number
}

export interface ChaosOutcome {
  kills: number
  restarts: number
  provisioned: number
  measuresSent: number
  measuresAcked: number
  corruptedFile: 'refused' | 'recovered' | 'not run'
  failures: string[]
  seed: number
}

/** A small deterministic generator (mulberry32), so that `--seed` replays the kill moments. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const measuring = (i: number): string => `meter${String(i).padStart(3, '0')}`

async function post(url: string, body: unknown): Promise<number> {
  const r = await fetch(url, { method: 'POST', headers: JSON_TENANT, body: JSON.stringify(body) })
  await r.arrayBuffer()
  return r.status
}

function deviceBody(id: string): unknown {
  return {
    devices: [
      { device_id: id, entity_name: `urn:ngsi-ld:Meter:${id}`, entity_type: 'Meter', apikey: APIKEY, attributes: [{ object_id: 's', name: 'seq', type: 'Number' }] }
    ]
  }
}

/** The device ids in the registry. */
async function registeredDevices(northUrl: string): Promise<Set<string>> {
  const r = await fetch(`${northUrl}/iot/devices?limit=100000`, { headers: TENANT })
  const body = (await r.json()) as { devices: Array<{ device_id: string }> }
  return new Set(body.devices.map((d) => d.device_id))
}

async function storedSeq(ngsiUrl: string, id: string): Promise<number | undefined> {
  const r = await fetch(`${ngsiUrl}/v2/entities/urn:ngsi-ld:Meter:${id}?type=Meter&options=keyValues&attrs=seq`, { headers: TENANT })
  const body = (await r.json()) as { seq?: unknown }
  return r.status === 200 && typeof body.seq === 'number' ? body.seq : undefined
}

export async function runChaos(budget: ChaosBudget): Promise<ChaosOutcome> {
  const seed = budget.seed ?? (Date.now() ^ (Math.random() * 0x7fffffff)) | 0
  const rnd = random(seed)
  const devices = budget.devices ?? 10
  const rate = budget.rate ?? 1000
  const maxRunMs = budget.maxRunMs ?? 3000
  const outcome: ChaosOutcome = { kills: 0, restarts: 0, provisioned: 0, measuresSent: 0, measuresAcked: 0, corruptedFile: 'not run', failures: [], seed }
  const dir = tempDir('ulcc-chaos-')
  /** Devices whose provisioning was answered 201. */
  const acked = new Set<string>()
  /** Per measuring device: every sequence number sent, and the highest one PUBACKed. */
  const sent = new Map<string, Set<number>>()
  const lastAcked = new Map<string, number>()
  let nextSeq = 1
  let engine: EngineProcess | undefined
  try {
    engine = await spawnEngineProcess(dir.path)
    if ((await post(`${engine.northUrl}/iot/services`, { services: [{ apikey: APIKEY, resource: '', entity_type: 'Meter' }] })) !== 201) throw new Error('the group could not be created')
    for (let i = 0; i < devices; i++) {
      const id = measuring(i)
      if ((await post(`${engine.northUrl}/iot/devices`, deviceBody(id))) !== 201) throw new Error(`${id} could not be provisioned`)
      acked.add(id)
      sent.set(id, new Set())
    }

    for (let round = 0; round < budget.kills; round++) {
      const e: EngineProcess = engine
      let running = true
      // Provisioning: one new device after the other, until the kill.
      const provisioning = (async () => {
        let n = 0
        while (running) {
          const id = `r${round}-d${n++}`
          try {
            if ((await post(`${e.northUrl}/iot/devices`, deviceBody(id))) === 201) {
              acked.add(id)
              outcome.provisioned++
            }
          } catch {
            // The kill cut the request: not acknowledged, nothing to check.
          }
        }
      })()
      // Measures: QoS 1, paced at `rate` over the devices; the PUBACK is what counts.
      const clients: MqttClient[] = await Promise.all(
        Array.from({ length: devices }, (_, i) => mqtt.connectAsync(e.mqttUrl, { clientId: `chaos-${measuring(i)}-${round}`, reconnectPeriod: 0 }))
      )
      for (const c of clients) c.on('error', () => {})
      const tickMs = 10
      const perTick = Math.max(1, Math.round((rate * tickMs) / 1000))
      let turn = 0
      const timer = setInterval(() => {
        for (let k = 0; k < perTick; k++) {
          const i = turn++ % devices
          const id = measuring(i)
          const seq = nextSeq++
          sent.get(id)!.add(seq)
          outcome.measuresSent++
          clients[i]!.publish(`/${APIKEY}/${id}/attrs`, `s|${seq}`, { qos: 1 }, (err) => {
            if (err) return
            outcome.measuresAcked++
            if (seq > (lastAcked.get(id) ?? 0)) lastAcked.set(id, seq)
          })
        }
      }, tickMs)
      await new Promise((r) => setTimeout(r, 200 + Math.floor(rnd() * maxRunMs)))
      await e.kill9()
      outcome.kills++
      clearInterval(timer)
      running = false
      await provisioning
      await Promise.all(clients.map((c) => c.endAsync(true)))

      engine = await spawnEngineProcess(dir.path)
      outcome.restarts++
      const there = await registeredDevices(engine.northUrl)
      const lost = [...acked].filter((d) => !there.has(d))
      if (lost.length) outcome.failures.push(`after kill ${round + 1}: ${lost.length} acknowledged devices missing (${lost.slice(0, 5).join(', ')})`)
      for (let i = 0; i < devices; i++) {
        const id = measuring(i)
        const last = lastAcked.get(id)
        if (last === undefined) continue
        const stored = await storedSeq(engine.ngsiUrl, id)
        if (stored === undefined || stored < last) outcome.failures.push(`after kill ${round + 1}: ${id} has seq ${stored}, its last PUBACKed measure was ${last}`)
        else if (!sent.get(id)!.has(stored)) outcome.failures.push(`after kill ${round + 1}: ${id} has seq ${stored}, which was never sent`)
      }
      if (outcome.failures.length) break
    }

    // A damaged data file: one line in the middle of devices.db garbled while the engine is down.
    await engine.kill9()
    engine = undefined
    const file = join(dir.path, 'devices.db')
    const lines = readFileSync(file, 'utf8').split('\n')
    const victim = Math.floor(lines.filter((l) => l !== '').length / 2)
    lines[victim] = lines[victim]!.slice(0, Math.max(1, Math.floor(lines[victim]!.length / 2))) + '\u0000garbled'
    writeFileSync(file, lines.join('\n'))
    // The engine that reads the damaged file runs in this process: its start error is at hand.
    try {
      const run = await startEngine((c) => (c.logLevel = 'ERROR'), dir.path)
      try {
        const lost = [...acked].filter((d) => !run.engine.registry.findDevice('chaos', '/', d))
        outcome.corruptedFile = 'recovered'
        if (lost.length) outcome.failures.push(`a garbled line of devices.db was dropped silently: the engine started without ${lost.join(', ')}`)
      } finally {
        await run.stop()
      }
    } catch (err) {
      outcome.corruptedFile = 'refused'
      const text = (err as Error).message
      if (!text.includes(file)) outcome.failures.push(`the start refused the damaged data file without naming it: ${text.slice(-500)}`)
      // The recovery the message gives: delete the damaged line; only that line's device is then missing.
      lines.splice(victim, 1)
      writeFileSync(file, lines.join('\n'))
      const run = await startEngine((c) => (c.logLevel = 'ERROR'), dir.path)
      try {
        const lost = [...acked].filter((d) => !run.engine.registry.findDevice('chaos', '/', d))
        if (lost.length > 1) outcome.failures.push(`after deleting the damaged line, ${lost.length} devices are missing (${lost.slice(0, 5).join(', ')})`)
      } finally {
        await run.stop()
      }
    }
  } catch (err) {
    outcome.failures.push(`campaign error: ${(err as Error).stack ?? String(err)}`)
  } finally {
    await engine?.kill9()
    dir.cleanup()
  }
  return outcome
}
