import { connectAsync, type MqttClient } from 'mqtt'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createEngineApi } from '../../electron/engine/api'
import type { EventName, EventPayloads } from '../../shared/contract'
import type { NgsiAttributeDto } from '../../shared/ngsi'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'
import { waitFor } from '../helpers/wait-for'

const scope = { service: 'openiot', servicePath: '/' }
const apikey = 'streamkey'
const STREAMS: EventName[] = ['status', 'commands', 'logs', 'inspector', 'telemetry', 'entities', 'provisioning', 'simulator']

type Recorded = { [E in EventName]: Array<{ at: number; payload: EventPayloads[E] }> }

/** Listens to every stream, as a connected GUI does, and keeps each emission with its time. */
function recordAll(api: ReturnType<typeof createEngineApi>): { events: Recorded; off: () => void } {
  const events = Object.fromEntries(STREAMS.map((s) => [s, []])) as unknown as Recorded
  const offs = STREAMS.map((s) => api.on(s, (payload) => (events[s] as Array<{ at: number; payload: unknown }>).push({ at: Date.now(), payload })))
  return { events, off: () => offs.forEach((o) => o()) }
}

/**
 * Publishes `t|<n>|rh|<n>` for `devices` devices over a real MQTT connection, `perTick` messages
 * every 10 ms for `durationMs`: thousands of messages a second. Resolves with the count sent.
 */
async function flood(client: MqttClient, devices: number, durationMs: number, perTick = 50): Promise<number> {
  let sent = 0
  const end = Date.now() + durationMs
  while (Date.now() < end) {
    for (let i = 0; i < perTick; i++) {
      const n = sent++
      client.publish(`/${apikey}/dev${n % devices}/attrs`, `t|${n}|rh|${n % 100}`, { qos: 0 })
    }
    await new Promise((r) => setTimeout(r, 10))
  }
  return sent
}

