import { connectAsync } from 'mqtt'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createEngineApi } from '../../electron/engine/api'
import type { EngineApi, EventPayloads, EventSubscribe } from '../../shared/contract'
import { startEngine, startHostedEngine, type RunningEngine } from '../helpers/engine-harness'
import { jsonNorthUrl, southUrl } from '../helpers/json-agent'
import { reply, type Reply } from '../helpers/postman-tutorial7'
import { waitFor } from '../helpers/wait-for'

/**
 * The GUI's provisioning requests name their IoT Agent (`agent`, UltraLight when absent): each agent
 * keeps its own groups and devices (docs/compatibility/iot-agent-json.md §0), and what the GUI does
 * through one must show on that agent's north port only, as a FIWARE client addressing port 4041
 * or 4042 would see it.
 */

type Api = ReturnType<typeof createEngineApi>
type ProvisioningEvent = EventPayloads['provisioning'][number]

const tenant = (service: string): Record<string, string> => ({ 'fiware-service': service, 'fiware-servicepath': '/' })
const scopeOf = (service: string): { service: string; servicePath: string } => ({ service, servicePath: '/' })

/** `GET` on a north port with the tenant's headers. */
async function northGet(base: string, path: string, service: string): Promise<Reply> {
  return reply(await fetch(`${base}${path}`, { headers: tenant(service), signal: AbortSignal.timeout(10_000) }))
}

async function apikeysAt(base: string, service: string): Promise<string[]> {
  const r = await northGet(base, '/iot/services', service)
  expect(r.status).toBe(200)
  return (r.json as { services: Array<{ apikey: string }> }).services.map((g) => g.apikey)
}

async function deviceIdsAt(base: string, service: string): Promise<string[]> {
  const r = await northGet(base, '/iot/devices', service)
  expect(r.status).toBe(200)
  return (r.json as { devices: Array<{ device_id: string }> }).devices.map((d) => d.device_id)
}

