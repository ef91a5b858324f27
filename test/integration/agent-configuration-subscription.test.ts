import mqtt, { type MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'
import { send } from '../helpers/iota-harness'
import { startRemoteNgsi, type RemoteNgsi } from '../helpers/ngsi-remote-process'
import { APIKEY, DEVICE_ID, ENTITY_ID, JSON_TENANT, provisionSeed, TENANT } from '../helpers/postman-tutorial7'
import { startRecordingProxy, type RecordingProxy } from '../helpers/recording-http-proxy'
import { tempDir } from '../helpers/temp-dir'
import { waitFor } from '../helpers/wait-for'

/**
 * Configuration by subscription (docs/compatibility/iot-agent-ul.md §3.5): a device sends
 * `subscription|pollingInterval|publishInterval` on its configuration/commands topic, the agent
 * subscribes to those attributes of its entity with the context broker, and each change the
 * broker notifies to the agent's `POST /notify` reaches the device on configuration/values —
 * with the embedded context broker and with an external one in another process.
 */

const VALUES_TOPIC = `/${APIKEY}/${DEVICE_ID}/configuration/values`
const STAMP = String.raw`\|dt=\d{8}T\d{6}Z$`
const REQUEST = 'subscription|pollingInterval|publishInterval'
const DESCRIPTION = `Managed by IOTA: ${ENTITY_ID} Device pollingInterval,publishInterval`

/** The four spellings of the device's topic: with/without leading slash, with/without the `ul/` prefix. */
const PREFIXES = ['/', '', '/ul/', 'ul/'] as const

interface Received {
  topic: string
  payload: string
}

/** A device's MQTT client subscribed to its configuration/values topic, recording what arrives. */
async function deviceClient(mqttUrl: string, clientId: string): Promise<{ client: MqttClient; received: Received[] }> {
  const client = await mqtt.connectAsync(mqttUrl, { clientId, reconnectPeriod: 0 })
  const received: Received[] = []
  client.on('message', (topic, payload) => received.push({ topic, payload: payload.toString('utf8') }))
  await client.subscribeAsync(VALUES_TOPIC, { qos: 1 })
  return { client, received }
}

/** The entity with the configuration attributes the device will ask for, in the broker at `ngsiUrl`. */
async function addConfigurationAttributes(ngsiUrl: string): Promise<void> {
  const r = await fetch(`${ngsiUrl}/v2/entities/${ENTITY_ID}/attrs?type=Device`, {
    method: 'POST',
    headers: JSON_TENANT,
    body: JSON.stringify({ pollingInterval: { type: 'Number', value: 200 }, publishInterval: { type: 'Number', value: 80 } })
  })
  expect(r.status, await r.text()).toBe(204)
}

async function patchEntity(ngsiUrl: string, attrs: Record<string, number>): Promise<void> {
  const body = Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, { type: 'Number', value: v }]))
  const r = await fetch(`${ngsiUrl}/v2/entities/${ENTITY_ID}/attrs?type=Device`, { method: 'PATCH', headers: JSON_TENANT, body: JSON.stringify(body) })
  expect(r.status, await r.text()).toBe(204)
}

async function subscriptions(ngsiUrl: string): Promise<Array<Record<string, unknown>>> {
  const r = await fetch(`${ngsiUrl}/v2/subscriptions`, { headers: TENANT })
  expect(r.status).toBe(200)
  return (await r.json()) as Array<Record<string, unknown>>
}

