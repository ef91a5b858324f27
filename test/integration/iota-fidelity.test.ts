import { readFileSync } from 'node:fs'
import { connectAsync, type MqttClient } from 'mqtt'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { Logger } from '../../electron/engine/log/logger'
import { DocStore } from '../../electron/engine/persist/doc-store'
import { Registry } from '../../electron/engine/registry/registry'
import { APIKEY, copy, CREATE_SERVICE_BODY, DEVICE_ID, ENTITY_ID, JSON_TENANT, PROVISION_DEVICE_BODY, SERVICE_GROUP, TENANT } from '../fixtures/tutorial7'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'
import { send, startNorth, type NorthHarness } from '../helpers/iota-harness'
import { tempDir } from '../helpers/temp-dir'

/**
 * The provisioning API's bodies, stated whole as iotagent-ul 3.7 returns them for the seed
 * tutorial's requests (docs/compatibility/iot-agent-ul.md §1.2, §1.3, §1.5, §3.4, §4.8). Only
 * `creationDate` (a clock reading) and `_id` are matched loosely: FIWARE's in-memory registry
 * numbers groups 1, 2…, ours gives MongoDB-style ids (documented in §1.2).
 */

const PACKAGE = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { productName: string; version: string }
const OBJECT_ID = expect.stringMatching(/^[0-9a-f]{24}$/)
const TENANT_SCOPE = { service: 'openiot', servicePath: '/' }

/** The seed group as `GET /iot/services` lists it: as sent, plus scope, `_id` and `creationDate`. */
const LISTED_GROUP = {
  apikey: APIKEY,
  cbroker: 'http://orion:1026',
  resource: '',
  service: 'openiot',
  subservice: '/',
  _id: OBJECT_ID,
  creationDate: expect.any(Number),
  entity_type: 'Device'
}

/** device001 as `GET /iot/devices/device001` returns it: ids filled in, no apikey, `protocol` as sent. */
const LISTED_DEVICE = {
  device_id: DEVICE_ID,
  service: 'openiot',
  service_path: '/',
  entity_name: ENTITY_ID,
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
}

describe('provisioning API bodies as iotagent-ul gives them', () => {
  let h: NorthHarness
  beforeEach(async () => {
    h = await startNorth()
  })
  afterEach(() => h.close())

  const provisionSeed = async (): Promise<void> => {
    expect((await h.call('POST', '/iot/services', JSON_TENANT, CREATE_SERVICE_BODY)).status).toBe(201)
    expect((await h.call('POST', '/iot/devices', JSON_TENANT, PROVISION_DEVICE_BODY)).status).toBe(201)
  }

  it('lists the seed group with its cbroker and creationDate, under /iot/services and /iot/groups', async () => {
    const before = Date.now()
    await provisionSeed()
    const after = Date.now()
    const services = await h.call('GET', '/iot/services', TENANT)
    expect({ status: services.status, body: services.body }).toEqual({ status: 200, body: { count: 1, services: [LISTED_GROUP] } })
    const groups = await h.call('GET', '/iot/groups', TENANT)
    expect({ status: groups.status, body: groups.body }).toEqual({ status: 200, body: { count: 1, groups: [LISTED_GROUP] } })
    // Epoch milliseconds of the creation, the same in both listings and after an update.
    const created = services.body.services[0].creationDate as number
    expect(created).toBeGreaterThanOrEqual(before)
    expect(created).toBeLessThanOrEqual(after)
    expect(groups.body.groups[0].creationDate).toBe(created)
    expect((await h.call('PUT', `/iot/services?resource=&apikey=${APIKEY}`, JSON_TENANT, { cbroker: 'http://orion:1027' })).status).toBe(204)
    const updated = await h.call('GET', '/iot/services', TENANT)
    expect(updated.body).toEqual({ count: 1, services: [{ ...LISTED_GROUP, cbroker: 'http://orion:1027', creationDate: created }] })
  })

  it('returns the tutorial device with exactly FIWARE fields, fetched and listed', async () => {
    await provisionSeed()
    const one = await h.call('GET', `/iot/devices/${DEVICE_ID}`, TENANT)
    expect({ status: one.status, body: one.body }).toEqual({ status: 200, body: LISTED_DEVICE })
    const list = await h.call('GET', '/iot/devices', TENANT)
    expect({ status: list.status, body: list.body }).toEqual({ status: 200, body: { count: 1, devices: [LISTED_DEVICE] } })
  })

  it('lists internal_attributes and protocol as sent, and no attributes when none were given', async () => {
    const internal = { lorawan: { application_server: { host: 'eu.thethings.network' } } }
    const body = { devices: [{ device_id: 'bare' }, { device_id: 'rich', protocol: 'PDI-IoTA-UltraLight', internal_attributes: internal, attributes: [] }] }
    expect((await h.call('POST', '/iot/devices', JSON_TENANT, body)).status).toBe(201)
    const list = await h.call('GET', '/iot/devices', TENANT)
    const common = { service: 'openiot', service_path: '/', entity_type: 'Thing', transport: 'MQTT', lazy: [], commands: [], static_attributes: [] }
    expect(list.body).toEqual({
      count: 2,
      devices: [
        { device_id: 'bare', ...common, entity_name: 'Thing:bare' },
        { device_id: 'rich', ...common, entity_name: 'Thing:rich', attributes: [], internal_attributes: internal, protocol: 'PDI-IoTA-UltraLight' }
      ]
    })
  })

  it('returns commands replaced by a device update as they were sent, without object_id', async () => {
    await provisionSeed()
    const commands = [
      { name: 'switch', type: 'command' },
      { name: 'ring', type: 'command' }
    ]
    expect((await h.call('PUT', `/iot/devices/${DEVICE_ID}`, JSON_TENANT, { commands })).status).toBe(204)
    const one = await h.call('GET', `/iot/devices/${DEVICE_ID}`, TENANT)
    expect(one.body).toEqual({ ...LISTED_DEVICE, commands })
    // What the device still does with them: a command named in the update is registered.
    expect(h.cb.callsOf('createRegistration').at(-1)).toMatchObject({ scope: TENANT_SCOPE, body: { dataProvided: { attrs: ['switch', 'ring'] } } })
  })

  it('answers /iot/about and /version with FIWARE fields and the product', async () => {
    const expected = {
      libVersion: '4.14.0',
      port: h.port,
      baseRoot: '/',
      version: '3.7.0',
      product: { name: PACKAGE.productName, version: PACKAGE.version }
    }
    for (const path of ['/iot/about', '/version']) {
      const res = await send(h.port, 'GET', path)
      expect({ path, status: res.status, body: res.body }).toEqual({ path, status: 200, body: expected })
    }
  })
})

