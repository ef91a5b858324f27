import { connectAsync, type MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEngineApi } from '../../electron/engine/api'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'
import { jsonNorthUrl, keyValues, postJson } from '../helpers/json-agent'
import { sendCommand } from '../helpers/postman-tutorial7'
import { waitFor } from '../helpers/wait-for'

/**
 * The IoT Agent JSON over MQTT (docs/compatibility/iot-agent-json.md §2, §3): a group and a device
 * provisioned on the JSON agent's north port, a real MQTT client publishing JSON payloads on the
 * embedded broker, the entity read back from the NGSI port, commands received by the client.
 */

const APIKEY = 'jsonkey1'
const DEVICE = 'sensor01'
const ENTITY = 'urn:ngsi-ld:Thing:sensor01'
const TYPE = 'Thing'

describe('IoT Agent JSON over MQTT', () => {
  let run: RunningEngine
  let client: MqttClient
  const publish = async (topic: string, payload: string): Promise<void> => {
    // QoS 1: the engine acknowledges once the message is processed and its update durable.
    await client.publishAsync(topic, payload, { qos: 1 })
  }
  const entity = async (): Promise<Record<string, unknown>> => (await keyValues(run, ENTITY)) ?? {}

  beforeAll(async () => {
    run = await startEngine()
    const north = jsonNorthUrl(run)
    expect((await postJson(`${north}/iot/services`, { services: [{ apikey: APIKEY, entity_type: TYPE, resource: '/iot/json' }] })).status).toBe(201)
    const device = {
      device_id: DEVICE,
      entity_name: ENTITY,
      entity_type: TYPE,
      transport: 'MQTT',
      attributes: [
        { object_id: 't', name: 'temperature', type: 'Number' },
        { object_id: 'loc', name: 'location', type: 'StructuredValue' }
      ],
      commands: [
        { name: 'ping', type: 'command' },
        // `text` cannot carry the object {"raw": …} (docs/compatibility/iot-agent-json.md §2.3).
        { name: 'raw', type: 'command', payloadType: 'text' }
      ]
    }
    expect((await postJson(`${north}/iot/devices`, { devices: [device] })).status).toBe(201)
    client = await connectAsync(run.mqttUrl, { reconnectPeriod: 0, connectTimeout: 5000 })
  })

  afterAll(async () => {
    await client?.endAsync()
    await run?.dispose()
  })

  it('writes a measure object with the values\' JSON types, unprovisioned keys as Text', async () => {
    await publish(`/${APIKEY}/${DEVICE}/attrs`, '{"t": 21.5, "h": "40", "loc": {"lat": 1, "lon": 2}}')
    const e = await entity()
    expect(e.temperature).toBe(21.5)
    expect(e.h).toBe('40')
    expect(e.location).toEqual({ lat: 1, lon: 2 })
    const normalized = (await (await fetch(`${run.ngsiUrl}/v2/entities/${ENTITY}`, { headers: { 'fiware-service': 'openiot', 'fiware-servicepath': '/' } })).json()) as Record<string, { type: string }>
    expect(normalized.h!.type).toBe('Text')
    expect(normalized.temperature!.type).toBe('Number')
  })

  it('reads a multi-measure array as one update per element, oldest TimeInstant first', async () => {
    const payload = JSON.stringify([
      { t: 2, TimeInstant: '2026-03-01T10:00:02.000Z' },
      { t: 1, TimeInstant: '2026-03-01T10:00:01.000Z' }
    ])
    await publish(`/json/${APIKEY}/${DEVICE}/attrs`, payload)
    const e = await entity()
    // Sorted by TimeInstant: the newest element is written last.
    expect(e.temperature).toBe(2)
    expect(String(e.TimeInstant)).toBe('2026-03-01T10:00:02.000Z')
  })

  it('takes a single attribute as its JSON value, or the hex of bytes that are not JSON', async () => {
    await publish(`/${APIKEY}/${DEVICE}/attrs/t`, '30')
    expect((await entity()).temperature).toBe(30)
    await publish(`json/${APIKEY}/${DEVICE}/attrs/state`, 'on')
    expect((await entity()).state).toBe('6f6e')
  })

  it('publishes a command as {"<cmd>": value} on /<apikey>/<id>/cmd and takes the result from cmdexe', async () => {
    const received: Array<{ topic: string; payload: string }> = []
    const listener = (topic: string, payload: Buffer): void => {
      received.push({ topic, payload: payload.toString('utf8') })
    }
    client.on('message', listener)
    await client.subscribeAsync(`/${APIKEY}/${DEVICE}/cmd`, { qos: 1 })
    try {
      expect((await sendCommand(run.ngsiUrl, { ping: { type: 'command', value: { data: 22 } } }, { id: ENTITY, type: TYPE })).status).toBe(204)
      const cmd = await waitFor(() => received[0], 'the command on /cmd')
      expect(cmd).toEqual({ topic: `/${APIKEY}/${DEVICE}/cmd`, payload: '{"ping":{"data":22}}' })
      expect((await entity()).ping_status).toBe('PENDING')
      await publish(`/${APIKEY}/${DEVICE}/cmdexe`, '{"ping": {"pong": 22}}')
      const e = await entity()
      expect(e.ping_status).toBe('OK')
      expect(e.ping_info).toEqual({ pong: 22 })
    } finally {
      client.off('message', listener)
      await client.unsubscribeAsync(`/${APIKEY}/${DEVICE}/cmd`)
    }
  })

  it('a command its payloadType cannot carry ends ERROR with the reason; nothing is published', async () => {
    const r = await sendCommand(run.ngsiUrl, { raw: { type: 'command', value: 'x' } }, { id: ENTITY, type: TYPE })
    // Orion reports a provider's refusal as NotFound; the agent refused the forwarded update with 400.
    expect(r.status).toBe(404)
    const e = await entity()
    expect(e.raw_status).toBe('ERROR')
    expect(String(e.raw_info)).toMatch(/text/)
    expect(run.engine.jsonAgent.commands.stats()).toMatchObject({ pending: 0 })
  })

  it('answers a configuration request on /configuration/values with the values and dt', async () => {
    const received: string[] = []
    const listener = (_topic: string, payload: Buffer): void => {
      received.push(payload.toString('utf8'))
    }
    client.on('message', listener)
    await client.subscribeAsync(`/${APIKEY}/${DEVICE}/configuration/values`, { qos: 1 })
    try {
      await publish(`/${APIKEY}/${DEVICE}/configuration/commands`, '{"type": "configuration", "fields": ["temperature", "h"]}')
      const answer = JSON.parse(await waitFor(() => received[0], 'the configuration values')) as Record<string, unknown>
      expect(answer).toEqual({ temperature: 30, h: '40', dt: expect.stringMatching(/^\d{8}T\d{6}Z$/) })
    } finally {
      client.off('message', listener)
      await client.unsubscribeAsync(`/${APIKEY}/${DEVICE}/configuration/values`)
    }
  })

  it('a subscription request: the notified values come on /configuration/values as JSON', async () => {
    const received: string[] = []
    const listener = (_topic: string, payload: Buffer): void => {
      received.push(payload.toString('utf8'))
    }
    client.on('message', listener)
    await client.subscribeAsync(`/${APIKEY}/${DEVICE}/configuration/values`, { qos: 1 })
    try {
      await publish(`/${APIKEY}/${DEVICE}/configuration/commands`, '{"type": "subscription", "fields": ["h"]}')
      // The subscription notifies the JSON agent's own /notify.
      const subs = await waitFor(async () => {
        const r = await fetch(`${run.ngsiUrl}/v2/subscriptions`, { headers: { 'fiware-service': 'openiot', 'fiware-servicepath': '/' } })
        const all = (await r.json()) as Array<{ notification: { http: { url: string } } }>
        return all.length > 0 && all
      }, 'the subscription in the context broker')
      expect(subs[0]!.notification.http.url).toBe(`${jsonNorthUrl(run)}/notify`)
      await publish(`/${APIKEY}/${DEVICE}/attrs`, '{"h": "41"}')
      const changed = await waitFor(() => received[0], 'the changed value notified')
      expect(JSON.parse(changed)).toEqual({ h: '41', dt: expect.stringMatching(/^\d{8}T\d{6}Z$/) })
    } finally {
      client.off('message', listener)
      await client.unsubscribeAsync(`/${APIKEY}/${DEVICE}/configuration/values`)
    }
  })

  it('refuses a malformed payload with a located PARSE_ERROR, and the inspector names the JSON agent', async () => {
    const before = run.engine.jsonAgent.southbound.stats().rejected.PARSE_ERROR ?? 0
    await publish(`/${APIKEY}/${DEVICE}/attrs`, '{"t": None}')
    expect(run.engine.jsonAgent.southbound.stats().rejected.PARSE_ERROR).toBe(before + 1)
    const api = createEngineApi(run.engine, { settings: { env: {} } })
    const messages = await api['inspector.messages']({ limit: 50 }).finally(() => api.close())
    const bad = messages.find((m) => m.payload === '{"t": None}')
    expect(bad?.agent).toMatchObject({ protocol: 'json', kind: 'attrs', error: 'PARSE_ERROR', message: expect.stringContaining('line 1, column 7') })
    const good = messages.find((m) => m.topic === `/${APIKEY}/${DEVICE}/attrs/t`)
    expect(good?.agent).toMatchObject({ protocol: 'json', kind: 'attr', error: undefined })
  })

  it('drops `<apikey>/<id>/attrs` without leading slash, as iotagent-json never receives it', async () => {
    await publish(`${APIKEY}/${DEVICE}/attrs`, '{"t": 99}')
    expect((await entity()).temperature).toBe(30)
    expect(run.engine.jsonAgent.southbound.stats().rejected.TOPIC_NOT_SUBSCRIBED).toBe(1)
  })
})
