import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { DeviceInput } from '../../../electron/engine/agent/provisioning'
import { APIKEY, copy, DEVICE } from '../../fixtures/tutorial7'
import { PROVIDER_URL, provisioningFixture, rejection, SCOPE, type ProvisioningFixture } from './fixture'

const KEY = APIKEY

/** device001 of the seed tutorial, which has no apikey (a fresh copy each time). */
const device001 = (): DeviceInput => copy(DEVICE)

describe('device provisioning', () => {
  let f: ProvisioningFixture
  beforeEach(async () => {
    f = await provisioningFixture({ timestamp: false })
  })
  afterEach(() => f.close())

  describe('createDevices', () => {
    it('registers the commands of the seed device in the context broker, then stores it', async () => {
      const [d] = await f.provisioning.createDevices(SCOPE, [device001()])
      const [call] = f.cb.callsOf('createRegistration')
      expect(call).toEqual({
        op: 'createRegistration',
        scope: { service: 'openiot', servicePath: '/' },
        body: {
          dataProvided: { entities: [{ type: 'Device', id: 'urn:ngsi-ld:Device:001' }], attrs: ['switch', 'interval'] },
          provider: { http: { url: PROVIDER_URL } }
        }
      })
      expect(f.cb.calls).toHaveLength(1)
      expect(d).toMatchObject({
        device_id: 'device001',
        service: 'openiot',
        service_path: '/',
        entity_name: 'urn:ngsi-ld:Device:001',
        transport: 'MQTT',
        protocol: 'PDI-IoTA-UltraLight',
        lazy: [],
        commands: [
          { object_id: 'switch', name: 'switch', type: 'command' },
          { object_id: 'interval', name: 'interval', type: 'command' }
        ],
        registrationId: expect.any(String)
      })
      expect(d!.apikey).toBeUndefined()
      expect(f.cb.registrations.has(d!.registrationId!)).toBe(true)
    })

    it('sends nothing to the context broker for a device without commands or lazy attributes', async () => {
      await f.provisioning.createDevices(SCOPE, [{ device_id: 'plain', attributes: [{ object_id: 't', name: 'temperature', type: 'Number' }] }])
      expect(f.cb.calls).toEqual([])
    })

    it('takes entity type, transport, name conjunction and commands from the group of its scope', async () => {
      await f.provisioning.createGroups(SCOPE, [
        {
          apikey: KEY,
          resource: '',
          entity_type: 'Sensor',
          transport: 'HTTP',
          defaultEntityNameConjunction: '-',
          commands: [{ name: 'ping', type: 'command' }, { name: 'switch', type: 'command' }],
          lazy: [{ name: 'battery', type: 'Number' }]
        }
      ])
      const [d] = await f.provisioning.createDevices(SCOPE, [{ device_id: 'dev1', apikey: KEY, commands: [{ name: 'switch', type: 'command', expression: 'x' }] }])
      expect(d).toMatchObject({ entity_type: 'Sensor', entity_name: 'Sensor-dev1', transport: 'HTTP', polling: true, apikey: KEY })
      // Device commands win; group commands complete them. Lazy group attributes are registered, not stored.
      expect(d!.commands.map((c) => [c.name, c.expression])).toEqual([
        ['switch', 'x'],
        ['ping', undefined]
      ])
      expect(d!.lazy).toEqual([])
      expect(f.cb.callsOf('createRegistration')[0]!.body).toMatchObject({ dataProvided: { attrs: ['battery', 'switch', 'ping'] } })
    })

    it('prefers the group of the same entity type, and falls back to the configured defaults', async () => {
      await f.provisioning.createGroups(SCOPE, [
        { apikey: 'a', resource: '', entity_type: 'Lamp', endpoint: 'http://lamp' },
        { apikey: 'b', resource: '', entity_type: 'Door', transport: 'HTTP', endpoint: 'http://door' }
      ])
      const [door, lamp] = await f.provisioning.createDevices(SCOPE, [{ device_id: 'd', entity_type: 'Door' }, { device_id: 'l' }])
      expect(door).toMatchObject({ entity_name: 'Door:d', transport: 'HTTP', polling: false })
      expect(lamp).toMatchObject({ entity_type: 'Lamp', entity_name: 'Lamp:l', transport: 'MQTT' })
      expect(lamp!.polling).toBeUndefined()
      const [loner] = await f.provisioning.createDevices({ service: 'openiot', servicePath: '/empty' }, [{ device_id: 'x', transport: 'HTTP' }])
      expect(loner).toMatchObject({ entity_type: 'Thing', entity_name: 'Thing:x', transport: 'HTTP', polling: true })
    })

    it('refuses a device without device_id with MISSING_ATTRIBUTES', async () => {
      expect(await rejection(f.provisioning.createDevices(SCOPE, [{ entity_type: 'Device' }]))).toMatchObject({ status: 400, name: 'MISSING_ATTRIBUTES' })
      expect(await rejection(f.provisioning.createDevices(SCOPE, [{ device_id: '' }]))).toMatchObject({ status: 400, name: 'MISSING_ATTRIBUTES' })
    })

    it('refuses duplicates: the same identity, or any device of that id when no apikey is given', async () => {
      await f.provisioning.createDevices(SCOPE, [{ device_id: 'd', apikey: 'k1' }])
      expect(await rejection(f.provisioning.createDevices(SCOPE, [{ device_id: 'd', apikey: 'k1' }]))).toMatchObject({ status: 409, name: 'DUPLICATE_DEVICE_ID' })
      expect(await rejection(f.provisioning.createDevices(SCOPE, [{ device_id: 'd' }]))).toMatchObject({ status: 409, name: 'DUPLICATE_DEVICE_ID' })
      await f.provisioning.createDevices(SCOPE, [{ device_id: 'd', apikey: 'k2' }])
      await f.provisioning.createDevices({ service: 'openiot', servicePath: '/other' }, [{ device_id: 'd', apikey: 'k1' }])
      expect(f.registry.counts().devices).toBe(3)
    })

    it('provisions the other items of a request when one fails, and answers with the failure', async () => {
      const err = await rejection(f.provisioning.createDevices(SCOPE, [{ device_id: 'a' }, { entity_type: 'X' }, { device_id: 'c' }]))
      expect(err).toMatchObject({ name: 'MISSING_ATTRIBUTES' })
      expect(f.registry.devicesOf('openiot', '/').map((d) => d.device_id)).toEqual(['a', 'c'])
    })

    it('does not store a device whose registration fails: 500 is REGISTRATION_ERROR, other refusals BAD_REQUEST', async () => {
      f.cb.fail('createRegistration', 500)
      expect(await rejection(f.provisioning.createDevices(SCOPE, [device001()]))).toMatchObject({ status: 500, name: 'REGISTRATION_ERROR' })
      f.cb.fail('createRegistration', 422)
      expect(await rejection(f.provisioning.createDevices(SCOPE, [device001()]))).toMatchObject({ status: 400, name: 'BAD_REQUEST' })
      expect(f.registry.counts().devices).toBe(0)
      f.cb.heal('createRegistration')
      await f.provisioning.createDevices(SCOPE, [device001()])
      expect(f.registry.counts().devices).toBe(1)
    })
  })

  describe('getDevice and listDevices', () => {
    beforeEach(async () => {
      await f.provisioning.createDevices(SCOPE, [device001(), { device_id: 'device001', apikey: KEY, entity_name: 'keyed' }, { device_id: 'd2' }])
    })

    it('finds a device by id, the apikey choosing among same-id devices', () => {
      expect(f.provisioning.getDevice({ service: 'OpenIoT', servicePath: '/' }, 'device001').entity_name).toBe('urn:ngsi-ld:Device:001')
      expect(f.provisioning.getDevice(SCOPE, 'device001', KEY).entity_name).toBe('keyed')
      expect(() => f.provisioning.getDevice(SCOPE, 'nope')).toThrow(expect.objectContaining({ status: 404, name: 'DEVICE_NOT_FOUND' }))
      expect(() => f.provisioning.getDevice({ service: 'openiot', servicePath: '/x' }, 'device001')).toThrow(expect.objectContaining({ name: 'DEVICE_NOT_FOUND' }))
    })

    it('lists the devices of exactly the scope with the total count before paging', () => {
      expect(f.provisioning.listDevices(SCOPE, { limit: 1, offset: 1 })).toMatchObject({ count: 3, items: [{ entity_name: 'keyed' }] })
      expect(f.provisioning.listDevices({ service: 'openiot', servicePath: '/*' })).toEqual({ count: 0, items: [] })
    })
  })

  describe('updateDevice', () => {
    beforeEach(() => f.provisioning.createDevices(SCOPE, [device001()]))

    it('refuses a device_id in the body with BAD_REQUEST and an unknown device with DEVICE_NOT_FOUND', async () => {
      expect(await rejection(f.provisioning.updateDevice(SCOPE, 'device001', undefined, { device_id: 'x' }))).toMatchObject({ status: 400, name: 'BAD_REQUEST' })
      expect(await rejection(f.provisioning.updateDevice(SCOPE, 'nope', undefined, {}))).toMatchObject({ status: 404, name: 'DEVICE_NOT_FOUND' })
    })

    it('appends only the new attributes, statics and command attributes to the entity, then registers again', async () => {
      const before = f.registry.findDevice('openiot', '/', 'device001')!
      f.cb.calls.length = 0
      const after = await f.provisioning.updateDevice(SCOPE, 'device001', undefined, {
        attributes: [...device001().attributes!, { object_id: 'p', name: 'pressure', type: 'Number' }, { name: 'where', type: 'geo:point' }],
        static_attributes: [...device001().static_attributes!, { name: 'floor', type: 'Number', value: 2 }],
        commands: [...device001().commands!, { name: 'reset', type: 'command' }]
      })
      expect(f.cb.calls.map((c) => c.op)).toEqual(['appendAttributes', 'deleteRegistration', 'createRegistration'])
      expect(f.cb.calls[0]).toEqual({
        op: 'appendAttributes',
        scope: { service: 'openiot', servicePath: '/' },
        body: {
          id: 'urn:ngsi-ld:Device:001',
          type: 'Device',
          attrs: {
            pressure: { type: 'Number', value: null },
            where: { type: 'geo:point', value: '0, 0' },
            floor: { type: 'Number', value: 2 },
            reset_status: { type: 'commandStatus', value: 'UNKNOWN' },
            reset_info: { type: 'commandResult', value: ' ' }
          }
        }
      })
      expect(f.cb.calls[1]!.id).toBe(before.registrationId)
      expect(f.cb.calls[2]!.body).toMatchObject({ dataProvided: { attrs: ['switch', 'interval', 'reset'] } })
      expect(after.registrationId).not.toBe(before.registrationId)
      expect([...f.cb.registrations.keys()]).toEqual([after.registrationId])
      expect(f.registry.findDevice('openiot', '/', 'device001')).toBe(after)
    })

    it('adds TimeInstant to the appended attributes when the global timestamp flag is on, even with nothing new', async () => {
      const g = await provisioningFixture({ timestamp: true })
      try {
        await g.provisioning.createDevices(SCOPE, [{ device_id: 'd' }])
        await g.provisioning.updateDevice(SCOPE, 'd', undefined, { timezone: 'Europe/Madrid' })
        const [append] = g.cb.callsOf('appendAttributes')
        expect(append!.body).toMatchObject({ id: 'Thing:d', attrs: { TimeInstant: { type: 'DateTime', value: expect.any(String) } } })
        expect(g.registry.findDevice('openiot', '/', 'd')!.timezone).toBe('Europe/Madrid')
      } finally {
        await g.close()
      }
    })

    it('sends no entity request when nothing is added and timestamps are off', async () => {
      f.cb.calls.length = 0
      await f.provisioning.updateDevice(SCOPE, 'device001', undefined, { timezone: 'UTC' })
      expect(f.cb.callsOf('appendAttributes')).toEqual([])
    })

    it('with a new entity name, touches no entity and registers the new name', async () => {
      f.cb.calls.length = 0
      await f.provisioning.updateDevice(SCOPE, 'device001', undefined, { entity_name: 'urn:ngsi-ld:Device:002', commands: [{ name: 'reset', type: 'command' }] })
      expect(f.cb.calls.map((c) => c.op)).toEqual(['deleteRegistration', 'createRegistration'])
      expect(f.cb.calls[1]!.body).toMatchObject({ dataProvided: { entities: [{ type: 'Device', id: 'urn:ngsi-ld:Device:002' }], attrs: ['reset'] } })
      expect(f.registry.findDeviceByEntity('openiot', '/', 'urn:ngsi-ld:Device:002')?.device_id).toBe('device001')
    })

    it('drops the registration when the device no longer provides anything', async () => {
      await f.provisioning.updateDevice(SCOPE, 'device001', undefined, { commands: [] })
      expect(f.registry.findDevice('openiot', '/', 'device001')!.registrationId).toBeUndefined()
      expect(f.cb.registrations.size).toBe(0)
    })

    it('goes on when the entity does not exist yet, and fails with ENTITY_GENERIC_ERROR on other refusals', async () => {
      f.cb.fail('appendAttributes', 404)
      await f.provisioning.updateDevice(SCOPE, 'device001', undefined, { attributes: [{ name: 'a', type: 'Number' }] })
      expect(f.registry.findDevice('openiot', '/', 'device001')!.attributes!.map((a) => a.name)).toEqual(['a'])
      f.cb.fail('appendAttributes', 500)
      expect(await rejection(f.provisioning.updateDevice(SCOPE, 'device001', undefined, { attributes: [{ name: 'b', type: 'Number' }] }))).toMatchObject({
        status: 500,
        name: 'ENTITY_GENERIC_ERROR'
      })
      expect(f.registry.findDevice('openiot', '/', 'device001')!.attributes!.map((a) => a.name)).toEqual(['a'])
    })

    it('moves the device to another apikey unless that identity is taken', async () => {
      await f.provisioning.createDevices(SCOPE, [{ device_id: 'device001', apikey: 'taken' }])
      expect(await rejection(f.provisioning.updateDevice(SCOPE, 'device001', undefined, { apikey: 'taken' }))).toMatchObject({ status: 409, name: 'DUPLICATE_DEVICE_ID' })
      await f.provisioning.updateDevice(SCOPE, 'device001', undefined, { apikey: KEY })
      expect(f.registry.deviceWithIdentity('openiot', '/', 'device001', KEY)?.entity_name).toBe('urn:ngsi-ld:Device:001')
    })

    it('refuses to empty the entity type', async () => {
      expect(await rejection(f.provisioning.updateDevice(SCOPE, 'device001', undefined, { entity_type: '' }))).toMatchObject({ status: 400, name: 'MISSING_ATTRIBUTES' })
    })
  })

  describe('deleteDevice and deleteDevices', () => {
    beforeEach(() => f.provisioning.createDevices(SCOPE, [device001(), { device_id: 'd2' }, { device_id: 'd3' }]))

    it('removes the device and its registration and leaves the entity alone', async () => {
      const d = f.registry.findDevice('openiot', '/', 'device001')!
      f.cb.calls.length = 0
      await f.provisioning.deleteDevice(SCOPE, 'device001')
      expect(f.cb.calls).toEqual([{ op: 'deleteRegistration', scope: { service: 'openiot', servicePath: '/' }, id: d.registrationId }])
      expect(f.registry.findDevice('openiot', '/', 'device001')).toBeUndefined()
      expect(await rejection(f.provisioning.deleteDevice(SCOPE, 'device001'))).toMatchObject({ status: 404, name: 'DEVICE_NOT_FOUND' })
    })

    it('keeps the device when the context broker refuses to delete its registration', async () => {
      f.cb.fail('deleteRegistration', 500)
      expect(await rejection(f.provisioning.deleteDevice(SCOPE, 'device001'))).toMatchObject({ status: 500, name: 'UNREGISTRATION_ERROR' })
      expect(f.registry.findDevice('openiot', '/', 'device001')).toBeDefined()
    })

    it('removes every listed device it finds and answers DEVICE_NOT_FOUND for the others', async () => {
      const err = await rejection(f.provisioning.deleteDevices(SCOPE, [{ deviceId: 'd2' }, { deviceId: 'nope' }, { deviceId: 'd3' }]))
      expect(err).toMatchObject({ status: 404, name: 'DEVICE_NOT_FOUND' })
      expect(f.registry.devicesOf('openiot', '/').map((d) => d.device_id)).toEqual(['device001'])
    })
  })
})
