import { afterEach, describe, expect, it } from 'vitest'
import { createEngineApi } from '../../electron/engine/api'
import type { EventPayloads } from '../../shared/contract'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'
import { waitFor } from '../helpers/wait-for'

const scope = { service: 'openiot', servicePath: '/' }
const apikey = '4jggokgpepnvsb2uv4s40d59ov'

describe('provisioning export and import', () => {
  const runs: RunningEngine[] = []
  const apis: Array<ReturnType<typeof createEngineApi>> = []
  afterEach(async () => {
    for (const a of apis.splice(0)) a.close()
    for (const r of runs.splice(0)) await r.dispose()
  })

  async function engine(): Promise<ReturnType<typeof createEngineApi>> {
    const run = await startEngine()
    runs.push(run)
    const api = createEngineApi(run.engine, { settings: { env: {} } })
    apis.push(api)
    return api
  }

  it('exports a scope as IoT Agent JSON that another engine imports to the same provisioning', async () => {
    const a = await engine()
    await a['groups.create']({
      scope,
      group: { apikey, resource: '', entity_type: 'Thing', commands: [{ name: 'ring', type: 'command' }], attributes: [{ object_id: 'c', name: 'count', type: 'Integer' }], cbroker: 'http://orion:1026' }
    })
    await a['groups.create']({ scope, group: { apikey: 'other', resource: '/iot/d', entity_type: 'Other', timestamp: false } })
    await a['devices.create']({
      scope,
      device: {
        device_id: 'bell001',
        entity_name: 'urn:ngsi-ld:Bell:001',
        entity_type: 'Bell',
        transport: 'MQTT',
        commands: [{ name: 'ring', type: 'command', mqtt: { qos: 1 } }],
        static_attributes: [{ name: 'refStore', type: 'Relationship', value: 'urn:ngsi-ld:Store:001' }]
      }
    })
    await a['devices.create']({ scope, device: { device_id: 'motion001', entity_name: 'urn:ngsi-ld:Motion:001', entity_type: 'Motion', attributes: [{ object_id: 'c', name: 'count', type: 'Integer' }] } })
    await a['devices.create']({ scope: { service: 'elsewhere', servicePath: '/' }, device: { device_id: 'not-exported' } })

    const doc = await a['provisioning.export']({ scope })
    expect(doc.services.map((g) => g.apikey)).toEqual([apikey, 'other'])
    expect(doc.devices.map((d) => d.device_id)).toEqual(['bell001', 'motion001'])
    // Ready for POST /iot/services and /iot/devices: no database id, no scope fields.
    for (const g of doc.services) expect(g).not.toHaveProperty('_id')
    expect(doc.services[0]).not.toHaveProperty('service')
    expect(doc.devices[0]).not.toHaveProperty('service_path')

    const b = await engine()
    const events: EventPayloads['provisioning'][] = []
    b.on('provisioning', (e) => events.push(e))
    // Through JSON, as a file would carry it.
    const imported = await b['provisioning.import']({ scope, document: JSON.parse(JSON.stringify(doc)) })
    expect(imported.results).toEqual([
      { kind: 'group', id: apikey, ok: true },
      { kind: 'group', id: 'other /iot/d', ok: true },
      { kind: 'device', id: 'bell001', ok: true },
      { kind: 'device', id: 'motion001', ok: true }
    ])
    expect(await b['provisioning.export']({ scope })).toEqual(doc)
    expect(await b['devices.get']({ scope, deviceId: 'bell001' })).toEqual(await a['devices.get']({ scope, deviceId: 'bell001' }))
    await waitFor(() => events.flat().length === 4, 'four provisioning events')
    expect(events.flat()).toContainEqual({ agent: 'ul', kind: 'group', op: 'created', service: 'openiot', servicePath: '/', id: apikey })
    expect(events.flat()).toContainEqual({ agent: 'ul', kind: 'device', op: 'created', service: 'openiot', servicePath: '/', id: 'bell001' })

    // Again: each item reports its own failure with the FIWARE name, like the north API.
    const again = await b['provisioning.import']({ scope, document: doc })
    expect(again.results.map((r) => [r.id, r.ok, r.error?.name, r.error?.status])).toEqual([
      [apikey, false, 'DUPLICATE_GROUP', 409],
      ['other /iot/d', false, 'DUPLICATE_GROUP', 409],
      ['bell001', false, 'DUPLICATE_DEVICE_ID', 409],
      ['motion001', false, 'DUPLICATE_DEVICE_ID', 409]
    ])
  })

  it('checks each item as the north API does and goes on after a failure', async () => {
    const a = await engine()
    const r = await a['provisioning.import']({
      scope,
      document: {
        groups: [{ apikey: 'k1', resource: '' }, { resource: '' }, { apikey: 'k2', resource: '', entity_type: 'T' }],
        devices: [{ entity_name: 'x' }, 'not an object', { device_id: 'd1', attributes: [{ name: 'a' }] }, { device_id: 'd2', apikey: 'k2' }]
      }
    })
    expect(r.results.map((x) => [x.kind, x.id, x.ok, x.error?.name])).toEqual([
      ['group', 'k1', false, 'MISSING_CONFIG_PARAMS'],
      ['group', 'services[1]', false, 'WRONG_SYNTAX'],
      ['group', 'k2', true, undefined],
      ['device', 'devices[0]', false, 'MISSING_ATTRIBUTES'],
      ['device', 'devices[1]', false, 'WRONG_SYNTAX'],
      ['device', 'd1', false, 'WRONG_SYNTAX'],
      ['device', 'd2', true, undefined]
    ])
    expect((await a['devices.get']({ scope, deviceId: 'd2' })).entity_type).toBe('T')
    await expect(a['provisioning.import']({ scope, document: [] })).rejects.toMatchObject({ name: 'WRONG_SYNTAX', status: 400 })
    await expect(a['provisioning.import']({ scope, document: { devices: {} } })).rejects.toMatchObject({ name: 'WRONG_SYNTAX' })
    expect(await a['provisioning.export']({ scope: { service: 'empty', servicePath: '/' } })).toEqual({ services: [], devices: [] })
  })
})