describe('registry records across restarts', () => {
  const logger = new Logger('ERROR', 10)
  const dirs: Array<{ cleanup: () => void }> = []
  afterAll(() => dirs.forEach((d) => d.cleanup()))
  const dataDir = (): string => {
    const d = tempDir('ulcc-fidelity-')
    dirs.push(d)
    return d.path
  }

  it('keeps cbroker and creationDate of a group through a reopen', async () => {
    const dir = dataDir()
    const first = await Registry.open({ dataDir: dir }, logger)
    const stored = await first.addGroup({ service: 'openiot', subservice: '/', ...copy(SERVICE_GROUP) })
    await first.close()
    const again = await Registry.open({ dataDir: dir }, logger)
    expect(again.findGroup('', APIKEY)).toEqual(stored)
    expect(stored).toMatchObject({ cbroker: 'http://orion:1026', creationDate: expect.any(Number) })
    await again.close()
  })

  it('loads a group stored without creationDate and dates it by its id', async () => {
    const dir = dataDir()
    const id = '65a1b2c3' + '0123456789abcdef'
    const store = await DocStore.open<unknown>(`${dir}/groups.db`)
    await store.put(id, { v: 1, seq: 1, record: { _id: id, service: 'openiot', subservice: '/', apikey: 'old', resource: '', entity_type: 'Thing' } })
    await store.close()
    const registry = await Registry.open({ dataDir: dir }, logger)
    expect(registry.findGroup('', 'old')).toEqual({
      _id: id,
      service: 'openiot',
      subservice: '/',
      apikey: 'old',
      resource: '',
      entity_type: 'Thing',
      creationDate: 0x65a1b2c3 * 1000
    })
    await registry.close()
  })
})

describe('autoprovisioned device as iotagent-ul gives it', () => {
  let run: RunningEngine
  let client: MqttClient
  beforeAll(async () => {
    run = await startEngine()
    client = await connectAsync(run.mqttUrl)
  })
  afterAll(async () => {
    await client?.endAsync(true)
    await run?.dispose()
  })

  it('has only the fields FIWARE stores for it, fetched and listed', async () => {
    const created = await fetch(`${run.northUrl}/iot/services`, { method: 'POST', headers: JSON_TENANT, body: JSON.stringify(CREATE_SERVICE_BODY) })
    expect(created.status).toBe(201)
    // QoS 1: the PUBACK comes once the agent has handled the measure.
    await client.publishAsync(`ul/${APIKEY}/sensor042/attrs`, 't|21.5', { qos: 1 })
    const expected = {
      device_id: 'sensor042',
      apikey: APIKEY,
      service: 'openiot',
      service_path: '/',
      entity_name: 'Device:sensor042',
      entity_type: 'Device',
      transport: 'MQTT',
      lazy: [],
      commands: [],
      static_attributes: []
    }
    const one = await fetch(`${run.northUrl}/iot/devices/sensor042`, { headers: TENANT })
    expect({ status: one.status, body: await one.json() }).toEqual({ status: 200, body: expected })
    const list = await fetch(`${run.northUrl}/iot/devices`, { headers: TENANT })
    expect(await list.json()).toEqual({ count: 1, devices: [expected] })
  })
})
