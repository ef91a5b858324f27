import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CommandEvent } from '../../electron/engine/agent/commands'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'
import { APIKEY, DEVICE_ID, ENTITY_ID, entityKeyValues, provisionSeed, replayStep, sendCommand, STEP } from '../helpers/postman-tutorial7'
import { waitFor } from '../helpers/wait-for'

/**
 * The engine's built-in copy of the seed tutorial's dummy device (simulator/seed-device.ts), driven
 * exactly as a trainee drives the Python one: the Tutorial 7 group and device are provisioned with
 * the collection's requests, and the device is switched on and re-timed through the context broker.
 */

const ATTRS = `ul/${APIKEY}/${DEVICE_ID}/attrs`
const CMD = `/${APIKEY}/${DEVICE_ID}/cmd`
/** A second simulated device of the same group, used as a timer barrier. */
const BARRIER_ID = 'barrier001'

describe('engine: the simulated seed device', () => {
  let run: RunningEngine
  let events: CommandEvent[]

  beforeEach(async () => {
    run = await startEngine()
    await provisionSeed(run)
    events = []
    run.engine.commands.onEvent((e) => events.push(e))
  })
  afterEach(async () => {
    await run.dispose()
  })

  /** Measures the simulated device published (not its command reports), oldest first. */
  const measures = () =>
    run.engine.inspector
      .messages({ filter: (m) => m.topic === ATTRS && m.origin === 'engine' && m.payload.toString().startsWith('t|') })
      .map((m) => {
        const [, t, , rh] = m.payload.toString().split('|')
        return { time: m.time, t: Number(t), rh: Number(rh), outcome: m.outcome }
      })
  const state = () => run.engine.simulator.list().find((d) => d.deviceId === DEVICE_ID)

  /**
   * Barrier for "the device sends nothing": starts a second simulated device sending every
   * `intervalSec` and waits for its first measure, then stops it. A periodic timer of the same
   * period armed before it (one the device under test should not have) fires first, and its
   * measure is recorded in the same pass, so it would already be in the inspector.
   */
  const timerBarrier = async (intervalSec: number): Promise<void> => {
    const topic = `ul/${APIKEY}/${BARRIER_ID}/attrs`
    const from = run.engine.inspector.lastSeq
    await run.engine.simulator.startSeedDevice({ apikey: APIKEY, deviceId: BARRIER_ID, intervalSec, switchedOn: true })
    await waitFor(() => run.engine.inspector.messages({ afterSeq: from, filter: (m) => m.topic === topic }).length > 0, 'the first measure of the barrier device', 5000)
    expect(await run.engine.simulator.stopDevice(APIKEY, BARRIER_ID)).toBe(true)
  }

  it('starts idle, is switched on through the context broker and its measures reach the entity', async () => {
    const started = await run.engine.simulator.startSeedDevice({ apikey: APIKEY, deviceId: DEVICE_ID, intervalSec: 1, switchedOn: false })
    expect(started).toMatchObject({ apikey: APIKEY, deviceId: DEVICE_ID, intervalSec: 1, switchedOn: false, running: true, measuresSent: 0, commandsReceived: 0 })
    expect(run.engine.simulator.list()).toEqual([started])
    await timerBarrier(1)
    expect(measures()).toEqual([])
    expect(state()).toMatchObject({ switchedOn: false, measuresSent: 0 })

    const r = await replayStep(STEP.switchCommand, run)
    expect(r.status).toBe(204)
    const inspectedCmd = run.engine.inspector.messages({ filter: (m) => m.topic === CMD })
    expect(inspectedCmd.map((m) => m.payload.toString())).toEqual([`${DEVICE_ID}@switch|1`])
    const e = await waitFor(async () => {
      const kv = await entityKeyValues(run.ngsiUrl)
      return kv?.temperature !== undefined && kv
    }, 'a simulated measure in the entity', 5000)
    expect(e).toMatchObject({ switch_status: 'OK', switch_info: 'Started sending data', refStore: 'urn:ngsi-ld:Store:001' })
    expect(e.temperature).toBeGreaterThanOrEqual(10)
    expect(e.temperature).toBeLessThanOrEqual(40)
    expect(e.relativeHumidity).toBeGreaterThanOrEqual(0)
    expect(e.relativeHumidity).toBeLessThanOrEqual(100)
    expect(Number.isInteger(e.relativeHumidity)).toBe(true)
    // Every measure is in range, went through the agent, and the last one is the entity's.
    await waitFor(() => measures().length >= 2, 'two measures', 5000)
    for (const m of measures()) {
      expect(m.t).toBeGreaterThanOrEqual(10)
      expect(m.t).toBeLessThanOrEqual(40)
      expect(m.rh).toBeGreaterThanOrEqual(0)
      expect(m.rh).toBeLessThanOrEqual(100)
      expect(m.outcome).toMatchObject({ kind: 'attrs', deviceId: DEVICE_ID, entityId: ENTITY_ID, attributes: expect.arrayContaining(['temperature', 'relativeHumidity']) })
    }
    const last = measures().at(-1)!
    expect(await entityKeyValues(run.ngsiUrl)).toMatchObject({ temperature: last.t, relativeHumidity: last.rh })
    expect(state()).toMatchObject({ switchedOn: true, commandsReceived: 1, lastMeasure: { t: last.t, rh: last.rh } })
    expect(state()!.measuresSent).toBe(measures().length)
    // The device's report closed the command: PENDING, then OK with a round trip time.
    expect(events.map((x) => x.status)).toEqual(['PENDING', 'OK'])
    expect(events[1]!.rttMs).toEqual(expect.any(Number))
    expect(run.engine.southbound.stats().rejected).toEqual({})
  })

  it('the interval command changes the period of the measures', async () => {
    await run.engine.simulator.startSeedDevice({ apikey: APIKEY, deviceId: DEVICE_ID, intervalSec: 1, switchedOn: false })
    expect((await sendCommand(run.ngsiUrl, { switch: { type: 'command', value: '1' } })).status).toBe(204)
    await waitFor(() => measures().length >= 1, 'a first measure', 5000)

    const r = await replayStep(STEP.intervalCommand, run)
    expect(r.status).toBe(204)
    const e = await waitFor(async () => {
      const kv = await entityKeyValues(run.ngsiUrl)
      return kv?.interval_status === 'OK' && kv
    }, 'interval_status OK')
    expect(e.interval_info).toBe('Interval set to 2 seconds')
    expect(state()).toMatchObject({ intervalSec: 2, switchedOn: true })

    const from = measures().length
    await waitFor(() => measures().length >= from + 3, 'three measures at the new period', 12_000)
    const times = measures()
      .slice(from)
      .map((m) => m.time)
    // Two seconds apart (a timer never fires early; allow for the clock's millisecond rounding).
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(1900)
  })

  it('an invalid interval is refused by the device and reported as ERROR', async () => {
    await run.engine.simulator.startSeedDevice({ apikey: APIKEY, deviceId: DEVICE_ID, intervalSec: 1, switchedOn: false })
    expect((await sendCommand(run.ngsiUrl, { interval: { type: 'command', value: 'soon' } })).status).toBe(204)
    const e = await waitFor(async () => {
      const kv = await entityKeyValues(run.ngsiUrl)
      return kv?.interval_status === 'ERROR' && kv
    }, 'interval_status ERROR')
    expect(e.interval_info).toBe('Invalid interval soon')
    expect(state()!.intervalSec).toBe(1)
    expect(events.map((x) => x.status)).toEqual(['PENDING', 'ERROR'])
  })

  it('whatever an unusable interval contains, the device reports ERROR (the command does not stay PENDING)', async () => {
    await run.engine.simulator.startSeedDevice({ apikey: APIKEY, deviceId: DEVICE_ID, intervalSec: 1, switchedOn: false })
    // "" is what the tutorials send as a command value; the others hold UltraLight separators, which
    // would break the device's report if it echoed them.
    const values = ['', 'a|b', 'x@y#z', 'soon']
    for (const [n, value] of values.entries()) {
      expect((await sendCommand(run.ngsiUrl, { interval: { type: 'command', value } })).status).toBe(204)
      const e = await waitFor(async () => {
        const kv = await entityKeyValues(run.ngsiUrl)
        return kv?.interval_status === 'ERROR' && events.filter((x) => x.status === 'ERROR').length === n + 1 && kv
      }, `the ERROR report for interval ${JSON.stringify(value)}`, 3000)
      expect(e.interval_info).toMatch(/^Invalid interval/)
    }
    expect(events.map((x) => x.status)).toEqual(values.flatMap(() => ['PENDING', 'ERROR']))
    // The context broker refuses values with < > " ' = ; ( ), but a command published straight on
    // MQTT may hold them: the report must still be one the context broker accepts.
    await run.engine.broker.publish(CMD, `${DEVICE_ID}@interval|(5); x=<y>`)
    const e = await waitFor(async () => {
      const kv = await entityKeyValues(run.ngsiUrl)
      return kv?.interval_info !== undefined && kv.interval_info !== 'Invalid interval soon' && kv
    }, 'the report of the command sent on MQTT', 3000)
    expect(e).toMatchObject({ interval_status: 'ERROR', interval_info: expect.stringMatching(/^Invalid interval [^<>"'=;()|#@]+$/) })
    expect(state()).toMatchObject({ intervalSec: 1, commandsReceived: values.length + 1 })
    expect(run.logs.filter((l) => l.level === 'ERROR' || l.level === 'WARN')).toEqual([])
    expect(run.engine.southbound.stats().rejected).toEqual({})
  })

  it('switched off, it stops sending; stopDevice stops it altogether', async () => {
    await run.engine.simulator.startSeedDevice({ apikey: APIKEY, deviceId: DEVICE_ID, intervalSec: 0.2, switchedOn: true })
    await waitFor(() => measures().length >= 2, 'measures of a device started switched on')

    expect((await sendCommand(run.ngsiUrl, { switch: { type: 'command', value: '0' } })).status).toBe(204)
    await waitFor(async () => (await entityKeyValues(run.ngsiUrl))?.switch_info === 'Stopped sending data', 'the device to report it stopped')
    expect(state()).toMatchObject({ switchedOn: false, running: true })
    const sent = state()!.measuresSent
    const published = measures().length
    await timerBarrier(0.2)
    expect(state()!.measuresSent).toBe(sent)
    expect(measures()).toHaveLength(published)

    // "" toggles, as the tutorials send it.
    expect((await sendCommand(run.ngsiUrl, { switch: { type: 'command', value: '' } })).status).toBe(204)
    await waitFor(() => state()!.measuresSent > sent, 'measures again after the toggle')
    expect(state()!.switchedOn).toBe(true)

    expect(await run.engine.simulator.stopDevice(APIKEY, DEVICE_ID)).toBe(true)
    expect(run.engine.simulator.list()).toEqual([])
    expect(await run.engine.simulator.stopDevice(APIKEY, DEVICE_ID)).toBe(false)
    const count = measures().length
    // Nobody answers any more: the command stays PENDING, and no measure is sent.
    const reports = (): number => run.engine.inspector.messages({ filter: (m) => m.topic === ATTRS && m.payload.toString().startsWith('switch_status') }).length
    const reported = reports()
    expect((await sendCommand(run.ngsiUrl, { switch: { type: 'command', value: '1' } })).status).toBe(204)
    // The command was published; a device still listening would have answered it at once and
    // started a 0.2 s timer, which would fire before the barrier's.
    expect(run.engine.inspector.messages({ filter: (m) => m.topic === CMD }).at(-1)?.payload.toString()).toBe(`${DEVICE_ID}@switch|1`)
    await timerBarrier(0.2)
    expect(measures().length).toBe(count)
    expect(reports()).toBe(reported)
    expect((await entityKeyValues(run.ngsiUrl))!.switch_status).toBe('PENDING')
    expect(await run.engine.simulator.sendMeasure(APIKEY, DEVICE_ID)).toBe(false)
  })

  it('sendMeasure publishes one measure now; starting the device again replaces it', async () => {
    await run.engine.simulator.startSeedDevice({ apikey: APIKEY, deviceId: DEVICE_ID, intervalSec: 60, switchedOn: false })
    expect(await run.engine.simulator.sendMeasure(APIKEY, DEVICE_ID)).toBe(true)
    expect(measures()).toHaveLength(1)
    const kv = await waitFor(() => entityKeyValues(run.ngsiUrl), 'the entity')
    expect(kv).toMatchObject({ temperature: measures()[0]!.t, relativeHumidity: measures()[0]!.rh })

    const again = await run.engine.simulator.startSeedDevice({ apikey: APIKEY, deviceId: DEVICE_ID, intervalSec: 5, switchedOn: false })
    expect(again).toMatchObject({ intervalSec: 5, measuresSent: 0, running: true })
    expect(run.engine.simulator.list()).toHaveLength(1)
    // Only the new instance answers: one command, one report.
    expect((await sendCommand(run.ngsiUrl, { interval: { type: 'command', value: '7' } })).status).toBe(204)
    await waitFor(async () => (await entityKeyValues(run.ngsiUrl))?.interval_status === 'OK', 'interval_status OK')
    // Barrier: a second command round trip. Both instances would have answered the first command
    // on its delivery, before the second one was even sent.
    expect((await sendCommand(run.ngsiUrl, { interval: { type: 'command', value: '8' } })).status).toBe(204)
    await waitFor(async () => (await entityKeyValues(run.ngsiUrl))?.interval_info === 'Interval set to 8 seconds', 'the report of the second command')
    const reports = run.engine.inspector.messages({ filter: (m) => m.topic === ATTRS && m.payload.toString().startsWith('interval_status') })
    expect(reports.map((m) => m.payload.toString())).toEqual(['interval_status|OK|interval_info|Interval set to 7 seconds', 'interval_status|OK|interval_info|Interval set to 8 seconds'])
    expect(state()).toMatchObject({ intervalSec: 8, commandsReceived: 2 })
  })
})
