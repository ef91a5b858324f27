import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'
import { jsonNorthUrl, keyValues, postJson, southUrl } from '../helpers/json-agent'
import { recordingDevice } from '../helpers/local-server'
import { reply, sendCommand, TENANT, type Reply } from '../helpers/postman-tutorial7'
import { waitFor } from '../helpers/wait-for'

/**
 * The IoT Agent JSON over HTTP (docs/compatibility/iot-agent-json.md §4) on the shared south port:
 * measures with `k`, `i`, `t` and `getCmd`, the reference's status codes and bodies, polling
 * commands, and commands pushed to a device endpoint (a real HTTP server in the test).
 */

const APIKEY = 'httpjsonkey'
const TYPE = 'Sensor'
const entityOf = (id: string): string => `urn:ngsi-ld:Sensor:${id}`

describe('IoT Agent JSON over HTTP', () => {
  let run: RunningEngine
  let device: Awaited<ReturnType<typeof recordingDevice>>
  let answer: { status: number; body: string } = { status: 200, body: '{}' }

  const south = async (query: string, init: { method?: string; body?: string; type?: string; accept?: string; path?: string } = {}): Promise<Reply> => {
    const headers: Record<string, string> = {}
    if (init.type !== undefined) headers['content-type'] = init.type
    if (init.accept !== undefined) headers.accept = init.accept
    const res = await fetch(`${southUrl(run)}${init.path ?? '/iot/json'}?${query}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers,
      ...(init.body === undefined ? {} : { body: init.body }),
      signal: AbortSignal.timeout(10_000)
    })
    return reply(res)
  }
  const measure = (id: string, body: unknown, extra = ''): Promise<Reply> => south(`k=${APIKEY}&i=${id}${extra}`, { body: JSON.stringify(body), type: 'application/json' })
  const command = (id: string, name: string, value: unknown): Promise<Reply> => sendCommand(run.ngsiUrl, { [name]: { type: 'command', value } }, { id: entityOf(id), type: TYPE })
  const entity = async (id: string): Promise<Record<string, unknown>> => (await keyValues(run, entityOf(id))) ?? {}

  beforeAll(async () => {
    device = await recordingDevice(() => ({ status: answer.status, body: answer.body, headers: { 'content-type': 'application/json' } }))
    // An unanswered command expires after this long (a pushed command whose answer names none, too).
    run = await startEngine((c) => (c.iota.commandTimeoutMs = 1500))
    const north = jsonNorthUrl(run)
    expect((await postJson(`${north}/iot/services`, { services: [{ apikey: APIKEY, entity_type: TYPE, resource: '/iot/json' }] })).status).toBe(201)
    const base = { entity_type: TYPE, transport: 'HTTP', attributes: [{ object_id: 't', name: 'temperature', type: 'Number' }] }
    const commands = [
      { name: 'ping', type: 'command' },
      { name: 'interval', type: 'command' }
    ]
    const devices = [
      { ...base, device_id: 'm1', entity_name: entityOf('m1') },
      { ...base, device_id: 'poll1', entity_name: entityOf('poll1'), commands },
      { ...base, device_id: 'push1', entity_name: entityOf('push1'), endpoint: `${device.url}/push1`, commands }
    ]
    expect((await postJson(`${north}/iot/devices`, { devices })).status).toBe(201)
  })

  afterAll(async () => {
    await run?.dispose()
    await device?.close()
  })

  it('POST a JSON object: 200 {} as JSON once written, values with their JSON types', async () => {
    const r = await measure('m1', { t: 21, label: 'kitchen' })
    expect(r.status).toBe(200)
    expect(r.json).toEqual({})
    expect(r.headers.get('content-type')).toMatch(/^application\/json/)
    expect(r.headers.get('x-processing-time')).toMatch(/^\d+$/)
    expect(await entity('m1')).toMatchObject({ temperature: 21, label: 'kitchen' })
  })

  it('`t` becomes every element\'s TimeInstant; an array is a multi-measure; GET reads `d`', async () => {
    expect((await measure('m1', [{ t: 1 }, { t: 2 }], '&t=2026-02-02T02:02:02.000Z')).status).toBe(200)
    expect(await entity('m1')).toMatchObject({ temperature: 2, TimeInstant: '2026-02-02T02:02:02.000Z' })
    const r = await south(`k=${APIKEY}&i=m1&d=${encodeURIComponent('{"t": 7}')}`)
    expect(r.status).toBe(200)
    expect((await entity('m1')).temperature).toBe(7)
  })

  it('a client that does not accept JSON gets an empty text body', async () => {
    const r = await south(`k=${APIKEY}&i=m1`, { body: '{"t": 8}', type: 'application/json', accept: 'text/plain' })
    expect(r.status).toBe(200)
    expect(r.text).toBe('')
    expect((await entity('m1')).temperature).toBe(8)
  })

  it('POST <path>/attrs/<attr>: text/plain as is, JSON parsed', async () => {
    expect((await south(`k=${APIKEY}&i=m1`, { path: '/iot/json/attrs/t', body: '32', type: 'text/plain' })).status).toBe(200)
    expect((await entity('m1')).temperature).toBe('32')
    expect((await south(`k=${APIKEY}&i=m1`, { path: '/iot/json/attrs/t', body: '33', type: 'application/json' })).status).toBe(200)
    expect((await entity('m1')).temperature).toBe(33)
  })

  it("answers the reference's errors: missing params, content type, unknown key, malformed JSON", async () => {
    const missing = await south('i=m1', { body: '{}', type: 'application/json' })
    expect(missing.status).toBe(400)
    expect(missing.json).toEqual({ name: 'MANDATORY_PARAMS_NOT_FOUND', message: 'Some of the mandatory params weren\'t found in the request: ["API Key"]' })
    const noPayload = await south(`k=${APIKEY}&i=m1`)
    expect(noPayload.json).toEqual({ name: 'MANDATORY_PARAMS_NOT_FOUND', message: 'Some of the mandatory params weren\'t found in the request: ["Payload"]' })
    const xml = await south(`k=${APIKEY}&i=m1`, { body: '<a/>', type: 'application/xml' })
    expect(xml.status).toBe(400)
    expect(xml.json.name).toBe('UNSUPPORTED_TYPE')
    const unknown = await south('k=nokey&i=m1', { body: '{"t": 1}', type: 'application/json' })
    expect(unknown.status).toBe(404)
    expect(unknown.json).toEqual({ name: 'DEVICE_GROUP_NOT_FOUND', message: 'Couldn\t find device group for fields: ["resource","apikey"] and values: {"resource":"/iot/json","apikey":"nokey"}' })
    const bad = await south(`k=${APIKEY}&i=m1`, { body: '{"t": None}', type: 'application/json' })
    expect(bad.status).toBe(400)
    expect(bad.json.name).toBe('PARSE_ERROR')
    expect(bad.json.message).toContain('line 1, column 7')
    const notObject = await measure('m1', 5)
    expect(notObject.status).toBe(400)
    expect(notObject.json.name).toBe('PARSE_ERROR')
    // The UltraLight path on the same port is unchanged, and does not know the JSON agent's groups.
    const ul = await south(`k=${APIKEY}&i=m1`, { path: '/iot/d', body: 't|1', type: 'text/plain' })
    expect(ul.status).toBe(404)
    expect(ul.json.name).toBe('DEVICE_GROUP_NOT_FOUND')
  })

  it('polling: the queued commands merged into one object on getCmd=1, DELIVERED, then OK from /commands', async () => {
    expect((await command('poll1', 'ping', { data: '22' })).status).toBe(204)
    expect((await command('poll1', 'interval', 15)).status).toBe(204)
    expect((await entity('poll1')).ping_status).toBe('PENDING')
    const polled = await south(`k=${APIKEY}&i=poll1&getCmd=1`, { body: '{"t": 3}', type: 'application/json' })
    expect(polled.status).toBe(200)
    expect(polled.json).toEqual({ ping: { data: '22' }, interval: 15 })
    let e = await entity('poll1')
    expect(e).toMatchObject({ temperature: 3, ping_status: 'DELIVERED', interval_status: 'DELIVERED' })
    // Nothing left: {} (GET with getCmd and no d is allowed).
    expect((await south(`k=${APIKEY}&i=poll1&getCmd=1`)).json).toEqual({})
    const done = await south(`k=${APIKEY}&i=poll1`, { path: '/iot/json/commands', body: '{"ping": "pong", "interval": "set"}', type: 'application/json' })
    expect(done.status).toBe(200)
    e = await entity('poll1')
    expect(e).toMatchObject({ ping_status: 'OK', ping_info: 'pong', interval_status: 'OK', interval_info: 'set' })
  })

  it('push: POSTs {"<cmd>": value} as JSON to the endpoint; the JSON answer is the result', async () => {
    answer = { status: 200, body: '{"interval": "15 s"}' }
    expect((await command('push1', 'interval', '15')).status).toBe(204)
    const e = await waitFor(async () => {
      const x = await entity('push1')
      return x.interval_status === 'OK' ? x : undefined
    }, 'interval_status OK')
    expect(e.interval_info).toBe('15 s')
    const req = device.got.find((g) => g.url === '/push1')!
    expect(req.body).toBe('{"interval":"15"}')
    expect(req.headers).toMatchObject({ 'content-type': 'application/json', 'fiware-service': TENANT['fiware-service'], 'fiware-servicepath': '/' })
  })

  it('push: a device answering 500 sets ERROR with the reason', async () => {
    answer = { status: 500, body: '{"ping": "broken"}' }
    expect((await command('push1', 'ping', 'x')).status).toBe(204)
    const e = await waitFor(async () => {
      const x = await entity('push1')
      return x.ping_status === 'ERROR' ? x : undefined
    }, 'ping_status ERROR')
    expect(e.ping_info).toBe('There was an error in the response of a device to a command [500]:broken')
  })

  it('push: a 2xx answer that names no command leaves it to expire like an unanswered MQTT command', async () => {
    answer = { status: 200, body: '' }
    expect((await command('push1', 'ping', 'y')).status).toBe(204)
    const e = await waitFor(async () => {
      const x = await entity('push1')
      return x.ping_info === 'EXPIRED' ? x : undefined
    }, 'ping EXPIRED', 10_000, 100)
    expect(e.ping_status).toBe('ERROR')
  })

  it('configuration: the values POSTed as JSON to <endpoint>/configuration, 200 {} once the device took them', async () => {
    answer = { status: 200, body: '{}' }
    expect((await south(`k=${APIKEY}&i=push1`, { body: '{"t": 19}', type: 'application/json' })).status).toBe(200)
    const r = await south(`k=${APIKEY}&i=push1`, { path: '/iot/json/configuration', body: '{"type": "configuration", "fields": ["temperature"]}', type: 'application/json' })
    expect(r.status).toBe(200)
    expect(r.json).toEqual({})
    const sent = device.got.filter((g) => g.url === '/push1/configuration')
    expect(sent).toHaveLength(1)
    expect(JSON.parse(sent[0]!.body)).toEqual({ temperature: 19, dt: expect.stringMatching(/^\d{8}T\d{6}Z$/) })
    expect(sent[0]!.headers['content-type']).toBe('application/json')
  })

  it('configuration: ENDPOINT_NOT_FOUND without endpoint, DEVICE_ENDPOINT_ERROR when the device refuses', async () => {
    const none = await south(`k=${APIKEY}&i=m1`, { path: '/iot/json/configuration', body: '{"type": "configuration", "fields": ["temperature"]}', type: 'application/json' })
    expect(none.status).toBe(400)
    expect(none.json).toEqual({ name: 'ENDPOINT_NOT_FOUND', message: 'The provisioned device [m1 ] did not have an HTTP endpoint to call', code: 400 })
    answer = { status: 503, body: 'busy' }
    const refused = await south(`k=${APIKEY}&i=push1`, { path: '/iot/json/configuration', body: '{"type": "configuration"}', type: 'application/json' })
    expect(refused.status).toBe(503)
    expect(refused.json).toEqual({ name: 'DEVICE_ENDPOINT_ERROR', message: 'Request to the device ended up in error with code [503 ] and message ["busy"]', code: 503 })
  })
})
