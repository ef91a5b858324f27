import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEngineApi } from '../../electron/engine/api'
import type { HttpDevices, HttpDeviceState } from '../../electron/engine/tutorial-services/http-devices'
import type { ClassroomJoinAnswer } from '../../shared/classroom'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'
import { siteFixture, startGuiServer, WsTestClient, type RunningGui } from '../helpers/gui-server'
import { APIKEY, JSON_TENANT, provisionSeed, sendCommand, TENANT } from '../helpers/postman-tutorial7'
import { waitFor } from '../helpers/wait-for'

/**
 * The tutorials' HTTP dummy devices built in (docs/compatibility/tutorial-services.md §4), on a
 * real engine over real HTTP: an UltraLight device provisioned with an endpoint on the built-in
 * devices' port gets its commands (PATCH on the context broker → agent → POST to the endpoint),
 * answers them as the tutorial device does, and while started posts measures to the south port
 * `/iot/d`, which land in its entity. Also the tutorials' own endpoint `http://dummy-device:80/dht22`,
 * which does not resolve on the test machine and is routed to the built-in devices.
 */

const TYPE = 'Device'

interface DhtDevice {
  id: string
  entity: string
  endpoint: string
}

/** A UL device as tutorial 6 provisions its JSON one: HTTP transport, an endpoint, start/stop/interval. */
async function provisionDht(run: RunningEngine, d: DhtDevice, tenant: Record<string, string> = JSON_TENANT): Promise<void> {
  const device = {
    device_id: d.id,
    entity_name: d.entity,
    entity_type: TYPE,
    apikey: APIKEY,
    transport: 'HTTP',
    endpoint: d.endpoint,
    attributes: [
      { object_id: 'temperature', name: 'temperature', type: 'Number' },
      { object_id: 'humidity', name: 'relativeHumidity', type: 'Number' }
    ],
    commands: ['start', 'stop', 'interval', 'switch'].map((name) => ({ name, type: 'command' }))
  }
  const r = await fetch(`${run.northUrl}/iot/devices`, { method: 'POST', headers: { ...tenant, 'content-type': 'application/json' }, body: JSON.stringify({ devices: [device] }), signal: AbortSignal.timeout(10_000) })
  expect(r.status, await r.text()).toBe(201)
}

async function entity(run: RunningEngine, id: string): Promise<Record<string, unknown>> {
  const r = await fetch(`${run.ngsiUrl}/v2/entities/${encodeURIComponent(id)}?options=keyValues`, { headers: TENANT, signal: AbortSignal.timeout(10_000) })
  return r.status === 200 ? ((await r.json()) as Record<string, unknown>) : {}
}

