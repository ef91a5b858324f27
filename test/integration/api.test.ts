import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createEngineApi } from '../../electron/engine/api'
import { RequestSchemas, type CommandEventDto } from '../../shared/contract'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'
import { waitFor } from '../helpers/wait-for'

const scope = { service: 'openiot', servicePath: '/' }
const apikey = '4jggokgpepnvsb2uv4s40d59ov'

describe('engine API (the GUI contract)', () => {
  let run: RunningEngine
  let api: ReturnType<typeof createEngineApi>
  beforeEach(async () => {
    run = await startEngine()
    api = createEngineApi(run.engine)
  })
  afterEach(async () => {
    api.close()
    await run.dispose()
  })

  it('reports status with every endpoint', async () => {
    const s = await api['engine.status']({})
    expect(s.endpoints.map((e) => e.name)).toEqual([
      'IoT Agent UltraLight north API',
      'IoT Agent JSON north API',
      'IoT Agent HTTP south port',
      'NGSI-v2 context broker',
      'Context provider',
      'HTTP devices',
      'Cygnus notifications',
      'Cygnus management API',
      'STH-Comet API',
      'MQTT broker (TCP)',
      'MQTT broker (WebSocket)'
    ])
    expect(s.mqtt).toMatchObject({ kind: 'embedded', up: true })
    expect(s.registry).toEqual({ groups: 0, devices: 0 })
    expect(s.jsonRegistry).toEqual({ groups: 0, devices: 0 })
    expect(s.jsonAgent).toMatchObject({ messages: 0, measures: 0, commands: { sent: 0, pending: 0 } })
  })

  it('provisions with the north API rules, runs the simulated seed device and sends commands through the context broker', async () => {
    await api['groups.create']({ scope, group: { apikey, resource: '', entity_type: 'Device' } })
    await expect(api['groups.create']({ scope, group: { apikey, resource: '', entity_type: 'Device' } })).rejects.toMatchObject({ name: 'DUPLICATE_GROUP', status: 409 })
    await expect(api['groups.create']({ scope, group: { resource: '' } })).rejects.toMatchObject({ name: 'WRONG_SYNTAX', status: 400 })
    await api['devices.create']({
      scope,
      device: {
        device_id: 'device001',
        entity_name: 'urn:ngsi-ld:Device:001',
        entity_type: 'Device',
        attributes: [{ object_id: 't', name: 'temperature', type: 'Number' }],
        commands: [{ name: 'switch', type: 'command' }]
      }
    })
    expect((await api['devices.list']({ scope })).count).toBe(1)

    const events: CommandEventDto[] = []
    api.on('commands', (batch) => events.push(...batch))
    await api['simulator.startSeed']({ apikey, deviceId: 'device001', intervalSec: 0.05, switchedOn: false })
    await api['commands.send']({ scope, entityId: 'urn:ngsi-ld:Device:001', entityType: 'Device', command: 'switch', value: 'on' })
    await waitFor(() => events.find((e) => e.status === 'OK'), 'the switch command to be confirmed')
    expect(events[0]).toMatchObject({ status: 'PENDING', command: 'switch', deviceId: 'device001' })
    const entity = await waitFor(async () => {
      const e = await api['entities.get']({ scope, id: 'urn:ngsi-ld:Device:001', type: 'Device' })
      return (e.temperature as { value?: number } | undefined)?.value !== undefined && e
    }, 'a measure of the simulated device')
    expect(entity.switch_status).toMatchObject({ type: 'commandStatus', value: 'OK' })
    expect((entity.temperature as { value: number }).value).toBeGreaterThanOrEqual(10)
    expect((await api['simulator.list']({}))[0]).toMatchObject({ deviceId: 'device001', switchedOn: true, running: true })

    const msgs = await api['inspector.messages']({ limit: 50 })
    const cmd = msgs.find((m) => m.topic === `/${apikey}/device001/cmd`)
    expect(cmd).toMatchObject({ payload: 'device001@switch|on', origin: 'engine', agent: null })
    const measure = msgs.find((m) => m.topic === `ul/${apikey}/device001/attrs` && m.payload.startsWith('t|'))
    expect(measure?.agent).toMatchObject({ kind: 'attrs', deviceId: 'device001', entityId: 'urn:ngsi-ld:Device:001' })
    expect(measure?.agent?.attributes).toContain('temperature')
    expect((await api['simulator.stop']({ apikey, deviceId: 'device001' })).stopped).toBe(true)
  })

  it('implements every request of the contract', () => {
    for (const name of Object.keys(RequestSchemas)) expect(typeof (api as unknown as Record<string, unknown>)[name], name).toBe('function')
  })

  it('pages inspector messages: the newest without afterSeq, forward from afterSeq with it', async () => {
    const first = run.engine.inspector.lastSeq
    for (let i = 1; i <= 10; i++) await api['mqtt.publish']({ topic: `paging/${i}`, payload: `m${i}`, qos: 0, retain: false })
    expect((await api['inspector.messages']({ limit: 3 })).map((m) => m.payload)).toEqual(['m8', 'm9', 'm10'])
    expect((await api['inspector.messages']({ afterSeq: first, limit: 3 })).map((m) => m.payload)).toEqual(['m1', 'm2', 'm3'])
    // Sequence numbers are contiguous: the 2 messages before m6 are those after m6's seq - 3.
    const m6 = (await api['inspector.messages']({ afterSeq: first + 5, limit: 1 }))[0]!
    expect(m6.payload).toBe('m6')
    expect((await api['inspector.messages']({ afterSeq: m6.seq - 3, limit: 2 })).map((m) => m.payload)).toEqual(['m4', 'm5'])
  })

  it('reports NGSI errors with Orion names', async () => {
    await expect(api['entities.get']({ scope, id: 'nope' })).rejects.toMatchObject({ error: 'NotFound', status: 404 })
  })
})
