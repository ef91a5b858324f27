import { describe, expect, it } from 'vitest'
import { TelemetryStore, type ObservedEntity } from '../../../electron/engine/telemetry/telemetry-store'

type Attr = { value: unknown; metadata: Map<string, { value: unknown }> | null; modDate: number }

/** An entity as the context broker holds it: attributes with their modification time. */
function entity(id: string, attrs: Record<string, unknown>, modDate: number, time?: string): ObservedEntity {
  const map = new Map<string, Attr>()
  for (const [k, v] of Object.entries(attrs)) map.set(k, { value: v, modDate, metadata: time ? new Map([['TimeInstant', { value: time }]]) : null })
  return { key: `openiot#/#Device#${id}`, tenant: 'openiot', servicePath: '/', id, type: 'Device', attrs: map }
}

describe('TelemetryStore', () => {
  it('samples numbers only, timed by the TimeInstant metadata, else by when the value was applied', () => {
    const store = new TelemetryStore({ points: () => 10 })
    store.sample(entity('d1', { t: 21.5, on: true, name: 'lamp', n: Number.NaN, obj: { a: 1 } }, 1, '2026-01-02T03:04:05.000Z'))
    store.sample(entity('d1', { t: 22 }, 5000))
    expect(store.series('OpenIoT', '/', 'd1')).toEqual({
      entityId: 'd1',
      entityType: 'Device',
      series: { t: [{ t: Date.parse('2026-01-02T03:04:05.000Z'), v: 21.5 }, { t: 5000, v: 22 }] }
    })
    expect(store.series('openiot', '/', 'd1', 'Other')).toBeUndefined()
    expect(store.series('openiot', '/other/', 'd1')).toBeUndefined()
  })

  it('does not repeat a point for an attribute that was not written since the last sample', () => {
    const store = new TelemetryStore({ points: () => 10 })
    const e = entity('d1', { t: 1, level: 7 }, 100)
    store.sample(e)
    store.sample(e)
    ;(e.attrs as Map<string, Attr>).set('t', { value: 2, metadata: null, modDate: 200 })
    store.sample(e)
    expect(store.series('openiot', '/', 'd1')!.series).toEqual({ t: [{ t: 100, v: 1 }, { t: 200, v: 2 }], level: [{ t: 100, v: 7 }] })
  })

  it('bounds entities (least recently sampled first) and attributes per entity', () => {
    const store = new TelemetryStore({ points: () => 10, maxEntities: 3, maxAttributes: 2 })
    for (const id of ['a', 'b', 'c']) store.sample(entity(id, { x: 1 }, 1))
    store.sample(entity('a', { x: 2 }, 2)) // a is used again: b goes first
    store.sample(entity('d', { x: 1 }, 3))
    expect(store.size).toBe(3)
    expect(store.series('openiot', '/', 'b')).toBeUndefined()
    expect(store.series('openiot', '/', 'a')?.series.x).toHaveLength(2)
    const wide = entity('a', { x: 3, y: 1, z: 1 }, 4)
    store.sample(wide)
    expect(Object.keys(store.series('openiot', '/', 'a')!.series)).toEqual(['x', 'y'])
    store.remove(wide.key)
    expect(store.series('openiot', '/', 'a')).toBeUndefined()
  })

  it('bounds the points allocated over all series, dropping the least recently sampled entities', () => {
    const store = new TelemetryStore({ points: () => 100, maxPoints: 300 })
    for (let i = 0; i < 100; i++) store.sample(entity('a', { x: i, y: i }, i))
    expect(store.points).toBe(200)
    for (let i = 0; i < 100; i++) store.sample(entity('b', { x: i }, i))
    expect(store.points).toBe(300)
    store.sample(entity('c', { x: 1 }, 1))
    expect(store.points).toBeLessThanOrEqual(300)
    expect(store.series('openiot', '/', 'a')).toBeUndefined()
    expect(store.series('openiot', '/', 'c')?.series.x).toHaveLength(1)
    store.remove('openiot#/#Device#c')
    store.remove('openiot#/#Device#b')
    expect(store.points).toBe(0)
  })

  it('gives the latest point per sampled attribute while tracked, at most `max` per call, the rest next time', () => {
    const store = new TelemetryStore({ points: () => 10 })
    store.sample(entity('a', { x: 1 }, 1))
    expect(store.takeUpdates(10)).toEqual([]) // nothing tracked before someone listens
    store.track(true)
    for (let i = 0; i < 5; i++) {
      store.sample(entity('a', { x: i, y: i }, 10 + i))
      store.sample(entity('b', { x: i }, 10 + i))
    }
    const first = store.takeUpdates(2)
    expect(first.map((u) => [u.entityId, u.attribute, u.v, u.t])).toEqual([
      ['a', 'x', 4, 14],
      ['a', 'y', 4, 14]
    ])
    expect(first[0]).toMatchObject({ service: 'openiot', servicePath: '/', entityType: 'Device' })
    expect(store.pending()).toBe(true)
    expect(store.takeUpdates(2).map((u) => [u.entityId, u.attribute])).toEqual([['b', 'x']])
    expect(store.pending()).toBe(false)
    store.track(false)
    store.sample(entity('a', { x: 9 }, 20))
    expect(store.pending()).toBe(false)
  })
})
