import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Logger } from '../../../electron/engine/log/logger'
import { Registry, type NewGroup } from '../../../electron/engine/registry/registry'
import type { Device, RegistryChange } from '../../../electron/engine/registry/types'
import { tempDir } from '../../helpers/temp-dir'

const logger = (): Logger => new Logger('FATAL', 10)

function group(over: Partial<NewGroup> = {}): NewGroup {
  return { service: 'openiot', subservice: '/', resource: '', apikey: 'k1', entity_type: 'Device', ...over }
}

function device(over: Partial<Device> = {}): Device {
  const id = over.device_id ?? 'device001'
  return {
    device_id: id,
    service: 'openiot',
    service_path: '/',
    entity_name: `urn:ngsi-ld:Device:${id}`,
    entity_type: 'Device',
    attributes: [],
    lazy: [],
    commands: [],
    static_attributes: [],
    ...over
  }
}

async function expectIotaError(p: Promise<unknown>, status: number, name: string): Promise<void> {
  await expect(p).rejects.toMatchObject({ status, name })
}

describe('Registry', () => {
  let dir: ReturnType<typeof tempDir>
  let registry: Registry

  beforeEach(async () => {
    dir = tempDir('ulcc-registry-')
    registry = await Registry.open({ dataDir: dir.path }, logger())
  })

  afterEach(async () => {
    await registry.close()
    dir.cleanup()
  })

  const reopen = async (): Promise<Registry> => {
    await registry.close()
    registry = await Registry.open({ dataDir: dir.path }, logger())
    return registry
  }

  describe('groups', () => {
    it('stores groups in groups.db with an ObjectId-like _id and the service lower-cased', async () => {
      const g = await registry.addGroup(group({ service: 'OpenIoT' }))
      expect(g._id).toMatch(/^[0-9a-f]{24}$/)
      expect(g.service).toBe('openiot')
      expect(existsSync(join(dir.path, 'groups.db'))).toBe(true)
      expect(existsSync(join(dir.path, 'devices.db'))).toBe(true)
    })

    it('finds a group by (resource, apikey), by apikey and by scope, case-insensitively on the service', async () => {
      const a = await registry.addGroup(group())
      const b = await registry.addGroup(group({ resource: '/iot/d', apikey: 'k1', subservice: '/other' }))
      await registry.addGroup(group({ apikey: 'k2', service: 'elsewhere' }))
      expect(registry.findGroup('', 'k1')).toBe(a)
      expect(registry.findGroup('/iot/d', 'k1')).toBe(b)
      expect(registry.findGroup('/iot/d', 'k2')).toBeUndefined()
      expect(registry.groupsByApikey('k1')).toEqual([a, b])
      expect(registry.groupsOf('OPENIOT', '/')).toEqual([a])
      expect(registry.groupById(b._id)).toBe(b)
    })

    it('refuses a second group with the same (resource, apikey), whatever its scope', async () => {
      await registry.addGroup(group())
      await expectIotaError(registry.addGroup(group({ service: 'other', entity_type: 'Thing' })), 409, 'DUPLICATE_GROUP')
      expect(registry.counts().groups).toBe(1)
    })

    it('lists the groups of a service or of one subservice, paginated, with the total count', async () => {
      for (let i = 0; i < 5; i++) await registry.addGroup(group({ apikey: `k${i}`, subservice: i % 2 ? '/odd' : '/even' }))
      await registry.addGroup(group({ apikey: 'x', service: 'other' }))
      const page = registry.listGroups({ service: 'openiot' }, { limit: 2, offset: 1 })
      expect(page.count).toBe(5)
      expect(page.items.map((g) => g.apikey)).toEqual(['k1', 'k2'])
      expect(registry.listGroups({ service: 'openiot', subservice: '/odd' }).items.map((g) => g.apikey)).toEqual(['k1', 'k3'])
      expect(registry.listGroups({ service: 'nobody' })).toEqual({ count: 0, items: [] })
    })

    it('updates a group in place, re-indexing a changed apikey, and refuses to take another group identity', async () => {
      const a = await registry.addGroup(group())
      await registry.addGroup(group({ apikey: 'k2' }))
      const updated = await registry.updateGroup(a, { ...a, apikey: 'k3', timestamp: true })
      expect(updated._id).toBe(a._id)
      expect(registry.findGroup('', 'k1')).toBeUndefined()
      expect(registry.findGroup('', 'k3')).toBe(updated)
      expect(registry.listGroups({ service: 'openiot' }).items[0]).toBe(updated)
      await expectIotaError(registry.updateGroup(updated, { ...updated, apikey: 'k2' }), 409, 'DUPLICATE_GROUP')
      expect(registry.findGroup('', 'k3')).toBe(updated)
    })

    it('removes a group', async () => {
      const a = await registry.addGroup(group())
      await registry.removeGroup(a)
      expect(registry.findGroup('', 'k1')).toBeUndefined()
      expect(registry.groupsByApikey('k1')).toEqual([])
      await expectIotaError(registry.removeGroup(a), 404, 'DEVICE_GROUP_NOT_FOUND')
    })
  })

  describe('devices', () => {
    it('finds a device by the exact apikey first, else one stored without apikey', async () => {
      const keyless = await registry.addDevice(device())
      const keyed = await registry.addDevice(device({ apikey: 'k1' }))
      expect(registry.findDevice('openiot', '/', 'device001', 'k1')).toBe(keyed)
      expect(registry.findDevice('openiot', '/', 'device001', 'other')).toBe(keyless)
      expect(registry.findDevice('openiot', '/', 'device001')).toBe(keyless)
      expect(registry.findDevice('OpenIoT', '/', 'device001', 'k1')).toBe(keyed)
      expect(registry.findDevice('openiot', '/x', 'device001', 'k1')).toBeUndefined()
      expect(registry.deviceWithIdentity('openiot', '/', 'device001', undefined)).toBe(keyless)
    })

    it('does not fall back to a device stored with another apikey', async () => {
      const keyed = await registry.addDevice(device({ apikey: 'k1' }))
      expect(registry.findDevice('openiot', '/', 'device001', 'k2')).toBeUndefined()
      expect(registry.findDevice('openiot', '/', 'device001')).toBe(keyed)
    })

    it('refuses a second device with the same (service, subservice, device_id, apikey)', async () => {
      await registry.addDevice(device({ apikey: 'k1' }))
      await expectIotaError(registry.addDevice(device({ apikey: 'k1', entity_name: 'other' })), 409, 'DUPLICATE_DEVICE_ID')
      await registry.addDevice(device({ apikey: 'k1', service_path: '/other' }))
      expect(registry.counts().devices).toBe(2)
    })

    it('finds devices by device_id across services and by entity name and type', async () => {
      const a = await registry.addDevice(device({ apikey: 'k1' }))
      const b = await registry.addDevice(device({ service: 'other', entity_type: 'Sensor', entity_name: 'urn:ngsi-ld:Device:device001' }))
      expect(registry.devicesById('device001')).toEqual([a, b])
      expect(registry.devicesById('nobody')).toEqual([])
      expect(registry.findDeviceByEntity('openiot', '/', 'urn:ngsi-ld:Device:device001')).toBe(a)
      expect(registry.findDeviceByEntity('openiot', '/', 'urn:ngsi-ld:Device:device001', 'Device')).toBe(a)
      expect(registry.findDeviceByEntity('openiot', '/', 'urn:ngsi-ld:Device:device001', 'Sensor')).toBeUndefined()
      expect(registry.findDeviceByEntity('other', '/', 'urn:ngsi-ld:Device:device001', 'Sensor')).toBe(b)
    })

    it('lists the devices of a scope in creation order, paginated, with the total count', async () => {
      for (let i = 0; i < 5; i++) await registry.addDevice(device({ device_id: `d${i}` }))
      await registry.addDevice(device({ device_id: 'elsewhere', service_path: '/x' }))
      const page = registry.listDevices({ service: 'openiot', subservice: '/' }, { limit: 2, offset: 2 })
      expect(page.count).toBe(5)
      expect(page.items.map((d) => d.device_id)).toEqual(['d2', 'd3'])
      expect(registry.listDevices({ service: 'openiot', subservice: '/' }, { offset: 4 }).items.map((d) => d.device_id)).toEqual(['d4'])
      expect(registry.listDevices({ service: 'none', subservice: '/' })).toEqual({ count: 0, items: [] })
    })

    it('updates a device, moving its index entries and keeping its place in the listing', async () => {
      const first = await registry.addDevice(device({ device_id: 'a' }))
      await registry.addDevice(device({ device_id: 'b' }))
      const renamed = await registry.updateDevice(first, { ...first, entity_name: 'renamed', apikey: 'k9' })
      expect(registry.findDeviceByEntity('openiot', '/', first.entity_name)).toBeUndefined()
      expect(registry.findDeviceByEntity('openiot', '/', 'renamed')).toBe(renamed)
      expect(registry.findDevice('openiot', '/', 'a', 'k9')).toBe(renamed)
      expect(registry.deviceWithIdentity('openiot', '/', 'a', undefined)).toBeUndefined()
      expect(registry.devicesById('a')).toEqual([renamed])
      expect(registry.listDevices({ service: 'openiot', subservice: '/' }).items.map((d) => d.device_id)).toEqual(['a', 'b'])
      // An older version of the record still designates it.
      expect(registry.current(first)).toBe(renamed)
      const again = await registry.updateDevice(first, { ...renamed, timestamp: true })
      expect(registry.findDevice('openiot', '/', 'a', 'k9')).toBe(again)
    })

    it('refuses an update that would give a device the identity of another one', async () => {
      const a = await registry.addDevice(device({ apikey: 'k1' }))
      await registry.addDevice(device({ apikey: 'k2' }))
      await expectIotaError(registry.updateDevice(a, { ...a, apikey: 'k2' }), 409, 'DUPLICATE_DEVICE_ID')
      expect(registry.findDevice('openiot', '/', 'device001', 'k1')).toBe(a)
    })

    it('removes a device from every index', async () => {
      const a = await registry.addDevice(device({ apikey: 'k1' }))
      await registry.removeDevice(a)
      expect(registry.findDevice('openiot', '/', 'device001', 'k1')).toBeUndefined()
      expect(registry.devicesById('device001')).toEqual([])
      expect(registry.findDeviceByEntity('openiot', '/', a.entity_name)).toBeUndefined()
      expect(registry.devicesOf('openiot', '/')).toEqual([])
      expect(registry.current(a)).toBeUndefined()
      await expectIotaError(registry.removeDevice(a), 404, 'DEVICE_NOT_FOUND')
    })

    it('makes an autoprovisioned device visible at once and writes it in the background', async () => {
      const { device: d, persisted } = registry.addDeviceNow(device({ apikey: 'k1', autoprovisioned: true }))
      expect(registry.findDevice('openiot', '/', 'device001', 'k1')).toBe(d)
      expect(() => registry.addDeviceNow(device({ apikey: 'k1' }))).toThrow(expect.objectContaining({ name: 'DUPLICATE_DEVICE_ID' }))
      await persisted
      await reopen()
      expect(registry.findDevice('openiot', '/', 'device001', 'k1')).toMatchObject({ autoprovisioned: true })
    })
  })

  it('hands out frozen records that callers cannot change behind its back', async () => {
    const d = await registry.addDevice(device({ attributes: [{ object_id: 't', name: 'temperature', type: 'Number' }] }))
    const g = await registry.addGroup(group())
    expect(() => {
      ;(d as { entity_name: string }).entity_name = 'x'
    }).toThrow(TypeError)
    expect(() => d.attributes!.push({ name: 'x', type: 'Text' })).toThrow(TypeError)
    expect(() => {
      ;(g as { apikey: string }).apikey = 'x'
    }).toThrow(TypeError)
  })

  it('keeps a copy: changing the object given to it changes nothing stored', async () => {
    const input = device()
    await registry.addDevice(input)
    input.entity_name = 'changed'
    input.attributes!.push({ name: 'x', type: 'Text' })
    expect(registry.findDevice('openiot', '/', 'device001')).toMatchObject({ entity_name: 'urn:ngsi-ld:Device:device001', attributes: [] })
  })

  it('reopens with every record, index and listing order', async () => {
    const g1 = await registry.addGroup(group({ service: 'OpenIoT' }))
    await registry.addGroup(group({ apikey: 'k2', subservice: '/b' }))
    for (const id of ['c', 'a', 'b']) await registry.addDevice(device({ device_id: id, apikey: 'k1' }))
    const a = registry.findDevice('openiot', '/', 'a', 'k1')!
    await registry.updateDevice(a, { ...a, entity_name: 'renamed' })
    await registry.removeDevice(registry.findDevice('openiot', '/', 'b', 'k1')!)
    await registry.updateGroup(g1, { ...g1, timestamp: true })

    await reopen()
    expect(registry.counts()).toEqual({ groups: 2, devices: 2 })
    expect(registry.findGroup('', 'k1')).toMatchObject({ _id: g1._id, service: 'openiot', timestamp: true })
    expect(registry.groupsByApikey('k2')).toHaveLength(1)
    expect(registry.groupsOf('openiot', '/b')).toHaveLength(1)
    expect(registry.listDevices({ service: 'openiot', subservice: '/' }).items.map((d) => d.device_id)).toEqual(['c', 'a'])
    expect(registry.findDeviceByEntity('openiot', '/', 'renamed')?.device_id).toBe('a')
    expect(registry.findDevice('openiot', '/', 'b', 'k1')).toBeUndefined()
    expect(registry.devicesById('c')).toHaveLength(1)
    // New records after a reopen still sort after the old ones.
    await registry.addDevice(device({ device_id: 'z' }))
    await reopen()
    expect(registry.listDevices({ service: 'openiot', subservice: '/' }).items.map((d) => d.device_id)).toEqual(['c', 'a', 'z'])
  })

  it('finishes writes in flight before closing', async () => {
    const { persisted } = registry.addDeviceNow(device({ apikey: 'k1' }))
    void persisted.catch(() => {})
    await reopen()
    expect(registry.findDevice('openiot', '/', 'device001', 'k1')).toBeDefined()
  })

  it('tells listeners about every change once it is stored, and survives a failing listener', async () => {
    const changes: RegistryChange[] = []
    registry.onChange(() => {
      throw new Error('listener bug')
    })
    const off = registry.onChange((c) => changes.push(c))
    const g = await registry.addGroup(group())
    const d = await registry.addDevice(device())
    await registry.updateDevice(d, { ...d, timestamp: true })
    await registry.removeDevice(d)
    await registry.updateGroup(g, { ...g, timestamp: true })
    await registry.removeGroup(g)
    await registry.addDeviceNow(device({ device_id: 'auto' })).persisted
    off()
    await registry.addDevice(device({ device_id: 'unheard' }))
    expect(changes.map((c) => `${c.kind}:${c.op}`)).toEqual([
      'group:created',
      'device:created',
      'device:updated',
      'device:deleted',
      'group:updated',
      'group:deleted',
      'device:created'
    ])
  })

  it('refuses writes once closed', async () => {
    await registry.close()
    await expectIotaError(registry.addGroup(group()), 500, 'INTERNAL_DB_ERROR')
    registry = await Registry.open({ dataDir: dir.path }, logger())
  })
})