describe('configuration subscriptions with the embedded context broker', () => {
  let run: RunningEngine
  let device: { client: MqttClient; received: Received[] }

  beforeAll(async () => {
    run = await startEngine()
    await provisionSeed(run)
    device = await deviceClient(run.mqttUrl, 'config-subscription-embedded')
    // The entity appears with the first measure (QoS 1: acknowledged once processed).
    await device.client.publishAsync(`/${APIKEY}/${DEVICE_ID}/attrs`, 't|20', { qos: 1 })
    await addConfigurationAttributes(run.ngsiUrl)
  })
  afterAll(async () => {
    await device?.client.endAsync(true)
    await run?.dispose()
  })

  /** Waits for the next message on the values topic after the `seen` first ones. */
  const nextValues = (seen: number): Promise<Received> => waitFor(() => device.received[seen], 'configuration values on the device topic')

  it('the provider URL the subscriptions notify is the north API of this engine', () => {
    expect(run.engine.providerUrl).toBe(run.northUrl)
  })

  describe.each(PREFIXES.map((prefix, i) => ({ prefix, i, label: JSON.stringify(prefix) })))('topic prefix $label', ({ prefix, i }) => {
    it(`${prefix}<apikey>/<device>/configuration/commands "${REQUEST}" subscribes; a change reaches the device on configuration/values`, async () => {
      const before = run.engine.southbound.stats().configurationRequests
      await device.client.publishAsync(`${prefix}${APIKEY}/${DEVICE_ID}/configuration/commands`, REQUEST, { qos: 1 })
      expect(run.engine.southbound.stats().configurationRequests).toBe(before + 1)
      const [sub] = await waitFor(async () => {
        const all = await subscriptions(run.ngsiUrl)
        return all.length > 0 && all
      }, 'the subscription in the context broker')
      expect(sub).toMatchObject({
        description: DESCRIPTION,
        status: 'active',
        subject: { entities: [{ id: ENTITY_ID, type: 'Device' }], condition: { attrs: ['pollingInterval', 'publishInterval'] } },
        notification: { attrs: ['pollingInterval', 'publishInterval'], onlyChangedAttrs: true, attrsFormat: 'normalized', http: { url: `${run.northUrl}/notify` } }
      })

      const seen = device.received.length
      await patchEntity(run.ngsiUrl, { pollingInterval: 100 + i })
      const first = await nextValues(seen)
      expect(first.topic).toBe(VALUES_TOPIC)
      // Only the changed attribute is notified, so only it is sent.
      expect(first.payload).toMatch(new RegExp(`^${DEVICE_ID}@configuration\\|pollingInterval=${100 + i}${STAMP}`))

      await patchEntity(run.ngsiUrl, { pollingInterval: 300 + i, publishInterval: 40 + i })
      const second = await nextValues(seen + 1)
      expect(second.payload).toMatch(new RegExp(`^${DEVICE_ID}@configuration\\|pollingInterval=${300 + i}\\|publishInterval=${40 + i}${STAMP}`))

      const gone = await fetch(`${run.ngsiUrl}/v2/subscriptions/${String(sub!.id)}`, { method: 'DELETE', headers: TENANT })
      expect(gone.status).toBe(204)
    })
  })

  describe('POST /notify', () => {
    const notification = (data: unknown[]): unknown => ({ subscriptionId: '5f0c4c9a8a2c6e0001a1b2c3', data })

    it('answers 204 with no body and publishes the notified values to the device of the entity', async () => {
      const seen = device.received.length
      const r = await send(Number(new URL(run.northUrl).port), 'POST', '/notify', JSON_TENANT, notification([
        { id: ENTITY_ID, type: 'Device', pollingInterval: { type: 'Number', value: 5, metadata: {} }, label: { type: 'Text', value: 'a b', metadata: {} } }
      ]))
      expect([r.status, r.text]).toEqual([204, ''])
      const values = await nextValues(seen)
      expect(values.topic).toBe(VALUES_TOPIC)
      expect(values.payload).toMatch(new RegExp(`^${DEVICE_ID}@configuration\\|pollingInterval=5\\|label=a b${STAMP}`))
    })

    it('an entity that is no device of that tenant: 404 DEVICE_NOT_FOUND, as the library answers, and a log line', async () => {
      const port = Number(new URL(run.northUrl).port)
      const unknown = await send(port, 'POST', '/notify', JSON_TENANT, notification([{ id: 'urn:ngsi-ld:Device:999', type: 'Device', a: { type: 'Number', value: 1 } }]))
      expect([unknown.status, unknown.body]).toEqual([
        404,
        { error: 'DEVICE_NOT_FOUND', description: 'No device was found with id:urn:ngsi-ld:Device:999 and {name:urn:ngsi-ld:Device:999,service:openiot,subservice:/,type:Device}' }
      ])
      const otherTenant = await send(port, 'POST', '/notify', { ...JSON_TENANT, 'fiware-service': 'elsewhere' }, notification([{ id: ENTITY_ID, type: 'Device' }]))
      expect([otherTenant.status, otherTenant.body.error]).toEqual([404, 'DEVICE_NOT_FOUND'])
      expect(run.logs.filter((e) => e.code === 'NOTIFY-DEVICE-NOT-FOUND').map((e) => e.message)).toEqual([
        expect.stringContaining('urn:ngsi-ld:Device:999'),
        expect.stringContaining('"elsewhere"')
      ])
    })

    it('bad bodies: 400 in NGSI form; the engine keeps serving', async () => {
      const port = Number(new URL(run.northUrl).port)
      const badJson = await send(port, 'POST', '/notify', JSON_TENANT, '{"subscriptionId": ')
      expect([badJson.status, badJson.body]).toEqual([400, { error: 'WRONG_SYNTAX', description: 'Wrong syntax in request: the body is not valid JSON' }])
      const noId = await send(port, 'POST', '/notify', JSON_TENANT, { data: [] })
      expect(noId.status).toBe(400)
      expect(noId.body).toEqual({ error: 'BAD_REQUEST', description: expect.stringMatching(/^Errors found validating request\. .*subscriptionId/) })
      const noEntityId = await send(port, 'POST', '/notify', JSON_TENANT, notification([{ type: 'Device' }]))
      expect([noEntityId.status, noEntityId.body.error]).toEqual([400, 'BAD_REQUEST'])
      const text = await send(port, 'POST', '/notify', { ...TENANT, 'content-type': 'text/plain' }, 'hello')
      expect([text.status, text.body]).toEqual([400, { error: 'UNSUPPORTED_CONTENT_TYPE', description: 'Unsupported content type in the context request: text/plain' }])
      expect((await send(port, 'GET', '/iot/about')).status).toBe(200)
    })
  })
})

