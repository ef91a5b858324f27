import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import mqtt, { type MqttClient } from 'mqtt'
import { afterEach, describe, expect, it } from 'vitest'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'
import { spawnExternalEngine } from '../helpers/external-engine-process'
import { startRemoteNgsi, type RemoteChange, type RemoteNgsi } from '../helpers/ngsi-remote-process'
import { tempDir } from '../helpers/temp-dir'
import { waitFor } from '../helpers/wait-for'

/**
 * The engine in external-Orion mode through outages of that Orion (a broker in another process,
 * test/helpers/ngsi-remote.ts, killed with SIGKILL and restarted on the same port and data): no
 * measure is lost, none is dropped, and the engine's queue survives its own kill -9 and restart.
 * The remote appends every entity change it applies to a file, so its record spans its restarts.
 */

const APIKEY = 'outagekey'
const TENANT = { 'fiware-service': 'outage', 'fiware-servicepath': '/' }

async function provision(northUrl: string, devices: string[]): Promise<void> {
  const headers = { ...TENANT, 'content-type': 'application/json' }
  const post = async (path: string, body: unknown): Promise<void> => {
    const r = await fetch(northUrl + path, { method: 'POST', headers, body: JSON.stringify(body) })
    if (r.status !== 201) throw new Error(`${path}: ${r.status} ${await r.text()}`)
  }
  await post('/iot/services', { services: [{ apikey: APIKEY, resource: '', entity_type: 'Sensor' }] })
  await post('/iot/devices', {
    devices: devices.map((d) => ({
      device_id: d,
      entity_name: `urn:ngsi-ld:Sensor:${d}`,
      entity_type: 'Sensor',
      apikey: APIKEY,
      attributes: [
        { object_id: 't', name: 'temperature', type: 'Number' },
        { object_id: 's', name: 'seq', type: 'Number' }
      ],
      commands: [{ name: 'ping', type: 'command' }]
    }))
  })
}

async function remoteSeq(remote: RemoteNgsi, device: string): Promise<number | undefined> {
  const r = await fetch(`${remote.url}/v2/entities/urn:ngsi-ld:Sensor:${device}?type=Sensor&options=keyValues`, { headers: TENANT })
  const body = (await r.json()) as { seq?: number }
  return r.status === 200 ? body.seq : undefined
}

/** Sequence numbers the remote applied per entity, over all its lifetimes (its change log file). */
function appliedSeqs(changeLog: string): Map<string, Set<number>> {
  const out = new Map<string, Set<number>>()
  for (const line of readFileSync(changeLog, 'utf8').split('\n')) {
    if (!line) continue
    const c = JSON.parse(line) as RemoteChange
    if (typeof c.attrs.seq !== 'number') continue
    const set = out.get(c.id) ?? new Set<number>()
    set.add(c.attrs.seq)
    out.set(c.id, set)
  }
  return out
}

const missing = (seen: Set<number> | undefined, last: number): number[] => Array.from({ length: last }, (_, i) => i + 1).filter((s) => !seen?.has(s))
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

