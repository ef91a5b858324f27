import mqtt, { type MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'
import { startRecordingOrion, type OrionRequest, type RecordingOrion } from '../helpers/recording-orion'
import { waitFor } from '../helpers/wait-for'

/**
 * A group's `entityNameExp` names the devices created without `entity_name`, through the API or
 * autoprovisioned (docs/compatibility/iot-agent-ul.md §1.3, §3.4, §4.7): the registration of their
 * commands, their measures and their command statuses all name the expression's entity, and the
 * topic inspector reports the entity a measure went to.
 */

const TENANT = { 'fiware-service': 'openiot', 'fiware-servicepath': '/' }
const JSON_TENANT = { ...TENANT, 'content-type': 'application/json' }
const UPSERT = '/v2/entities?options=upsert'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- API answers are checked by the assertions
async function call(base: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const r = await fetch(`${base}${path}`, { method, headers: JSON_TENANT, ...(body !== undefined && { body: JSON.stringify(body) }) })
  const text = await r.text()
  return { status: r.status, body: text ? JSON.parse(text) : undefined }
}

async function provision(run: RunningEngine, kind: 'services' | 'devices', items: unknown[]): Promise<void> {
  expect(await call(run.northUrl, 'POST', `/iot/${kind}`, { [kind]: items })).toEqual({ status: 201, body: {} })
}

/** What the topic inspector recorded for the last message on `topic`. */
function lastOutcome(run: RunningEngine, topic: string): unknown {
  return run.engine.inspector.messages({ filter: (m) => m.topic === topic }).at(-1)?.outcome
}

describe('entityNameExp at device creation, with an external context broker', () => {
  let orion: RecordingOrion
  let run: RunningEngine
  let client: MqttClient

  beforeAll(async () => {
    orion = await startRecordingOrion()
    run = await startEngine((c) => {
      c.contextBroker = { mode: 'external', url: orion.url, retryMaxMs: 200 }
    })
    client = await mqtt.connectAsync(run.mqttUrl)
    await provision(run, 'services', [
      {
        apikey: 'lampkey',
        entity_type: 'Lamp',
        resource: '',
        timestamp: false,
        entityNameExp: "'urn:ngsi-ld:' + type + ':' + site + '-' + (id|touppercase)",
        static_attributes: [{ name: 'site', type: 'Text', value: 'north' }],
        attributes: [{ object_id: 'l', name: 'luminosity', type: 'Number' }],
        commands: [{ name: 'ping', type: 'command' }]
      }
    ])
  })
  afterAll(async () => {
    await client?.endAsync(true)
    await run?.dispose()
    await orion?.close()
  })

  /** Publishes a measure (QoS 1) and returns the next entity update Orion receives. */
  async function measure(topic: string, payload: string): Promise<OrionRequest> {
    const before = orion.requests.length
    await client.publishAsync(topic, payload, { qos: 1 })
    return waitFor(() => orion.requests.slice(before).find((r) => r.url === UPSERT || r.url === '/v2/op/update'), `the update for ${payload}`)
  }

  it('a device provisioned without entity_name: stored, registered and measured under the expression entity', async () => {
    const before = orion.requests.length
    await provision(run, 'devices', [{ device_id: 'lamp001', apikey: 'lampkey', entity_type: 'Lamp' }])
    const ENTITY = 'urn:ngsi-ld:Lamp:north-LAMP001'

    expect((await call(run.northUrl, 'GET', '/iot/devices/lamp001')).body.entity_name).toBe(ENTITY)
    const registrations = orion.requests.slice(before).filter((r) => r.method === 'POST' && r.url === '/v2/registrations')
    expect(registrations).toHaveLength(1)
    expect(registrations[0]!).toMatchObject({ service: 'openiot', servicePath: '/' })
    expect(registrations[0]!.body).toEqual({
      dataProvided: { entities: [{ type: 'Lamp', id: ENTITY }], attrs: ['ping'] },
      provider: { http: { url: run.engine.providerUrl } }
    })

    const update = await measure('/lampkey/lamp001/attrs', 'l|40')
    expect(update).toMatchObject({ method: 'POST', url: UPSERT, service: 'openiot', servicePath: '/' })
    expect(update.body).toEqual({ id: ENTITY, type: 'Lamp', site: { type: 'Text', value: 'north' }, luminosity: { type: 'Number', value: 40 } })
    expect(lastOutcome(run, '/lampkey/lamp001/attrs')).toMatchObject({ kind: 'attrs', deviceId: 'lamp001', entityId: ENTITY, entityType: 'Lamp' })
  })

  it('an explicit entity_name is kept and registered, while measures go to the expression entity the inspector reports', async () => {
    const before = orion.requests.length
    await provision(run, 'devices', [{ device_id: 'lamp002', apikey: 'lampkey', entity_type: 'Lamp', entity_name: 'urn:ngsi-ld:Lamp:named' }])
    expect((await call(run.northUrl, 'GET', '/iot/devices/lamp002')).body.entity_name).toBe('urn:ngsi-ld:Lamp:named')
    const registration = orion.requests.slice(before).find((r) => r.method === 'POST' && r.url === '/v2/registrations')
    expect(registration?.body.dataProvided).toEqual({ entities: [{ type: 'Lamp', id: 'urn:ngsi-ld:Lamp:named' }], attrs: ['ping'] })

    const update = await measure('/lampkey/lamp002/attrs', 'l|7')
    expect(update.body.id).toBe('urn:ngsi-ld:Lamp:north-LAMP002')
    // The inspector names the entity the update went to, not the stored entity_name.
    expect(lastOutcome(run, '/lampkey/lamp002/attrs')).toMatchObject({ deviceId: 'lamp002', entityId: 'urn:ngsi-ld:Lamp:north-LAMP002' })
  })

  it('an autoprovisioned device: its registration and its first measure name the same expression entity', async () => {
    const before = orion.requests.length
    const update = await measure('/lampkey/lamp003/attrs', 'l|12')
    const ENTITY = 'urn:ngsi-ld:Lamp:north-LAMP003'
    expect(update.body).toEqual({ id: ENTITY, type: 'Lamp', site: { type: 'Text', value: 'north' }, luminosity: { type: 'Number', value: 12 } })
    expect(lastOutcome(run, '/lampkey/lamp003/attrs')).toMatchObject({ deviceId: 'lamp003', entityId: ENTITY, autoprovisioned: true })

    // The registration of the group's commands is made in the background.
    const registration = await waitFor(
      () => orion.requests.slice(before).find((r) => r.method === 'POST' && r.url === '/v2/registrations'),
      'the registration of lamp003'
    )
    expect(registration.body).toEqual({
      dataProvided: { entities: [{ type: 'Lamp', id: ENTITY }], attrs: ['ping'] },
      provider: { http: { url: run.engine.providerUrl } }
    })
    await run.engine.provisioning.settle()
    const device = (await call(run.northUrl, 'GET', '/iot/devices/lamp003')).body
    expect(device).toMatchObject({ entity_name: ENTITY, entity_type: 'Lamp' })
  })

  it('a command forwarded for the expression entity reaches the device, and its PENDING status goes to that entity', async () => {
    const received: string[] = []
    const lamp = await mqtt.connectAsync(run.mqttUrl)
    try {
      lamp.on('message', (_topic, payload) => received.push(payload.toString()))
      await lamp.subscribeAsync('/lampkey/lamp001/cmd', { qos: 1 })
      const before = orion.requests.length
      // What Orion forwards to the agent through the registration.
      const r = await fetch(`${run.northUrl}/v2/op/update`, {
        method: 'POST',
        headers: JSON_TENANT,
        body: JSON.stringify({ actionType: 'update', entities: [{ id: 'urn:ngsi-ld:Lamp:north-LAMP001', type: 'Lamp', ping: { type: 'command', value: '', metadata: {} } }] })
      })
      expect(r.status).toBe(204)
      await waitFor(() => received.length === 1, 'the command on /lampkey/lamp001/cmd')
      expect(received).toEqual(['lamp001@ping|'])
      const status = await waitFor(
        () => orion.requests.slice(before).find((q) => (q.url === UPSERT || q.url === '/v2/op/update') && JSON.stringify(q.body).includes('ping_status')),
        'the PENDING status'
      )
      const entity = status.url === UPSERT ? status.body : status.body.entities[0]
      expect(entity).toMatchObject({ id: 'urn:ngsi-ld:Lamp:north-LAMP001', type: 'Lamp', ping_status: { type: 'commandStatus', value: 'PENDING' } })
    } finally {
      await lamp.endAsync(true)
    }
  })
})

describe('entityNameExp at device creation, with the embedded context broker', () => {
  let run: RunningEngine
  let client: MqttClient

  beforeAll(async () => {
    run = await startEngine()
    client = await mqtt.connectAsync(run.mqttUrl)
  })
  afterAll(async () => {
    await client?.endAsync(true)
    await run?.dispose()
  })

  async function entity(id: string): Promise<{ status: number; body: Record<string, unknown> | undefined }> {
    const r = await fetch(`${run.ngsiUrl}/v2/entities/${encodeURIComponent(id)}?options=keyValues`, { headers: TENANT })
    return { status: r.status, body: (await r.json()) as Record<string, unknown> }
  }

  it('a command PATCHed on the expression entity reaches the device; measures and its _status land on that entity', async () => {
    await provision(run, 'services', [
      {
        apikey: 'bellkey',
        entity_type: 'Bell',
        resource: '',
        timestamp: false,
        entityNameExp: "'urn:ngsi-ld:Bell:' + service + ':' + id",
        attributes: [{ object_id: 'v', name: 'volume', type: 'Number' }],
        commands: [{ name: 'ring', type: 'command' }]
      }
    ])
    await provision(run, 'devices', [{ device_id: 'bell001', apikey: 'bellkey', entity_type: 'Bell' }])
    const ENTITY = 'urn:ngsi-ld:Bell:openiot:bell001'
    expect((await call(run.northUrl, 'GET', '/iot/devices/bell001')).body.entity_name).toBe(ENTITY)

    const bell = await mqtt.connectAsync(run.mqttUrl)
    try {
      const received: string[] = []
      bell.on('message', (_topic, payload) => {
        const text = payload.toString()
        received.push(text)
        void bell.publishAsync('/bellkey/bell001/cmdexe', `${text.split('|')[0]!}|rung`, { qos: 1 })
      })
      await bell.subscribeAsync('/bellkey/bell001/cmd', { qos: 1 })

      await client.publishAsync('/bellkey/bell001/attrs', 'v|3', { qos: 1 })
      const measured = await waitFor(async () => {
        const e = await entity(ENTITY)
        return e.status === 200 ? e.body : undefined
      }, 'the measure on the expression entity')
      expect(measured).toMatchObject({ id: ENTITY, type: 'Bell', volume: 3 })
      expect(lastOutcome(run, '/bellkey/bell001/attrs')).toMatchObject({ deviceId: 'bell001', entityId: ENTITY })

      const r = await fetch(`${run.ngsiUrl}/v2/entities/${encodeURIComponent(ENTITY)}/attrs?type=Bell`, {
        method: 'PATCH',
        headers: JSON_TENANT,
        body: JSON.stringify({ ring: { type: 'command', value: 'twice' } })
      })
      expect(r.status).toBe(204)
      await waitFor(() => received.length === 1, 'the command at the device')
      expect(received).toEqual(['bell001@ring|twice'])

      const settled = await waitFor(async () => {
        const e = await entity(ENTITY)
        return e.body?.ring_status === 'OK' ? e.body : undefined
      }, 'ring_status OK on the expression entity')
      expect(settled).toMatchObject({ id: ENTITY, type: 'Bell', volume: 3, ring_status: 'OK', ring_info: 'rung' })
      // Nothing went to the default name.
      expect((await entity('Bell:bell001')).status).toBe(404)
    } finally {
      await bell.endAsync(true)
    }
  })

  it('the expression sees the static attributes with numbers read as numbers; a failing one gives the default name', async () => {
    await provision(run, 'services', [
      { apikey: 'meterkey', entity_type: 'Meter', resource: '', entityNameExp: "'urn:ngsi-ld:Meter:' + serial" },
      { apikey: 'gaugekey', entity_type: 'Gauge', resource: '', entityNameExp: 'code|split("-")', defaultEntityNameConjunction: '_' }
    ])
    await provision(run, 'devices', [
      { device_id: 'meter001', apikey: 'meterkey', entity_type: 'Meter', static_attributes: [{ name: 'serial', type: 'Text', value: '0042' }] },
      { device_id: 'gauge001', apikey: 'gaugekey', entity_type: 'Gauge' }
    ])
    expect((await call(run.northUrl, 'GET', '/iot/devices/meter001')).body.entity_name).toBe('urn:ngsi-ld:Meter:42')
    expect((await call(run.northUrl, 'GET', '/iot/devices/gauge001')).body.entity_name).toBe('Gauge_gauge001')
  })
})
