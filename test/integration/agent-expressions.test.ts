import mqtt, { type MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'
import { startRecordingOrion, type OrionRequest, type RecordingOrion } from '../helpers/recording-orion'
import { waitFor } from '../helpers/wait-for'

/**
 * JEXL expressions, entityNameExp and a measured TimeInstant, end to end: provisioning on the
 * north API, UltraLight measures from a real MQTT client, and the exact NGSI-v2 requests the
 * agent sends to an external context broker (docs/compatibility/iot-agent-ul.md §4.5, §4.7).
 */

const TENANT = { 'fiware-service': 'openiot', 'fiware-servicepath': '/' }
const JSON_TENANT = { ...TENANT, 'content-type': 'application/json' }
const UPSERT = '/v2/entities?options=upsert'
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- API answers are checked by the assertions
async function call(base: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const r = await fetch(`${base}${path}`, { method, headers: JSON_TENANT, ...(body !== undefined && { body: JSON.stringify(body) }) })
  const text = await r.text()
  return { status: r.status, body: text ? JSON.parse(text) : undefined }
}

describe('expressions with an external context broker', () => {
  let orion: RecordingOrion
  let run: RunningEngine
  let client: MqttClient

  beforeAll(async () => {
    orion = await startRecordingOrion()
    run = await startEngine((c) => {
      c.contextBroker = { mode: 'external', url: orion.url, retryMaxMs: 200 }
    })
    client = await mqtt.connectAsync(run.mqttUrl)
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

  const provision = async (kind: 'services' | 'devices', items: unknown[]): Promise<void> => {
    const r = await call(run.northUrl, 'POST', `/iot/${kind}`, { [kind]: items })
    expect(r).toEqual({ status: 201, body: {} })
  }

  it('an attribute with an expression: its value is the result, sent with the statics and the other measures', async () => {
    await provision('services', [{ apikey: 'exprkey', entity_type: 'Sensor', resource: '', timestamp: false }])
    await provision('devices', [
      {
        device_id: 'sensor01',
        apikey: 'exprkey',
        entity_name: 'urn:ngsi-ld:Sensor:01',
        entity_type: 'Sensor',
        attributes: [
          { object_id: 't', name: 'temperature', type: 'Number', expression: 't*10' },
          { object_id: 'rh', name: 'relativeHumidity', type: 'Number' },
          { name: 'label', type: 'Text', expression: "id + ' on floor ' + floor" },
          { name: 'broken', type: 'Number', expression: 'x|split(",")' }
        ],
        static_attributes: [{ name: 'floor', type: 'Number', value: 2 }]
      }
    ])
    const req = await measure('/exprkey/sensor01/attrs', 't|2.5|rh|60|x|7')
    expect(req).toMatchObject({ method: 'POST', url: UPSERT, service: 'openiot', servicePath: '/', contentType: 'application/json' })
    expect(req.body).toEqual({
      id: 'urn:ngsi-ld:Sensor:01',
      type: 'Sensor',
      floor: { type: 'Number', value: 2 },
      temperature: { type: 'Number', value: 25 },
      relativeHumidity: { type: 'Number', value: 60 },
      label: { type: 'Text', value: 'sensor01 on floor 2' },
      x: { type: 'Text', value: 7 }
    })
    expect(Object.keys(req.body)).toEqual(['id', 'type', 'floor', 'temperature', 'relativeHumidity', 'label', 'x'])
    expect(run.engine.southbound.stats().rejected).toEqual({})
  })

  it('entityNameExp on a group: every measure goes to the entity the expression names', async () => {
    await provision('services', [
      {
        apikey: 'roomkey',
        entity_type: 'Thing',
        resource: '',
        timestamp: false,
        entityNameExp: "'urn:ngsi-ld:Room:' + room",
        attributes: [{ object_id: 't', name: 'temperature', type: 'Number' }]
      }
    ])
    const first = await measure('/roomkey/thermo7/attrs', 'room|7|t|21')
    expect(first.url).toBe(UPSERT)
    expect(first.body).toEqual({ id: 'urn:ngsi-ld:Room:7', type: 'Thing', temperature: { type: 'Number', value: 21 }, room: { type: 'Text', value: 7 } })
    const second = await measure('/roomkey/thermo7/attrs', 'room|8|t|22')
    expect(second.body).toEqual({ id: 'urn:ngsi-ld:Room:8', type: 'Thing', temperature: { type: 'Number', value: 22 }, room: { type: 'Text', value: 8 } })
    // The autoprovisioned device was named before its measure was read: `room` was missing then.
    const dev = await call(run.northUrl, 'GET', '/iot/devices/thermo7')
    expect(dev.body.entity_name).toBe('urn:ngsi-ld:Room:undefined')
  })

  it('TimeInstant mapped from `tt` with timestamps on: the measured time for the entity and every metadata; a bad one is refused', async () => {
    await provision('devices', [
      {
        device_id: 'clock01',
        apikey: 'exprkey',
        entity_name: 'urn:ngsi-ld:Sensor:clock01',
        entity_type: 'Sensor',
        timestamp: true,
        attributes: [
          { object_id: 't', name: 'temperature', type: 'Number' },
          { object_id: 'tt', name: 'TimeInstant', type: 'DateTime' }
        ],
        static_attributes: [{ name: 'floor', type: 'Number', value: 2 }]
      }
    ])
    const T = '2026-01-02T03:04:05.000Z'
    const measured = await measure('/exprkey/clock01/attrs', `t|20|tt|${T}`)
    const meta = { TimeInstant: { type: 'DateTime', value: T } }
    expect(measured.body).toEqual({
      id: 'urn:ngsi-ld:Sensor:clock01',
      type: 'Sensor',
      floor: { type: 'Number', value: 2, metadata: meta },
      temperature: { type: 'Number', value: 20, metadata: meta },
      TimeInstant: { type: 'DateTime', value: T }
    })

    // Not ISO 8601: nothing is sent, the message is counted and the inspector says why.
    const before = orion.requests.length
    await client.publishAsync('/exprkey/clock01/attrs', 't|21|tt|yesterday', { qos: 1 })
    await waitFor(() => run.engine.southbound.stats().rejected.BAD_TIMESTAMP === 1, 'the BAD_TIMESTAMP count')
    const last = run.engine.inspector.messages({ filter: (m) => m.topic === '/exprkey/clock01/attrs' }).at(-1)
    expect(last?.outcome).toMatchObject({ kind: 'attrs', deviceId: 'clock01', error: 'BAD_TIMESTAMP', message: expect.stringContaining('"yesterday" is not an ISO 8601 date') })

    // Without tt: the current time. It is the next update Orion sees (the refused one never came).
    const now = await measure('/exprkey/clock01/attrs', 't|22')
    expect(orion.requests.slice(before).filter((r) => r.url === UPSERT)).toEqual([now])
    const t = now.body.TimeInstant.value
    expect(t).toMatch(ISO)
    expect(now.body).toEqual({
      id: 'urn:ngsi-ld:Sensor:clock01',
      type: 'Sensor',
      floor: { type: 'Number', value: 2, metadata: { TimeInstant: { type: 'DateTime', value: t } } },
      temperature: { type: 'Number', value: 22, metadata: { TimeInstant: { type: 'DateTime', value: t } } },
      TimeInstant: { type: 'DateTime', value: t }
    })
  })

  it('a wrong expression is a 400 INVALID_EXPRESSION at provisioning (POST and PUT, groups and devices), nothing stored', async () => {
    const badDevice = await call(run.northUrl, 'POST', '/iot/devices', {
      devices: [{ device_id: 'bad01', apikey: 'exprkey', attributes: [{ object_id: 't', name: 'temperature', type: 'Number', expression: 't*' }] }]
    })
    expect(badDevice).toEqual({
      status: 400,
      body: { name: 'INVALID_EXPRESSION', message: 'Invalid expression in evaluation [t*] at attributes[0].expression: Unexpected end of expression: t*' }
    })
    expect((await call(run.northUrl, 'GET', '/iot/devices/bad01')).status).toBe(404)

    const badGroup = await call(run.northUrl, 'POST', '/iot/services', { services: [{ apikey: 'badkey', entity_type: 'Thing', resource: '', entityNameExp: "'urn:' + id +" }] })
    expect(badGroup.status).toBe(400)
    expect(badGroup.body).toMatchObject({ name: 'INVALID_EXPRESSION', message: expect.stringContaining('at entityNameExp') })
    expect((await call(run.northUrl, 'GET', '/iot/services')).body.services.map((g: { apikey: string }) => g.apikey)).not.toContain('badkey')

    const unknownTransform = await call(run.northUrl, 'PUT', '/iot/services?resource=&apikey=exprkey', {
      attributes: [{ object_id: 'x', name: 'x', type: 'Number', expression: 'x|tofloat' }]
    })
    expect(unknownTransform.status).toBe(400)
    expect(unknownTransform.body).toMatchObject({ name: 'INVALID_EXPRESSION', message: expect.stringContaining('unknown transform tofloat') })

    const badPut = await call(run.northUrl, 'PUT', '/iot/devices/sensor01', { attributes: [{ object_id: 't', name: 'temperature', type: 'Number', expression: 't +* 2' }] })
    expect(badPut.status).toBe(400)
    expect(badPut.body.name).toBe('INVALID_EXPRESSION')
    // The device is unchanged: its expression still applies.
    expect((await measure('/exprkey/sensor01/attrs', 't|1')).body.temperature).toEqual({ type: 'Number', value: 10 })
  })

  it('a command expression replaces the value, over id, type and the static attributes', async () => {
    await provision('devices', [
      {
        device_id: 'lamp01',
        apikey: 'exprkey',
        entity_name: 'urn:ngsi-ld:Lamp:01',
        entity_type: 'Lamp',
        timestamp: false,
        commands: [{ name: 'ping', type: 'command', expression: "id + '/' + type + '/' + floor" }],
        static_attributes: [{ name: 'floor', type: 'Number', value: 2 }]
      }
    ])
    const received: string[] = []
    const lamp = await mqtt.connectAsync(run.mqttUrl)
    try {
      lamp.on('message', (_topic, payload) => received.push(payload.toString()))
      await lamp.subscribeAsync('/exprkey/lamp01/cmd', { qos: 1 })
      // What Orion forwards to the agent through the registration.
      const r = await fetch(`${run.northUrl}/v2/op/update`, {
        method: 'POST',
        headers: JSON_TENANT,
        body: JSON.stringify({ actionType: 'update', entities: [{ id: 'urn:ngsi-ld:Lamp:01', type: 'Lamp', ping: { type: 'command', value: 'anything', metadata: {} } }] })
      })
      expect(r.status).toBe(204)
      await waitFor(() => received.length === 1, 'the command on /exprkey/lamp01/cmd')
      expect(received).toEqual(['lamp01@ping|lamp01/Lamp/2'])
    } finally {
      await lamp.endAsync(true)
    }
  })
})

describe('expressions with the embedded context broker', () => {
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

  it('the entity read back from the NGSI-v2 API holds the results and the entityNameExp id', async () => {
    expect(
      await call(run.northUrl, 'POST', '/iot/services', {
        services: [
          {
            apikey: 'embkey',
            entity_type: 'Tank',
            resource: '',
            timestamp: false,
            entityNameExp: "'urn:ngsi-ld:Tank:' + (id|touppercase)",
            attributes: [
              { object_id: 'l', name: 'level', type: 'Number', expression: 'l / 100' },
              { name: 'state', type: 'Text', expression: "level > 0.5 ? 'full' : 'low'" }
            ]
          }
        ]
      })
    ).toEqual({ status: 201, body: {} })
    await client.publishAsync('/embkey/tank9/attrs', 'l|85', { qos: 1 })
    const entity = await waitFor(async () => {
      const r = await fetch(`${run.ngsiUrl}/v2/entities/urn:ngsi-ld:Tank:TANK9?options=keyValues`, { headers: TENANT })
      return r.status === 200 ? ((await r.json()) as Record<string, unknown>) : undefined
    }, 'the entity urn:ngsi-ld:Tank:TANK9')
    expect(entity).toEqual({ id: 'urn:ngsi-ld:Tank:TANK9', type: 'Tank', level: 0.85, state: 'full' })
  })
})