describe('built-in HTTP dummy devices (UltraLight agent)', () => {
  let run: RunningEngine
  let devicesUrl: string
  let devices: HttpDevices
  const dht: DhtDevice = { id: 'dht001', entity: 'urn:ngsi-ld:Device:dht001', endpoint: '' }
  const control: DhtDevice = { id: 'dht009', entity: 'urn:ngsi-ld:Device:dht009', endpoint: '' }

  const state = (pred: (s: HttpDeviceState) => boolean): HttpDeviceState | undefined => devices.list().find(pred)
  const ofDevice = (id: string) => (s: HttpDeviceState) => s.deviceId === id && s.service === 'openiot'
  const command = async (d: DhtDevice, attrs: Record<string, unknown>): Promise<void> => {
    const r = await sendCommand(run.ngsiUrl, attrs, { id: d.entity, type: TYPE })
    expect(r.status, r.text).toBe(204)
  }
  const commandEnds = async (d: DhtDevice, name: string): Promise<Record<string, unknown>> =>
    waitFor(async () => {
      const e = await entity(run, d.entity)
      return e[`${name}_status`] === 'OK' || e[`${name}_status`] === 'ERROR' ? e : undefined
    }, `${name} answered for ${d.id}`)

  beforeAll(async () => {
    run = await startEngine()
    const ep = run.engine.endpoints().find((e) => e.role === 'http-devices')
    expect(ep?.addresses.length).toBeGreaterThan(0)
    devicesUrl = `http://127.0.0.1:${ep!.addresses[0]!.port}`
    devices = run.engine.httpDevices!
    dht.endpoint = `${devicesUrl}/dht22`
    control.endpoint = `${devicesUrl}/device1`
    await provisionSeed(run)
    await provisionDht(run, dht)
    await provisionDht(run, control)
  })
  afterAll(async () => {
    await run?.dispose()
  })

  it('start → start_status OK with the device’s answer, and measures reach the entity through /iot/d', async () => {
    await command(dht, { start: { type: 'command', value: '' } })
    const e = await commandEnds(dht, 'start')
    expect(e.start_status).toBe('OK')
    expect(e.start_info).toBe('DHT22 started')
    const measured = await waitFor(async () => {
      const x = await entity(run, dht.entity)
      return typeof x.temperature === 'number' && typeof x.relativeHumidity === 'number' ? x : undefined
    }, 'a measure in the entity')
    expect(measured.temperature).toBeGreaterThanOrEqual(10)
    expect(measured.temperature).toBeLessThanOrEqual(40)
    expect(measured.relativeHumidity).toBeGreaterThanOrEqual(0)
    expect(measured.relativeHumidity).toBeLessThanOrEqual(100)
    const s = state(ofDevice(dht.id))!
    expect(s).toMatchObject({ path: '/dht22', protocol: 'ul', servicePath: '/', running: true, intervalSec: 5 })
    expect(s.postsOk).toBeGreaterThanOrEqual(1)
    expect(s.lastPost?.url).toMatch(new RegExp(`/iot/d\\?k=${APIKEY}&i=${dht.id}$`))
    expect(s.lastPost?.body).toMatch(/^temperature\|[\d.]+\|humidity\|[\d.]+$/)
    expect(s.lastPost?.status).toBe(200)
  })

  it('a second start answers "already started"', async () => {
    await command(dht, { start: { type: 'command', value: '' } })
    await waitFor(async () => (await entity(run, dht.entity)).start_info === 'DHT22 already started', 'the second answer')
  })

  it('interval → OK, and the measures come at the new pace', async () => {
    const times: number[] = []
    const off = devices.onChange(() => {
      const s = state(ofDevice(dht.id))
      if (s?.lastPost?.status === 200 && s.lastPost.at !== times[times.length - 1]) times.push(s.lastPost.at)
    })
    try {
      await command(dht, { interval: { type: 'command', value: '0.3' } })
      const e = await commandEnds(dht, 'interval')
      expect(e.interval_status).toBe('OK')
      expect(e.interval_info).toBe('Interval changed')
      expect(state(ofDevice(dht.id))?.intervalSec).toBe(0.3)
      const from = times.length
      // At the old pace (5 s) four more measures would take 15 s or more.
      await waitFor(() => times.length >= from + 4, 'four measures at the new pace', 8000)
      const gaps = times.slice(from).map((t, i, a) => (i === 0 ? undefined : t - a[i - 1]!)).filter((g): g is number => g !== undefined)
      for (const g of gaps) expect(g).toBeGreaterThanOrEqual(250)
    } finally {
      off()
    }
  })

  it('an interval that is not a number in range → ERROR with the device’s refusal', async () => {
    await command(dht, { interval: { type: 'command', value: 'fast' } })
    await waitFor(async () => (await entity(run, dht.entity)).interval_status === 'ERROR', 'the refusal')
    expect(state(ofDevice(dht.id))?.intervalSec).toBe(0.3)
  })

  it('stop → OK, and no more measures while another device keeps posting', async () => {
    // The control device (tutorial 8's /device1, `switch`) at the same pace is the positive event.
    await command(control, { interval: { type: 'command', value: '0.3' } })
    await commandEnds(control, 'interval')
    await command(control, { switch: { type: 'command', value: '' } })
    expect((await commandEnds(control, 'switch')).switch_info).toBe('Started sending data')

    await command(dht, { stop: { type: 'command', value: '' } })
    const e = await commandEnds(dht, 'stop')
    expect(e.stop_status).toBe('OK')
    expect(e.stop_info).toBe('DHT22 stopped')
    const stopped = state(ofDevice(dht.id))!
    expect(stopped.running).toBe(false)
    const controlFrom = state(ofDevice(control.id))!.postsSent
    await waitFor(() => state(ofDevice(control.id))!.postsSent >= controlFrom + 4, 'four more measures of the control device')
    expect(state(ofDevice(dht.id))!.postsSent).toBe(stopped.postsSent)

    await command(control, { switch: { type: 'command', value: '' } })
    expect((await commandEnds(control, 'switch')).switch_info).toBe('Stopped sending data')
    expect(state(ofDevice(control.id))!.running).toBe(false)
  })

  it('the tenant comes from the request headers: another tenant has no such device, and the failure is counted', async () => {
    const r = await fetch(`${devicesUrl}/dht22`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'fiware-service': 'Elsewhere', 'fiware-servicepath': '/x' },
      body: `${dht.id}@start|`
    })
    expect(r.status).toBe(200)
    expect(r.headers.get('content-type')).toMatch(/^text\/plain/)
    expect(await r.text()).toBe(`${dht.id}@start|DHT22 started`)
    const s = await waitFor(() => state((x) => x.service === 'elsewhere' && x.servicePath === '/x' && x.postsFailed > 0), 'the counted failure')
    expect(s.postsSent).toBe(0)
    expect(s.lastPost?.error).toMatch(/no IoT Agent UltraLight device of elsewhere \/x has an endpoint with path \/dht22/)
    expect(run.logs.some((l) => l.code === 'HTTP-DEVICE-POST-FAILED')).toBe(true)
    const stop = await fetch(`${devicesUrl}/dht22`, { method: 'POST', headers: { 'fiware-service': 'elsewhere', 'fiware-servicepath': '/x' }, body: `${dht.id}@stop|` })
    expect(await stop.text()).toBe(`${dht.id}@stop|DHT22 stopped`)
  })

  it('bad requests: not a command → 400, an unknown command → 405, GET → 405', async () => {
    const post = (body: string, type = 'application/json'): Promise<Response> => fetch(`${devicesUrl}/dht22`, { method: 'POST', headers: { 'content-type': type, ...TENANT }, body })
    const bad = await post('{not json')
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({ error: 'BadRequest' })
    expect((await post('[1]')).status).toBe(400)
    expect((await post('hello', 'text/plain')).status).toBe(400)
    const unknown = await post('{"explode": true}')
    expect(unknown.status).toBe(405)
    expect(await unknown.json()).toEqual({ error: 'Method not allowed' })
    expect((await post('dht001@explode|1', 'text/plain')).status).toBe(405)
    expect((await fetch(`${devicesUrl}/dht22`)).status).toBe(405)
  })

  it('the GUI lists them through the engine API (simulator.httpDevices), running ones first', async () => {
    const api = createEngineApi(run.engine)
    try {
      await command(dht, { start: { type: 'command', value: '' } })
      await commandEnds(dht, 'start')
      const listed = await api['simulator.httpDevices']({})
      expect(listed[0]).toMatchObject({ service: 'openiot', servicePath: '/', path: '/dht22', protocol: 'ul', deviceId: dht.id, running: true })
      expect(listed.map((d) => d.deviceId)).toEqual(expect.arrayContaining([dht.id, control.id]))
      expect(listed.find((d) => d.deviceId === control.id)).toMatchObject({ running: false, path: '/device1' })
      expect(listed[0]!.postsSent).toBeGreaterThanOrEqual(listed[0]!.postsOk)
      await command(dht, { stop: { type: 'command', value: '' } })
      await waitFor(async () => (await api['simulator.httpDevices']({})).every((d) => !d.running), 'every device stopped')
    } finally {
      api.close()
    }
  })

  it('the tutorials’ endpoint http://dummy-device:80/dht22 is routed to the built-in devices', async () => {
    const routed: DhtDevice = { id: 'dht002', entity: 'urn:ngsi-ld:Device:dht002', endpoint: 'http://dummy-device:80/dht22' }
    await provisionDht(run, routed)
    await command(routed, { start: { type: 'command', value: '' } })
    const e = await commandEnds(routed, 'start')
    expect(e.start_status).toBe('OK')
    expect(e.start_info).toBe('DHT22 started')
    await waitFor(async () => typeof (await entity(run, routed.entity)).temperature === 'number', 'a measure of the routed device')
    await command(routed, { stop: { type: 'command', value: '' } })
    expect((await commandEnds(routed, 'stop')).stop_info).toBe('DHT22 stopped')

    // Routing off: the name is looked up as any other, and the command fails as in FIWARE.
    expect((await run.engine.settings.update({ tutorialHosts: false })).applied).toContain('tutorialHosts')
    try {
      const commandsBefore = state(ofDevice(routed.id))!.commandsReceived
      await command(routed, { start: { type: 'command', value: '' } })
      await waitFor(async () => (await entity(run, routed.entity)).start_status === 'ERROR', 'the command failed')
      expect(state(ofDevice(routed.id))!.commandsReceived).toBe(commandsBefore)
    } finally {
      await run.engine.settings.update({ tutorialHosts: true })
    }
  })
})

