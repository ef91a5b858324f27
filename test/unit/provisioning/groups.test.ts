import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { GroupInput } from '../../../electron/engine/agent/provisioning'
import { provisioningFixture, rejection, SCOPE, type ProvisioningFixture } from './fixture'

const seedGroup = (over: Partial<GroupInput> = {}): GroupInput => ({ apikey: '4jggokgpepnvsb2uv4s40d59ov', entity_type: 'Device', resource: '', ...over })

describe('group provisioning', () => {
  let f: ProvisioningFixture
  beforeEach(async () => {
    f = await provisioningFixture()
  })
  afterEach(() => f.close())

  describe('createGroups', () => {
    it('stores a group in the scope of the headers, with known fields (and cbroker) only and nothing sent to the context broker', async () => {
      const input = { ...seedGroup(), cbroker: 'http://orion:1026', service: 'ignored', subservice: '/ignored' } as GroupInput
      const [g] = await f.provisioning.createGroups({ service: 'OpenIoT', servicePath: '/' }, [input])
      expect(g).toEqual({ _id: expect.stringMatching(/^[0-9a-f]{24}$/), creationDate: expect.any(Number), service: 'openiot', subservice: '/', apikey: input.apikey, entity_type: 'Device', resource: '', cbroker: 'http://orion:1026' })
      expect(f.cb.calls).toEqual([])
    })

    it('fills object_id and name of items from each other and stores a numeric command qos as a string', async () => {
      const [g] = await f.provisioning.createGroups(SCOPE, [
        seedGroup({
          attributes: [{ object_id: 't', type: 'Number' }],
          commands: [{ name: 'ping', type: 'command', mqtt: { qos: 1, retain: true } }],
          lazy: [{ name: 'battery', type: 'Number' }]
        })
      ])
      expect(g!.attributes).toEqual([{ object_id: 't', name: 't', type: 'Number' }])
      expect(g!.commands).toEqual([{ object_id: 'ping', name: 'ping', type: 'command', mqtt: { qos: '1', retain: true } }])
      expect(g!.lazy).toEqual([{ object_id: 'battery', name: 'battery', type: 'Number' }])
    })

    it('keeps only the known fields of attribute, command and static items', async () => {
      const [g] = await f.provisioning.createGroups(SCOPE, [
        seedGroup({
          attributes: [{ object_id: 't', name: 'temperature', type: 'Number', reverse: [] } as never],
          commands: [{ name: 'ping', type: 'command', polling: true } as never],
          static_attributes: [{ name: 's', type: 'Text', value: 'v', note: 'x' } as never]
        })
      ])
      expect(g!.attributes).toEqual([{ object_id: 't', name: 'temperature', type: 'Number' }])
      expect(g!.commands).toEqual([{ object_id: 'ping', name: 'ping', type: 'command' }])
      expect(g!.static_attributes).toEqual([{ name: 's', type: 'Text', value: 'v' }])
    })

    it('creates the items in order and keeps those created before a failure', async () => {
      const err = await rejection(f.provisioning.createGroups(SCOPE, [seedGroup({ apikey: 'a' }), seedGroup({ apikey: 'b', entity_type: undefined }), seedGroup({ apikey: 'c' })]))
      expect(err).toMatchObject({ status: 400, name: 'MISSING_CONFIG_PARAMS' })
      expect(f.registry.allGroups().map((g) => g.apikey)).toEqual(['a'])
    })

    it('refuses a duplicate (resource, apikey) with DUPLICATE_GROUP, also within one request', async () => {
      await f.provisioning.createGroups(SCOPE, [seedGroup()])
      expect(await rejection(f.provisioning.createGroups({ service: 'other', servicePath: '/x' }, [seedGroup()]))).toMatchObject({ status: 409, name: 'DUPLICATE_GROUP' })
      expect(await rejection(f.provisioning.createGroups(SCOPE, [seedGroup({ apikey: 'n' }), seedGroup({ apikey: 'n' })]))).toMatchObject({ status: 409, name: 'DUPLICATE_GROUP' })
      await f.provisioning.createGroups(SCOPE, [seedGroup({ resource: '/iot/d' })])
    })

    it('refuses an empty service or subservice and a missing or empty entity_type with MISSING_CONFIG_PARAMS', async () => {
      for (const [scope, g] of [
        [{ service: '', servicePath: '/' }, seedGroup()],
        [{ service: 'openiot', servicePath: '' }, seedGroup()],
        [SCOPE, seedGroup({ entity_type: undefined })],
        [SCOPE, seedGroup({ entity_type: '' })]
      ] as const) {
        expect(await rejection(f.provisioning.createGroups(scope, [g]))).toMatchObject({ status: 400, name: 'MISSING_CONFIG_PARAMS' })
      }
      expect(f.registry.counts().groups).toBe(0)
    })
  })

  describe('listGroups', () => {
    beforeEach(async () => {
      await f.provisioning.createGroups(SCOPE, [seedGroup({ apikey: 'a' }), seedGroup({ apikey: 'b' })])
      await f.provisioning.createGroups({ service: 'openiot', servicePath: '/floor1' }, [seedGroup({ apikey: 'c' })])
      await f.provisioning.createGroups({ service: 'other', servicePath: '/' }, [seedGroup({ apikey: 'd' })])
    })

    it('lists exactly the subservice of the header, without pagination', () => {
      const list = f.provisioning.listGroups(SCOPE, { limit: 1 })
      expect(list.count).toBe(2)
      expect(list.items.map((g) => g.apikey)).toEqual(['a', 'b'])
    })

    it('lists every group of the service for the servicepath /*, paginated, count being the total', () => {
      const list = f.provisioning.listGroups({ service: 'OPENIOT', servicePath: '/*' }, { limit: 2, offset: 1 })
      expect(list.count).toBe(3)
      expect(list.items.map((g) => g.apikey)).toEqual(['b', 'c'])
    })

    it('answers an empty listing rather than an error', () => {
      expect(f.provisioning.listGroups({ service: 'openiot', servicePath: '/none' })).toEqual({ count: 0, items: [] })
    })
  })

  describe('updateGroup', () => {
    beforeEach(() => f.provisioning.createGroups(SCOPE, [seedGroup()]))

    it('merges the given fields and keeps the others', async () => {
      const g = await f.provisioning.updateGroup({ service: 'OpenIoT', servicePath: '/' }, '', seedGroup().apikey, {
        timestamp: true,
        commands: [{ name: 'ping', type: 'command' }]
      })
      expect(g).toMatchObject({ entity_type: 'Device', resource: '', timestamp: true, commands: [{ object_id: 'ping', name: 'ping', type: 'command' }] })
      expect(f.registry.findGroup('', seedGroup().apikey)).toBe(g)
    })

    it('answers DEVICE_GROUP_NOT_FOUND for an unknown group and MISMATCHED_SERVICE for another scope', async () => {
      expect(await rejection(f.provisioning.updateGroup(SCOPE, '/iot/d', seedGroup().apikey, {}))).toMatchObject({ status: 404, name: 'DEVICE_GROUP_NOT_FOUND' })
      expect(await rejection(f.provisioning.updateGroup({ service: 'openiot', servicePath: '/x' }, '', seedGroup().apikey, {}))).toMatchObject({ status: 403, name: 'MISMATCHED_SERVICE' })
      expect(await rejection(f.provisioning.updateGroup({ service: 'other', servicePath: '/' }, '', seedGroup().apikey, {}))).toMatchObject({ status: 403, name: 'MISMATCHED_SERVICE' })
    })

    it('moves a group to a new apikey unless another group has it', async () => {
      await f.provisioning.createGroups(SCOPE, [seedGroup({ apikey: 'taken' })])
      expect(await rejection(f.provisioning.updateGroup(SCOPE, '', seedGroup().apikey, { apikey: 'taken' }))).toMatchObject({ status: 409, name: 'DUPLICATE_GROUP' })
      await f.provisioning.updateGroup(SCOPE, '', seedGroup().apikey, { apikey: 'fresh' })
      expect(f.registry.findGroup('', 'fresh')).toBeDefined()
      expect(await rejection(f.provisioning.updateGroup(SCOPE, '', 'fresh', { entity_type: '' }))).toMatchObject({ status: 400, name: 'MISSING_CONFIG_PARAMS' })
    })
  })

  describe('deleteGroup', () => {
    const key = seedGroup().apikey
    beforeEach(async () => {
      await f.provisioning.createGroups(SCOPE, [seedGroup(), seedGroup({ apikey: 'other', entity_type: 'Sensor' })])
      await f.provisioning.createDevices(SCOPE, [
        { device_id: 'keyed', apikey: key, commands: [{ name: 'ping', type: 'command' }] },
        { device_id: 'keyless', entity_type: 'Device' },
        { device_id: 'foreign', apikey: 'other' },
        { device_id: 'keyless-sensor', entity_type: 'Sensor' }
      ])
    })

    it('removes only the group by default', async () => {
      await f.provisioning.deleteGroup(SCOPE, '', key)
      expect(f.registry.findGroup('', key)).toBeUndefined()
      expect(f.registry.counts().devices).toBe(4)
    })

    it('with devices, removes the devices of that group only, and their registrations', async () => {
      const registration = f.registry.findDevice('openiot', '/', 'keyed', key)!.registrationId
      expect(registration).toBeDefined()
      await f.provisioning.deleteGroup(SCOPE, '', key, { devices: true })
      expect(f.registry.devicesOf('openiot', '/').map((d) => d.device_id)).toEqual(['foreign', 'keyless-sensor'])
      expect(f.cb.callsOf('deleteRegistration').map((c) => c.id)).toEqual([registration])
      expect(f.cb.registrations.has(registration!)).toBe(false)
    })

    it('answers DEVICE_GROUP_NOT_FOUND and MISMATCHED_SERVICE like updates', async () => {
      expect(await rejection(f.provisioning.deleteGroup(SCOPE, '/nope', key))).toMatchObject({ status: 404, name: 'DEVICE_GROUP_NOT_FOUND' })
      expect(await rejection(f.provisioning.deleteGroup({ service: 'openiot', servicePath: '/other' }, '', key))).toMatchObject({ status: 403, name: 'MISMATCHED_SERVICE' })
      expect(f.registry.findGroup('', key)).toBeDefined()
    })
  })
})
