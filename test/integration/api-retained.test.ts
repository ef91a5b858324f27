import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { connectAsync, type MqttClient } from 'mqtt'
import { createEngineApi } from '../../electron/engine/api'
import { validateRequest } from '../../electron/engine/transport/validate-request'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'
import { MOSQUITTO, requirePrograms, startMosquitto, type Mosquitto } from '../helpers/mosquitto'
import { waitFor } from '../helpers/wait-for'

const need = requirePrograms({ mosquitto: MOSQUITTO })

describe('inspector.retained (the GUI contract)', () => {
  let run: RunningEngine
  let api: ReturnType<typeof createEngineApi>
  let device: MqttClient
  beforeEach(async () => {
    run = await startEngine()
    api = createEngineApi(run.engine)
    device = await connectAsync(run.mqttUrl, { reconnectPeriod: 0, connectTimeout: 5000 })
  })
  afterEach(async () => {
    await device.endAsync(true)
    api.close()
    await run.dispose()
  })

  it('lists what the embedded broker holds, previews long payloads, and forgets a topic cleared through mqtt.publish', async () => {
    const long = 'x'.repeat(3000)
    await device.publishAsync('lab/room2/state', 'on', { qos: 1, retain: true })
    await device.publishAsync('lab/room10/state', long, { qos: 0, retain: true })
    await device.publishAsync('lab/room3/state', 'not retained', { qos: 1 })
    const listed = await api['inspector.retained']({})
    expect(listed.source).toBe('broker')
    expect(listed.more).toBe(false)
    const byTopic = new Map(listed.messages.map((m) => [m.topic, m]))
    expect([...byTopic.keys()].sort()).toEqual(['lab/room10/state', 'lab/room2/state'])
    expect(byTopic.get('lab/room2/state')).toEqual({ topic: 'lab/room2/state', payload: 'on', size: 2, truncated: false, qos: 1 })
    const big = byTopic.get('lab/room10/state')!
    expect(big).toMatchObject({ size: 3000, truncated: true, qos: 0 })
    expect(big.payload.length).toBeLessThan(3000)
    expect(long.startsWith(big.payload)).toBe(true)

    await api['mqtt.publish']({ topic: 'lab/room2/state', payload: '', qos: 1, retain: true })
    expect((await api['inspector.retained']({ limit: 10 })).messages.map((m) => m.topic)).toEqual(['lab/room10/state'])
    const one = await api['inspector.retained']({ limit: 1 })
    expect(one.messages).toHaveLength(1)
    await device.publishAsync('lab/room4/state', 'on', { qos: 1, retain: true })
    expect((await api['inspector.retained']({ limit: 1 })).more).toBe(true)
  })

  it('validates its arguments against the contract', () => {
    expect(validateRequest('inspector.retained', {}).ok).toBe(true)
    expect(validateRequest('inspector.retained', { limit: 1000 }).ok).toBe(true)
    for (const bad of [{ limit: 0 }, { limit: 1001 }, { limit: 2.5 }, { other: 1 }, null]) {
      const v = validateRequest('inspector.retained', bad)
      expect(v.ok, JSON.stringify(bad)).toBe(false)
      if (!v.ok) expect(v.error.message).toMatch(/invalid arguments for inspector.retained/)
    }
  })
})

describe.skipIf(need.skip)(`inspector.retained with an external broker${need.skip ? ` (skipped: ${need.reason})` : ''}`, () => {
  let mosq: Mosquitto
  let run: RunningEngine | undefined
  let api: ReturnType<typeof createEngineApi> | undefined
  beforeAll(async () => {
    mosq = await startMosquitto()
  })
  afterAll(async () => {
    await mosq?.stop()
  })
  afterEach(async () => {
    api?.close()
    await run?.dispose()
  })

  it("says the list is what the engine's client saw, not the broker's store", async () => {
    const device = await connectAsync(mosq.url, { reconnectPeriod: 0, connectTimeout: 5000 })
    try {
      await device.publishAsync('/extkey/d1/attrs', 't|5', { qos: 1, retain: true })
      run = await startEngine((c) => (c.mqtt = { mode: 'external', url: mosq.url, rejectUnauthorized: true, clientId: 'ulcc-retained', keepalive: 60 }))
      api = createEngineApi(run.engine)
      const listed = await waitFor(async () => {
        const r = await api!['inspector.retained']({})
        return r.messages.length > 0 && r
      }, 'the retained message sent on subscription')
      expect(listed.source).toBe('seen')
      expect(listed.messages).toEqual([{ topic: '/extkey/d1/attrs', payload: 't|5', size: 3, truncated: false, qos: 1, seenAt: expect.any(Number) as number }])
      await api['mqtt.publish']({ topic: '/extkey/d1/attrs', payload: '', qos: 1, retain: true })
      expect((await api['inspector.retained']({})).messages).toEqual([])
    } finally {
      await device.endAsync()
    }
  })
})
