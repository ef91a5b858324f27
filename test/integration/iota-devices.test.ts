import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { JSON_TENANT, startNorth, TENANT, type Answer, type NorthHarness } from '../helpers/iota-harness'

const KEY = '4jggokgpepnvsb2uv4s40d59ov'
const outcome = (a: Answer): { status: number; name: unknown } => ({ status: a.status, name: a.body?.name })

describe('north API: devices', () => {
  let h: NorthHarness
  beforeEach(async () => {
    h = await startNorth()
  })
  afterEach(() => h.close())

  const create = (devices: unknown[], headers: Record<string, string> = JSON_TENANT): Promise<Answer> => h.call('POST', '/iot/devices', headers, { devices })

  describe('POST /iot/devices', () => {
    it('creates with 201 {} and returns the FIWARE representation on GET', async () => {
      const res = await create([
        {
          device_id: 'd1',
          apikey: KEY,
          timestamp: true,
          attributes: [{ object_id: 't', name: 'temperature', type: 'Number', metadata: { unit: { type: 'Text', value: 'C' } } }],
          lazy: [{ name: 'battery', type: 'Number' }],
          commands: [{ name: 'ping', type: 'command', mqtt: { qos: 1, retain: false } }],
          internal_attributes: { any: ['thing'] },
          unknownField: 'dropped'
        }
      ])
      expect(res.status).toBe(201)
      expect(res.body).toEqual({})
      const got = await h.call('GET', '/iot/devices/d1', TENANT)
      expect(got.status).toBe(200)
      expect(got.body).toEqual({
        device_id: 'd1',
        apikey: KEY,
        service: 'openiot',
        service_path: '/',
        entity_name: 'Thing:d1',
        entity_type: 'Thing',
        timestamp: true,
        transport: 'MQTT',
        attributes: [{ object_id: 't', name: 'temperature', type: 'Number', metadata: { unit: { type: 'Text', value: 'C' } } }],
        lazy: [{ object_id: 'battery', name: 'battery', type: 'Number' }],
        commands: [{ object_id: 'ping', name: 'ping', type: 'command', mqtt: { qos: '1', retain: false } }],
        static_attributes: [],
        internal_attributes: { any: ['thing'] }
      })
    })

    it('refuses bodies that break the device schema with WRONG_SYNTAX', async () => {
      for (const devices of [
        [{ device_id: 7 }],
        [{ device_id: 'x', attributes: [{ name: 'a', type: 'Number', extra: 1 }] }],
        [{ device_id: 'x', attributes: [{ name: 'a(b)', type: 'Number' }] }],
        [{ device_id: 'x', attributes: [{ name: 'a' }] }],
        [{ device_id: 'x', lazy: [{ name: 'a', type: 'Number', expression: 'x' }] }],
        [{ device_id: 'x', commands: [{ name: 'c', type: 'command', mqtt: { qos: '3' } }] }],
        [{ device_id: 'x', commands: [{ name: 'c', type: 'command', mqtt: { qos: 1.5 } }] }],
        [{ device_id: 'x', commands: [{ name: 'c', type: 'command', mqtt: { qos: 1, keep: true } }] }],
        [{ device_id: 'x', commands: [{ name: 'c', type: 'command', value: 'a=b' }] }],
        [{ device_id: 'x', static_attributes: [{ name: 's' }] }],
        [{ device_id: 'x', timestamp: 'true' }],
        [{ device_id: 'x', attributes: [{ type: 'Number' }] }]
      ]) {
        expect(outcome(await create(devices))).toEqual({ status: 400, name: 'WRONG_SYNTAX' })
      }
      expect(outcome(await h.call('POST', '/iot/devices', JSON_TENANT, { devices: [], extra: true }))).toEqual({ status: 400, name: 'WRONG_SYNTAX' })
      expect(outcome(await h.call('POST', '/iot/devices', JSON_TENANT, {}))).toEqual({ status: 400, name: 'WRONG_SYNTAX' })
      expect(h.registry.counts().devices).toBe(0)
    })

    it('answers MISSING_ATTRIBUTES without device_id and DUPLICATE_DEVICE_ID for a duplicate', async () => {
      expect(outcome(await create([{ entity_type: 'Device' }]))).toEqual({ status: 400, name: 'MISSING_ATTRIBUTES' })
      expect((await create([{ device_id: 'd1', apikey: KEY }])).status).toBe(201)
      expect(outcome(await create([{ device_id: 'd1', apikey: KEY }]))).toEqual({ status: 409, name: 'DUPLICATE_DEVICE_ID' })
    })

    it('maps a refused registration to REGISTRATION_ERROR 500 or BAD_REQUEST 400 and stores nothing', async () => {
      h.cb.fail('createRegistration', 500)
      expect(outcome(await create([{ device_id: 'd1', commands: [{ name: 'ping', type: 'command' }] }]))).toEqual({ status: 500, name: 'REGISTRATION_ERROR' })
      h.cb.fail('createRegistration', 400)
      expect(outcome(await create([{ device_id: 'd1', commands: [{ name: 'ping', type: 'command' }] }]))).toEqual({ status: 400, name: 'BAD_REQUEST' })
      expect(h.registry.counts().devices).toBe(0)
    })
  })

  describe('GET /iot/devices', () => {
    beforeEach(async () => {
      await create(['a', 'b', 'c', 'd'].map((id) => ({ device_id: id })))
      await create([{ device_id: 'elsewhere' }], { ...JSON_TENANT, 'fiware-servicepath': '/other' })
    })

    it('lists the devices of the exact scope with count, limit and offset', async () => {
      const all = await h.call('GET', '/iot/devices', TENANT)
      expect(all.status).toBe(200)
      expect(all.body.count).toBe(4)
      expect(all.body.devices.map((d: { device_id: string }) => d.device_id)).toEqual(['a', 'b', 'c', 'd'])
      const page = await h.call('GET', '/iot/devices?limit=2&offset=1', TENANT)
      expect(page.body.count).toBe(4)
      expect(page.body.devices.map((d: { device_id: string }) => d.device_id)).toEqual(['b', 'c'])
      const none = await h.call('GET', '/iot/devices', { ...TENANT, 'fiware-servicepath': '/none' })
      expect(none.body).toEqual({ count: 0, devices: [] })
    })

    it('refuses a malformed limit or offset with WRONG_SYNTAX', async () => {
      for (const q of ['limit=abc', 'offset=-3', 'limit=1&limit=2']) {
        expect(outcome(await h.call('GET', `/iot/devices?${q}`, TENANT))).toEqual({ status: 400, name: 'WRONG_SYNTAX' })
      }
    })
  })

  describe('one device', () => {
    beforeEach(async () => {
      await create([
        { device_id: 'd1', entity_name: 'keyless' },
        { device_id: 'd1', apikey: 'k2', entity_name: 'keyed' }
      ])
    })

    it('GET picks the device of the apikey query parameter, 404 DEVICE_NOT_FOUND otherwise', async () => {
      expect((await h.call('GET', '/iot/devices/d1', TENANT)).body.entity_name).toBe('keyless')
      expect((await h.call('GET', '/iot/devices/d1?apikey=k2', TENANT)).body.entity_name).toBe('keyed')
      expect((await h.call('GET', '/iot/devices/d1/', TENANT)).status).toBe(200)
      expect(outcome(await h.call('GET', '/iot/devices/nope', TENANT))).toEqual({ status: 404, name: 'DEVICE_NOT_FOUND' })
      expect(outcome(await h.call('GET', '/iot/devices/d1', { ...TENANT, 'fiware-service': 'other' }))).toEqual({ status: 404, name: 'DEVICE_NOT_FOUND' })
    })

    it('PUT updates with 204 and refuses device_id, unknown fields and unknown devices', async () => {
      const ok = await h.call('PUT', '/iot/devices/d1?apikey=k2', JSON_TENANT, { entity_type: 'Sensor', timezone: 'Europe/Madrid' })
      expect(ok.status).toBe(204)
      expect(ok.text).toBe('')
      expect(h.registry.findDevice('openiot', '/', 'd1', 'k2')).toMatchObject({ entity_type: 'Sensor', timezone: 'Europe/Madrid' })
      expect(outcome(await h.call('PUT', '/iot/devices/d1', JSON_TENANT, { device_id: 'd2' }))).toEqual({ status: 400, name: 'BAD_REQUEST' })
      expect(outcome(await h.call('PUT', '/iot/devices/d1', JSON_TENANT, { polling: true }))).toEqual({ status: 400, name: 'WRONG_SYNTAX' })
      expect(outcome(await h.call('PUT', '/iot/devices/nope', JSON_TENANT, {}))).toEqual({ status: 404, name: 'DEVICE_NOT_FOUND' })
      expect((await h.call('PUT', '/iot/devices/d1', TENANT)).status).toBe(204)
    })

    it('PUT reports a context broker refusal of the entity update as ENTITY_GENERIC_ERROR', async () => {
      h.cb.fail('appendAttributes', 400)
      expect(outcome(await h.call('PUT', '/iot/devices/d1', JSON_TENANT, { attributes: [{ name: 'n', type: 'Number' }] }))).toEqual({
        status: 400,
        name: 'ENTITY_GENERIC_ERROR'
      })
    })

    it('DELETE removes with 204, then 404 DEVICE_NOT_FOUND', async () => {
      expect((await h.call('DELETE', '/iot/devices/d1?apikey=k2', TENANT)).status).toBe(204)
      expect(h.registry.findDevice('openiot', '/', 'd1', 'k2')?.entity_name).toBe('keyless')
      expect((await h.call('DELETE', '/iot/devices/d1', TENANT)).status).toBe(204)
      expect(outcome(await h.call('DELETE', '/iot/devices/d1', TENANT))).toEqual({ status: 404, name: 'DEVICE_NOT_FOUND' })
    })
  })

  describe('POST /iot/op/delete', () => {
    beforeEach(() => create([{ device_id: 'a' }, { device_id: 'b', apikey: KEY }, { device_id: 'c' }]))

    it('removes the listed devices with 204', async () => {
      const res = await h.call('POST', '/iot/op/delete', JSON_TENANT, { devices: [{ deviceId: 'a' }, { deviceId: 'b', apikey: KEY }] })
      expect(res.status).toBe(204)
      expect(h.registry.devicesOf('openiot', '/').map((d) => d.device_id)).toEqual(['c'])
    })

    it('answers DEVICE_NOT_FOUND when one is missing, still removing the others', async () => {
      const res = await h.call('POST', '/iot/op/delete', JSON_TENANT, { devices: [{ deviceId: 'nope' }, { deviceId: 'c' }] })
      expect(outcome(res)).toEqual({ status: 404, name: 'DEVICE_NOT_FOUND' })
      expect(h.registry.devicesOf('openiot', '/').map((d) => d.device_id)).toEqual(['a', 'b'])
    })

    it('refuses a body without a devices list with WRONG_SYNTAX', async () => {
      expect(outcome(await h.call('POST', '/iot/op/delete', JSON_TENANT, { devices: [{ id: 'a' }] }))).toEqual({ status: 400, name: 'WRONG_SYNTAX' })
      expect(outcome(await h.call('POST', '/iot/op/delete', TENANT))).toEqual({ status: 400, name: 'WRONG_SYNTAX' })
    })
  })
})
