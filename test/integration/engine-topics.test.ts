import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { connectAsync, type MqttClient } from 'mqtt'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { NgsiMetadata } from '../../electron/engine/context/types'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'
import { MosquittoClients } from '../helpers/engine-mqtt'
import { MOSQUITTO_PUB, MOSQUITTO_SUB, requirePrograms, STDBUF } from '../helpers/mosquitto'
import { APIKEY, DEVICE_ID, ENTITY_ID, getEntity, northGet, provisionSeed, sendCommand } from '../helpers/postman-tutorial7'
import { tempDir } from '../helpers/temp-dir'
import { waitFor } from '../helpers/wait-for'

/**
 * Every MQTT topic of the UltraLight agent (docs/compatibility/iot-agent-ul.md §3.1–§3.2) published with
 * Debian's mosquitto_pub against the engine, with the seed tutorial's group and device001
 * provisioned, and the entity checked after each as §4 says; then multi-group payloads, the
 * timestamp prefix, MQTT over WebSocket and autoprovisioning.
 */

/** An attribute as `GET /v2/entities/{id}` answers it in normalized NGSI-v2: its metadata always there. */
interface AnsweredAttribute {
  type: string
  value: unknown
  metadata: Record<string, NgsiMetadata>
}

/** The seed device's entity as these tests read it; an attribute it lacks reads undefined. */
type SeedEntity = Record<
  'TimeInstant' | 'temperature' | 'relativeHumidity' | 'refStore' | 'status' | 't' | 'rh' | 'switch_status' | 'switch_info' | 'interval_status' | 'interval_info',
  AnsweredAttribute
>

const need = requirePrograms({ mosquitto_pub: MOSQUITTO_PUB, mosquitto_sub: MOSQUITTO_SUB, stdbuf: STDBUF })

/** The four spellings of a topic: with/without leading slash, with/without the `ul/` prefix. */
const PREFIXES = ['/', '', '/ul/', 'ul/'] as const
const VARIANTS = PREFIXES.map((prefix, i) => ({ prefix, i, label: JSON.stringify(prefix) }))

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