describe('engine with an external context broker: outages', () => {
  const cleanups: Array<() => unknown> = []
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c()
  })
  const dir = (prefix: string): string => {
    const d = tempDir(prefix)
    cleanups.push(d.cleanup)
    return d.path
  }
  const remoteOn = async (dataDir: string, changeLog: string, port?: number): Promise<RemoteNgsi> => {
    const r = await startRemoteNgsi({ dataDir, changeLog, port })
    cleanups.push(() => r.stop())
    return r
  }
  const devicesOn = async (url: string, ids: string[]): Promise<MqttClient[]> => {
    const clients = await Promise.all(ids.map((id) => mqtt.connectAsync(url, { clientId: `outage-${id}`, reconnectPeriod: 0 })))
    cleanups.push(() => Promise.all(clients.map((c) => c.endAsync(true))))
    return clients
  }

  it('2,000 measures at a steady rate all reach the broker although it is killed and restarted meanwhile', async () => {
    const remoteDir = dir('ulcc-remote-')
    const changeLog = join(dir('ulcc-log-'), 'changes.jsonl')
    let remote = await remoteOn(remoteDir, changeLog)
    const run: RunningEngine = await startEngine((c) => {
      c.contextBroker = { mode: 'external', url: remote.url, retryMaxMs: 200 }
    })
    cleanups.push(() => run.dispose())
    const ids = ['d1', 'd2', 'd3', 'd4']
    await provision(run.northUrl, ids)
    const clients = await devicesOn(run.mqttUrl, ids)

    const PER_DEVICE = 500
    let acked = 0
    let restarted: Promise<RemoteNgsi> | undefined
    for (let n = 1; n <= PER_DEVICE * ids.length; n++) {
      const d = (n - 1) % ids.length
      const seq = Math.ceil(n / ids.length)
      void clients[d]!.publishAsync(`ul/${APIKEY}/${ids[d]}/attrs`, `t|${20 + (seq % 10)}|s|${seq}`, { qos: 1 }).then(() => acked++)
      await sleep(2)
      // The broker dies a third of the way through and comes back while the stream goes on.
      if (n === 600) void remote.kill9()
      if (n === 1100) {
        await waitFor(() => run.engine.contextClient.stats().reachable === false, 'the outage to be noticed')
        const port = remote.port
        restarted = remoteOn(remoteDir, changeLog, port)
      }
    }
    remote = await restarted!
    await waitFor(() => acked === PER_DEVICE * ids.length, 'every PUBACK', 15_000)
    await waitFor(() => run.engine.contextClient.stats().backlog === 0, 'the queue to empty', 30_000)

    for (const id of ids) expect(await remoteSeq(remote, id)).toBe(PER_DEVICE)
    const applied = appliedSeqs(changeLog)
    for (const id of ids) expect(missing(applied.get(`urn:ngsi-ld:Sensor:${id}`), PER_DEVICE)).toEqual([])
    const st = run.engine.contextClient.stats()
    expect(st).toMatchObject({ queued: 2000, failed: 0, dropped: 0, backlog: 0, reachable: true })
    expect(st.retried).toBeGreaterThan(0)
    expect(st.sent).toBeGreaterThanOrEqual(2000)
    expect(run.logs.some((e) => e.code === 'CB-UNREACHABLE')).toBe(true)
    expect(run.logs.some((e) => e.code === 'CB-REACHABLE')).toBe(true)
  }, 90_000)

  it('an engine killed while the broker is down keeps the acknowledged measures and sends them after its restart, when the broker is back', async () => {
    const remoteDir = dir('ulcc-remote-')
    const changeLog = join(dir('ulcc-log-'), 'changes.jsonl')
    const engineDir = dir('ulcc-engine-')
    const remote = await remoteOn(remoteDir, changeLog)
    const first = await spawnExternalEngine(engineDir, remote.url)
    cleanups.push(() => first.kill9())
    await provision(first.northUrl, ['r1'])
    const [device] = await devicesOn(first.mqttUrl, ['r1'])
    const publish = (from: number, to: number): Promise<unknown> =>
      Promise.all(Array.from({ length: to - from + 1 }, (_, i) => device!.publishAsync(`ul/${APIKEY}/r1/attrs`, `t|21|s|${from + i}`, { qos: 1 })))

    await publish(1, 50)
    await waitFor(async () => (await remoteSeq(remote, 'r1')) === 50, 'the first measures in the broker')
    await remote.kill9()
    // Each PUBACK comes once the measure is in the queue on disk.
    await publish(51, 250)
    await first.kill9()

    const second = await startEngine((c) => {
      c.contextBroker = { mode: 'external', url: remote.url, retryMaxMs: 200 }
    }, engineDir)
    cleanups.push(() => second.stop())
    const backlog = second.engine.contextClient.stats().backlog!
    expect(backlog).toBeGreaterThanOrEqual(200)
    expect(backlog).toBeLessThanOrEqual(250)
    expect(second.logs.some((e) => e.code === 'CB-QUEUE-LOADED')).toBe(true)
    expect(second.logs.some((e) => e.code === 'CB-EXTERNAL' && /does not answer yet/.test(e.message))).toBe(true)

    const back = await remoteOn(remoteDir, changeLog, remote.port)
    await waitFor(() => second.engine.contextClient.stats().backlog === 0, 'the queue to empty', 30_000)
    expect(await remoteSeq(back, 'r1')).toBe(250)
    expect(missing(appliedSeqs(changeLog).get('urn:ngsi-ld:Sensor:r1'), 250)).toEqual([])
    expect(second.engine.contextClient.stats()).toMatchObject({ dropped: 0, failed: 0 })
    // Orion came back: the registration now names the restarted engine's north API.
    await waitFor(async () => {
      const r = await fetch(`${back.url}/v2/registrations`, { headers: TENANT })
      const regs = (await r.json()) as Array<{ provider: { http: { url: string } } }>
      return regs.length === 1 && regs[0]!.provider.http.url === second.engine.providerUrl
    }, 'the registration to follow the restarted engine')
  }, 90_000)
})
