import { connectAsync, type MqttClient } from 'mqtt'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CommandEvent } from '../../electron/engine/agent/commands'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'
import { APIKEY, DEVICE_ID, ENTITY_ID, getEntity, JSON_TENANT, provisionSeed, reply, sendCommand } from '../helpers/postman-tutorial7'
import { startPythonSeedDevice } from '../helpers/python-seed-device'
import { waitFor } from '../helpers/wait-for'

/**
 * The command lifecycle (docs/compatibility/iot-agent-ul.md §5 and its "Deviations") through the
 * context broker, the way clients send commands: `PATCH /v2/entities/{id}/attrs`, forwarded to
 * the agent through the device's registration, published on `/<apikey>/device001/cmd`, answered by
 * an MQTT device on `cmdexe`.
 */

const CMD_TOPIC = `/${APIKEY}/${DEVICE_ID}/cmd`
const CMDEXE_TOPIC = `/ul/${APIKEY}/${DEVICE_ID}/cmdexe`
const ATTRS_TOPIC = `/ul/${APIKEY}/${DEVICE_ID}/attrs`

interface TestDevice {
  client: MqttClient
  received: Array<{ topic: string; payload: string }>
  /** Publishes a command result on cmdexe and waits for the PUBACK (the engine has processed it). */
  answer(text: string): Promise<void>
  /**
   * Barrier: publishes `t|<value>` on the same connection and waits until the entity shows it.
   * MQTT keeps a connection's messages in order and the agent handles them one after the other, so
   * everything the device sent before has been processed by then.
   */
  measureBarrier(run: RunningEngine, temperature: number): Promise<void>
}

async function connectDevice(mqttUrl: string, onCommand?: (client: MqttClient, text: string) => void): Promise<TestDevice> {
  const client = await connectAsync(mqttUrl, { reconnectPeriod: 0, connectTimeout: 5000, clientId: `dev-${Math.random().toString(16).slice(2, 8)}` })
  const received: TestDevice['received'] = []
  client.on('message', (topic, payload) => {
    const text = payload.toString()
    received.push({ topic, payload: text })
    onCommand?.(client, text)
  })
  await client.subscribeAsync(CMD_TOPIC, { qos: 0 })
  return {
    client,
    received,
    answer: async (text) => {
      await client.publishAsync(CMDEXE_TOPIC, text, { qos: 1 })
    },
    measureBarrier: async (run, temperature) => {
      await client.publishAsync(ATTRS_TOPIC, `t|${temperature}`, { qos: 1 })
      await waitFor(async () => (await keyValues(run)).temperature === temperature, `temperature ${temperature} (the barrier measure)`)
    }
  }
}

async function keyValues(run: RunningEngine): Promise<Record<string, unknown>> {
  const r = await getEntity(run.ngsiUrl, ENTITY_ID, { type: 'Device' })
  expect(r.status).toBe(200)
  return r.json
}

