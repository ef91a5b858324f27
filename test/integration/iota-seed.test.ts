import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { APIKEY as KEY, STEP, TENANT, TUTORIAL_7_STEPS } from '../fixtures/tutorial7'
import { startNorth, type NorthHarness } from '../helpers/iota-harness'

/** A request of the seed tutorial (test/fixtures/tutorial7.ts), with its headers and body as the tutorial sends them. */
function seedRequest(name: string): { method: string; path: string; headers: Record<string, string>; body: string } {
  const { request } = TUTORIAL_7_STEPS.find((s) => s.name === name)!
  const headers = Object.fromEntries((request.header ?? []).map((h) => [h.key, h.value]))
  return { method: request.method, path: new URL(request.url.raw).pathname, headers, body: request.body!.raw! }
}

const CREATE_SERVICE = seedRequest(STEP.createService)
const PROVISION_DEVICE = seedRequest(STEP.provisionDevice)

describe('north API: the seed tutorial (tutorial 7)', () => {
  let h: NorthHarness
  beforeEach(async () => {
    h = await startNorth()
  })
  afterEach(() => h.close())

  const replay = (r: typeof CREATE_SERVICE): ReturnType<NorthHarness['call']> => h.call(r.method, r.path, r.headers, r.body)

  it('"Verificar saúde do Agente IoT": GET /iot/about without headers', async () => {
    const res = await h.call('GET', '/iot/about')
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ libVersion: expect.any(String), port: h.port, baseRoot: '/', version: expect.any(String) })
  })

  it('"Criar um serviço" then "Provisionar um dispositivo": 201 {} each, and the registration FIWARE sends', async () => {
    const service = await replay(CREATE_SERVICE)
    expect({ status: service.status, body: service.body }).toEqual({ status: 201, body: {} })
    expect(h.cb.calls).toEqual([])

    const device = await replay(PROVISION_DEVICE)
    expect({ status: device.status, body: device.body }).toEqual({ status: 201, body: {} })
    const [registration] = h.cb.callsOf('createRegistration')
    expect(registration!.scope).toEqual({ service: 'openiot', servicePath: '/' })
    // Key order included: the body is byte-for-byte what iotagent-ul sends (docs/compatibility/iot-agent-ul.md §4.9 step 2).
    expect(JSON.stringify(registration!.body)).toBe(
      `{"dataProvided":{"entities":[{"type":"Device","id":"urn:ngsi-ld:Device:001"}],"attrs":["switch","interval"]},"provider":{"http":{"url":"http://localhost:${h.port}"}}}`
    )
    expect(h.cb.calls).toHaveLength(1)
  })

  it('stores the group with its "cbroker" field and returns it under "services"', async () => {
    await replay(CREATE_SERVICE)
    const res = await h.call('GET', '/iot/services', TENANT)
    expect(res.body).toEqual({
      count: 1,
      services: [{ _id: expect.any(String), creationDate: expect.any(Number), service: 'openiot', subservice: '/', apikey: KEY, entity_type: 'Device', resource: '', cbroker: 'http://orion:1026' }]
    })
  })

  it('returns device001 as FIWARE does (docs/compatibility/iot-agent-ul.md §4.9 step 4)', async () => {
    await replay(CREATE_SERVICE)
    await replay(PROVISION_DEVICE)
    const res = await h.call('GET', '/iot/devices/device001', TENANT)
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      device_id: 'device001',
      service: 'openiot',
      service_path: '/',
      entity_name: 'urn:ngsi-ld:Device:001',
      entity_type: 'Device',
      transport: 'MQTT',
      attributes: [
        { object_id: 't', name: 'temperature', type: 'Number' },
        { object_id: 'rh', name: 'relativeHumidity', type: 'Number' }
      ],
      lazy: [],
      commands: [
        { object_id: 'switch', name: 'switch', type: 'command' },
        { object_id: 'interval', name: 'interval', type: 'command' }
      ],
      static_attributes: [{ name: 'refStore', type: 'Relationship', value: 'urn:ngsi-ld:Store:001' }],
      protocol: 'PDI-IoTA-UltraLight'
    })
    const list = await h.call('GET', '/iot/devices', TENANT)
    expect(list.body.count).toBe(1)
    expect(list.body.devices[0]).toEqual(res.body)
  })

  it('resolves the dummy device’s measures and commands to device001, without a duplicate device', async () => {
    await replay(CREATE_SERVICE)
    await replay(PROVISION_DEVICE)
    // What the MQTT path does for `ul/4jggokgpepnvsb2uv4s40d59ov/device001/attrs` with IOTA_DEFAULT_RESOURCE=''.
    const group = h.registry.findGroup('', KEY)!
    expect(group).toBeDefined()
    const device = h.registry.findDevice(group.service, group.subservice, 'device001', group.apikey)
    expect(device?.entity_name).toBe('urn:ngsi-ld:Device:001')
    expect(h.provisioning.autoprovision(group, 'device001')).toBe(device)
    expect(h.registry.counts().devices).toBe(1)
    // What the command path does for a forwarded update of urn:ngsi-ld:Device:001.
    expect(h.registry.findDeviceByEntity('openiot', '/', 'urn:ngsi-ld:Device:001', 'Device')).toBe(device)
  })

  it('refuses to provision device001 twice, and removes it with its registration', async () => {
    await replay(CREATE_SERVICE)
    await replay(PROVISION_DEVICE)
    const again = await replay(PROVISION_DEVICE)
    expect({ status: again.status, name: again.body.name }).toEqual({ status: 409, name: 'DUPLICATE_DEVICE_ID' })
    const registrationId = h.registry.findDevice('openiot', '/', 'device001')!.registrationId
    expect((await h.call('DELETE', '/iot/devices/device001', TENANT)).status).toBe(204)
    expect(h.cb.callsOf('deleteRegistration').map((c) => c.id)).toEqual([registrationId])
    expect(h.cb.registrations.size).toBe(0)
  })
})