describe('provisioning requests per agent', () => {
  let run: RunningEngine
  let api: Api
  let ulNorth: string
  let jsonNorth: string

  beforeAll(async () => {
    run = await startEngine()
    api = createEngineApi(run.engine, { settings: { env: {} } })
    ulNorth = run.northUrl
    jsonNorth = jsonNorthUrl(run)
  })

  afterAll(async () => {
    api?.close()
    await run?.dispose()
  })

  it("creates groups and devices in the named agent only, as each north port shows", async () => {
    const scope = scopeOf('landing')
    await api['groups.create']({ agent: 'json', scope, group: { apikey: 'jsonkey', resource: '/iot/json', entity_type: 'Thing' } })
    await api['devices.create']({ agent: 'json', scope, device: { device_id: 'jdev', entity_name: 'urn:ngsi-ld:Thing:jdev', entity_type: 'Thing' } })

    expect(await apikeysAt(jsonNorth, 'landing')).toEqual(['jsonkey'])
    expect(await deviceIdsAt(jsonNorth, 'landing')).toEqual(['jdev'])
    expect(await apikeysAt(ulNorth, 'landing')).toEqual([])
    expect(await deviceIdsAt(ulNorth, 'landing')).toEqual([])
    // No agent: UltraLight's lists, which do not have them.
    expect(await api['groups.list']({ scope })).toEqual({ count: 0, groups: [] })
    expect(await api['devices.list']({ scope })).toEqual({ count: 0, devices: [] })
    expect((await api['groups.list']({ agent: 'json', scope })).groups.map((g) => [g.apikey, g.resource, g.entity_type])).toEqual([['jsonkey', '/iot/json', 'Thing']])
    expect((await api['devices.list']({ agent: 'json', scope })).devices.map((d) => d.device_id)).toEqual(['jdev'])

    // The other way round: no agent, and 'ul' named, both go to UltraLight.
    await api['groups.create']({ scope, group: { apikey: 'ulkey', resource: '', entity_type: 'Thing' } })
    await api['devices.create']({ agent: 'ul', scope, device: { device_id: 'udev', entity_name: 'urn:ngsi-ld:Thing:udev', entity_type: 'Thing' } })
    expect(await apikeysAt(ulNorth, 'landing')).toEqual(['ulkey'])
    expect(await deviceIdsAt(ulNorth, 'landing')).toEqual(['udev'])
    expect(await apikeysAt(jsonNorth, 'landing')).toEqual(['jsonkey'])
    expect(await deviceIdsAt(jsonNorth, 'landing')).toEqual(['jdev'])
    expect((await api['groups.list']({ agent: 'ul', scope })).groups.map((g) => g.apikey)).toEqual(['ulkey'])
    expect((await api['devices.list']({ agent: 'json', scope })).devices.map((d) => d.device_id)).toEqual(['jdev'])
  })

  it('gets, updates and deletes a device in the named agent, leaving the same id in the other one untouched', async () => {
    const scope = scopeOf('twins')
    await api['devices.create']({ scope, device: { device_id: 'twin', entity_name: 'urn:ngsi-ld:Ul:twin', entity_type: 'UlThing' } })
    await api['devices.create']({ agent: 'json', scope, device: { device_id: 'twin', entity_name: 'urn:ngsi-ld:Json:twin', entity_type: 'JsonThing' } })
    const ulBefore = await api['devices.get']({ scope, deviceId: 'twin' })

    expect(await api['devices.get']({ agent: 'json', scope, deviceId: 'twin' })).toMatchObject({ entity_name: 'urn:ngsi-ld:Json:twin', entity_type: 'JsonThing' })
    expect(ulBefore).toMatchObject({ entity_name: 'urn:ngsi-ld:Ul:twin', entity_type: 'UlThing' })

    await api['devices.update']({ agent: 'json', scope, deviceId: 'twin', patch: { timezone: 'Europe/Madrid', attributes: [{ object_id: 't', name: 'temperature', type: 'Number' }] } })
    const jsonAfter = await northGet(jsonNorth, '/iot/devices/twin', 'twins')
    expect(jsonAfter.json).toMatchObject({ timezone: 'Europe/Madrid', attributes: [{ object_id: 't', name: 'temperature', type: 'Number' }] })
    expect(await api['devices.get']({ scope, deviceId: 'twin' })).toEqual(ulBefore)

    await api['devices.delete']({ agent: 'json', scope, deviceId: 'twin' })
    expect((await northGet(jsonNorth, '/iot/devices/twin', 'twins')).status).toBe(404)
    expect((await northGet(ulNorth, '/iot/devices/twin', 'twins')).status).toBe(200)
    expect(await api['devices.get']({ scope, deviceId: 'twin' })).toEqual(ulBefore)

    // The agent that lacks the device answers as its north API does.
    const notFound = { name: 'DEVICE_NOT_FOUND', status: 404 }
    await expect(api['devices.get']({ agent: 'json', scope, deviceId: 'twin' })).rejects.toMatchObject(notFound)
    await expect(api['devices.update']({ agent: 'json', scope, deviceId: 'twin', patch: { timezone: 'UTC' } })).rejects.toMatchObject(notFound)
    await expect(api['devices.delete']({ agent: 'json', scope, deviceId: 'twin' })).rejects.toMatchObject(notFound)
    await api['devices.create']({ agent: 'json', scope, device: { device_id: 'jsononly' } })
    await expect(api['devices.get']({ scope, deviceId: 'jsononly' })).rejects.toMatchObject(notFound)
    await expect(api['devices.delete']({ agent: 'ul', scope, deviceId: 'jsononly' })).rejects.toMatchObject(notFound)
    // The patch is checked with the north API's schema whatever the agent.
    await expect(api['devices.update']({ agent: 'json', scope, deviceId: 'jsononly', patch: { nonsense: 1 } as never })).rejects.toMatchObject({ name: 'WRONG_SYNTAX', status: 400 })
  })

  it('updates and deletes a group in the named agent, leaving the same group in the other one untouched', async () => {
    const scope = scopeOf('groups')
    const group = { apikey: 'shared', resource: '/iot/json', entity_type: 'Before' }
    await api['groups.create']({ scope, group })
    await api['groups.create']({ agent: 'json', scope, group })

    await api['groups.update']({ agent: 'json', scope, resource: '/iot/json', apikey: 'shared', patch: { entity_type: 'After' } })
    const typeAt = async (base: string): Promise<string[]> =>
      ((await northGet(base, '/iot/services', 'groups')).json as { services: Array<{ entity_type: string }> }).services.map((g) => g.entity_type)
    expect(await typeAt(jsonNorth)).toEqual(['After'])
    expect(await typeAt(ulNorth)).toEqual(['Before'])

    await api['groups.delete']({ agent: 'json', scope, resource: '/iot/json', apikey: 'shared' })
    expect(await apikeysAt(jsonNorth, 'groups')).toEqual([])
    expect(await apikeysAt(ulNorth, 'groups')).toEqual(['shared'])

    const notFound = { name: 'DEVICE_GROUP_NOT_FOUND', status: 404 }
    await expect(api['groups.update']({ agent: 'json', scope, resource: '/iot/json', apikey: 'shared', patch: { entity_type: 'X' } })).rejects.toMatchObject(notFound)
    await expect(api['groups.delete']({ agent: 'json', scope, resource: '/iot/json', apikey: 'shared' })).rejects.toMatchObject(notFound)
    expect((await api['groups.list']({ scope })).groups.map((g) => g.entity_type)).toEqual(['Before'])
    // A duplicate is the named agent's business only.
    await expect(api['groups.create']({ scope, group })).rejects.toMatchObject({ name: 'DUPLICATE_GROUP', status: 409 })
    await api['groups.create']({ agent: 'json', scope, group })
    expect(await apikeysAt(jsonNorth, 'groups')).toEqual(['shared'])
  })

  it("exports the named agent's provisioning and imports into the named agent", async () => {
    const from = scopeOf('exportfrom')
    // Provisioned the FIWARE way, on the JSON agent's north port.
    const post = async (path: string, body: unknown): Promise<number> =>
      (await fetch(`${jsonNorth}${path}`, { method: 'POST', headers: { ...tenant('exportfrom'), 'content-type': 'application/json' }, body: JSON.stringify(body) })).status
    expect(await post('/iot/services', { services: [{ apikey: 'expkey', resource: '/iot/json', entity_type: 'Sensor' }] })).toBe(201)
    expect(await post('/iot/devices', { devices: [{ device_id: 'exp1', entity_name: 'urn:ngsi-ld:Sensor:exp1', entity_type: 'Sensor', attributes: [{ object_id: 'h', name: 'humidity', type: 'Number' }] }] })).toBe(201)

    const doc = await api['provisioning.export']({ agent: 'json', scope: from })
    expect(doc.services.map((g) => g.apikey)).toEqual(['expkey'])
    expect(doc.devices.map((d) => d.device_id)).toEqual(['exp1'])
    expect(await api['provisioning.export']({ scope: from })).toEqual({ services: [], devices: [] })

    // Into the JSON agent of another engine (a group's API key and resource are unique across tenants).
    const other = await startEngine()
    const b = createEngineApi(other.engine, { settings: { env: {} } })
    try {
      const bJson = jsonNorthUrl(other)
      const imported = await b['provisioning.import']({ agent: 'json', scope: from, document: JSON.parse(JSON.stringify(doc)) })
      expect(imported.results).toEqual([
        { kind: 'group', id: 'expkey /iot/json', ok: true },
        { kind: 'device', id: 'exp1', ok: true }
      ])
      expect(await apikeysAt(bJson, 'exportfrom')).toEqual(['expkey'])
      expect(await deviceIdsAt(bJson, 'exportfrom')).toEqual(['exp1'])
      expect(await apikeysAt(other.northUrl, 'exportfrom')).toEqual([])
      expect(await b['provisioning.export']({ agent: 'json', scope: from })).toEqual(doc)
      expect(await b['provisioning.export']({ agent: 'ul', scope: from })).toEqual({ services: [], devices: [] })

      // Importing again fails per item in the JSON agent; UltraLight's own registry still takes the same document.
      const again = await b['provisioning.import']({ agent: 'json', scope: from, document: doc })
      expect(again.results.map((r) => [r.id, r.ok, r.error?.name, r.error?.status])).toEqual([
        ['expkey /iot/json', false, 'DUPLICATE_GROUP', 409],
        ['exp1', false, 'DUPLICATE_DEVICE_ID', 409]
      ])
      expect((await b['provisioning.import']({ scope: from, document: doc })).results.every((r) => r.ok)).toBe(true)
      expect(await deviceIdsAt(other.northUrl, 'exportfrom')).toEqual(['exp1'])
    } finally {
      b.close()
      await other.dispose()
    }
  })

  it('names the agent of each change on the provisioning stream, changes made on the north ports included', async () => {
    const scope = scopeOf('stream')
    const events: ProvisioningEvent[] = []
    const off = api.on('provisioning', (batch) => events.push(...batch))
    try {
      await api['groups.create']({ agent: 'json', scope, group: { apikey: 'streamkey', resource: '/iot/json', entity_type: 'Thing' } })
      await api['devices.create']({ scope, device: { device_id: 'sdev' } })
      const put = await fetch(`${jsonNorth}/iot/services?resource=/iot/json&apikey=streamkey`, {
        method: 'PUT',
        headers: { ...tenant('stream'), 'content-type': 'application/json' },
        body: JSON.stringify({ entity_type: 'Other' })
      })
      expect(put.status).toBe(204)
      await api['devices.delete']({ scope, deviceId: 'sdev' })
      await waitFor(() => events.filter((e) => e.service === 'stream').length === 4, 'four provisioning events of the tenant')
    } finally {
      off()
    }
    const base = { service: 'stream', servicePath: '/' }
    expect(events.filter((e) => e.service === 'stream')).toEqual([
      { agent: 'json', kind: 'group', op: 'created', ...base, id: 'streamkey /iot/json' },
      { agent: 'ul', kind: 'device', op: 'created', ...base, id: 'sdev' },
      { agent: 'json', kind: 'group', op: 'updated', ...base, id: 'streamkey /iot/json' },
      { agent: 'ul', kind: 'device', op: 'deleted', ...base, id: 'sdev' }
    ])
  })
})