describe('engine: the command lifecycle', () => {
  let run: RunningEngine
  let devices: TestDevice[]
  let events: CommandEvent[]

  beforeEach(async () => {
    run = await startEngine()
    await provisionSeed(run)
    devices = []
    events = []
    run.engine.commands.onEvent((e) => events.push(e))
  })
  afterEach(async () => {
    for (const d of devices) await d.client.endAsync(true)
    await run.dispose()
  })

  const device = async (onCommand?: (client: MqttClient, text: string) => void): Promise<TestDevice> => {
    const d = await connectDevice(run.mqttUrl, onCommand)
    devices.push(d)
    return d
  }

  it('PENDING until the device answers on cmdexe, then OK with the result in <cmd>_info', async () => {
    const dev = await device()
    const r = await sendCommand(run.ngsiUrl, { switch: { type: 'command', value: 'on' } })
    expect(r.status).toBe(204)
    await waitFor(() => dev.received.length > 0, 'the command at the device')
    expect(dev.received).toEqual([{ topic: CMD_TOPIC, payload: `${DEVICE_ID}@switch|on` }])

    let e = await keyValues(run)
    expect(e.switch_status).toBe('PENDING')
    // PENDING does not invent an _info (iotagent-ul sends only the status).
    expect(e.switch_info).toBeUndefined()
    expect(run.engine.commands.stats()).toMatchObject({ sent: 1, pending: 1, ok: 0 })

    await dev.answer(`${DEVICE_ID}@switch|switched on`)
    e = await keyValues(run)
    expect(e).toMatchObject({ switch_status: 'OK', switch_info: 'switched on', refStore: 'urn:ngsi-ld:Store:001' })
    expect(run.engine.commands.stats()).toMatchObject({ sent: 1, pending: 0, ok: 1 })
    const normalized = (await getEntity(run.ngsiUrl, ENTITY_ID, { normalized: true })).json
    expect(normalized.switch_status).toMatchObject({ type: 'commandStatus', value: 'OK' })
    expect(normalized.switch_info).toMatchObject({ type: 'commandResult', value: 'switched on' })
  })

  it('the result is JSON-cast: 1234567890 is a number', async () => {
    const dev = await device()
    expect((await sendCommand(run.ngsiUrl, { interval: { type: 'command', value: '5' } })).status).toBe(204)
    await waitFor(() => dev.received.length > 0, 'the command at the device')
    expect(dev.received[0]!.payload).toBe(`${DEVICE_ID}@interval|5`)
    await dev.answer(`${DEVICE_ID}@interval|1234567890`)
    const e = await keyValues(run)
    expect(e.interval_status).toBe('OK')
    expect(e.interval_info).toBe(1234567890)
    await dev.answer(`${DEVICE_ID}@interval|{"period":5}`)
    expect((await keyValues(run)).interval_info).toEqual({ period: 5 })
  })

  it('a device that answers at once, in the same turn it receives the command, ends OK (never overwritten by PENDING)', async () => {
    const dev = await device((client, text) => {
      // No await, no timer: the answer leaves in the same event loop turn as the command arrives.
      const m = /^([^@]+)@([^|]+)\|/.exec(text)
      if (m) client.publish(CMDEXE_TOPIC, `${m[1]}@${m[2]}|done at once`, { qos: 0 })
    })
    for (let n = 0; n < 5; n++) {
      expect((await sendCommand(run.ngsiUrl, { switch: { type: 'command', value: String(n) } })).status).toBe(204)
      await waitFor(async () => (await keyValues(run)).switch_info === 'done at once' && events.filter((e) => e.status === 'OK').length === n + 1, `answer ${n}`)
    }
    expect(dev.received).toHaveLength(5)
    // A later measure on the device's connection is processed after every answer: a late PENDING
    // would have landed before it.
    await dev.measureBarrier(run, 31)
    expect(await keyValues(run)).toMatchObject({ switch_status: 'OK', switch_info: 'done at once', temperature: 31 })
    expect(events.map((e) => e.status)).toEqual(Array.from({ length: 5 }, () => ['PENDING', 'OK']).flat())
    expect(run.engine.commands.stats()).toMatchObject({ sent: 5, ok: 5, pending: 0, expired: 0 })
  })

  it('an in-process device answering synchronously inside the delivery still ends OK', async () => {
    // The hardest case: the embedded broker delivers to an in-process subscriber while the agent is
    // still publishing the command, and the answer goes through the agent before publish() returns.
    const unsubscribe = await run.engine.broker.subscribe(CMD_TOPIC, (_topic, payload) => {
      const m = /^([^@]+)@([^|]+)\|/.exec(payload.toString())
      if (m) void run.engine.broker.publish(CMDEXE_TOPIC, `${m[1]}@${m[2]}|instant`)
    })
    try {
      expect((await sendCommand(run.ngsiUrl, { switch: { type: 'command', value: 'on' } })).status).toBe(204)
      await waitFor(() => events.some((e) => e.status === 'OK'), 'the OK event')
      // Barrier: a second command through the same path (context broker, agent, broker, the same
      // in-process subscriber), sent after the first settled; once it is OK, anything the first
      // could still have done late has happened.
      expect((await sendCommand(run.ngsiUrl, { interval: { type: 'command', value: '2' } })).status).toBe(204)
      await waitFor(() => events.some((e) => e.command === 'interval' && e.status === 'OK'), 'the OK event of the second command')
      expect(await keyValues(run)).toMatchObject({ switch_status: 'OK', switch_info: 'instant', interval_status: 'OK', interval_info: 'instant' })
      expect(events.filter((e) => e.command === 'switch').map((e) => e.status)).toEqual(['PENDING', 'OK'])
      expect(events.map((e) => `${e.command}:${e.status}`)).toEqual(['switch:PENDING', 'switch:OK', 'interval:PENDING', 'interval:OK'])
      expect(run.engine.commands.stats()).toMatchObject({ pending: 0, ok: 2 })
    } finally {
      await unsubscribe()
    }
  })

  it('a null command value is refused at once, nothing is published and the status is untouched', async () => {
    const dev = await device()
    const r = await sendCommand(run.ngsiUrl, { switch: { type: 'command', value: null } }, { timeoutMs: 4000 })
    // Answered, not left hanging (the request would abort after 4 s and fail the test). Orion
    // reports a provider's refusal as NotFound; the agent's reason is in the log.
    expect(r.status).toBe(404)
    expect(r.json).toEqual({ error: 'NotFound', description: 'The requested entity has not been found. Check type and id' })
    expect(run.logs.some((l) => l.code === 'FWD-UPDATE-FAILED' && l.message.includes('400'))).toBe(true)
    // The agent's own answer to the forwarded update, in NGSI error form.
    const direct = await reply(
      await fetch(`${run.northUrl}/v2/op/update`, {
        method: 'POST',
        headers: JSON_TENANT,
        body: JSON.stringify({ actionType: 'update', entities: [{ id: ENTITY_ID, type: 'Device', switch: { type: 'command', value: null, metadata: {} } }] })
      })
    )
    expect(direct.status).toBe(400)
    expect(direct.json).toEqual({ error: 'BAD_REQUEST', description: expect.stringContaining('switch') })
    expect(run.engine.commands.stats()).toMatchObject({ sent: 0, pending: 0 })
    const e = await keyValues(run)
    expect(e.switch_status).toBeUndefined()
    // Barrier: the engine still takes commands, and a valid one sent afterwards on the same path
    // reaches the device; had either null command been published, it would have arrived first.
    expect((await sendCommand(run.ngsiUrl, { switch: { type: 'command', value: '' } })).status).toBe(204)
    await waitFor(() => dev.received.length > 0, 'a valid command after the null one')
    expect(dev.received).toEqual([{ topic: CMD_TOPIC, payload: `${DEVICE_ID}@switch|` }])
    expect(events.map((x) => [x.status, x.value])).toEqual([['PENDING', '']])
    expect(run.engine.commands.stats()).toMatchObject({ sent: 1, pending: 1 })
  })

  it('an object value is sent as k=v|k=v', async () => {
    const dev = await device()
    const r = await sendCommand(run.ngsiUrl, { interval: { type: 'command', value: { seconds: 10, unit: 's', on: true } } })
    expect(r.status).toBe(204)
    await waitFor(() => dev.received.length > 0, 'the command at the device')
    expect(dev.received).toEqual([{ topic: CMD_TOPIC, payload: `${DEVICE_ID}@interval|seconds=10|unit=s|on=true` }])
    expect(events[0]).toMatchObject({ status: 'PENDING', command: 'interval', value: { seconds: 10, unit: 's', on: true } })
  })

  it('several commands in one request are published one message each, in order', async () => {
    const dev = await device()
    const r = await sendCommand(run.ngsiUrl, { switch: { type: 'command', value: 'on' }, interval: { type: 'command', value: '3' } })
    expect(r.status).toBe(204)
    await waitFor(() => dev.received.length === 2, 'both commands')
    expect(dev.received.map((m) => m.payload)).toEqual([`${DEVICE_ID}@switch|on`, `${DEVICE_ID}@interval|3`])
    expect(await keyValues(run)).toMatchObject({ switch_status: 'PENDING', interval_status: 'PENDING' })
  })

  it('commands sent without ?type (as the IoT-over-MQTT tutorial does) are forwarded too', async () => {
    const dev = await device()
    const r = await sendCommand(run.ngsiUrl, { switch: { type: 'command', value: 'off' } }, { type: null })
    expect(r.status).toBe(204)
    await waitFor(() => dev.received.length === 1, 'the command')
    expect(dev.received[0]!.payload).toBe(`${DEVICE_ID}@switch|off`)
  })

  it('a result for a command the device does not declare is counted and changes nothing', async () => {
    const dev = await device()
    expect((await sendCommand(run.ngsiUrl, { switch: { type: 'command', value: 'on' } })).status).toBe(204)
    await dev.answer(`${DEVICE_ID}@switch|fine`)
    const before = (await getEntity(run.ngsiUrl, ENTITY_ID, { normalized: true, type: 'Device' })).json
    const stats = run.engine.southbound.stats()
    await dev.answer(`${DEVICE_ID}@reboot|done`)
    const after = run.engine.southbound.stats()
    expect(after.rejected.COMMAND_NOT_FOUND).toBe((stats.rejected.COMMAND_NOT_FOUND ?? 0) + 1)
    expect(after.commandResults).toBe(stats.commandResults)
    expect(run.engine.commands.stats().unknownCommand).toBe(1)
    expect((await getEntity(run.ngsiUrl, ENTITY_ID, { normalized: true, type: 'Device' })).json).toEqual(before)
    expect(before.reboot_status).toBeUndefined()
    const inspected = run.engine.inspector.messages({ filter: (m) => m.topic === CMDEXE_TOPIC }).at(-1)
    expect(inspected?.outcome).toMatchObject({ kind: 'cmdexe', error: 'COMMAND_NOT_FOUND' })
    expect(run.logs.some((l) => l.code === 'COMMAND_NOT_FOUND' && l.message.includes('reboot'))).toBe(true)
  })

  it('CommandCenter events report PENDING, then OK with the round-trip time', async () => {
    const dev = await device()
    const before = Date.now()
    expect((await sendCommand(run.ngsiUrl, { switch: { type: 'command', value: 'on' } })).status).toBe(204)
    await waitFor(() => dev.received.length > 0, 'the command at the device')
    const seenAt = Date.now()
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({
      scope: { service: 'openiot', servicePath: '/' },
      entityId: ENTITY_ID,
      entityType: 'Device',
      deviceId: DEVICE_ID,
      command: 'switch',
      status: 'PENDING',
      value: 'on'
    })
    // A gap between receiving and answering, so that the round trip is not trivially zero.
    await new Promise((r) => setTimeout(r, 20))
    const answeredAt = Date.now()
    await dev.answer(`${DEVICE_ID}@switch|switched on`)
    const after = Date.now()
    expect(events.map((e) => e.status)).toEqual(['PENDING', 'OK'])
    const ok = events[1]!
    expect(ok).toMatchObject({ command: 'switch', deviceId: DEVICE_ID, status: 'OK', info: 'switched on' })
    expect(ok.rttMs).toEqual(expect.any(Number))
    // Bounded by the test's own clock (the engine runs in this process): the command left before
    // the device had it and the answer was handled after the device sent it, all within the test.
    expect(ok.rttMs!).toBeGreaterThanOrEqual(answeredAt - seenAt)
    expect(ok.rttMs!).toBeLessThanOrEqual(after - before)
    expect(ok.rttMs!).toBeGreaterThan(0)
    expect(ok.time).toBeGreaterThanOrEqual(events[0]!.time)
  })
})

