import mqtt, { type MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'
import { startRemoteNgsi, type RemoteNgsi } from '../helpers/ngsi-remote-process'
import { APIKEY, DEVICE_ID, ENTITY_ID, entityKeyValues, getEntity, provisionSeed, reply, replayStep, STEP, TENANT, type EngineUrls } from '../helpers/postman-tutorial7'
import { startPythonSeedDevice, type PythonSeedDevice } from '../helpers/python-seed-device'
import { tempDir } from '../helpers/temp-dir'
import { waitFor } from '../helpers/wait-for'

/**
 * The seed tutorial with the engine in external-Orion mode: the context broker is the NGSI-v2
 * server of another process (test/helpers/ngsi-remote.ts), as a real Orion would be in the
 * field. The Postman requests for port 1026 go to that remote broker; the engine serves no
 * NGSI-v2 API of its own. Everything the trainee sees must be the same as with the embedded one.
 */

describe('the seed tutorial with an external context broker', () => {
  const remoteDir = tempDir('ulcc-remote-')
  let remote: RemoteNgsi
  let run: RunningEngine
  let urls: EngineUrls
  let device: PythonSeedDevice | undefined
  let mqttClient: MqttClient | undefined

  beforeAll(async () => {
    remote = await startRemoteNgsi({ dataDir: remoteDir.path })
    run = await startEngine((c) => {
      c.contextBroker = { mode: 'external', url: remote.url, retryMaxMs: 200 }
    })
    urls = { northUrl: run.northUrl, ngsiUrl: remote.url }
  })
  afterAll(async () => {
    await device?.close()
    await mqttClient?.endAsync(true)
    await run?.dispose()
    await remote?.stop()
    remoteDir.cleanup()
  })

  const remoteEntity = (): Promise<Record<string, unknown> | undefined> => entityKeyValues(remote.url)

  it('starts without an NGSI-v2 API of its own and says where the context broker is', () => {
    const endpoints = run.engine.endpoints()
    expect(endpoints.map((e) => e.name)).not.toContain('NGSI-v2 context broker')
    expect(endpoints.find((e) => e.name === 'NGSI-v2 context broker (external)')).toEqual({
      role: 'ngsi-external',
      name: 'NGSI-v2 context broker (external)',
      protocol: 'http',
      addresses: [],
      urls: [remote.url]
    })
    expect(run.engine.contextBroker).toBeUndefined()
    expect(run.engine.orion?.url).toBe(remote.url)
    const line = run.engine.describeEndpoints().find((l) => l.startsWith('NGSI-v2 context broker (external)'))
    expect(line).toContain(remote.url)
    expect(line).toContain(`not served here; Orion forwards commands to ${run.engine.providerUrl}`)
    const messages = run.logs.filter((e) => e.code === 'CB-EXTERNAL').map((e) => e.message)
    expect(messages.join('\n')).toMatch(/answers \(version 4\.1\.0\)/)
  })

  it('provisioning registers the commands in the remote broker, with the tenant headers', async () => {
    await provisionSeed(urls)
    const regs = await reply(await fetch(`${remote.url}/v2/registrations`, { headers: TENANT }))
    expect(regs.json).toHaveLength(1)
    expect(regs.json[0]).toMatchObject({
      dataProvided: { entities: [{ id: ENTITY_ID, type: 'Device' }], attrs: ['switch', 'interval'] },
      provider: { http: { url: run.engine.providerUrl } }
    })
    const posted = (await remote.requests()).filter((r) => r.method === 'POST' && r.url === '/v2/registrations')
    expect(posted).toEqual([expect.objectContaining({ service: 'openiot', servicePath: '/', status: 201 })])
    // As with Orion: no entity until the first measure.
    expect((await getEntity(remote.url, ENTITY_ID, { normalized: true, type: 'Device' })).json).toEqual({
      id: ENTITY_ID,
      type: 'Device',
      switch: { type: 'command', value: '', metadata: {} },
      interval: { type: 'command', value: '', metadata: {} }
    })
  })

  it('a measure over MQTT reaches the remote entity, as the agent writes it', async () => {
    mqttClient = await mqtt.connectAsync(run.mqttUrl, { clientId: 'external-tutorial', reconnectPeriod: 0 })
    await mqttClient.publishAsync(`ul/${APIKEY}/${DEVICE_ID}/attrs`, 't|25.3|rh|60', { qos: 1 })
    const e = await waitFor(async () => {
      const v = await remoteEntity()
      return v?.temperature !== undefined && v
    }, 'the measure in the remote entity')
    expect(e).toMatchObject({ id: ENTITY_ID, type: 'Device', temperature: 25.3, relativeHumidity: 60, refStore: 'urn:ngsi-ld:Store:001' })
    expect(e.TimeInstant).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
    const upserts = (await remote.requests()).filter((r) => r.url === '/v2/entities?options=upsert')
    expect(upserts.length).toBeGreaterThanOrEqual(1)
    expect(upserts[0]).toMatchObject({ service: 'openiot', servicePath: '/' })
  })

  it('a command PATCHed on the remote broker is forwarded to the engine, reaches the device, and goes PENDING → OK there', async () => {
    device = await startPythonSeedDevice(run.mqttUrl, APIKEY, DEVICE_ID, { intervalSec: 0.2 })
    const r = await replayStep(STEP.switchCommand, urls)
    expect(r.status).toBe(204)
    await waitFor(() => device!.received.length >= 1, 'the switch command at the device')
    expect(device.received[0]).toMatchObject({ topic: `/${APIKEY}/${DEVICE_ID}/cmd`, payload: `${DEVICE_ID}@switch|1` })
    const e = await waitFor(async () => {
      const v = await remoteEntity()
      return v?.switch_status === 'OK' && v
    }, 'switch_status OK in the remote entity')
    expect(e).toMatchObject({ switch_status: 'OK', switch_info: 'Started sending data', switch: '', interval: '' })
    const statuses = (await remote.changes()).filter((c) => c.id === ENTITY_ID && 'switch_status' in c.attrs).map((c) => c.attrs.switch_status)
    expect(statuses.slice(0, 2)).toEqual(['PENDING', 'OK'])
    await waitFor(() => device!.sent >= 3, 'measures of the switched-on device')
    const seen = await waitFor(async () => {
      const v = await remoteEntity()
      const last = [...device!.published].reverse().find((p) => p.payload.startsWith('t|'))
      return last && v?.temperature === Number(last.payload.split('|')[1]) && v
    }, 'the latest measure in the remote entity')
    expect(seen.temperature).toEqual(expect.any(Number))
    expect((await replayStep(STEP.intervalCommand, urls)).status).toBe(204)
    await waitFor(async () => (await remoteEntity())?.interval_status === 'OK', 'interval_status OK')
    expect(device.intervalSec()).toBe(2)
  })

  it('configuration retrieval reads the attributes from the remote broker', async () => {
    const values = new Promise<string>((resolve) => mqttClient!.on('message', (_t, p) => resolve(p.toString())))
    await mqttClient!.subscribeAsync(`/${APIKEY}/${DEVICE_ID}/configuration/values`, { qos: 1 })
    await mqttClient!.publishAsync(`/${APIKEY}/${DEVICE_ID}/configuration/commands`, 'configuration|refStore', { qos: 1 })
    expect(await values).toMatch(new RegExp(`^${DEVICE_ID}@configuration\\|refStore=urn:ngsi-ld:Store:001\\|dt=\\d{8}T\\d{6}Z$`))
    const gets = (await remote.requests()).filter((r) => r.method === 'GET' && r.url.startsWith(`/v2/entities/${encodeURIComponent(ENTITY_ID)}/attrs`))
    expect(gets[0]).toMatchObject({ url: `/v2/entities/${encodeURIComponent(ENTITY_ID)}/attrs?attrs=refStore&type=Device`, service: 'openiot', servicePath: '/' })
  })

  it('a device update appends its new attributes in the remote entity and renews the registration; a removal deletes it', async () => {
    const headers = { ...TENANT, 'content-type': 'application/json' }
    const put = await fetch(`${run.northUrl}/iot/devices/${DEVICE_ID}`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({ attributes: [{ object_id: 't', name: 'temperature', type: 'Number' }, { object_id: 'rh', name: 'relativeHumidity', type: 'Number' }, { object_id: 'p', name: 'pressure', type: 'Number' }] })
    })
    expect(put.status).toBe(204)
    expect(await remoteEntity()).toHaveProperty('pressure', null)
    const regs = await reply(await fetch(`${remote.url}/v2/registrations`, { headers: TENANT }))
    expect(regs.json).toHaveLength(1)
    expect(regs.json[0].provider.http.url).toBe(run.engine.providerUrl)
    const del = await fetch(`${run.northUrl}/iot/devices/${DEVICE_ID}`, { method: 'DELETE', headers: TENANT })
    expect(del.status).toBe(204)
    expect((await reply(await fetch(`${remote.url}/v2/registrations`, { headers: TENANT }))).json).toEqual([])
  })

  it('reports the queue in the client stats: everything sent, nothing dropped or failed, the broker reachable', async () => {
    const st = run.engine.contextClient.stats()
    expect(run.engine.contextClient.kind).toBe('external')
    expect(st).toMatchObject({ failed: 0, dropped: 0, backlog: 0, reachable: true })
    expect(st.sent).toBe(st.queued)
    expect(st.lastSuccessAt).toEqual(expect.any(Number))
  })
})
