import { connectAsync, type MqttClient } from 'mqtt'
import { afterEach, describe, expect, it } from 'vitest'
import { engineStatus } from '../../electron/engine/api'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'
import { freePort } from '../helpers/free-port'
import { MOSQUITTO, startMosquitto, type Mosquitto } from '../helpers/mosquitto'
import { startRemoteNgsi, type RemoteNgsi } from '../helpers/ngsi-remote-process'
import { tempDir } from '../helpers/temp-dir'
import { waitFor } from '../helpers/wait-for'

describe('engine status: what the probes measure', () => {
  let run: RunningEngine | undefined
  let remote: RemoteNgsi | undefined
  let client: MqttClient | undefined
  let mosquitto: Mosquitto | undefined
  const cleanups: Array<() => void> = []
  afterEach(async () => {
    await client?.endAsync()
    client = undefined
    await run?.dispose()
    run = undefined
    await remote?.stop()
    remote = undefined
    await mosquitto?.stop()
    mosquitto = undefined
    for (const c of cleanups.splice(0)) c()
  })

  it('an external Orion that answers: reachable, its version and the time of its last answer; after it stops, unreachable with the error, the last answer kept', async () => {
    const dir = tempDir('ulcc-remote-')
    cleanups.push(() => dir.cleanup())
    remote = await startRemoteNgsi({ dataDir: dir.path })
    const before = Date.now()
    run = await startEngine((c) => (c.contextBroker = { mode: 'external', url: remote!.url, retryMaxMs: 200 }))
    const side = run.engine.context
    if (side.mode !== 'external') throw new Error('expected an external context broker')

    // The start's probe (GET /version) answered.
    const up = engineStatus(run.engine).components.contextBroker
    expect(up).toMatchObject({ kind: 'external', up: true, condition: 'reachable', version: expect.any(String) })
    expect(up.version).not.toBe('')
    expect(up.lastSuccessAt).toBeGreaterThanOrEqual(before)
    expect(up.lastError).toBeUndefined()
    const requests = await remote.requests()
    expect(requests.some((r) => r.method === 'GET' && r.url === '/version')).toBe(true)

    // A later probe moves the time of the last answer on.
    const first = up.lastSuccessAt!
    await waitFor(() => Date.now() > first, 'the clock to move')
    await side.client.probe()
    expect(engineStatus(run.engine).components.contextBroker.lastSuccessAt).toBeGreaterThan(first)
    const answered = engineStatus(run.engine).components.contextBroker.lastSuccessAt!

    // Orion goes away: the next probe finds it unreachable, says why and when; the last answer stays.
    await remote.stop()
    remote = undefined
    const downAt = Date.now()
    await side.client.probe()
    const down = engineStatus(run.engine).components.contextBroker
    expect(down).toMatchObject({ kind: 'external', up: false, condition: 'unreachable', lastError: expect.stringMatching(/ECONNREFUSED|refused|connect|socket|closed/i) })
    expect(down.lastErrorAt).toBeGreaterThanOrEqual(downAt)
    expect(down.since).toBeGreaterThanOrEqual(downAt)
    expect(down.lastSuccessAt).toBe(answered)
    expect(down.version).toBe(up.version)
  })

  it('an external Orion on a closed port: unreachable with the last error, never a last answer or a version', async () => {
    const url = `http://127.0.0.1:${await freePort()}`
    run = await startEngine((c) => (c.contextBroker = { mode: 'external', url, retryMaxMs: 200 }))
    const side = run.engine.context
    if (side.mode !== 'external') throw new Error('expected an external context broker')
    await side.client.probe()
    const cb = engineStatus(run.engine).components.contextBroker
    expect(cb).toMatchObject({ up: false, condition: 'unreachable', lastError: expect.stringMatching(/ECONNREFUSED|refused|connect/i) })
    expect(cb.lastErrorAt).toEqual(expect.any(Number))
    expect(cb.lastSuccessAt).toBeUndefined()
    expect(cb.version).toBeUndefined()
  })

  it('embedded broker: simulated devices count as clients, labelled as simulated, beside real connections', async () => {
    run = await startEngine()
    const sim = run.engine.simulator
    expect(engineStatus(run.engine).mqtt).toMatchObject({ clients: 0, simulatedClients: 0 })

    await sim.startSeedDevice({ apikey: 'k1', deviceId: 'seed1', intervalSec: 60, switchedOn: false })
    await sim.startFleet({ apikey: 'k2', idPrefix: 'f', count: 200, intervalSec: 60, measures: { t: [10, 30] }, replyLatencyMs: 0, lossPercent: 0 })
    client = await connectAsync(run.mqttUrl, { reconnectPeriod: 0 })
    await waitFor(() => run!.engine.broker.status().clients === 1, 'the real client counted by the broker')

    expect(engineStatus(run.engine).mqtt).toMatchObject({ clients: 202, simulatedClients: 201 })

    // Stopped devices are no longer clients.
    await sim.stopDevice('k1', 'seed1')
    const fleet = sim.fleetList()[0]!
    await sim.stopFleet(fleet.id)
    expect(engineStatus(run.engine).mqtt).toMatchObject({ clients: 1, simulatedClients: 0 })
  })

  it.skipIf(!MOSQUITTO && !process.env.CI)('external MQTT broker: connected since when; after it goes away, disconnected with the error and when', async () => {
    mosquitto = await startMosquitto()
    const url = mosquitto.url
    const before = Date.now()
    run = await startEngine((c) => (c.mqtt = { mode: 'external', url, rejectUnauthorized: true, clientId: 'ulcc-status', keepalive: 60 }))
    const up = engineStatus(run.engine).components.mqtt
    expect(up).toMatchObject({ kind: 'external', up: true, condition: 'connected' })
    expect(up.since).toBeGreaterThanOrEqual(before)

    const killedAt = Date.now()
    await mosquitto.kill()
    const down = await waitFor(() => {
      const m = engineStatus(run!.engine).components.mqtt
      return !m.up && m
    }, 'the engine to notice the broker is gone')
    expect(down).toMatchObject({ kind: 'external', condition: 'disconnected', lastError: expect.stringContaining('127.0.0.1') })
    expect(down.lastErrorAt).toBeGreaterThanOrEqual(killedAt)
    expect(down.since).toBeUndefined()
  })
})