describe('engine: an unanswered command expires', () => {
  let run: RunningEngine
  let dev: TestDevice | undefined
  let events: CommandEvent[]

  beforeEach(async () => {
    run = await startEngine((c) => {
      c.iota.commandTimeoutMs = 300
    })
    await provisionSeed(run)
    events = []
    run.engine.commands.onEvent((e) => events.push(e))
  })
  afterEach(async () => {
    await dev?.client.endAsync(true)
    await run.dispose()
  })

  /**
   * Sends the other command of the device, which nobody answers, and waits for its expiry. It
   * expires after the same timeout as any command sent before it, so once its ERROR event is seen,
   * an earlier command that were going to expire would have done so.
   */
  const expiryBarrier = async (command: 'switch' | 'interval'): Promise<void> => {
    expect((await sendCommand(run.ngsiUrl, { [command]: { type: 'command', value: '1' } })).status).toBe(204)
    await waitFor(() => events.some((e) => e.command === command && e.status === 'ERROR' && e.info === 'EXPIRED'), `the expiry of ${command} (the barrier command)`)
  }

  it('after commandTimeoutMs: <cmd>_status ERROR, <cmd>_info EXPIRED, an ERROR event and a log entry', async () => {
    dev = await connectDevice(run.mqttUrl)
    expect((await sendCommand(run.ngsiUrl, { switch: { type: 'command', value: 'on' } })).status).toBe(204)
    await waitFor(() => dev!.received.length > 0, 'the command at the device')
    expect((await keyValues(run)).switch_status).toBe('PENDING')
    const e = await waitFor(async () => {
      const kv = await keyValues(run)
      return kv.switch_status === 'ERROR' && kv
    }, 'the command to expire', 5000)
    expect(e.switch_info).toBe('EXPIRED')
    expect(events.map((x) => [x.status, x.info])).toEqual([
      ['PENDING', undefined],
      ['ERROR', 'EXPIRED']
    ])
    expect(run.engine.commands.stats()).toMatchObject({ sent: 1, expired: 1, pending: 0 })
    expect(run.logs.some((l) => l.code === 'COMMAND_EXPIRED' && l.message.includes('switch'))).toBe(true)
  })

  it('a command the device reports as ordinary measures (the seed device\'s way) does not expire', async () => {
    const seed = await startPythonSeedDevice(run.mqttUrl, APIKEY, DEVICE_ID, { intervalSec: 5 })
    let connected = true
    try {
      expect((await sendCommand(run.ngsiUrl, { interval: { type: 'command', value: '4' } })).status).toBe(204)
      await waitFor(async () => (await keyValues(run)).interval_status === 'OK', 'interval_status OK')
      expect(run.engine.commands.stats()).toMatchObject({ expired: 0, ok: 1, pending: 0 })
      // The seed device answers every command; it leaves so that nobody answers the barrier command.
      await seed.close()
      connected = false
      await expiryBarrier('switch')
      expect(await keyValues(run)).toMatchObject({ interval_status: 'OK', interval_info: 'Interval set to 4', switch_status: 'ERROR', switch_info: 'EXPIRED' })
      expect(events.filter((e) => e.command === 'interval').map((e) => e.status)).toEqual(['PENDING', 'OK'])
      expect(run.engine.commands.stats()).toMatchObject({ expired: 1, ok: 1, pending: 0 })
    } finally {
      if (connected) await seed.close()
    }
  })

  it('a command answered in time does not expire later', async () => {
    dev = await connectDevice(run.mqttUrl)
    expect((await sendCommand(run.ngsiUrl, { switch: { type: 'command', value: 'on' } })).status).toBe(204)
    await waitFor(() => dev!.received.length > 0, 'the command at the device')
    await dev.answer(`${DEVICE_ID}@switch|ok`)
    expect(run.engine.commands.stats()).toMatchObject({ expired: 0, ok: 1, pending: 0 })
    await expiryBarrier('interval')
    expect(await keyValues(run)).toMatchObject({ switch_status: 'OK', switch_info: 'ok', interval_status: 'ERROR', interval_info: 'EXPIRED' })
    expect(events.filter((e) => e.command === 'switch').map((e) => e.status)).toEqual(['PENDING', 'OK'])
    expect(run.engine.commands.stats()).toMatchObject({ expired: 1, ok: 1, pending: 0 })
  })
})
