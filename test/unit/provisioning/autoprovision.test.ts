import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { GroupInput } from '../../../electron/engine/agent/provisioning'
import type { LogEntry } from '../../../electron/engine/log/logger'
import type { ServiceGroup } from '../../../electron/engine/registry/types'
import { PROVIDER_URL, provisioningFixture, SCOPE, type ProvisioningFixture } from './fixture'

const KEY = '4jggokgpepnvsb2uv4s40d59ov'

describe('autoprovision', () => {
  let f: ProvisioningFixture
  const makeGroup = async (over: Partial<GroupInput> = {}): Promise<ServiceGroup> =>
    (await f.provisioning.createGroups(SCOPE, [{ apikey: KEY, resource: '', entity_type: 'Device', ...over }]))[0]!

  beforeEach(async () => {
    f = await provisioningFixture()
  })
  afterEach(() => f.close())

  it('creates the device in memory at once, named <type>:<id>, with the group apikey and transport', async () => {
    const group = await makeGroup({ transport: 'MQTT' })
    const d = f.provisioning.autoprovision(group, 'sensor7')
    expect(d).toMatchObject({
      device_id: 'sensor7',
      apikey: KEY,
      service: 'openiot',
      service_path: '/',
      entity_type: 'Device',
      entity_name: 'Device:sensor7',
      transport: 'MQTT',
      autoprovisioned: true,
      commands: []
    })
    expect(d).not.toHaveProperty('attributes')
    expect(f.registry.findDevice('openiot', '/', 'sensor7', KEY)).toBe(d)
    expect(f.cb.calls).toEqual([])
  })

  it('returns the same device when called again, and an API device of that id rather than a duplicate', async () => {
    const group = await makeGroup()
    const first = f.provisioning.autoprovision(group, 'sensor7')
    expect(f.provisioning.autoprovision(group, 'sensor7')).toBe(first)
    // The seed tutorial provisions device001 without apikey: its measures must reach that device.
    const [api] = await f.provisioning.createDevices(SCOPE, [{ device_id: 'device001', entity_name: 'urn:ngsi-ld:Device:001' }])
    expect(f.provisioning.autoprovision(group, 'device001')).toBe(api)
    expect(f.registry.counts().devices).toBe(2)
  })

  it('writes the device to disk in the background', async () => {
    const group = await makeGroup()
    f.provisioning.autoprovision(group, 'sensor7')
    const registry = await f.reopen()
    expect(registry.findDevice('openiot', '/', 'sensor7', KEY)).toMatchObject({ entity_name: 'Device:sensor7' })
  })

  it('registers the group commands in the background and records the registration id', async () => {
    const group = await makeGroup({ commands: [{ name: 'ping', type: 'command' }], lazy: [{ name: 'battery', type: 'Number' }] })
    const d = f.provisioning.autoprovision(group, 'sensor7')
    expect(d.commands).toEqual([{ object_id: 'ping', name: 'ping', type: 'command' }])
    await f.provisioning.settle()
    expect(f.cb.callsOf('createRegistration').map((c) => c.body)).toEqual([
      { dataProvided: { entities: [{ type: 'Device', id: 'Device:sensor7' }], attrs: ['battery', 'ping'] }, provider: { http: { url: PROVIDER_URL } } }
    ])
    const stored = f.registry.findDevice('openiot', '/', 'sensor7', KEY)!
    expect(stored.registrationId).toBeDefined()
    expect(f.cb.registrations.has(stored.registrationId!)).toBe(true)
  })

  it('keeps the device and logs when the registration fails', async () => {
    const errors: LogEntry[] = []
    f.logger.onEntry((e) => e.level === 'ERROR' && errors.push(e))
    const group = await makeGroup({ commands: [{ name: 'ping', type: 'command' }] })
    f.cb.fail('createRegistration', 500)
    f.provisioning.autoprovision(group, 'sensor7')
    await f.provisioning.settle()
    expect(f.registry.findDevice('openiot', '/', 'sensor7', KEY)?.registrationId).toBeUndefined()
    expect(errors.map((e) => e.code)).toContain('PROVISIONING-AUTO')
  })

  it('drops a registration that arrives after the device was removed', async () => {
    const group = await makeGroup({ commands: [{ name: 'ping', type: 'command' }] })
    const d = f.provisioning.autoprovision(group, 'sensor7')
    await f.registry.removeDevice(d)
    await f.provisioning.settle()
    expect(f.cb.registrations.size).toBe(0)
  })
})