describe('tutorials 6 and 8 with the IoT Agent JSON: their bodies, unmodified, answered by the built-in devices', () => {
  let run: RunningEngine
  let jsonNorth: string
  const ENTITY = 'urn:ngsi-ld:Device:001'
  const group = { services: [{ apikey: APIKEY, cbroker: 'http://orion:1026', entity_type: 'Device', resource: '/iot/json' }] }
  const device = (endpoint: string, attributes: Array<[string, string]>, commands: string[]): unknown => ({
    devices: [
      {
        device_id: 'device001',
        entity_name: ENTITY,
        entity_type: 'Device',
        transport: 'HTTP',
        endpoint,
        attributes: attributes.map(([object_id, name]) => ({ object_id, name, type: 'Number' })),
        commands: commands.map((name) => ({ name, type: 'command' })),
        static_attributes: [{ name: 'refStore', type: 'Relationship', value: 'urn:ngsi-ld:Store:001' }]
      }
    ]
  })
  const north = async (method: string, path: string, body?: unknown): Promise<number> => {
    const r = await fetch(`${jsonNorth}${path}`, { method, headers: JSON_TENANT, ...(body === undefined ? {} : { body: JSON.stringify(body) }), signal: AbortSignal.timeout(10_000) })
    return r.status
  }
  const patch = async (attrs: Record<string, unknown>): Promise<Record<string, unknown>> => {
    const name = Object.keys(attrs)[0]!
    const before = (await entity(run, ENTITY))[`${name}_info`]
    const r = await sendCommand(run.ngsiUrl, attrs, { id: ENTITY, type: 'Device' })
    expect(r.status, r.text).toBe(204)
    return waitFor(async () => {
      const e = await entity(run, ENTITY)
      return e[`${name}_status`] === 'ERROR' || (e[`${name}_status`] === 'OK' && e[`${name}_info`] !== before) ? e : undefined
    }, `${name} answered`)
  }
  const jsonState = (path: string): HttpDeviceState | undefined => run.engine.httpDevices!.list().find((d) => d.path === path && d.protocol === 'json')

  beforeAll(async () => {
    run = await startEngine()
    const ep = run.engine.endpoints().find((e) => e.role === 'iota-json-north')
    jsonNorth = `http://127.0.0.1:${ep!.addresses[0]!.port}`
    expect(await north('POST', '/iot/services', group)).toBe(201)
  })
  afterAll(async () => {
    await run?.dispose()
  })

  it('tutorial 6: /dht22 answers interval "15", start and stop; its measures reach the entity through /iot/json', async () => {
    const t6 = device('http://dummy-device:80/dht22', [['temperature', 'temperature'], ['humidity', 'relativeHumidity']], ['start', 'stop', 'interval'])
    expect(await north('POST', '/iot/devices', t6)).toBe(201)
    const interval = await patch({ interval: { type: 'command', value: '15' } })
    expect(interval).toMatchObject({ interval_status: 'OK', interval_info: 'Interval changed' })
    expect(jsonState('/dht22')).toMatchObject({ service: 'openiot', servicePath: '/', intervalSec: 15, running: false })

    expect(await patch({ start: { type: 'command', value: '' } })).toMatchObject({ start_status: 'OK', start_info: 'DHT22 started' })
    const e = await waitFor(async () => {
      const x = await entity(run, ENTITY)
      return typeof x.temperature === 'number' && typeof x.relativeHumidity === 'number' ? x : undefined
    }, 'the first measure in the entity')
    expect(e.refStore).toBe('urn:ngsi-ld:Store:001')
    const s = jsonState('/dht22')!
    expect(s.lastPost).toMatchObject({ status: 200 })
    expect(s.lastPost?.url).toMatch(new RegExp(`/iot/json\\?k=${APIKEY}&i=device001$`))
    expect(Object.keys(JSON.parse(s.lastPost!.body) as object)).toEqual(['temperature', 'humidity'])
    expect(await patch({ stop: { type: 'command', value: '' } })).toMatchObject({ stop_status: 'OK', stop_info: 'DHT22 stopped' })
    expect(jsonState('/dht22')?.running).toBe(false)
  })

  it('tutorial 8: /device1 answers switch "" by starting, then by stopping; measures as t and rh', async () => {
    expect(await north('DELETE', '/iot/devices/device001')).toBe(204)
    const t8 = device('http://dummy-device:80/device1', [['t', 'temperature'], ['rh', 'relativeHumidity']], ['switch'])
    expect(await north('POST', '/iot/devices', t8)).toBe(201)
    expect(await patch({ switch: { type: 'command', value: '' } })).toMatchObject({ switch_status: 'OK', switch_info: 'Started sending data' })
    const s = await waitFor(() => jsonState('/device1')?.lastPost?.status === 200 && jsonState('/device1'), 'a measure of /device1 accepted')
    expect(Object.keys(JSON.parse(s.lastPost!.body) as object)).toEqual(['t', 'rh'])
    expect(await patch({ switch: { type: 'command', value: '' } })).toMatchObject({ switch_status: 'OK', switch_info: 'Stopped sending data' })
    expect(jsonState('/device1')?.running).toBe(false)
  })
})

