import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEngineApi } from '../../electron/engine/api'
import type { TraceDto } from '../../shared/trace'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'
import { jsonNorthUrl, keyValues, postJson } from '../helpers/json-agent'
import { recordingDevice, type ReceivedRequest } from '../helpers/local-server'
import { APIKEY, provisionSeed, sendCommand, TENANT } from '../helpers/postman-tutorial7'
import { waitFor } from '../helpers/wait-for'

/**
 * A pushed command's own `contentType` and `headers` (docs/compatibility/iot-agent-json.md §4.5):
 * the IoT Agent JSON sends them, each header value evaluated as JEXL over the device; a header
 * without a value stops the request and the command ends ERROR. The UltraLight agent has no such
 * settings (docs/compatibility/iot-agent-ul.md §5.7). The device is a real HTTP server.
 */

const JSON_KEY = 'pushheaderskey'
const TYPE = 'Valve'
const entityOf = (id: string): string => `urn:ngsi-ld:Valve:${id}`

describe('commands pushed with their own contentType and headers', () => {
  let run: RunningEngine
  let device: Awaited<ReturnType<typeof recordingDevice>>
  let api: ReturnType<typeof createEngineApi>
  const traces = new Map<number, TraceDto>()

  const command = (id: string, name: string, value: unknown): Promise<{ status: number }> =>
    sendCommand(run.ngsiUrl, { [name]: { type: 'command', value } }, { id: entityOf(id), type: TYPE })
  const settled = (id: string, name: string): Promise<Record<string, unknown>> =>
    waitFor(async () => {
      const e = (await keyValues(run, entityOf(id))) ?? {}
      return e[`${name}_status`] === 'OK' || e[`${name}_status`] === 'ERROR' ? e : undefined
    }, `${name}_status of ${id} settled`)
  const received = (path: string): ReceivedRequest[] => device.got.filter((g) => g.url === path)

  beforeAll(async () => {
    // Answers each command with `done`: `{"<cmd>":"done"}` for JSON, `<id>@<cmd>|done` for UltraLight.
    device = await recordingDevice(({ body }) => {
      const ul = /^([^@]+@[^|]+)\|/.exec(body)
      return { status: 200, body: ul ? `${ul[1]}|done` : JSON.stringify(Object.fromEntries(Object.keys(JSON.parse(body) as object).map((k) => [k, 'done']))) }
    })
    run = await startEngine()
    api = createEngineApi(run.engine, { settings: { env: {} } })
    api.on('trace', (batch) => {
      for (const t of batch) traces.set(t.id, t)
    })
    const north = jsonNorthUrl(run)
    expect((await postJson(`${north}/iot/services`, { services: [{ apikey: JSON_KEY, entity_type: TYPE, resource: '/iot/json' }] })).status).toBe(201)
    const commands = [
      { name: 'plain', type: 'command' },
      { name: 'typed', type: 'command', contentType: 'application/vnd.valve+json' },
      {
        name: 'tagged',
        type: 'command',
        headers: { 'X-Device': 'id', 'x-where': "service + ':' + subservice", 'x-floor': 'floor * 2', authorization: "'Bearer s3cret'", 'fiware-servicepath': "'/override'" }
      },
      { name: 'unknown', type: 'command', headers: { 'x-known': 'id', 'x-missing': 'nosuchattribute' } },
      { name: 'broken', type: 'command', headers: { 'x-broken': 'id +' } },
      { name: 'badname', type: 'command', headers: { 'bad name': 'id' } }
    ]
    const devices = [
      {
        device_id: 'v1',
        entity_name: entityOf('v1'),
        entity_type: TYPE,
        transport: 'HTTP',
        endpoint: `${device.url}/v1`,
        static_attributes: [{ name: 'floor', type: 'Number', value: '3' }],
        commands
      }
    ]
    expect((await postJson(`${north}/iot/devices`, { devices })).status).toBe(201)
    // An UltraLight device whose commands carry the same settings: its agent ignores them.
    await provisionSeed(run)
    const ulDevice = {
      device_id: 'v2',
      entity_name: entityOf('v2'),
      entity_type: TYPE,
      apikey: APIKEY,
      transport: 'HTTP',
      endpoint: `${device.url}/v2`,
      commands: [{ name: 'tagged', type: 'command', contentType: 'application/json', headers: { 'x-device': 'id' } }]
    }
    expect((await postJson(`${run.northUrl}/iot/devices`, { devices: [ulDevice] })).status).toBe(201)
  })

  afterAll(async () => {
    api?.close()
    await run?.dispose()
    await device?.close()
  })

  it('without contentType or headers: the codec content type and the tenant headers only', async () => {
    expect((await command('v1', 'plain', 'a')).status).toBe(204)
    expect(await settled('v1', 'plain')).toMatchObject({ plain_status: 'OK', plain_info: 'done' })
    const [req] = received('/v1')
    expect(req!.body).toBe('{"plain":"a"}')
    expect(req!.headers).toMatchObject({ 'content-type': 'application/json', 'fiware-service': TENANT['fiware-service'], 'fiware-servicepath': '/' })
    expect(Object.keys(req!.headers).sort()).toEqual(['connection', 'content-length', 'content-type', 'fiware-service', 'fiware-servicepath', 'host'])
  })

  it("the command's contentType is the request's Content-Type", async () => {
    expect((await command('v1', 'typed', 'b')).status).toBe(204)
    expect(await settled('v1', 'typed')).toMatchObject({ typed_status: 'OK' })
    const req = received('/v1').find((r) => r.body === '{"typed":"b"}')
    expect(req!.headers['content-type']).toBe('application/vnd.valve+json')
  })

  it('each header is a JEXL expression over the device; the trace shows the headers sent, without credentials', async () => {
    expect((await command('v1', 'tagged', 'c')).status).toBe(204)
    expect(await settled('v1', 'tagged')).toMatchObject({ tagged_status: 'OK', tagged_info: 'done' })
    const req = received('/v1').find((r) => r.body === '{"tagged":"c"}')
    expect(req!.headers).toMatchObject({
      'content-type': 'application/json',
      'x-device': 'v1',
      'x-where': `${TENANT['fiware-service']}:/`,
      'x-floor': '6',
      authorization: 'Bearer s3cret',
      // A command header replaces a tenant header of the same name, as in the reference.
      'fiware-servicepath': '/override'
    })
    const t = await waitFor(
      () => [...traces.values()].find((x) => x.kind === 'command' && x.hops.some((h) => h.step === 'device-request' && h.command === 'tagged')),
      'the trace of the tagged command'
    )
    const hop = t.hops.find((h) => h.step === 'device-request')
    expect(hop).toMatchObject({ request: { headers: { 'x-device': 'v1', 'x-floor': '6', 'fiware-servicepath': '/override' } } })
    expect(hop && 'request' in hop ? Object.keys(hop.request.headers) : []).not.toContain('authorization')
  })

  it('a header whose expression gives no value or fails: ERROR with the reason, nothing sent', async () => {
    expect((await command('v1', 'unknown', 'd')).status).toBe(204)
    expect(await settled('v1', 'unknown')).toMatchObject({
      unknown_status: 'ERROR',
      unknown_info: 'There was an error in the response of a device to a command []:header x-missing: its expression nosuchattribute gives no value, so the command was not sent'
    })
    expect((await command('v1', 'broken', 'e')).status).toBe(204)
    const broken = await settled('v1', 'broken')
    expect(broken.broken_status).toBe('ERROR')
    expect(broken.broken_info).toContain('header x-broken: its expression id + gives no value')
    // The next command goes out; the failed ones never reached the device.
    expect((await command('v1', 'plain', 'after')).status).toBe(204)
    await waitFor(() => received('/v1').some((r) => r.body === '{"plain":"after"}'), 'the command after the failures')
    expect(received('/v1').filter((r) => /"(unknown|broken)"/.test(r.body))).toEqual([])
  })

  it('a header name HTTP does not allow: ERROR with the reason, nothing sent', async () => {
    expect((await command('v1', 'badname', 'f')).status).toBe(204)
    const e = await settled('v1', 'badname')
    expect(e.badname_status).toBe('ERROR')
    expect(e.badname_info).toContain('header bad name: Header name must be a valid HTTP token')
    expect((await command('v1', 'plain', 'after bad name')).status).toBe(204)
    await waitFor(() => received('/v1').some((r) => r.body === '{"plain":"after bad name"}'), 'the command after the failure')
    expect(received('/v1').filter((r) => r.body.includes('badname'))).toEqual([])
  })

  it('UltraLight: text/plain and the tenant headers, whatever the command says', async () => {
    expect((await command('v2', 'tagged', 'g')).status).toBe(204)
    expect(await settled('v2', 'tagged')).toMatchObject({ tagged_status: 'OK', tagged_info: 'done' })
    const [req] = received('/v2')
    expect(req!.body).toBe('v2@tagged|g')
    expect(req!.headers['content-type']).toBe('text/plain')
    expect(req!.headers['x-device']).toBeUndefined()
  })
})
