import { createServer, type IncomingMessage } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Logger, type LogEntry } from '../../electron/engine/log/logger'
import { serveHttp, type HttpService } from '../../electron/engine/north/http-service'
import { Registry } from '../../electron/engine/registry/registry'
import { agentDeviceLookup } from '../../electron/engine/tutorial-services/http-device-lookup'
import { HttpDevices, type HttpDeviceState } from '../../electron/engine/tutorial-services/http-devices'
import { createHttpDevicesApp } from '../../electron/engine/tutorial-services/http-devices-app'
import { listenLocal } from '../helpers/local-server'
import { tempDir } from '../helpers/temp-dir'
import { waitFor } from '../helpers/wait-for'

/**
 * The built-in HTTP devices with IoT Agent JSON devices (tutorials 6 and 8), over real sockets:
 * the devices are provisioned in a real registry as the tutorials provision them, commands are
 * POSTed as iotagent-json pushes them (`{"<cmd>": value}` with the tenant headers), and the
 * measures are received by an HTTP server standing where the agents' south port is bound, to
 * check what `/iot/json?k=&i=` gets.
 */

const APIKEY = '4jggokgpepnvsb2uv4s40d59ov'
const TENANT = { 'fiware-service': 'openiot', 'fiware-servicepath': '/' }

interface Received {
  at: number
  url: string
  headers: IncomingMessage['headers']
  body: string
}

