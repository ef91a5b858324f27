import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEngineApi } from '../../electron/engine/api'
import { validateRequest } from '../../electron/engine/transport/validate-request'
import { readAllPoints } from '../../shared/history-export'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'

/**
 * `history.series` and `history.list` (the GUI's reads of the built-in history) on a real engine, fed through the
 * Cygnus-compatible sink's real port.
 */

let run: RunningEngine
let api: ReturnType<typeof createEngineApi>
const T0 = Date.UTC(2026, 4, 1)

async function notify(service: string | undefined, values: Array<[number, unknown]>): Promise<void> {
  const sink = `http://127.0.0.1:${run.engine.history.cygnus!.bound[0]!.port}/notify`
  const data = values.map(([t, v]) => ({ id: 'urn:ngsi-ld:Device:001', type: 'Device', temperature: { type: 'Number', value: v, metadata: { TimeInstant: { type: 'DateTime', value: new Date(t).toISOString() } } } }))
  // One notification per value: a single service path applies to every entity of a normalized one anyway.
  for (const d of data) {
    const r = await fetch(sink, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'ngsiv2-attrsformat': 'normalized', 'fiware-servicepath': '/', ...(service ? { 'fiware-service': service } : {}) },
      body: JSON.stringify({ subscriptionId: 's', data: [d] })
    })
    expect(r.status).toBe(200)
  }
}

beforeAll(async () => {
  run = await startEngine()
  api = createEngineApi(run.engine)
})

afterAll(async () => {
  api.close()
  await run.dispose()
})

describe('history.series', () => {
  const ask = { entityId: 'urn:ngsi-ld:Device:001', entityType: 'Device', attrName: 'temperature' }

  it('gives the stored points of an attribute in a range, per tenant (default tenant as Cygnus stores it)', async () => {
    await notify('openiot', [
      [T0, 20],
      [T0 + 1000, 21],
      [T0 + 2000, 22]
    ])
    await notify(undefined, [[T0, 99]])
    const all = await api['history.series']({ scope: { service: 'OpenIoT', servicePath: '/' }, ...ask })
    expect(all).toEqual({ ...ask, total: 3, thinned: false, points: [{ t: T0, v: '20' }, { t: T0 + 1000, v: '21' }, { t: T0 + 2000, v: '22' }] })
    expect((await api['history.series']({ scope: { service: 'openiot', servicePath: '/' }, ...ask, from: T0 + 500 })).points.map((p) => p.v)).toEqual(['21', '22'])
    expect((await api['history.series']({ scope: { service: '', servicePath: '/' }, ...ask })).points).toEqual([{ t: T0, v: '99' }])
    expect(await api['history.series']({ scope: { service: 'nobody', servicePath: '/' }, ...ask })).toMatchObject({ total: 0, points: [] })
  })

  it('thins a long series to the lowest and highest point of each span', async () => {
    const values: Array<[number, unknown]> = Array.from({ length: 100 }, (_, i) => [T0 + 3_600_000 + i * 1000, i % 10 === 3 ? 1000 + i : i % 7])
    await notify('thin', values)
    const s = await api['history.series']({ scope: { service: 'thin', servicePath: '/' }, ...ask, maxPoints: 20 })
    expect(s.total).toBe(100)
    expect(s.thinned).toBe(true)
    expect(s.points.length).toBeLessThanOrEqual(20)
    // Every spike (1003, 1013, …) is a span's highest point, and stays.
    expect(s.points.map((p) => Number(p.v)).filter((v) => v >= 1000)).toEqual([1003, 1013, 1023, 1033, 1043, 1053, 1063, 1073, 1083, 1093])
    const times = s.points.map((p) => p.t)
    expect(times).toEqual([...times].sort((a, b) => a - b))
  })
})

