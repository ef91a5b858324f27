/**
 * Outage campaign: the engine in external-Orion mode, QoS 1 measures at a steady rate (1,000/s by
 * default), and that Orion (the NGSI-v2 server of test/helpers/ngsi-remote.ts in another process)
 * killed with SIGKILL and started again on the same port and data after `downSeconds`. Every
 * PUBACKed measure must reach it once it is back (its change log spans both lifetimes), and the
 * engine's queue (context/external/outbox-log.ts) must drop nothing. The short version with a
 * few hundred measures is test/integration/external-outage.test.ts.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import mqtt, { type MqttClient } from 'mqtt'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'
import { startRemoteNgsi, type RemoteChange, type RemoteNgsi } from '../helpers/ngsi-remote-process'
import { tempDir } from '../helpers/temp-dir'
import { waitFor } from '../helpers/wait-for'

const APIKEY = 'outagekey'
const TENANT = { 'fiware-service': 'outage', 'fiware-servicepath': '/' }

export interface OutageBudget {
  downSeconds: number
  rate?: number
  devices?: number
}

export interface OutageOutcome {
  downSeconds: number
  measuresSent: number
  measuresAcked: number
  /** PUBACKed measures the remote Orion never applied. */
  missing: number
  dropped: number
  retried: number
  failures: string[]
}

export async function runOrionOutage(budget: OutageBudget): Promise<OutageOutcome> {
  const rate = budget.rate ?? 1000
  const ids = Array.from({ length: budget.devices ?? 10 }, (_, i) => `o${i}`)
  const outcome: OutageOutcome = { downSeconds: budget.downSeconds, measuresSent: 0, measuresAcked: 0, missing: 0, dropped: 0, retried: 0, failures: [] }
  const remoteDir = tempDir('ulcc-outage-remote-')
  const logDir = tempDir('ulcc-outage-log-')
  const changeLog = join(logDir.path, 'changes.jsonl')
  let remote: RemoteNgsi | undefined
  let run: RunningEngine | undefined
  let clients: MqttClient[] = []
  const acked = new Map<string, number[]>(ids.map((id) => [id, []]))
  try {
    remote = await startRemoteNgsi({ dataDir: remoteDir.path, changeLog })
    const url = remote.url
    run = await startEngine((c) => {
      c.logLevel = 'ERROR'
      c.contextBroker = { mode: 'external', url, retryMaxMs: 1000 }
    })
    const headers = { ...TENANT, 'content-type': 'application/json' }
    const post = async (path: string, body: unknown): Promise<void> => {
      const r = await fetch(run!.northUrl + path, { method: 'POST', headers, body: JSON.stringify(body) })
      if (r.status !== 201) throw new Error(`${path}: ${r.status} ${await r.text()}`)
    }
    await post('/iot/services', { services: [{ apikey: APIKEY, resource: '', entity_type: 'Sensor' }] })
    await post('/iot/devices', {
      devices: ids.map((d) => ({ device_id: d, entity_name: `urn:ngsi-ld:Sensor:${d}`, entity_type: 'Sensor', apikey: APIKEY, attributes: [{ object_id: 's', name: 'seq', type: 'Number' }] }))
    })
    clients = await Promise.all(ids.map((id) => mqtt.connectAsync(run!.mqttUrl, { clientId: `outage-${id}`, reconnectPeriod: 0 })))

    // Measures flow before, during and after the outage: 2 s, the outage, 2 s.
    const tickMs = 10
    const perTick = Math.max(1, Math.round((rate * tickMs) / 1000))
    const seqs = new Map<string, number>(ids.map((id) => [id, 0]))
    let turn = 0
    const pending: Array<Promise<void>> = []
    const timer = setInterval(() => {
      for (let k = 0; k < perTick; k++) {
        const i = turn++ % ids.length
        const id = ids[i]!
        const seq = seqs.get(id)! + 1
        seqs.set(id, seq)
        outcome.measuresSent++
        pending.push(
          clients[i]!.publishAsync(`/${APIKEY}/${id}/attrs`, `s|${seq}`, { qos: 1 }).then(() => {
            outcome.measuresAcked++
            acked.get(id)!.push(seq)
          })
        )
      }
    }, tickMs)
    const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
    await pause(2000)
    const port = remote.port
    await remote.kill9()
    await pause(budget.downSeconds * 1000)
    remote = await startRemoteNgsi({ dataDir: remoteDir.path, changeLog, port })
    await pause(2000)
    clearInterval(timer)
    await Promise.all(pending)
    const engine = run.engine
    await waitFor(() => engine.contextClient.stats().backlog === 0, 'the queue to empty', 120_000, 200)
    const st = engine.contextClient.stats()
    outcome.dropped = st.dropped ?? 0
    outcome.retried = st.retried ?? 0
    if (st.dropped) outcome.failures.push(`the engine's queue dropped ${st.dropped} updates`)

    const applied = new Map<string, Set<number>>()
    for (const line of readFileSync(changeLog, 'utf8').split('\n')) {
      if (!line) continue
      const c = JSON.parse(line) as RemoteChange
      if (typeof c.attrs.seq !== 'number') continue
      const set = applied.get(c.id) ?? new Set<number>()
      set.add(c.attrs.seq)
      applied.set(c.id, set)
    }
    for (const id of ids) {
      const seen = applied.get(`urn:ngsi-ld:Sensor:${id}`)
      const lost = acked.get(id)!.filter((s) => !seen?.has(s))
      outcome.missing += lost.length
      if (lost.length) outcome.failures.push(`${id}: ${lost.length} PUBACKed measures never reached Orion (first ${lost.slice(0, 5).join(', ')})`)
    }
  } catch (err) {
    outcome.failures.push(`campaign error: ${(err as Error).stack ?? String(err)}`)
  } finally {
    await Promise.all(clients.map((c) => c.endAsync(true)))
    await run?.dispose()
    await remote?.stop()
    remoteDir.cleanup()
    logDir.cleanup()
  }
  return outcome
}