describe('engine API event streams', () => {
  let run: RunningEngine
  let api: ReturnType<typeof createEngineApi>
  let client: MqttClient | undefined
  beforeEach(async () => {
    run = await startEngine((c) => (c.logLevel = 'INFO'))
    api = createEngineApi(run.engine, { settings: { env: {} } })
    await api['groups.create']({ scope, group: { apikey, resource: '', entity_type: 'Sensor' } })
  })
  afterEach(async () => {
    await client?.endAsync()
    client = undefined
    api.close()
    await run.dispose()
  })

  it('batches every stream (at most ~10 emissions a second) while thousands of MQTT messages a second flow', async () => {
    const { events, off } = recordAll(api)
    const seqAtStart = run.engine.inspector.lastSeq
    // Gaps announced by `skipped` are read back at once, while the ring still holds them.
    let previousLast = seqAtStart
    const gapReads: Array<{ expected: number[]; got: number[] }> = []
    api.on('inspector', (batch) => {
      if (batch.messages.length && batch.skipped > 0) {
        const first = batch.messages[0]!.seq
        const expected = Array.from({ length: first - previousLast - 1 }, (_, i) => previousLast + 1 + i)
        void api['inspector.messages']({ afterSeq: previousLast, limit: expected.length }).then((m) => gapReads.push({ expected, got: m.map((x) => x.seq) }))
      }
      if (batch.messages.length) previousLast = batch.messages.at(-1)!.seq
    })

    client = await connectAsync(run.mqttUrl, { reconnectPeriod: 0 })
    const sent = await flood(client, 50, 2000)
    await waitFor(() => run.engine.southbound.stats().measures >= sent, `the engine to process ${sent} measures`, 15_000)
    // The last batches: the inspector's account for every message, the telemetry of the last
    // values, the entities and devices created, a status.
    await waitFor(async () => {
      const accounted = events.inspector.reduce((n, e) => n + e.payload.messages.length + e.payload.skipped, 0)
      if (accounted !== run.engine.inspector.lastSeq - seqAtStart || events.status.length === 0) return false
      const created = new Set(events.entities.flatMap((e) => e.payload.filter((x) => x.kind === 'created').map((x) => x.id)))
      const devices = new Set(events.provisioning.flatMap((e) => e.payload).filter((p) => p.kind === 'device' && p.op === 'created').map((d) => d.id))
      if (created.size !== 50 || devices.size !== 50) return false
      const telemetry = new Map(events.telemetry.flatMap((e) => e.payload).map((u) => [`${u.entityId}/${u.attribute}`, u.v]))
      const dev7 = await api['entities.get']({ scope, id: 'Sensor:dev7' })
      return telemetry.size === 100 && telemetry.get('Sensor:dev7/t') === (dev7.t as { value: number }).value
    }, 'the last batch of every stream')
    off()

    // Batched: far fewer emissions than messages on every stream (the rates are measured by npm run bench).
    expect(sent).toBeGreaterThan(1000)
    for (const stream of STREAMS) {
      expect(events[stream].length, `${stream} emissions for ${sent} messages`).toBeLessThan(sent / 20)
    }

    // Inspector: every message is either in a batch or counted as skipped, batches are bounded.
    const batches = events.inspector.map((e) => e.payload)
    const carried = batches.reduce((n, b) => n + b.messages.length, 0)
    const skipped = batches.reduce((n, b) => n + b.skipped, 0)
    expect(carried + skipped).toBe(run.engine.inspector.lastSeq - seqAtStart)
    expect(skipped).toBeGreaterThan(0)
    expect(Math.max(...batches.map((b) => b.messages.length))).toBeLessThanOrEqual(200)
    for (const b of batches) {
      // The newest messages of the period, oldest first and contiguous.
      b.messages.forEach((m, i) => i > 0 && expect(m.seq).toBe(b.messages[i - 1]!.seq + 1))
    }
    expect(batches.at(-1)!.stats.messages).toBe(run.engine.inspector.lastSeq)
    expect(gapReads.length).toBeGreaterThan(0)
    for (const g of gapReads) expect(g.got).toEqual(g.expected)

    // Telemetry: a sample (at most one point per attribute per batch), ending on the entities' values.
    const updates = events.telemetry.flatMap((e) => e.payload)
    expect(updates.length).toBeLessThan(sent * 2)
    for (const e of events.telemetry) {
      const keys = e.payload.map((u) => `${u.entityId}/${u.attribute}`)
      expect(new Set(keys).size).toBe(keys.length)
    }
    const latest = new Map(updates.map((u) => [`${u.entityId}/${u.attribute}`, u.v]))
    expect(latest.size).toBe(100)
    const dev7 = await api['entities.get']({ scope, id: 'Sensor:dev7' })
    expect(latest.get('Sensor:dev7/t')).toBe((dev7.t as { value: number }).value)

    // Entities: each entity at most once per batch, the 50 new ones reported as created.
    for (const e of events.entities) {
      const ids = e.payload.map((x) => x.id)
      expect(new Set(ids).size).toBe(ids.length)
    }
    const created = new Set(events.entities.flatMap((e) => e.payload.filter((x) => x.kind === 'created').map((x) => x.id)))
    expect(created.size).toBe(50)

    // Provisioning: the autoprovisioned devices.
    const devices = events.provisioning.flatMap((e) => e.payload).filter((p) => p.kind === 'device' && p.op === 'created')
    expect(new Set(devices.map((d) => d.id)).size).toBe(50)
    expect(devices[0]).toMatchObject({ service: 'openiot', servicePath: '/' })

    // Status once a second, with the figures of the inspector.
    expect(events.status.length).toBeGreaterThanOrEqual(1)
    expect(events.status.at(-1)!.payload.inspector.messages).toBeGreaterThan(0)
  })

  it('records telemetry only while a GUI listens: sampled, bounded, numeric, timed by TimeInstant', async () => {
    run.engine.config.limits.telemetryPoints = 5
    client = await connectAsync(run.mqttUrl, { reconnectPeriod: 0 })
    // QoS 1: the PUBACK comes once the measure is in its entity.
    const publish = (payload: string): Promise<unknown> => client!.publishAsync(`/${apikey}/dev1/attrs`, payload, { qos: 1 })
    await publish('t|1')
    // Nobody listens: nothing was recorded (an engine without GUI pays nothing).
    expect(await api['telemetry.series']({ scope, entityId: 'Sensor:dev1' })).toEqual({ entityId: 'Sensor:dev1', entityType: 'Sensor', series: {} })

    const batches: EventPayloads['telemetry'][] = []
    const off = api.on('telemetry', (b) => batches.push(b))
    const seen = (attribute: string, v: number) => () => batches.flat().some((u) => u.attribute === attribute && u.v === v)
    await publish('2020-05-06T07:08:09.000Z|t|5|on|true|name|lamp')
    await waitFor(seen('t', 5), 'the measure with its own timestamp')
    expect(batches.flat().find((u) => u.v === 5)).toMatchObject({ t: Date.parse('2020-05-06T07:08:09.000Z'), service: 'openiot', servicePath: '/', entityType: 'Sensor' })
    // One measure per batch period: one point each.
    for (let i = 0; i < 8; i++) {
      await publish(`t|${100 + i}|h|${i}`)
      await waitFor(seen('t', 100 + i), `measure ${i} in the telemetry stream`)
    }
    let s = await api['telemetry.series']({ scope, entityId: 'Sensor:dev1', entityType: 'Sensor' })
    expect(Object.keys(s.series).sort()).toEqual(['h', 't']) // booleans and strings are not series
    expect(s.series.t!.map((p) => p.v)).toEqual([103, 104, 105, 106, 107]) // limits.telemetryPoints
    expect(s.series.h!.map((p) => p.v)).toEqual([3, 4, 5, 6, 7])
    const entity = await api['entities.get']({ scope, id: 'Sensor:dev1' })
    expect(s.series.t!.at(-1)!.t).toBe(Date.parse(String((entity.t as NgsiAttributeDto).metadata?.TimeInstant?.value)))

    // A burst faster than the batches: sampled, the last value always kept.
    run.engine.config.limits.telemetryPoints = 100
    for (let i = 0; i < 30; i++) await publish(`t|${200 + i}`)
    await waitFor(seen('t', 229), 'the last measure of the burst')
    s = await api['telemetry.series']({ scope, entityId: 'Sensor:dev1' })
    const burst = s.series.t!.filter((p) => p.v >= 200)
    expect(burst.at(-1)!.v).toBe(229)
    expect(burst.length).toBeLessThan(30)
    for (const b of batches) expect(new Set(b.map((u) => u.attribute)).size).toBe(b.length)

    off()
    // The PUBACK comes once the measure is in its entity: it is there, and was not recorded.
    await publish('t|999')
    expect(((await api['entities.get']({ scope, id: 'Sensor:dev1' })).t as NgsiAttributeDto).value).toBe(999)
    expect((await api['telemetry.series']({ scope, entityId: 'Sensor:dev1' })).series.t!.at(-1)!.v).toBe(229)
    await expect(api['telemetry.series']({ scope, entityId: 'nope' })).rejects.toMatchObject({ error: 'NotFound', status: 404 })
  })

  it('keeps inspector batches small when payloads are large (the rest is counted as skipped)', async () => {
    const batches: EventPayloads['inspector'][] = []
    api.on('inspector', (b) => batches.push(b))
    const big = 'x'.repeat(400 * 1024)
    await Promise.all(Array.from({ length: 8 }, (_, i) => api['mqtt.publish']({ topic: `big/${i}`, payload: big, qos: 0, retain: false })))
    await waitFor(() => batches.reduce((n, b) => n + b.messages.length + b.skipped, 0) === 8, 'the eight messages to be accounted for')
    for (const b of batches) {
      const bytes = b.messages.reduce((n, m) => n + m.payload.length, 0)
      if (b.messages.length > 1) expect(bytes).toBeLessThanOrEqual(1024 * 1024)
    }
    expect(batches.reduce((n, b) => n + b.skipped, 0)).toBeGreaterThan(0)
    // What was skipped is still there for inspector.messages.
    const all = await api['inspector.messages']({ limit: 100 })
    expect(all.filter((m) => m.topic.startsWith('big/'))).toHaveLength(8)
  })

  it('reports entity deletions and the simulator state at most once a second', async () => {
    const entities: EventPayloads['entities'][] = []
    const simulator: Array<{ at: number; payload: EventPayloads['simulator'] }> = []
    api.on('entities', (b) => entities.push(b))
    api.on('simulator', (payload) => simulator.push({ at: Date.now(), payload }))
    await api['simulator.startSeed']({ apikey, deviceId: 'seed1', intervalSec: 0.02, switchedOn: true })
    await waitFor(() => entities.flat().some((e) => e.id === 'Sensor:seed1' && e.kind === 'created'), 'the seed device entity')
    await waitFor(() => simulator.some((s) => (s.payload.devices[0]?.measuresSent ?? 0) > 20), 'simulator state with measures')
    await api['simulator.stop']({ apikey, deviceId: 'seed1' })
    await waitFor(() => simulator.at(-1)!.payload.devices.length === 0, 'the stopped device to leave the simulator state')
    for (let i = 1; i < simulator.length; i++) expect(simulator[i]!.at - simulator[i - 1]!.at).toBeGreaterThanOrEqual(990)

    const r = await fetch(`${run.ngsiUrl}/v2/entities/Sensor:seed1`, { method: 'DELETE', headers: { 'fiware-service': 'openiot', 'fiware-servicepath': '/' } })
    expect(r.status).toBe(204)
    await waitFor(() => entities.flat().some((e) => e.id === 'Sensor:seed1' && e.kind === 'deleted'), 'the deletion event')
  })
})