describe("the engine status counts each agent's registry and measures apart", () => {
  let run: RunningEngine
  let api: Api
  afterAll(async () => {
    api?.close()
    await run?.dispose()
  })

  it('registry is UltraLight, jsonRegistry and jsonAgent the JSON agent, over HTTP and MQTT', async () => {
    run = await startEngine()
    api = createEngineApi(run.engine, { settings: { env: {} } })
    const scope = scopeOf('counted')
    const start = await api['engine.status']({})
    expect(start.registry).toEqual({ groups: 0, devices: 0 })
    expect(start.jsonRegistry).toEqual({ groups: 0, devices: 0 })

    await api['groups.create']({ scope, group: { apikey: 'ulcount', resource: '', entity_type: 'Thing' } })
    await api['groups.create']({ agent: 'json', scope, group: { apikey: 'jcount', resource: '/iot/json', entity_type: 'Thing' } })
    await api['groups.create']({ agent: 'json', scope, group: { apikey: 'jcount2', resource: '/iot/json', entity_type: 'Thing' } })
    const attributes = [{ object_id: 't', name: 'temperature', type: 'Number' }]
    await api['devices.create']({ agent: 'json', scope, device: { device_id: 'jm1', entity_name: 'urn:ngsi-ld:Thing:jm1', entity_type: 'Thing', apikey: 'jcount', attributes } })
    await api['devices.create']({ agent: 'json', scope, device: { device_id: 'jm2', entity_name: 'urn:ngsi-ld:Thing:jm2', entity_type: 'Thing', apikey: 'jcount', attributes } })
    await api['devices.create']({ agent: 'json', scope, device: { device_id: 'jm3', apikey: 'jcount2' } })

    const provisioned = await api['engine.status']({})
    expect(provisioned.registry).toEqual({ groups: 1, devices: 0 })
    expect(provisioned.jsonRegistry).toEqual({ groups: 2, devices: 3 })
    expect(provisioned.jsonAgent.measures).toBe(0)

    // A measure on the south HTTP port, as a JSON device posts it.
    const http = await fetch(`${southUrl(run)}/iot/json?k=jcount&i=jm1`, {
      method: 'POST',
      headers: { ...tenant('counted'), 'content-type': 'application/json' },
      body: JSON.stringify({ t: 21 })
    })
    expect(http.status).toBe(200)
    const afterHttp = await api['engine.status']({})
    expect(afterHttp.jsonAgent.measures).toBe(1)
    expect(afterHttp.agent.measures).toBe(provisioned.agent.measures)

    // And one on MQTT, as a JSON device publishes it.
    const client = await connectAsync(run.mqttUrl, { reconnectPeriod: 0, connectTimeout: 5000 })
    try {
      await client.publishAsync('/json/jcount/jm2/attrs', JSON.stringify({ t: 22 }), { qos: 1 })
    } finally {
      await client.endAsync()
    }
    let status = afterHttp
    await waitFor(async () => (status = await api['engine.status']({})).jsonAgent.measures === 2, 'the MQTT measure counted by the JSON agent')
    expect(status.agent.measures).toBe(provisioned.agent.measures)
    expect(status.agent.messages).toBe(provisioned.agent.messages)
    expect(status.registry).toEqual({ groups: 1, devices: 0 })
    expect(status.jsonRegistry).toEqual({ groups: 2, devices: 3 })
  })
})

