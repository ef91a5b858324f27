import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { JSON_TENANT, startNorth, TENANT, type NorthHarness } from '../helpers/iota-harness'

const KEY = '4jggokgpepnvsb2uv4s40d59ov'
const group = (over: Record<string, unknown> = {}): Record<string, unknown> => ({ apikey: KEY, entity_type: 'Device', resource: '', ...over })

describe('north API: config groups', () => {
  let h: NorthHarness
  beforeEach(async () => {
    h = await startNorth()
  })
  afterEach(() => h.close())

  for (const [path, key] of [
    ['/iot/services', 'services'],
    ['/iot/groups', 'groups']
  ] as const) {
    describe(path, () => {
      it(`creates with 201 {} and lists under "${key}"`, async () => {
        const created = await h.call('POST', path, JSON_TENANT, { [key]: [group({ timestamp: true })] })
        expect(created.status).toBe(201)
        expect(created.body).toEqual({})
        const list = await h.call('GET', path, TENANT)
        expect(list.status).toBe(200)
        expect(list.body).toEqual({
          count: 1,
          [key]: [{ _id: expect.stringMatching(/^[0-9a-f]{24}$/), creationDate: expect.any(Number), service: 'openiot', subservice: '/', apikey: KEY, entity_type: 'Device', resource: '', timestamp: true }]
        })
      })

      it('refuses the other array key, extra top-level keys and bad item types with WRONG_SYNTAX', async () => {
        const other = key === 'services' ? 'groups' : 'services'
        for (const body of [
          { [other]: [group()] },
          { [key]: [group()], extra: 1 },
          { [key]: [group({ apikey: 7 })] },
          { [key]: [group({ resource: undefined })] },
          { [key]: [group({ timestamp: 'yes' })] },
          { [key]: [group({ commands: [{ name: 'ping' }] })] },
          { [key]: 'nope' },
          [group()]
        ]) {
          const res = await h.call('POST', path, JSON_TENANT, body)
          expect({ status: res.status, name: res.body?.name }).toEqual({ status: 400, name: 'WRONG_SYNTAX' })
        }
        expect(h.registry.counts().groups).toBe(0)
      })

      it('answers DUPLICATE_GROUP 409 and MISSING_CONFIG_PARAMS 400', async () => {
        await h.call('POST', path, JSON_TENANT, { [key]: [group()] })
        const dup = await h.call('POST', path, JSON_TENANT, { [key]: [group()] })
        expect({ status: dup.status, name: dup.body.name }).toEqual({ status: 409, name: 'DUPLICATE_GROUP' })
        const noType = await h.call('POST', path, JSON_TENANT, { [key]: [group({ apikey: 'x', entity_type: undefined })] })
        expect({ status: noType.status, name: noType.body.name }).toEqual({ status: 400, name: 'MISSING_CONFIG_PARAMS' })
        // An empty header passes the header check and fails here.
        const noService = await h.call('POST', path, { ...JSON_TENANT, 'fiware-service': '' }, { [key]: [group({ apikey: 'y' })] })
        expect({ status: noService.status, name: noService.body.name }).toEqual({ status: 400, name: 'MISSING_CONFIG_PARAMS' })
      })

      it('updates with PUT ?resource=&apikey= (204) and refuses unknown groups and other scopes', async () => {
        await h.call('POST', path, JSON_TENANT, { [key]: [group()] })
        const ok = await h.call('PUT', `${path}?resource=&apikey=${KEY}`, JSON_TENANT, { entity_type: 'Sensor', unknownField: 1 })
        expect(ok.status).toBe(204)
        expect(ok.text).toBe('')
        expect(h.registry.findGroup('', KEY)).toMatchObject({ entity_type: 'Sensor' })
        expect(h.registry.findGroup('', KEY)).not.toHaveProperty('unknownField')

        const missing = await h.call('PUT', `${path}?apikey=${KEY}`, JSON_TENANT, {})
        expect({ status: missing.status, name: missing.body.name }).toEqual({ status: 400, name: 'MISSING_HEADERS' })
        const unknown = await h.call('PUT', `${path}?resource=/iot/d&apikey=${KEY}`, JSON_TENANT, {})
        expect({ status: unknown.status, name: unknown.body.name }).toEqual({ status: 404, name: 'DEVICE_GROUP_NOT_FOUND' })
        const other = await h.call('PUT', `${path}?resource=&apikey=${KEY}`, { ...JSON_TENANT, 'fiware-servicepath': '/other' }, {})
        expect({ status: other.status, name: other.body.name }).toEqual({ status: 403, name: 'MISMATCHED_SERVICE' })
        const badType = await h.call('PUT', `${path}?resource=&apikey=${KEY}`, JSON_TENANT, { autoprovision: 'no' })
        expect({ status: badType.status, name: badType.body.name }).toEqual({ status: 400, name: 'WRONG_SYNTAX' })
        // Without a body nothing changes.
        expect((await h.call('PUT', `${path}?resource=&apikey=${KEY}`, TENANT)).status).toBe(204)
      })

      it('deletes with DELETE ?resource=&apikey= (204), with the devices of the group when device=true', async () => {
        await h.call('POST', path, JSON_TENANT, { [key]: [group()] })
        await h.call('POST', '/iot/devices', JSON_TENANT, { devices: [{ device_id: 'a', apikey: KEY }, { device_id: 'b', apikey: 'other' }] })
        const missing = await h.call('DELETE', `${path}?resource=`, TENANT)
        expect({ status: missing.status, name: missing.body.name }).toEqual({ status: 400, name: 'MISSING_HEADERS' })
        const other = await h.call('DELETE', `${path}?resource=&apikey=${KEY}`, { 'fiware-service': 'else', 'fiware-servicepath': '/' })
        expect({ status: other.status, name: other.body.name }).toEqual({ status: 403, name: 'MISMATCHED_SERVICE' })
        const res = await h.call('DELETE', `${path}?resource=&apikey=${KEY}&device=true`, TENANT)
        expect(res.status).toBe(204)
        expect(h.registry.findGroup('', KEY)).toBeUndefined()
        expect(h.registry.devicesOf('openiot', '/').map((d) => d.device_id)).toEqual(['b'])
        const again = await h.call('DELETE', `${path}?resource=&apikey=${KEY}`, TENANT)
        expect({ status: again.status, name: again.body.name }).toEqual({ status: 404, name: 'DEVICE_GROUP_NOT_FOUND' })
      })
    })
  }

  it('shares one store between /iot/services and /iot/groups', async () => {
    await h.call('POST', '/iot/services', JSON_TENANT, { services: [group()] })
    const list = await h.call('GET', '/iot/groups', TENANT)
    expect(list.body).toMatchObject({ count: 1, groups: [{ apikey: KEY }] })
    expect(list.body).not.toHaveProperty('services')
  })

  it('lists all groups of the service, paginated, for the servicepath /*, and 200 count 0 for none', async () => {
    for (const [sp, k] of [
      ['/a', 'k1'],
      ['/b', 'k2'],
      ['/b', 'k3']
    ]) {
      await h.call('POST', '/iot/groups', { ...JSON_TENANT, 'fiware-servicepath': sp! }, { groups: [group({ apikey: k })] })
    }
    const page = await h.call('GET', '/iot/groups?limit=2&offset=1', { ...TENANT, 'fiware-servicepath': '/*' })
    expect(page.status).toBe(200)
    expect(page.body.count).toBe(3)
    expect(page.body.groups.map((g: { apikey: string }) => g.apikey)).toEqual(['k2', 'k3'])
    const one = await h.call('GET', '/iot/groups', { ...TENANT, 'fiware-servicepath': '/b' })
    expect(one.body.count).toBe(2)
    const none = await h.call('GET', '/iot/groups', { ...TENANT, 'fiware-servicepath': '/none' })
    expect(none.status).toBe(200)
    expect(none.body).toEqual({ count: 0, groups: [] })
    const bad = await h.call('GET', '/iot/groups?limit=-1', { ...TENANT, 'fiware-servicepath': '/*' })
    expect({ status: bad.status, name: bad.body.name }).toEqual({ status: 400, name: 'WRONG_SYNTAX' })
  })

  it('accepts the command qos as a number or a string and stores the string form', async () => {
    const res = await h.call('POST', '/iot/groups', JSON_TENANT, { groups: [group({ commands: [{ name: 'a', type: 'command', mqtt: { qos: 2 } }, { name: 'b', type: 'command', mqtt: { qos: '1' } }] })] })
    expect(res.status).toBe(201)
    const list = await h.call('GET', '/iot/groups', TENANT)
    expect(list.body.groups[0].commands.map((c: { mqtt: { qos: string } }) => c.mqtt.qos)).toEqual(['2', '1'])
  })
})
