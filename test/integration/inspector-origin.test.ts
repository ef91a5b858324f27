import mqtt, { type MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { InspectorMessageDto } from '../../shared/contract'
import { createEngineApi, type EngineApiHandle } from '../../electron/engine/api'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'
import { APIKEY, DEVICE_ID, ENTITY_ID, JSON_TENANT, provisionSeed, sendCommand } from '../helpers/postman-tutorial7'
import { waitFor } from '../helpers/wait-for'

/**
 * The topic inspector tells who published each message, on which leg, and what the agent did with
 * it: a device's measure (accepted), the agent's own command on `/cmd` and configuration values
 * (published by the agent, never "ignored"), a rejected payload (with its reason), an
 * autoprovisioned device, an unknown API key (unprovisioned), a JSON payload, a simulated device,
 * and the GUI's publish panel, which is told when the agent rejects its message.
 */

const ATTRS = `/ul/${APIKEY}/${DEVICE_ID}/attrs`
const CMD = `/${APIKEY}/${DEVICE_ID}/cmd`
const CMDEXE = `/ul/${APIKEY}/${DEVICE_ID}/cmdexe`
const CONFIG_REQUEST = `/${APIKEY}/${DEVICE_ID}/configuration/commands`
const CONFIG_VALUES = `/${APIKEY}/${DEVICE_ID}/configuration/values`

describe('inspector: origin, hop and outcome of every message', () => {
  let run: RunningEngine
  let api: EngineApiHandle
  let device: MqttClient
  const received: Array<{ topic: string; payload: string }> = []

  beforeAll(async () => {
    run = await startEngine()
    await provisionSeed(run)
    api = createEngineApi(run.engine)
    device = await mqtt.connectAsync(run.mqttUrl, { clientId: 'inspector-origin-device', reconnectPeriod: 0 })
    device.on('message', (topic, payload) => received.push({ topic, payload: payload.toString('utf8') }))
    await device.subscribeAsync([CMD, CONFIG_VALUES], { qos: 1 })
  })
  afterAll(async () => {
    await device?.endAsync(true)
    api?.close()
    await run?.dispose()
  })

  /** The newest inspector message on `topic` (with `payload` when given), as the GUI receives it. */
  async function lastOn(topic: string, payload?: string): Promise<InspectorMessageDto> {
    const all = await api['inspector.messages']({})
    const found = all.filter((m) => m.topic === topic && (payload === undefined || m.payload === payload)).at(-1)
    if (!found) throw new Error(`no inspector message on ${topic}`)
    return found
  }

  /** Publishes as the device, QoS 1: the PUBACK comes once the agent and the inspector have seen it. */
  const publish = async (topic: string, payload: string): Promise<void> => {
    await device.publishAsync(topic, payload, { qos: 1 })
  }

  it("a device's measure: origin device, device → broker, accepted with its attributes", async () => {
    await publish(ATTRS, 't|21|rh|40')
    const m = await lastOn(ATTRS, 't|21|rh|40')
    expect(m).toMatchObject({ origin: 'client', clientId: 'inspector-origin-device', source: 'device', hop: 'device→broker', verdict: 'accepted', badges: [] })
    expect(m.agent).toMatchObject({ kind: 'attrs', deviceId: DEVICE_ID, entityId: ENTITY_ID })
    expect(m.agent?.attributes).toEqual(expect.arrayContaining(['temperature', 'relativeHumidity']))
    expect(m.agent?.error).toBeUndefined()
  })

  it("a command sent with an NGSI PATCH: the agent's /cmd publication is origin agent-command, agent → device, never ignored", async () => {
    const r = await sendCommand(run.ngsiUrl, { switch: { type: 'command', value: 'on' } })
    expect(r.status).toBe(204)
    await waitFor(() => received.some((x) => x.topic === CMD), 'the command at the device')
    const cmd = await lastOn(CMD)
    expect(cmd).toMatchObject({ payload: `${DEVICE_ID}@switch|on`, origin: 'engine', source: 'agent-command', hop: 'agent→device', verdict: 'published-by-agent', agent: null })
    expect(cmd.verdict).not.toBe('not-for-agent')

    // The device's answer on cmdexe: a command result the agent accepted.
    await publish(CMDEXE, `${DEVICE_ID}@switch|switched on`)
    const answer = await lastOn(CMDEXE)
    expect(answer).toMatchObject({ source: 'device', hop: 'device→broker', verdict: 'accepted' })
    expect(answer.agent).toMatchObject({ kind: 'cmdexe', deviceId: DEVICE_ID, attributes: ['switch_status', 'switch_info'] })
  })

  it('a configuration request: the configuration/values answer is origin agent-configuration, never ignored', async () => {
    const add = await fetch(`${run.ngsiUrl}/v2/entities/${ENTITY_ID}/attrs?type=Device`, {
      method: 'POST',
      headers: JSON_TENANT,
      body: JSON.stringify({ pollingInterval: { type: 'Number', value: 200 } })
    })
    expect(add.status).toBe(204)
    await publish(CONFIG_REQUEST, 'configuration|pollingInterval')
    const request = await lastOn(CONFIG_REQUEST)
    expect(request).toMatchObject({ source: 'device', hop: 'device→broker', verdict: 'accepted' })
    expect(request.agent).toMatchObject({ kind: 'configuration', attributes: ['pollingInterval'] })

    await waitFor(() => received.some((x) => x.topic === CONFIG_VALUES), 'the configuration values at the device')
    const values = await lastOn(CONFIG_VALUES)
    expect(values.payload).toMatch(new RegExp(`^${DEVICE_ID}@configuration\\|pollingInterval=200`))
    expect(values).toMatchObject({ origin: 'engine', source: 'agent-configuration', hop: 'agent→device', verdict: 'published-by-agent', agent: null })
  })

  it('a payload the agent rejects: rejected, with the code and the reason, and no attribute', async () => {
    await publish(ATTRS, 'a|10||')
    const m = await lastOn(ATTRS, 'a|10||')
    expect(m).toMatchObject({ source: 'device', verdict: 'rejected' })
    expect(m.agent).toMatchObject({ error: 'PARSE_ERROR', message: expect.stringContaining('bad UltraLight payload') })
    expect(m.agent?.attributes).toBeUndefined()
  })

  it("an autoprovisioned device's first message and the next ones carry the autoprovisioned badge", async () => {
    const topic = `/ul/${APIKEY}/autodevice7/attrs`
    await publish(topic, 't|5')
    await publish(topic, 't|6')
    const [first, second] = [await lastOn(topic, 't|5'), await lastOn(topic, 't|6')]
    expect(first).toMatchObject({ verdict: 'accepted', badges: ['autoprovisioned'] })
    expect(second).toMatchObject({ verdict: 'accepted', badges: ['autoprovisioned'] })
    // device001 was provisioned: no badge.
    expect((await lastOn(ATTRS, 't|21|rh|40')).badges).toEqual([])
  })

  it('an unknown API key: rejected NO_GROUP, badge unprovisioned', async () => {
    const topic = '/ul/nosuchkey/device9/attrs'
    await publish(topic, 't|1')
    const m = await lastOn(topic)
    expect(m).toMatchObject({ source: 'device', verdict: 'rejected', badges: ['unprovisioned'] })
    expect(m.agent).toMatchObject({ error: 'NO_GROUP', message: expect.stringContaining('nosuchkey') })
  })

  it('a JSON payload carries the json badge, on a topic the agent reads and on one it does not', async () => {
    await publish('sensors/room1', '{"t": 21}')
    const other = await lastOn('sensors/room1')
    expect(other).toMatchObject({ source: 'external-client', hop: 'client→broker', verdict: 'not-for-agent', badges: ['json'], agent: null })
    await publish(ATTRS, '[1, 2]')
    expect((await lastOn(ATTRS, '[1, 2]')).badges).toContain('json')
    // UltraLight text is not JSON.
    await publish('sensors/room1', 't|21')
    expect((await lastOn('sensors/room1', 't|21')).badges).toEqual([])
  })

  it("a simulated device's measure: origin simulator, device → broker", async () => {
    await run.engine.simulator.startSeedDevice({ apikey: APIKEY, deviceId: DEVICE_ID, intervalSec: 3600, switchedOn: false })
    try {
      await run.engine.simulator.sendMeasure(APIKEY, DEVICE_ID)
      const topic = `ul/${APIKEY}/${DEVICE_ID}/attrs`
      expect(await lastOn(topic)).toMatchObject({ origin: 'engine', source: 'simulator', hop: 'device→broker', verdict: 'accepted' })
    } finally {
      await run.engine.simulator.stopDevice(APIKEY, DEVICE_ID)
    }
  })

  it("the GUI's publish: the result says whether the agent accepted the message, and why not", async () => {
    const bad = await api['mqtt.publish']({ topic: '/ul/nosuchkey/device9/attrs', payload: 't|2', qos: 0, retain: false })
    expect(bad).toMatchObject({ verdict: 'rejected', error: 'NO_GROUP', message: expect.stringContaining('nosuchkey') })
    const badMessage = await lastOn('/ul/nosuchkey/device9/attrs', 't|2')
    expect(badMessage).toMatchObject({ seq: bad.seq, source: 'gui', verdict: 'rejected' })

    const unparsable = await api['mqtt.publish']({ topic: ATTRS, payload: 'notUL', qos: 1, retain: false })
    expect(unparsable).toMatchObject({ verdict: 'rejected', error: 'PARSE_ERROR' })

    const good = await api['mqtt.publish']({ topic: ATTRS, payload: 't|22', qos: 0, retain: false })
    expect(good).toMatchObject({ verdict: 'accepted' })
    expect(good.error).toBeUndefined()
    expect(await lastOn(ATTRS, 't|22')).toMatchObject({ seq: good.seq, source: 'gui', hop: 'device→broker', verdict: 'accepted' })

    const elsewhere = await api['mqtt.publish']({ topic: 'sensors/gui', payload: 'hello', qos: 0, retain: false })
    expect(elsewhere).toMatchObject({ verdict: 'not-for-agent' })
    expect(await lastOn('sensors/gui')).toMatchObject({ source: 'gui', hop: 'client→broker' })
  })
})
