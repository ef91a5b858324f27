import { connectAsync, type MqttClient } from 'mqtt'
import { afterEach, describe, expect, it } from 'vitest'
import { createEngineApi } from '../../electron/engine/api'
import type { HopDto, TraceDto } from '../../shared/trace'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'
import { APIKEY, DEVICE_ID, ENTITY_ID, provisionSeed } from '../helpers/postman-tutorial7'
import { startRecordingOrion, type RecordingOrion } from '../helpers/recording-orion'
import { waitFor } from '../helpers/wait-for'

/**
 * The trace of a measure (issue 9): with the trace view open (a listener of the `trace` stream),
 * a tutorial measure published by a real MQTT client has its hops recorded, in order, with their
 * data; a rejected message's trace says why; with an external Orion the context-update hop is
 * the NGSI request the update went out in, with Orion's status.
 */

type Hop<S extends HopDto['step']> = Extract<HopDto, { step: S }>

function hop<S extends HopDto['step']>(t: TraceDto, step: S): Hop<S> {
  const h = t.hops.find((x) => x.step === step)
  if (!h) throw new Error(`no ${step} hop in ${JSON.stringify(t.hops.map((x) => x.step))}`)
  return h as Hop<S>
}

describe('trace of a measure', () => {
  let run: RunningEngine | undefined
  let orion: RecordingOrion | undefined
  let client: MqttClient | undefined
  let api: ReturnType<typeof createEngineApi> | undefined

  afterEach(async () => {
    api?.close()
    await client?.endAsync(true)
    await run?.dispose()
    await orion?.close()
    run = orion = client = api = undefined
  })

  /** The engine's API with the trace view open; every trace the stream sent, by id (latest state). */
  const watch = (r: RunningEngine): Map<number, TraceDto> => {
    api = createEngineApi(r.engine, { settings: { env: {} } })
    const seen = new Map<number, TraceDto>()
    api.on('trace', (batch) => {
      for (const t of batch) seen.set(t.id, t)
    })
    return seen
  }

  it('embedded: received, parsed, resolved, decoded, mapped and context-update hops with their data', async () => {
    run = await startEngine()
    await provisionSeed(run)
    const seen = watch(run)
    expect(run.engine.tracer.enabled).toBe(true)
    client = await connectAsync(run.mqttUrl, { clientId: 'trace-dev', reconnectPeriod: 0 })
    await client.publishAsync(`/ul/${APIKEY}/${DEVICE_ID}/attrs`, 't|21.5|rh|40', { qos: 1 })

    // The PUBACK came once the measure was processed: its trace is complete.
    const [t] = (await api!['trace.recent']({ kind: 'measure', deviceId: DEVICE_ID }))
    expect(t).toBeDefined()
    expect(t!.entityId).toBe(ENTITY_ID)
    expect(t!.hops.map((h) => h.step)).toEqual(['received', 'parsed', 'resolved', 'decoded', 'mapped', 'context-update'])
    expect(hop(t!, 'received')).toMatchObject({ topic: `/ul/${APIKEY}/${DEVICE_ID}/attrs`, clientId: 'trace-dev', qos: 1, bytes: 12, payload: 't|21.5|rh|40', truncated: false })
    expect(hop(t!, 'parsed')).toMatchObject({ apikey: APIKEY, deviceId: DEVICE_ID, kind: 'attrs' })
    expect(hop(t!, 'resolved')).toMatchObject({ outcome: 'provisioned', entityId: ENTITY_ID, entityType: 'Device' })
    expect(hop(t!, 'decoded').pairs).toEqual([
      { key: 't', value: 21.5 },
      { key: 'rh', value: 40 }
    ])
    const mapped = hop(t!, 'mapped')
    expect(mapped.entityId).toBe(ENTITY_ID)
    expect(mapped.attributes).toEqual(expect.arrayContaining([{ name: 'temperature', type: 'Number', value: 21.5 }, { name: 'relativeHumidity', type: 'Number', value: 40 }]))
    const update = hop(t!, 'context-update')
    expect(update).toMatchObject({ mode: 'embedded', entityId: ENTITY_ID })
    if (update.mode !== 'embedded') throw new Error('embedded hop expected')
    expect(update.changed).toEqual(expect.arrayContaining(['temperature', 'relativeHumidity']))
    // Hop times are offsets from the start, in order.
    const times = t!.hops.map((h) => h.at)
    expect([...times].sort((a, b) => a - b)).toEqual(times)

    // The inspector's message names the trace; the stream carried it too.
    const messages = await api!['inspector.messages']({ limit: 10 })
    expect(messages.find((m) => m.topic.endsWith('/attrs'))?.traceId).toBe(t!.id)
    await waitFor(() => seen.get(t!.id)?.hops.length === 6, 'the trace on the trace stream')
    expect(await api!['trace.get']({ id: t!.id })).toEqual(t)
  })

  it('a rejected message: the resolved hop says why', async () => {
    run = await startEngine()
    watch(run)
    client = await connectAsync(run.mqttUrl, { reconnectPeriod: 0 })
    await client.publishAsync('/ul/unknownkey/dev9/attrs', 't|1', { qos: 1 })
    const [t] = await api!['trace.recent']({ deviceId: 'dev9' })
    expect(t!.hops.map((h) => h.step)).toEqual(['received', 'parsed', 'resolved'])
    expect(hop(t!, 'resolved')).toMatchObject({ outcome: 'rejected', reason: 'NO_GROUP' })
    expect(hop(t!, 'resolved').message).toContain('unknownkey')
  })

  it('a payload that is not UltraLight: a rejected hop with PARSE_ERROR', async () => {
    run = await startEngine()
    await provisionSeed(run)
    watch(run)
    client = await connectAsync(run.mqttUrl, { reconnectPeriod: 0 })
    await client.publishAsync(`/ul/${APIKEY}/${DEVICE_ID}/attrs`, 't', { qos: 1 })
    const [t] = await api!['trace.recent']({ deviceId: DEVICE_ID })
    expect(t!.hops.map((h) => h.step)).toEqual(['received', 'parsed', 'resolved', 'rejected'])
    expect(hop(t!, 'rejected').code).toBe('PARSE_ERROR')
  })

  it('nobody watching: nothing is recorded and messages carry no trace id', async () => {
    run = await startEngine()
    await provisionSeed(run)
    client = await connectAsync(run.mqttUrl, { reconnectPeriod: 0 })
    await client.publishAsync(`/ul/${APIKEY}/${DEVICE_ID}/attrs`, 't|3', { qos: 1 })
    expect(run.engine.tracer.enabled).toBe(false)
    expect(run.engine.tracer.stats().traces).toBe(0)
    const [m] = run.engine.inspector.messages({ limit: 1 })
    expect(m!.outcome?.traceId).toBeUndefined()
  })

  it('external Orion: the context-update hop is the NGSI request, its status and latency', async () => {
    orion = await startRecordingOrion()
    const url = orion.url
    run = await startEngine((c) => {
      c.contextBroker = { mode: 'external', url, retryMaxMs: 200 }
    })
    await provisionSeed(run)
    watch(run)
    client = await connectAsync(run.mqttUrl, { reconnectPeriod: 0 })
    await client.publishAsync(`/ul/${APIKEY}/${DEVICE_ID}/attrs`, 't|22|rh|41', { qos: 1 })
    const t = await waitFor(async () => {
      const [x] = await api!['trace.recent']({ kind: 'measure', deviceId: DEVICE_ID })
      return x?.hops.some((h) => h.step === 'context-update') ? x : undefined
    }, 'the context-update hop')
    expect(t.hops.map((h) => h.step)).toEqual(['received', 'parsed', 'resolved', 'decoded', 'mapped', 'queued', 'context-update'])
    const update = hop(t, 'context-update')
    if (update.mode !== 'external') throw new Error('external hop expected')
    expect(update.status).toBe(204)
    expect(update.retries).toBe(0)
    expect(update.batch).toBeGreaterThanOrEqual(1)
    expect(update.latencyMs).toBeGreaterThanOrEqual(0)
    expect(update.request.method).toBe('POST')
    expect(update.request.url).toBe(`${url}/v2/entities?options=upsert`)
    expect(update.request.headers['fiware-service']).toBe('openiot')
    const sent = orion.of('POST', '/v2/entities?options=upsert').find((r) => r.text.includes('"temperature"'))
    expect(update.request.body).toBe(sent!.text)
  })
})