describe('built-in HTTP dummy devices (IoT Agent JSON devices)', () => {
  const dir = tempDir('ulcc-http-devices-')
  const logs: LogEntry[] = []
  const logger = new Logger('DEBUG', 1000, [(e) => logs.push(e)])
  let registry: Registry
  let devices: HttpDevices
  let service: HttpService
  let south: { url: string; close: () => Promise<void> }
  let southStatus = 200
  const got: Received[] = []
  let url: string

  const post = async (path: string, body: unknown, headers: Record<string, string> = TENANT): Promise<{ status: number; type: string | null; json: unknown }> => {
    const r = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) })
    return { status: r.status, type: r.headers.get('content-type'), json: await r.json() }
  }
  const state = (path: string): HttpDeviceState | undefined => devices.list().find((d) => d.path === path && d.service === 'openiot')
  const receivedFor = (id: string): Received[] => got.filter((g) => g.url.endsWith(`&i=${id}`))

  beforeAll(async () => {
    registry = await Registry.open({ dataDir: dir.path }, logger)
    await registry.addGroup({ service: 'openiot', subservice: '/', resource: '/iot/json', apikey: APIKEY, entity_type: 'Thing' })
    const base = { service: 'openiot', service_path: '/', entity_type: 'Device', transport: 'HTTP', lazy: [], static_attributes: [] }
    // Tutorial 6's device (no apikey: the group's) and tutorial 8's.
    await registry.addDevice({
      ...base,
      device_id: 'device001',
      entity_name: 'urn:ngsi-ld:Device:001',
      endpoint: 'http://dummy-device:80/dht22',
      attributes: [
        { object_id: 'temperature', name: 'temperature', type: 'Number' },
        { object_id: 'humidity', name: 'relativeHumidity', type: 'Number' }
      ],
      commands: ['start', 'stop', 'interval'].map((name) => ({ name, type: 'command' }))
    })
    await registry.addDevice({
      ...base,
      device_id: 'device002',
      entity_name: 'urn:ngsi-ld:Device:002',
      endpoint: 'http://dummy-device:80/device1',
      attributes: [
        { object_id: 't', name: 'temperature', type: 'Number' },
        { object_id: 'rh', name: 'relativeHumidity', type: 'Number' }
      ],
      commands: [{ name: 'switch', type: 'command' }]
    })
    south = await listenLocal(
      createServer((req, res) => {
        let body = ''
        req.on('data', (c: Buffer) => (body += c.toString()))
        req.on('end', () => {
          got.push({ at: Date.now(), url: req.url ?? '', headers: req.headers, body })
          res.writeHead(southStatus, { 'content-type': 'application/json' }).end(southStatus === 200 ? '' : '{"name":"DEVICE_GROUP_NOT_FOUND","message":"x"}')
        })
      })
    )
    const lookup = agentDeviceLookup(registry, { protocol: 'json', measurePath: () => '/iot/json', defaultKey: () => '1234' })
    devices = new HttpDevices({ lookup, southUrl: () => south.url, log: logger.child('http-devices'), maxRunning: 2 })
    service = await serveHttp(createHttpDevicesApp({ devices, log: logger.child('http-devices') }), ['127.0.0.1'], 0, 'HTTP devices')
    url = `http://127.0.0.1:${service.bound[0]!.port}`
  })
  afterAll(async () => {
    await service?.close()
    await south?.close()
    await registry?.close()
    dir.cleanup()
  })

  it('start → {"start": "DHT22 started"} and a JSON measure to /iot/json?k=&i= with the tenant headers', async () => {
    const r = await post('/dht22', { start: '' })
    expect(r).toEqual({ status: 200, type: 'application/json; charset=utf-8', json: { start: 'DHT22 started' } })
    const m = await waitFor(() => receivedFor('device001')[0], 'the first measure')
    expect(m.url).toBe(`/iot/json?k=${APIKEY}&i=device001`)
    expect(m.headers['content-type']).toBe('application/json')
    expect(m.headers['fiware-service']).toBe('openiot')
    expect(m.headers['fiware-servicepath']).toBe('/')
    const body = JSON.parse(m.body) as Record<string, number>
    expect(Object.keys(body)).toEqual(['temperature', 'humidity'])
    expect(body.temperature).toBeGreaterThanOrEqual(10)
    expect(body.temperature).toBeLessThanOrEqual(40)
    expect(body.humidity).toBeGreaterThanOrEqual(0)
    expect(body.humidity).toBeLessThanOrEqual(100)
    expect((await post('/dht22', { start: '' })).json).toEqual({ start: 'DHT22 already started' })
    await waitFor(() => state('/dht22')?.postsOk === 1 && state('/dht22'), 'the post counted')
  })

  it('interval → {"interval": "Interval changed"}; the next measures come at the new pace', async () => {
    expect((await post('/dht22', { interval: '0.3' })).json).toEqual({ interval: 'Interval changed' })
    const from = receivedFor('device001').length
    // At the default 5 s, three more measures would take 15 s.
    await waitFor(() => receivedFor('device001').length >= from + 3, 'three measures at the new pace', 8000)
    const times = receivedFor('device001')
      .slice(from)
      .map((g) => g.at)
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(250)
    expect((await post('/dht22', { interval: 'soon' })).status).toBe(405)
    expect(state('/dht22')?.intervalSec).toBe(0.3)
  })

  it('tutorial 8: switch toggles /device1, measures as t and rh; stop ends /dht22’s measures', async () => {
    expect((await post('/device1', { interval: 0.3 })).json).toEqual({ interval: 'Interval changed' })
    expect((await post('/device1', { switch: '' })).json).toEqual({ switch: 'Started sending data' })
    const m = await waitFor(() => receivedFor('device002')[0], 'a measure of device002')
    expect(Object.keys(JSON.parse(m.body) as object)).toEqual(['t', 'rh'])

    expect((await post('/dht22', { stop: '' })).json).toEqual({ stop: 'DHT22 stopped' })
    const sent = state('/dht22')!.postsSent
    const other = state('/device1')!.postsSent
    await waitFor(() => state('/device1')!.postsSent >= other + 4, 'four more measures of /device1')
    expect(state('/dht22')!.postsSent).toBe(sent)
    expect((await post('/dht22', { stop: '' })).json).toEqual({ stop: 'DHT22 already stopped' })

    expect((await post('/device1', { switch: '' })).json).toEqual({ switch: 'Stopped sending data' })
    expect(state('/device1')!.running).toBe(false)
  })

  it('a south port that refuses the measure: counted, logged once, never thrown', async () => {
    southStatus = 404
    try {
      expect((await post('/dht22', { start: '' })).json).toEqual({ start: 'DHT22 started' })
      const s = await waitFor(() => (state('/dht22')!.postsFailed >= 2 ? state('/dht22') : undefined), 'two failed posts')
      expect(s?.lastPost).toMatchObject({ status: 404, error: expect.stringMatching(/^404 .*DEVICE_GROUP_NOT_FOUND/) as unknown })
      expect(logs.filter((l) => l.code === 'HTTP-DEVICE-POST-FAILED')).toHaveLength(1)
    } finally {
      southStatus = 200
    }
    await waitFor(() => logs.some((l) => l.code === 'HTTP-DEVICE-POST-OK'), 'the recovery logged')
    expect((await post('/dht22', { stop: '' })).json).toEqual({ stop: 'DHT22 stopped' })
  })

  it('at most maxRunning devices post at once', async () => {
    expect((await post('/dht22', { start: '' })).status).toBe(200)
    expect((await post('/device1', { switch: 'on' })).status).toBe(200)
    const third = await post('/third', { start: '' })
    expect(third.status).toBe(503)
    expect(third.json).toMatchObject({ error: 'ServiceUnavailable' })
    expect(devices.list().filter((d) => d.running)).toHaveLength(2)
    // A running device still takes commands.
    expect((await post('/dht22', { interval: 2 })).status).toBe(200)
    expect((await post('/device1', { switch: 'off' })).json).toEqual({ switch: 'Stopped sending data' })
  })

  it('the tenant of the headers: the same path in another tenant has no device; no headers means the default service', async () => {
    expect((await post('/dht22', { start: '' }, { 'fiware-service': 'OpenIoT', 'fiware-servicepath': '/elsewhere' })).status).toBe(200)
    const s = await waitFor(() => devices.list().find((d) => d.servicePath === '/elsewhere' && d.postsFailed > 0), 'the failure of the other tenant')
    expect(s.service).toBe('openiot')
    expect(s.postsSent).toBe(0)
    expect(s.lastPost?.error).toMatch(/no IoT Agent JSON device of openiot \/elsewhere has an endpoint with path \/dht22/)
    expect((await post('/dht22', { stop: '' }, {})).json).toEqual({ stop: 'DHT22 already stopped' })
    expect(devices.list().find((d) => d.service === '' && d.servicePath === '/')).toMatchObject({ running: false, commandsReceived: 1 })
  })

  it('close stops every device: no timer is left and commands are refused', async () => {
    const before = devices.list().filter((d) => d.running).length
    expect(before).toBeGreaterThan(0)
    devices.close()
    expect(devices.list().filter((d) => d.running)).toHaveLength(0)
    expect((await post('/dht22', { start: '' })).status).toBe(503)
  })
})