describe('history.list', () => {
  it('lists the attributes of a tenant that have history, with count, first and last time, sorted', async () => {
    await notify('listing', [
      [T0 + 5000, 30],
      [T0 + 9000, 31]
    ])
    // A second attribute of the same entity, and a second entity.
    const sink = `http://127.0.0.1:${run.engine.history.cygnus!.bound[0]!.port}/notify`
    const r = await fetch(sink, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'ngsiv2-attrsformat': 'normalized', 'fiware-service': 'listing', 'fiware-servicepath': '/' },
      body: JSON.stringify({
        subscriptionId: 's',
        data: [
          { id: 'urn:ngsi-ld:Device:001', type: 'Device', relativeHumidity: { type: 'Number', value: 40, metadata: { TimeInstant: { type: 'DateTime', value: new Date(T0 + 7000).toISOString() } } } },
          { id: 'urn:ngsi-ld:Device:000', type: 'Device', temperature: { type: 'Number', value: 10, metadata: { TimeInstant: { type: 'DateTime', value: new Date(T0).toISOString() } } } }
        ]
      })
    })
    expect(r.status).toBe(200)
    const got = await api['history.list']({ scope: { service: 'Listing', servicePath: '/' } })
    expect(got).toEqual({
      truncated: false,
      series: [
        { entityId: 'urn:ngsi-ld:Device:000', entityType: 'Device', attrName: 'temperature', count: 1, first: T0, last: T0 },
        { entityId: 'urn:ngsi-ld:Device:001', entityType: 'Device', attrName: 'relativeHumidity', count: 1, first: T0 + 7000, last: T0 + 7000 },
        { entityId: 'urn:ngsi-ld:Device:001', entityType: 'Device', attrName: 'temperature', count: 2, first: T0 + 5000, last: T0 + 9000 }
      ]
    })
    // Another service path, another tenant: nothing.
    expect(await api['history.list']({ scope: { service: 'listing', servicePath: '/other' } })).toEqual({ series: [], truncated: false })
    expect(await api['history.list']({ scope: { service: 'nobody', servicePath: '/' } })).toEqual({ series: [], truncated: false })
  })

  it('refuses arguments outside the contract', () => {
    expect(validateRequest('history.list', { scope: { service: 'a b', servicePath: '/' } })).toMatchObject({ ok: false, error: { name: 'BAD_REQUEST', status: 400 } })
    expect(validateRequest('history.list', { scope: { service: 'a', servicePath: 'x' } })).toMatchObject({ ok: false, error: { name: 'BAD_REQUEST' } })
    expect(validateRequest('history.list', { scope: { service: 'a', servicePath: '/' }, extra: 1 })).toMatchObject({ ok: false, error: { name: 'BAD_REQUEST' } })
    expect(validateRequest('history.list', { scope: { service: 'a', servicePath: '/' } })).toMatchObject({ ok: true })
  })
})

describe("the GUI's CSV export through history.series", () => {
  it('has every point of a range the chart thins: halves read until each fits, in order, none lost or repeated', async () => {
    // 300 points, two at each instant.
    await notify(
      'export',
      Array.from({ length: 300 }, (_, i): [number, unknown] => [T0 + Math.floor(i / 2) * 1000, i])
    )
    const ask = { scope: { service: 'export', servicePath: '/' }, entityId: 'urn:ngsi-ld:Device:001', entityType: 'Device', attrName: 'temperature' }
    expect((await api['history.series']({ ...ask, maxPoints: 20 })).thinned).toBe(true)
    let reads = 0
    const read = (from: number, to: number, max: number) => {
      reads++
      return api['history.series']({ ...ask, from, to, maxPoints: max })
    }
    const all = await readAllPoints(read, 0, 8.64e15, 20)
    expect(all.map((p) => p.v)).toEqual(Array.from({ length: 300 }, (_, i) => String(i)))
    expect(reads).toBeGreaterThan(15)
    // A range that fits is one read.
    reads = 0
    expect(await readAllPoints(read, T0, T0 + 4000, 20)).toHaveLength(10)
    expect(reads).toBe(1)
  })
})