describe.skipIf(need.skip)(`engine: the agent's MQTT topics${need.skip ? ` (skipped: ${need.reason})` : ''}`, () => {
  let run: RunningEngine
  let mosq: MosquittoClients
  const clients: MqttClient[] = []
  const files = tempDir('ulcc-topics-')

  beforeAll(async () => {
    run = await startEngine()
    await provisionSeed(run)
    mosq = new MosquittoClients(run.mqttUrl)
  })
  afterEach(async () => {
    mosq.killAll()
    for (const c of clients.splice(0)) await c.endAsync(true)
  })
  afterAll(async () => {
    await run?.dispose()
    files.cleanup()
  })

  const entity = async (id = ENTITY_ID): Promise<SeedEntity> => {
    const r = await getEntity(run.ngsiUrl, id, { normalized: true })
    expect(r.status).toBe(200)
    return r.json as SeedEntity
  }
  /** What the agent did with the last message on `topic`, as the inspector recorded it. */
  const outcome = (topic: string): unknown => run.engine.inspector.messages({ filter: (m) => m.topic === topic }).at(-1)?.outcome

  describe.each(VARIANTS)('prefix $label', ({ prefix, i }) => {
    it(`attrs: ${prefix}<apikey>/device001/attrs updates the mapped attributes with TimeInstant`, async () => {
      const topic = `${prefix}${APIKEY}/${DEVICE_ID}/attrs`
      const t = 20 + i + 0.25
      const rh = 50 + i
      await mosq.publish(topic, `t|${t}|rh|${rh}`)
      const e = await entity()
      const meta = { TimeInstant: { type: 'DateTime', value: expect.stringMatching(ISO) } }
      expect(e.temperature).toEqual({ type: 'Number', value: t, metadata: meta })
      expect(e.relativeHumidity).toEqual({ type: 'Number', value: rh, metadata: meta })
      expect(e.refStore).toEqual({ type: 'Relationship', value: 'urn:ngsi-ld:Store:001', metadata: meta })
      expect(e.TimeInstant.value).toBe(e.temperature.metadata.TimeInstant!.value)
      // Object ids are mapped to names: no `t` / `rh` attributes.
      expect(e.t).toBeUndefined()
      expect(e.rh).toBeUndefined()
      expect(outcome(topic)).toMatchObject({ kind: 'attrs', apikey: APIKEY, deviceId: DEVICE_ID, entityId: ENTITY_ID, attributes: expect.arrayContaining(['temperature', 'relativeHumidity']) })
    })

    it(`single attribute: ${prefix}<apikey>/device001/attrs/<attr> sets one attribute from the raw value`, async () => {
      // By object id…
      await mosq.publish(`${prefix}${APIKEY}/${DEVICE_ID}/attrs/t`, `${30 + i}.5`)
      let e = await entity()
      expect(e.temperature).toMatchObject({ type: 'Number', value: 30 + i + 0.5 })
      // …by attribute name (the provisioned type is used)…
      await mosq.publish(`${prefix}${APIKEY}/${DEVICE_ID}/attrs/relativeHumidity`, String(70 + i))
      e = await entity()
      expect(e.relativeHumidity).toMatchObject({ type: 'Number', value: 70 + i })
      // …and an attribute that is not provisioned (type Text; the value is not UL-parsed).
      await mosq.publish(`${prefix}${APIKEY}/${DEVICE_ID}/attrs/status`, `fine|${i}`)
      e = await entity()
      expect(e.status).toMatchObject({ type: 'Text', value: `fine|${i}` })
      expect(outcome(`${prefix}${APIKEY}/${DEVICE_ID}/attrs/status`)).toMatchObject({ kind: 'attr', attributes: expect.arrayContaining(['status']) })
    })

    it(`cmdexe: ${prefix}<apikey>/device001/cmdexe sets <cmd>_status OK and <cmd>_info`, async () => {
      const topic = `${prefix}${APIKEY}/${DEVICE_ID}/cmdexe`
      await mosq.publish(topic, `${DEVICE_ID}@switch|switched on ${i}`)
      const e = await entity()
      expect(e.switch_status).toMatchObject({ type: 'commandStatus', value: 'OK' })
      expect(e.switch_info).toMatchObject({ type: 'commandResult', value: `switched on ${i}` })
      expect(outcome(topic)).toMatchObject({ kind: 'cmdexe', deviceId: DEVICE_ID, attributes: ['switch_status', 'switch_info'] })
    })

    it(`configuration: ${prefix}<apikey>/device001/configuration/commands is answered on /<apikey>/device001/configuration/values`, async () => {
      const temperature = 40 + i
      await mosq.publish(`${APIKEY}/${DEVICE_ID}/attrs`, `t|${temperature}`)
      const sub = await mosq.sub(`/${APIKEY}/${DEVICE_ID}/configuration/values`, { count: 1 })
      const before = run.engine.southbound.stats().configurationRequests
      await mosq.publish(`${prefix}${APIKEY}/${DEVICE_ID}/configuration/commands`, 'configuration|refStore|temperature')
      const [answer] = await waitFor(() => sub.messages().length > 0 && sub.messages(), 'the configuration values at mosquitto_sub')
      expect(answer!.topic).toBe(`/${APIKEY}/${DEVICE_ID}/configuration/values`)
      expect(answer!.payload).toMatch(new RegExp(`^${DEVICE_ID}@configuration\\|refStore=urn:ngsi-ld:Store:001\\|temperature=${temperature}\\|dt=\\d{8}T\\d{6}Z$`))
      expect(run.engine.southbound.stats().configurationRequests).toBe(before + 1)
      expect((await sub.run.result).code).toBe(0)
    })
  })

  it('a configuration request for attributes the entity lacks answers with the stamp only', async () => {
    const sub = await mosq.sub(`/${APIKEY}/${DEVICE_ID}/configuration/values`, { count: 1 })
    await mosq.publish(`ul/${APIKEY}/${DEVICE_ID}/configuration/commands`, 'configuration|pollingInterval')
    const [answer] = await waitFor(() => sub.messages().length > 0 && sub.messages(), 'the configuration values')
    expect(answer!.payload).toMatch(new RegExp(`^${DEVICE_ID}@configuration\\|dt=\\d{8}T\\d{6}Z$`))
  })

  it('a multi-group payload a|1#b|2 updates every group', async () => {
    await mosq.publish(`ul/${APIKEY}/${DEVICE_ID}/attrs`, 't|11#rh|22')
    const e = await entity()
    expect(e.temperature).toMatchObject({ type: 'Number', value: 11 })
    expect(e.relativeHumidity).toMatchObject({ type: 'Number', value: 22 })
    await mosq.publish(`/${APIKEY}/${DEVICE_ID}/attrs`, '|t|12|rh|23#|t|13')
    const e2 = await entity()
    expect(e2.temperature.value).toBe(13)
    expect(e2.relativeHumidity.value).toBe(23)
  })

  it('a command result inside an attrs payload (first group only) and a trailing line break', async () => {
    await mosq.publish(`ul/${APIKEY}/${DEVICE_ID}/attrs`, `${DEVICE_ID}@interval|via attrs#t|14`)
    let e = await entity()
    expect(e.interval_status).toMatchObject({ type: 'commandStatus', value: 'OK' })
    expect(e.interval_info).toMatchObject({ type: 'commandResult', value: 'via attrs' })
    expect(e.temperature.value).toBe(14)
    // In a later group it is not a result.
    await mosq.publish(`ul/${APIKEY}/${DEVICE_ID}/attrs`, `t|15#${DEVICE_ID}@interval|too late`)
    e = await entity()
    expect(e.temperature.value).toBe(15)
    expect(e.interval_info.value).toBe('via attrs')
    // `echo … | mosquitto_pub -s` sends the line break too.
    const file = join(files.path, 'line.txt')
    writeFileSync(file, 't|16|rh|17\n')
    expect((await mosq.pub(['-q', '1', '-t', `ul/${APIKEY}/${DEVICE_ID}/attrs`, '-f', file])).code).toBe(0)
    e = await entity()
    expect(e.temperature.value).toBe(16)
    expect(e.relativeHumidity.value).toBe(17)
    expect(run.engine.southbound.stats().rejected).toEqual({})
  })

  it('a timestamp prefix becomes TimeInstant of the entity and of every attribute', async () => {
    await mosq.publish(`ul/${APIKEY}/${DEVICE_ID}/attrs`, '2016-06-13T00:35:30Z|t|12.5|rh|13')
    const e = await entity()
    const stamp = '2016-06-13T00:35:30.000Z'
    expect(e.TimeInstant).toEqual({ type: 'DateTime', value: stamp, metadata: {} })
    expect(e.temperature).toEqual({ type: 'Number', value: 12.5, metadata: { TimeInstant: { type: 'DateTime', value: stamp } } })
    expect(e.relativeHumidity).toEqual({ type: 'Number', value: 13, metadata: { TimeInstant: { type: 'DateTime', value: stamp } } })
    expect(e.refStore.metadata.TimeInstant!.value).toBe(stamp)
  })

  it('groups that all carry a timestamp are applied oldest first', async () => {
    await mosq.publish(`ul/${APIKEY}/${DEVICE_ID}/attrs`, '2020-01-02T00:00:00Z|t|20#2020-01-01T00:00:00Z|t|10|rh|5')
    const e = await entity()
    expect(e.temperature.value).toBe(20)
    expect(e.TimeInstant.value).toBe('2020-01-02T00:00:00.000Z')
    expect(e.relativeHumidity).toEqual({ type: 'Number', value: 5, metadata: { TimeInstant: { type: 'DateTime', value: '2020-01-01T00:00:00.000Z' } } })
  })

  it('over MQTT on WebSocket: measures, commands and results', async () => {
    const ws = await connectAsync(run.mqttWsUrl, { reconnectPeriod: 0, connectTimeout: 5000, clientId: 'ws-device001' })
    clients.push(ws)
    const got: Array<{ topic: string; payload: string }> = []
    ws.on('message', (topic, payload) => got.push({ topic, payload: payload.toString() }))
    await ws.subscribeAsync(`/${APIKEY}/${DEVICE_ID}/cmd`)

    await ws.publishAsync(`ul/${APIKEY}/${DEVICE_ID}/attrs`, 't|33.3|rh|44', { qos: 1 })
    let e = await entity()
    expect(e.temperature.value).toBe(33.3)
    expect(e.relativeHumidity.value).toBe(44)
    const inspected = run.engine.inspector.messages({ filter: (m) => m.clientId === 'ws-device001' })
    expect(inspected.at(-1)).toMatchObject({ origin: 'client', qos: 1, outcome: { kind: 'attrs', deviceId: DEVICE_ID } })

    const r = await sendCommand(run.ngsiUrl, { switch: { type: 'command', value: 'on' } })
    expect(r.status).toBe(204)
    await waitFor(() => got.length > 0, 'the command over WebSocket')
    expect(got).toEqual([{ topic: `/${APIKEY}/${DEVICE_ID}/cmd`, payload: `${DEVICE_ID}@switch|on` }])
    expect((await entity()).switch_status.value).toBe('PENDING')
    await ws.publishAsync(`/ul/${APIKEY}/${DEVICE_ID}/cmdexe`, `${DEVICE_ID}@switch|ws ok`, { qos: 1 })
    e = await entity()
    expect(e.switch_status.value).toBe('OK')
    expect(e.switch_info.value).toBe('ws ok')
  })

  it('autoprovisioning: an unknown device id under the group API key creates the device and its entity <entity_type>:<device_id>', async () => {
    const before = run.engine.southbound.stats().autoprovisioned
    expect((await northGet(run.northUrl, '/iot/devices/sensor042')).status).toBe(404)
    await mosq.publish(`/${APIKEY}/sensor042/attrs`, 't|5|s|on')
    const d = await northGet(run.northUrl, '/iot/devices/sensor042')
    expect(d.status).toBe(200)
    expect(d.json).toMatchObject({ device_id: 'sensor042', apikey: APIKEY, entity_name: 'Device:sensor042', entity_type: 'Device', service: 'openiot', service_path: '/', transport: 'MQTT' })
    const list = await northGet(run.northUrl, '/iot/devices')
    expect(list.json.devices.map((x: { device_id: string }) => x.device_id).sort()).toEqual(['device001', 'sensor042'])

    const e = await getEntity(run.ngsiUrl, 'Device:sensor042', { normalized: true, type: 'Device' })
    expect(e.status).toBe(200)
    // Nothing is provisioned for it: the keys are attribute names, of type Text, values cast.
    expect(e.json).toMatchObject({
      id: 'Device:sensor042',
      type: 'Device',
      t: { type: 'Text', value: 5 },
      s: { type: 'Text', value: 'on' },
      TimeInstant: { type: 'DateTime' }
    })
    expect(run.engine.southbound.stats().autoprovisioned).toBe(before + 1)
    expect(outcome(`/${APIKEY}/sensor042/attrs`)).toMatchObject({ autoprovisioned: true, entityId: 'Device:sensor042' })

    // The next message finds it: no second device.
    await mosq.publish(`ul/${APIKEY}/sensor042/attrs`, 't|6')
    expect(run.engine.southbound.stats().autoprovisioned).toBe(before + 1)
    expect(run.engine.registry.devicesById('sensor042')).toHaveLength(1)
    expect((await getEntity(run.ngsiUrl, 'Device:sensor042')).json.t).toBe(6)
    expect(run.logs.filter((l) => l.code === 'PROVISIONING-AUTO' && l.message.includes('sensor042'))).toHaveLength(1)
  })
})
