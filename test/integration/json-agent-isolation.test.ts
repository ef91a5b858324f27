import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { connectAsync, type MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEngineApi } from '../../electron/engine/api'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'
import { jsonNorthUrl, keyValues, postJson } from '../helpers/json-agent'
import { APIKEY, ENTITY_ID, JSON_TENANT, northGet, provisionSeed, TENANT } from '../helpers/postman-tutorial7'

/**
 * The two agents side by side (docs/compatibility/iot-agent-json.md §0, §3.5): each has its own
 * registry, north API and provider URL; MQTT messages on the shared topic shapes go to the agent
 * whose registry holds the API key (UltraLight when both or neither do).
 */

describe('UltraLight and JSON agents: registries and MQTT dispatch', () => {
  let run: RunningEngine
  let client: MqttClient
  let json: string

  beforeAll(async () => {
    run = await startEngine()
    json = jsonNorthUrl(run)
    // Tutorial 7's UltraLight group and device, and a JSON group with the SAME API key (tutorial 6's), plus one of its own.
    await provisionSeed(run)
    const groups = [
      { apikey: APIKEY, entity_type: 'Device', resource: '/iot/json' },
      { apikey: 'onlyjson', entity_type: 'Thing', resource: '/iot/json' }
    ]
    expect((await postJson(`${json}/iot/services`, { services: groups })).status).toBe(201)
    const devices = [
      { device_id: 'j1', entity_name: 'urn:ngsi-ld:Thing:j1', entity_type: 'Thing', apikey: 'onlyjson', attributes: [{ object_id: 't', name: 'temperature', type: 'Number' }], commands: [{ name: 'go', type: 'command' }] }
    ]
    expect((await postJson(`${json}/iot/devices`, { devices })).status).toBe(201)
    client = await connectAsync(run.mqttUrl, { reconnectPeriod: 0, connectTimeout: 5000 })
  })

  afterAll(async () => {
    await client?.endAsync()
    await run?.dispose()
  })

  it('keeps groups and devices apart: each north port lists its own, in its own data folder', async () => {
    const ulGroups = (await northGet(run.northUrl, '/iot/services')).json as { count: number; services: Array<{ apikey: string }> }
    const jsonGroups = (await northGet(json, '/iot/services')).json as { count: number; services: Array<{ apikey: string }> }
    expect(ulGroups.services.map((g) => g.apikey)).toEqual([APIKEY])
    expect(jsonGroups.services.map((g) => g.apikey)).toEqual([APIKEY, 'onlyjson'])
    expect((await northGet(run.northUrl, '/iot/devices/j1')).status).toBe(404)
    expect((await northGet(json, '/iot/devices/j1')).status).toBe(200)
    expect((await northGet(json, '/iot/devices/device001')).status).toBe(404)
    expect(existsSync(join(run.dataDir, 'iota-json', 'groups.db'))).toBe(true)
  })

  it("answers /iot/about as each agent's release on its own port", async () => {
    const about = (await northGet(json, '/iot/about')).json as Record<string, unknown>
    expect(about).toMatchObject({ libVersion: '4.14.0', version: '3.14.0', baseRoot: '/', port: Number(new URL(json).port) })
    expect(((await northGet(run.northUrl, '/iot/about')).json as Record<string, unknown>).version).toBe('3.7.0')
  })

  it('registers each device at the context broker with its own agent as provider', async () => {
    const r = await fetch(`${run.ngsiUrl}/v2/registrations`, { headers: TENANT })
    const regs = (await r.json()) as Array<{ dataProvided: { entities: Array<{ id: string }> }; provider: { http: { url: string } } }>
    const providerOf = (id: string): string | undefined => regs.find((x) => x.dataProvided.entities.some((e) => e.id === id))?.provider.http.url
    expect(providerOf(ENTITY_ID)).toBe(run.northUrl)
    expect(providerOf('urn:ngsi-ld:Thing:j1')).toBe(json)
  })

  it('a shared topic with an API key both agents know goes to UltraLight; json/… to JSON; a JSON-only key to JSON', async () => {
    await client.publishAsync(`/${APIKEY}/device001/attrs`, 't|5|rh|6', { qos: 1 })
    expect(await keyValues(run, ENTITY_ID)).toMatchObject({ temperature: 5, relativeHumidity: 6 })
    await client.publishAsync(`/json/${APIKEY}/jdev/attrs`, '{"t": 9}', { qos: 1 })
    // Autoprovisioned by the JSON agent's group, not the UltraLight one's.
    expect((await northGet(json, '/iot/devices/jdev')).status).toBe(200)
    expect((await northGet(run.northUrl, '/iot/devices/jdev')).status).toBe(404)
    await client.publishAsync('/onlyjson/j1/attrs', '{"t": 12}', { qos: 1 })
    expect(await keyValues(run, 'urn:ngsi-ld:Thing:j1')).toMatchObject({ temperature: 12 })
    // ul/… is UltraLight's even for a key only the JSON agent has: no UltraLight group, so dropped.
    await client.publishAsync('/ul/onlyjson/j1/attrs', 't|13', { qos: 1 })
    expect(await keyValues(run, 'urn:ngsi-ld:Thing:j1')).toMatchObject({ temperature: 12 })
    const api = createEngineApi(run.engine, { settings: { env: {} } })
    const messages = await api['inspector.messages']({ limit: 20 }).finally(() => api.close())
    const protocolOf = (topic: string): string | undefined => messages.find((m) => m.topic === topic)?.agent?.protocol
    expect(protocolOf(`/${APIKEY}/device001/attrs`)).toBe('ul')
    expect(protocolOf(`/json/${APIKEY}/jdev/attrs`)).toBe('json')
    expect(protocolOf('/onlyjson/j1/attrs')).toBe('json')
    expect(messages.find((m) => m.topic === '/ul/onlyjson/j1/attrs')?.agent).toMatchObject({ protocol: 'ul', error: 'NO_GROUP' })
  })

  it('a group deleted from the JSON agent gives its key back to UltraLight on the shared topics', async () => {
    const del = await fetch(`${json}/iot/services?resource=/iot/json&apikey=onlyjson`, { method: 'DELETE', headers: JSON_TENANT })
    expect(del.status).toBe(204)
    await client.publishAsync('/onlyjson/j1/attrs', '{"t": 14}', { qos: 1 })
    const api = createEngineApi(run.engine, { settings: { env: {} } })
    const messages = await api['inspector.messages']({ limit: 5 }).finally(() => api.close())
    expect(messages.at(-1)?.agent).toMatchObject({ protocol: 'ul', error: 'NO_GROUP' })
  })
})

describe('the JSON agent behind IOTA_PROVIDER_URL', () => {
  let run: RunningEngine | undefined
  afterAll(async () => {
    await run?.dispose()
  })

  it('registers its devices at the host of IOTA_PROVIDER_URL, on its own port', async () => {
    run = await startEngine((c) => (c.iota.providerUrl = 'http://localhost:14042'))
    const json = jsonNorthUrl(run)
    const device = { device_id: 'p1', entity_name: 'urn:ngsi-ld:Thing:p1', entity_type: 'Thing', commands: [{ name: 'go', type: 'command' }] }
    expect((await postJson(`${json}/iot/devices`, { devices: [device] })).status).toBe(201)
    const regs = (await (await fetch(`${run.ngsiUrl}/v2/registrations`, { headers: TENANT })).json()) as Array<{ provider: { http: { url: string } } }>
    expect(regs.map((r) => r.provider.http.url)).toEqual([`http://localhost:${new URL(json).port}`])
  })
})
