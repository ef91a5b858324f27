import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'
import {
  APIKEY,
  DEVICE_ID,
  ENTITY_ID,
  getEntity,
  northGet,
  reply,
  replay,
  STEP,
  TENANT,
  tutorial7Steps,
  type PostmanStep,
  type Reply
} from '../helpers/postman-tutorial7'
import { startPythonSeedDevice, type PythonSeedDevice } from '../helpers/python-seed-device'
import { waitFor } from '../helpers/wait-for'

/**
 * The seed tutorial end to end: the requests of the Postman folder "Tutorial 7 - Agent IoT
 * Ultralight sobre MQTT" (test/fixtures/tutorial7.ts), replayed in order against the real engine,
 * with an MQTT device that behaves like the tutorial's Python dummy device. The expectations are
 * what Orion 4.x + iotagent-ul 3.x show a trainee (docs/compatibility/iot-agent-ul.md §4.9, §5; ngsi-v2.md §0.1
 * #61–#63, §5).
 */

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

describe('the seed tutorial (Postman folder "Tutorial 7") against the engine', () => {
  let run: RunningEngine
  let device: PythonSeedDevice | undefined
  let steps: Map<string, PostmanStep>

  beforeAll(async () => {
    run = await startEngine()
    steps = new Map(tutorial7Steps().map((s) => [s.name, s]))
  })
  afterAll(async () => {
    await device?.close()
    await run?.dispose()
  })

  const step = (name: string): Promise<Reply> => {
    const s = steps.get(name)
    if (!s) throw new Error(`step "${name}" missing from the collection`)
    return replay(s.request, run)
  }

  it('the folder holds the six requests of the tutorial, for ports 4042 and 1026 only', () => {
    const all = tutorial7Steps()
    expect(all.map((s) => s.name)).toEqual(Object.values(STEP))
    for (const s of all) expect(s.request.url.raw).toMatch(/^http:\/\/localhost:(4042|1026)\//)
  })

  it('"Verificar saúde do Agente IoT": GET /iot/about answers 200 with the FIWARE version fields', async () => {
    const r = await step(STEP.about)
    expect(r.status).toBe(200)
    expect(r.headers.get('content-type')).toMatch(/^application\/json/)
    expect(r.json).toMatchObject({ libVersion: expect.any(String), version: expect.any(String), baseRoot: '/' })
    expect(r.json.libVersion).toMatch(/^\d+\.\d+\.\d+/)
    expect(r.json.version).toMatch(/^\d+\.\d+\.\d+/)
    expect(r.json.port).toBe(Number(new URL(run.northUrl).port))
  })

  it('"Criar um serviço": 201 {} with the "cbroker" field and "resource": ""', async () => {
    const body = JSON.parse(steps.get(STEP.createService)!.request.body!.raw!)
    // What this step is about: the collection's body really has those two particularities.
    expect(body.services[0]).toMatchObject({ cbroker: 'http://orion:1026', resource: '' })
    const r = await step(STEP.createService)
    expect(r.status).toBe(201)
    expect(r.json).toEqual({})
    const groups = await northGet(run.northUrl, '/iot/services')
    expect(groups.status).toBe(200)
    expect(groups.json.count).toBe(1)
    expect(groups.json.services[0]).toMatchObject({ apikey: APIKEY, resource: '', entity_type: 'Device', service: 'openiot', subservice: '/' })
    // Kept and listed as sent, with the creation date in epoch milliseconds (docs/compatibility/iot-agent-ul.md §1.2).
    expect(groups.json.services[0].cbroker).toBe('http://orion:1026')
    expect(groups.json.services[0].creationDate).toEqual(expect.any(Number))
    expect(Number.isInteger(groups.json.services[0].creationDate)).toBe(true)
  })

  it('"Provisionar um dispositivo": 201 {}, and the commands are registered in the context broker', async () => {
    const r = await step(STEP.provisionDevice)
    expect(r.status).toBe(201)
    expect(r.json).toEqual({})
    // docs/compatibility/iot-agent-ul.md §4.9 step 2: one registration for the command attributes, no entity yet.
    const regs = await reply(await fetch(`${run.ngsiUrl}/v2/registrations`, { headers: TENANT }))
    expect(regs.status).toBe(200)
    expect(regs.json).toHaveLength(1)
    expect(regs.json[0]).toMatchObject({
      dataProvided: { entities: [{ id: ENTITY_ID, type: 'Device' }], attrs: ['switch', 'interval'] },
      provider: { http: { url: run.engine.providerUrl } },
      status: 'active'
    })
    const list = await reply(await fetch(`${run.ngsiUrl}/v2/entities?options=skipForwarding`, { headers: TENANT }))
    expect(list.json).toEqual([])
  })

  it('the dummy device connects: it listens on /<apikey>/device001/cmd and is idle', async () => {
    device = await startPythonSeedDevice(run.mqttUrl, APIKEY, DEVICE_ID)
    expect(device.switchedOn()).toBe(false)
    expect(device.sent).toBe(0)
  })

  it('"Obter dispositivo" before any measure: only the command attributes, from query forwarding, as ""', async () => {
    const r = await step(STEP.getEntity)
    expect(r.status).toBe(200)
    // Orion has no local entity yet; the registration makes it ask the agent, which answers the
    // commands with empty values: {"id","type","switch":"","interval":""}.
    expect(r.json).toEqual({ id: ENTITY_ID, type: 'Device', switch: '', interval: '' })
    expect(Object.keys(r.json)).toEqual(['id', 'type', 'switch', 'interval'])
    const normalized = await getEntity(run.ngsiUrl, ENTITY_ID, { normalized: true, type: 'Device' })
    expect(normalized.json).toEqual({
      id: ENTITY_ID,
      type: 'Device',
      switch: { type: 'command', value: '', metadata: {} },
      interval: { type: 'command', value: '', metadata: {} }
    })
  })

  it('"Enviar comando Switch": 204; the device receives device001@switch|1 and starts sending measures', async () => {
    const r = await step(STEP.switchCommand)
    expect(r.status).toBe(204)
    expect(r.text).toBe('')
    await waitFor(() => device!.received.length >= 1, 'the switch command at the device')
    expect(device!.received[0]).toMatchObject({ topic: `/${APIKEY}/${DEVICE_ID}/cmd`, payload: `${DEVICE_ID}@switch|1` })
    expect(device!.switchedOn()).toBe(true)

    const entity = await waitFor(async () => {
      const e = (await step(STEP.getEntity)).json
      return e?.temperature !== undefined && e.switch_status === 'OK' && e
    }, 'a measure and the switch result in the entity', 8000)
    expect(entity).toMatchObject({
      id: ENTITY_ID,
      type: 'Device',
      refStore: 'urn:ngsi-ld:Store:001',
      switch_status: 'OK',
      switch_info: 'Started sending data',
      // Still answered by the agent: command attributes are never stored locally.
      switch: '',
      interval: ''
    })
    expect(typeof entity.temperature).toBe('number')
    expect(typeof entity.relativeHumidity).toBe('number')
    expect(entity.temperature).toBeGreaterThanOrEqual(10)
    expect(entity.temperature).toBeLessThanOrEqual(40)
    expect(entity.relativeHumidity).toBeGreaterThanOrEqual(0)
    expect(entity.relativeHumidity).toBeLessThanOrEqual(100)
    expect(entity.TimeInstant).toMatch(ISO)
    // One command, one message: nothing else was published on the command topic.
    expect(device!.received).toHaveLength(1)
    // The device reported the result as ordinary measures, on the topic without leading slash.
    expect(device!.published[0]).toMatchObject({ topic: `ul/${APIKEY}/${DEVICE_ID}/attrs`, payload: 'switch_status|OK|switch_info|Started sending data' })
    // The same measure the device sent last is in the entity.
    await waitFor(async () => {
      const last = [...device!.published].reverse().find((p) => p.payload.startsWith('t|'))!
      const [, t, , rh] = last.payload.split('|')
      const e = (await step(STEP.getEntity)).json
      return e.temperature === Number(t) && e.relativeHumidity === Number(rh)
    }, 'the entity to hold the last measure sent')
  })

  it('"Enviar comando Interval": 204; the device receives device001@interval|2 and interval_status is OK', async () => {
    const before = device!.received.length
    const r = await step(STEP.intervalCommand)
    expect(r.status).toBe(204)
    await waitFor(() => device!.received.length > before, 'the interval command at the device')
    expect(device!.received.slice(before)).toEqual([expect.objectContaining({ topic: `/${APIKEY}/${DEVICE_ID}/cmd`, payload: `${DEVICE_ID}@interval|2` })])
    expect(device!.intervalSec()).toBe(2)
    const entity = await waitFor(async () => {
      const e = (await step(STEP.getEntity)).json
      return e?.interval_status === 'OK' && e
    }, 'interval_status OK')
    expect(entity).toMatchObject({ interval_status: 'OK', interval_info: 'Interval set to 2', switch_status: 'OK', switch_info: 'Started sending data' })
  })

  it('the normalized entity has the NGSI types and TimeInstant metadata of iotagent-ul with timestamps on', async () => {
    const r = await getEntity(run.ngsiUrl, ENTITY_ID, { normalized: true, type: 'Device' })
    expect(r.status).toBe(200)
    const e = r.json
    const timeMeta = { TimeInstant: { type: 'DateTime', value: expect.stringMatching(ISO) } }
    expect(e.temperature).toEqual({ type: 'Number', value: expect.any(Number), metadata: timeMeta })
    expect(e.relativeHumidity).toEqual({ type: 'Number', value: expect.any(Number), metadata: timeMeta })
    expect(e.refStore).toEqual({ type: 'Relationship', value: 'urn:ngsi-ld:Store:001', metadata: timeMeta })
    expect(e.switch_status).toEqual({ type: 'commandStatus', value: 'OK', metadata: timeMeta })
    expect(e.switch_info).toEqual({ type: 'commandResult', value: 'Started sending data', metadata: timeMeta })
    expect(e.interval_status).toEqual({ type: 'commandStatus', value: 'OK', metadata: timeMeta })
    expect(e.interval_info).toEqual({ type: 'commandResult', value: 'Interval set to 2', metadata: timeMeta })
    expect(e.TimeInstant).toEqual({ type: 'DateTime', value: expect.stringMatching(ISO), metadata: {} })
    expect(e.switch).toEqual({ type: 'command', value: '', metadata: {} })
    expect(e.interval).toEqual({ type: 'command', value: '', metadata: {} })
    // A measure's attributes carry the TimeInstant of their update.
    expect(e.temperature.metadata.TimeInstant.value).toBe(e.relativeHumidity.metadata.TimeInstant.value)
    expect(Date.parse(e.TimeInstant.value)).toBeGreaterThanOrEqual(Date.parse(e.temperature.metadata.TimeInstant.value))
    // Nothing else: no stray attributes (no `t`/`rh`, no locally stored command attribute).
    expect(Object.keys(e).sort()).toEqual(
      ['id', 'type', 'TimeInstant', 'interval', 'interval_info', 'interval_status', 'refStore', 'relativeHumidity', 'switch', 'switch_info', 'switch_status', 'temperature'].sort()
    )
  })

  it('the registry holds exactly one device001 (no autoprovisioned duplicate of the device provisioned without apikey)', async () => {
    const r = await northGet(run.northUrl, '/iot/devices')
    expect(r.status).toBe(200)
    expect(r.json.count).toBe(1)
    expect(r.json.devices).toHaveLength(1)
    expect(r.json.devices[0]).toMatchObject({
      device_id: DEVICE_ID,
      entity_name: ENTITY_ID,
      entity_type: 'Device',
      service: 'openiot',
      service_path: '/',
      transport: 'MQTT',
      protocol: 'PDI-IoTA-UltraLight'
    })
    expect(run.engine.registry.devicesById(DEVICE_ID)).toHaveLength(1)
    expect(run.engine.registry.counts()).toEqual({ groups: 1, devices: 1 })
    expect(run.engine.southbound.stats().autoprovisioned).toBe(0)
    expect(run.engine.southbound.stats().rejected).toEqual({})
    const one = await northGet(run.northUrl, `/iot/devices/${DEVICE_ID}`)
    expect(one.status).toBe(200)
    expect(one.json.attributes).toEqual([
      { object_id: 't', name: 'temperature', type: 'Number' },
      { object_id: 'rh', name: 'relativeHumidity', type: 'Number' }
    ])
  })
})