describe("the commands stream carries the JSON agent's commands", () => {
  let run: RunningEngine
  let api: Api
  afterAll(async () => {
    api?.close()
    await run?.dispose()
  })

  it("an HTTP command to tutorial 6's device001 shows PENDING then OK with the built-in dummy device's answer", async () => {
    run = await startEngine()
    api = createEngineApi(run.engine, { settings: { env: {} } })
    const scope = scopeOf('openiot')
    const events: EventPayloads['commands'] = []
    const off = api.on('commands', (batch) => events.push(...batch))
    try {
      await api['groups.create']({ agent: 'json', scope, group: { apikey: 'cmdkey', resource: '/iot/json', entity_type: 'Device' } })
      await api['devices.create']({
        agent: 'json',
        scope,
        device: {
          device_id: 'device001',
          entity_name: 'urn:ngsi-ld:Device:001',
          entity_type: 'Device',
          transport: 'HTTP',
          endpoint: 'http://dummy-device:80/dht22',
          commands: [{ name: 'interval', type: 'command' }]
        }
      })
      await api['commands.send']({ scope, entityId: 'urn:ngsi-ld:Device:001', entityType: 'Device', command: 'interval', value: '15' })
      await waitFor(() => events.some((e) => e.command === 'interval' && e.status === 'OK'), 'the OK of the interval command on the commands stream')
      const seen = events.filter((e) => e.deviceId === 'device001' && e.command === 'interval').map((e) => e.status)
      expect(seen[0]).toBe('PENDING')
      expect(seen.at(-1)).toBe('OK')
      expect(events.find((e) => e.status === 'OK')).toMatchObject({ service: 'openiot', servicePath: '/', entityId: 'urn:ngsi-ld:Device:001', entityType: 'Device' })
    } finally {
      off()
    }
  })
})