describe('built-in HTTP devices: a taken port', () => {
  it('does not stop the engine: the devices are left out with a warning, and nothing is routed to them', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const port = (blocker.address() as AddressInfo).port
    const run = await startEngine((c) => {
      c.ports.devices = port
    })
    try {
      expect(run.engine.httpDevices).toBeUndefined()
      expect(run.engine.endpoints().find((e) => e.role === 'http-devices')?.addresses).toEqual([])
      expect(run.logs.some((l) => l.code === 'LISTEN_SKIPPED' && l.message.includes('--devices-port'))).toBe(true)
      expect(run.engine.tutorial.bound.address('devices')).toBeUndefined()
    } finally {
      await run.dispose()
      await new Promise<void>((resolve) => blocker.close(() => resolve()))
    }
  })
})

describe('built-in HTTP devices in classroom mode', () => {
  const CODE = 'sala42turma'
  let site: ReturnType<typeof siteFixture>
  let gui: RunningGui
  beforeAll(async () => {
    site = siteFixture()
    gui = await startGuiServer(undefined, { root: site.root, classroom: { code: CODE } })
  })
  afterAll(async () => {
    await gui?.stop()
    site?.cleanup()
  })

  it('a trainee lists the devices of their own tenant only', async () => {
    const res = await fetch(`${gui.origin}/classroom/join`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: CODE, name: 'Bia' }) })
    const answer = (await res.json()) as ClassroomJoinAnswer
    if (!answer.ok) throw new Error(answer.error.message)
    const ep = gui.engine.host.engine.endpoints().find((e) => e.role === 'http-devices')!
    for (const service of ['bia', 'caio']) {
      const r = await fetch(`http://127.0.0.1:${ep.addresses[0]!.port}/dht22`, { method: 'POST', headers: { 'content-type': 'application/json', 'fiware-service': service, 'fiware-servicepath': '/' }, body: '{"interval": "10"}' })
      expect(await r.json()).toEqual({ interval: 'Interval changed' })
    }
    const page = await WsTestClient.connect(`${gui.origin.replace(/^http/, 'ws')}/ws?trainee=${answer.token}`)
    try {
      const listed = await page.request('simulator.httpDevices', {})
      expect(listed.ok).toBe(true)
      expect((listed.result as HttpDeviceState[]).map((d) => d.service)).toEqual(['bia'])
    } finally {
      await page.close()
    }
    const trainer = await WsTestClient.connect(gui.wsUrl)
    try {
      const all = await trainer.request('simulator.httpDevices', {})
      expect((all.result as HttpDeviceState[]).map((d) => d.service).sort()).toEqual(['bia', 'caio'])
    } finally {
      await trainer.close()
    }
  })
})
