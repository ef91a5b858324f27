import { connectAsync, type MqttClient } from 'mqtt'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createEngineApi } from '../../electron/engine/api'
import type { CommandEventDto, EventPayloads } from '../../shared/contract'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'
import { waitFor } from '../helpers/wait-for'

const scope = { service: 'fleet', servicePath: '/' }
const apikey = 'fleetkey'

describe('simulated fleets', () => {
  let run: RunningEngine
  let api: ReturnType<typeof createEngineApi>
  let client: MqttClient | undefined
  beforeEach(async () => {
    run = await startEngine((c) => (c.logLevel = 'INFO'))
    api = createEngineApi(run.engine, { settings: { env: {} } })
  })
  afterEach(async () => {
    await client?.endAsync()
    client = undefined
    api.close()
    await run.dispose()
  })

  it('runs 1,000 devices at 10 measures/s each: autoprovisioned entities, loss honoured, commands answered after the latency', async () => {
    // What the GUI does first: a group that autoprovisions the fleet's devices and declares a command.
    await api['groups.create']({ scope, group: { apikey, resource: '', entity_type: 'Sim', commands: [{ name: 'ping', type: 'command' }] } })
    const commands: CommandEventDto[] = []
    const simulator: EventPayloads['simulator'][] = []
    api.on('commands', (b) => commands.push(...b))
    api.on('simulator', (s) => simulator.push(s))
    // What a trainee would watch with mosquitto_sub: the answers, and one device's measures.
    client = await connectAsync(run.mqttUrl, { reconnectPeriod: 0 })
    const seen: Array<{ topic: string; payload: string; at: number }> = []
    client.on('message', (topic, payload) => seen.push({ topic, payload: payload.toString(), at: Date.now() }))
    await client.subscribeAsync([`/${apikey}/+/cmdexe`, `/${apikey}/sim1/attrs`])

    const fleet = await api['simulator.startFleet']({
      apikey,
      idPrefix: 'sim',
      count: 1000,
      intervalSec: 0.1,
      measures: { t: [10, 30], h: [0.5, 0.9] },
      replyLatencyMs: 300,
      lossPercent: 20
    })
    expect(fleet).toMatchObject({ id: expect.any(String), count: 1000, running: true, measuresSent: 0 })
    const startedAt = Date.now()

    // Every device reaches its entity through autoprovisioning.
    await waitFor(() => run.engine.registry.counts().devices === 1000, '1,000 autoprovisioned devices', 15_000)
    const list = await api['entities.list']({ scope, type: 'Sim', limit: 1000 })
    expect(list.count).toBe(1000)
    await waitFor(async () => {
      const e = await api['entities.get']({ scope, id: 'Sim:sim1000', type: 'Sim' })
      return typeof (e.t as { value?: unknown } | undefined)?.value === 'number'
    }, 'a measure of the last device')
    const e1 = await api['entities.get']({ scope, id: 'Sim:sim1', type: 'Sim' })
    const t = (e1.t as { value: number }).value
    const h = (e1.h as { value: number }).value
    expect(Number.isInteger(t) && t >= 10 && t <= 30).toBe(true)
    expect(h >= 0.5 && h <= 0.9).toBe(true)

    // Commands: sent like a client of Orion does, answered `<id>@ping|OK` on cmdexe after 300 ms (or lost).
    const targets = Array.from({ length: 20 }, (_, i) => `sim${i + 1}`)
    for (const id of targets) {
      // The registration of an autoprovisioned device's commands is made just after its first measure.
      await waitFor(
        () => api['commands.send']({ scope, entityId: `Sim:${id}`, entityType: 'Sim', command: 'ping', value: '' }).then(() => true),
        `the command registration of ${id}`
      )
    }
    await waitFor(() => run.engine.simulator.fleetList()[0]!.commandsReceived === 20, 'the fleet to receive the 20 commands')
    // Each command is either dropped (counted at once) or answered after the latency (counted once
    // published); the OK events and the answers on MQTT follow the published ones.
    const answersOnMqtt = () => seen.filter((m) => m.topic.endsWith('/cmdexe'))
    await waitFor(() => {
      const f = run.engine.simulator.fleetList()[0]!
      return f.answersSent + f.answersDropped === 20 && commands.filter((c) => c.status === 'OK').length === f.answersSent && answersOnMqtt().length === f.answersSent
    }, 'every command answered or dropped')
    const state = run.engine.simulator.fleetList()[0]!
    const ok = commands.filter((c) => c.status === 'OK')
    expect(ok.length).toBe(state.answersSent)
    expect(state.answersSent + state.answersDropped).toBe(20)
    expect(ok.length).toBeGreaterThan(0)
    for (const c of ok) {
      expect(targets).toContain(c.deviceId)
      expect(c.rttMs!).toBeGreaterThanOrEqual(300)
    }
    for (const a of answersOnMqtt()) expect(a.payload).toBe(`${a.topic.split('/')[2]}@ping|OK`)

    // Traffic until 30,000 measures were attempted (30 rounds of the fleet): the share of lost
    // measures is about lossPercent. The rate itself is measured by `npm run bench:gui`.
    const sim1Seen = () => seen.filter((m) => m.topic === `/${apikey}/sim1/attrs`)
    const attemptedOf = (f: { measuresSent: number; measuresDropped: number }): number => f.measuresSent + f.measuresDropped
    await waitFor(() => attemptedOf(run.engine.simulator.fleetList()[0]!) >= 30_000 && sim1Seen().length > 10, '30,000 measures attempted', 15_000)
    const s = run.engine.simulator.fleetList()[0]!
    const attempted = attemptedOf(s)
    const seconds = (Date.now() - startedAt) / 1000
    expect(s.measuresDropped / attempted).toBeGreaterThan(0.17)
    expect(s.measuresDropped / attempted).toBeLessThan(0.23)
    // The fleet follows its schedule (10,000 a second): it may fall behind, never get ahead.
    expect(attempted).toBeLessThanOrEqual(10_000 * seconds + 1000)
    // The answers arrived before those later messages on the same subscription: none came late.
    expect(answersOnMqtt()).toHaveLength(ok.length)
    expect(commands.filter((c) => c.status === 'OK')).toHaveLength(ok.length)

    // Measures of one device are spaced by the interval, not sent in bursts.
    const sim1 = seen.filter((m) => m.topic === `/${apikey}/sim1/attrs`).map((m) => m.at)
    expect(sim1.length).toBeGreaterThan(10)
    const gaps = sim1.slice(1).map((x, i) => x - sim1[i]!).sort((a, b) => a - b)
    expect(gaps[Math.floor(gaps.length / 2)]!).toBeGreaterThanOrEqual(50)

    // The simulator stream carries the fleet; simulator.list stays the seed devices.
    expect(simulator.at(-1)!.fleets[0]).toMatchObject({ id: fleet.id, idPrefix: 'sim', running: true })
    expect(simulator.at(-1)!.fleets[0]!.measuresSent).toBeGreaterThan(0)
    expect(await api['simulator.list']({})).toEqual([])

    expect(await api['simulator.stopFleet']({ id: fleet.id })).toEqual({ stopped: true })
    expect(await api['simulator.stopFleet']({ id: fleet.id })).toEqual({ stopped: false })
    await waitFor(() => simulator.at(-1)!.fleets.length === 0, 'the stopped fleet to leave the simulator state')
  })

  it('refuses bad fleets and replaces a fleet started again with the same API key and prefix', async () => {
    const opts = { apikey, idPrefix: 'x', count: 2, intervalSec: 60, measures: { t: [1, 2] as [number, number] }, replyLatencyMs: 0, lossPercent: 0 }
    await expect(api['simulator.startFleet']({ ...opts, measures: { t: [3, 1] } })).rejects.toMatchObject({ name: 'BAD_REQUEST', status: 400 })
    const a = await api['simulator.startFleet'](opts)
    const b = await api['simulator.startFleet']({ ...opts, count: 3 })
    expect(b.id).not.toBe(a.id)
    expect(run.engine.simulator.fleetList().map((f) => [f.id, f.count])).toEqual([[b.id, 3]])
  })
})