describe('configuration subscriptions with an external context broker', () => {
  const remoteDir = tempDir('ulcc-remote-')
  let remote: RemoteNgsi
  let proxy: RecordingProxy
  let run: RunningEngine
  let device: { client: MqttClient; received: Received[] }

  beforeAll(async () => {
    remote = await startRemoteNgsi({ dataDir: remoteDir.path })
    // The engine talks to the remote broker through a proxy that records the requests on the wire.
    proxy = await startRecordingProxy(remote.url)
    run = await startEngine((c) => {
      c.contextBroker = { mode: 'external', url: proxy.url, retryMaxMs: 200 }
    })
    await provisionSeed({ northUrl: run.northUrl, ngsiUrl: remote.url })
    device = await deviceClient(run.mqttUrl, 'config-subscription-external')
    await device.client.publishAsync(`/${APIKEY}/${DEVICE_ID}/attrs`, 't|20', { qos: 1 })
    await waitFor(async () => (await fetch(`${remote.url}/v2/entities/${ENTITY_ID}?type=Device`, { headers: TENANT })).status === 200, 'the entity in the remote broker')
    await addConfigurationAttributes(remote.url)
  })
  afterAll(async () => {
    await device?.client.endAsync(true)
    await run?.dispose()
    await proxy?.close()
    await remote?.stop()
    remoteDir.cleanup()
  })

  it('sends Orion the subscription iotagent-ul sends, with the tenant headers; a change reaches the device', async () => {
    await device.client.publishAsync(`${APIKEY}/${DEVICE_ID}/configuration/commands`, REQUEST, { qos: 1 })
    const posted = await waitFor(() => proxy.requests.find((r) => r.method === 'POST' && r.url === '/v2/subscriptions' && r.status !== undefined), 'the subscription request')
    expect(posted.body).toBe(
      '{"description":"' +
        DESCRIPTION +
        '","subject":{"entities":[{"id":"' +
        ENTITY_ID +
        '","type":"Device"}],"condition":{"attrs":["pollingInterval","publishInterval"]}},"notification":{"http":{"url":"' +
        run.northUrl +
        '/notify"},"attrs":["pollingInterval","publishInterval"],"onlyChangedAttrs":true}}'
    )
    expect(posted.headers).toMatchObject({ 'content-type': 'application/json', 'fiware-service': 'openiot', 'fiware-servicepath': '/' })
    expect(posted.status).toBe(201)

    const seen = device.received.length
    await patchEntity(remote.url, { publishInterval: 30 })
    const values = await waitFor(() => device.received[seen], 'configuration values on the device topic')
    expect(values.topic).toBe(VALUES_TOPIC)
    expect(values.payload).toMatch(new RegExp(`^${DEVICE_ID}@configuration\\|publishInterval=30${STAMP}`))
  })
})