describe("a classroom trainee's provisioning with agent 'json'", () => {
  let run: Awaited<ReturnType<typeof startHostedEngine>> | undefined
  const closers: Array<() => void> = []
  afterEach(() => {
    for (const c of closers.splice(0)) c()
  })
  afterAll(async () => {
    await run?.dispose()
  })

  it('works in its own tenant and is refused in another', async () => {
    const hosted = await startHostedEngine(undefined, { classroom: { code: 'turma77sala' } })
    run = hosted
    const gate = hosted.host.classroom()
    if (!gate) throw new Error('the engine is not in classroom mode')
    const enter = async (name: string): Promise<{ api: EngineApi & { on: EventSubscribe }; service: string }> => {
      const joined = await gate.join(name)
      if (!joined.ok) throw new Error(joined.error.message)
      const session = gate.session(joined.token, '127.0.0.1')
      if (!session) throw new Error('no session for a fresh token')
      closers.push(() => session.close())
      return { api: session.api, service: joined.trainee.service }
    }
    const bia = await enter('Bia')
    const caio = await enter('Caio')
    const jsonNorth = jsonNorthUrl(hosted)
    const own = scopeOf(bia.service)
    const other = scopeOf(caio.service)

    const seen: ProvisioningEvent[] = []
    closers.push(bia.api.on('provisioning', (batch) => seen.push(...batch)))

    await bia.api['groups.create']({ agent: 'json', scope: own, group: { apikey: 'bia_key', resource: '/iot/json', entity_type: 'Thing' } })
    await bia.api['devices.create']({ agent: 'json', scope: own, device: { device_id: 'biadev' } })
    expect(await apikeysAt(jsonNorth, bia.service)).toEqual(['bia_key'])
    expect(await deviceIdsAt(jsonNorth, bia.service)).toEqual(['biadev'])
    expect(await apikeysAt(hosted.northUrl, bia.service)).toEqual([])
    expect((await bia.api['devices.list']({ agent: 'json', scope: own })).devices.map((d) => d.device_id)).toEqual(['biadev'])
    expect((await bia.api['provisioning.export']({ agent: 'json', scope: own })).devices.map((d) => d.device_id)).toEqual(['biadev'])

    // Caio's own JSON provisioning, which Bia may neither read nor change.
    await caio.api['devices.create']({ agent: 'json', scope: other, device: { device_id: 'caiodev' } })
    const forbidden = { name: 'FORBIDDEN', status: 403 }
    await expect(bia.api['groups.create']({ agent: 'json', scope: other, group: { apikey: 'x', resource: '/iot/json' } })).rejects.toMatchObject(forbidden)
    await expect(bia.api['devices.list']({ agent: 'json', scope: other })).rejects.toMatchObject(forbidden)
    await expect(bia.api['devices.get']({ agent: 'json', scope: other, deviceId: 'caiodev' })).rejects.toMatchObject(forbidden)
    await expect(bia.api['devices.delete']({ agent: 'json', scope: other, deviceId: 'caiodev' })).rejects.toMatchObject(forbidden)
    await expect(bia.api['provisioning.export']({ agent: 'json', scope: other })).rejects.toMatchObject(forbidden)
    await expect(bia.api['provisioning.import']({ agent: 'json', scope: other, document: { devices: [{ device_id: 'intruder' }] } })).rejects.toMatchObject(forbidden)
    expect(await deviceIdsAt(jsonNorth, caio.service)).toEqual(['caiodev'])

    // Bia's stream has her own JSON changes, named as such, and none of Caio's.
    await waitFor(() => seen.length >= 2, "Bia's two provisioning events")
    await caio.api['devices.delete']({ agent: 'json', scope: other, deviceId: 'caiodev' })
    await bia.api['devices.delete']({ agent: 'json', scope: own, deviceId: 'biadev' })
    await waitFor(() => seen.length >= 3, "Bia's device deletion")
    expect(seen).toEqual([
      { agent: 'json', kind: 'group', op: 'created', service: bia.service, servicePath: '/', id: 'bia_key /iot/json' },
      { agent: 'json', kind: 'device', op: 'created', service: bia.service, servicePath: '/', id: 'biadev' },
      { agent: 'json', kind: 'device', op: 'deleted', service: bia.service, servicePath: '/', id: 'biadev' }
    ])
  })
})
