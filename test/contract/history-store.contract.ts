import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { aggregate } from '../../electron/engine/history/sth-aggregate'
import type { HistoryLimits, HistoryPoint, HistoryStore, SeriesKey } from '../../electron/engine/history/store'
import { tempDir } from '../helpers/temp-dir'

/**
 * What every HistoryStore does (electron/engine/history/store.ts): reads see the writes made
 * before them, in time order; ranges, counts and the STH-Comet aggregation over them; retention
 * by age and by count; and what `durable()` confirmed is there again after a restart.
 */
export interface HistoryStoreSetup {
  /** Opens the store kept in `dir` (the same dir again: a restart). `now` is the retention's clock. */
  open(dir: string, limits: HistoryLimits, now?: () => number): Promise<HistoryStore>
}

const T0 = Date.UTC(2026, 2, 10, 12, 0, 0)
const KEY: SeriesKey = { service: 'openiot', servicePath: '/', entityId: 'urn:ngsi-ld:Device:001', entityType: 'Device', attrName: 'temperature' }
const BIG: HistoryLimits = { retentionDays: 36_500, maxPoints: 1_000_000 }

function point(i: number, over: Partial<HistoryPoint> = {}): HistoryPoint {
  return { ...KEY, recvTime: T0 + i * 1000, attrType: 'Number', attrValue: String(20 + (i % 10)), ...over }
}

export function historyStoreContract(name: string, setup: HistoryStoreSetup): void {
  describe(`HistoryStore contract: ${name}`, () => {
    let dir: { path: string; cleanup: () => void }
    const open: HistoryStore[] = []
    const openStore = async (limits = BIG, now?: () => number): Promise<HistoryStore> => {
      const s = await setup.open(dir.path, limits, now)
      open.push(s)
      return s
    }
    beforeEach(() => {
      dir = tempDir('ulcc-history-')
    })
    afterEach(async () => {
      for (const s of open.splice(0)) await s.close()
      dir.cleanup()
    })

    it('reads back the points of a series in time order, a late point at its place', async () => {
      const s = await openStore()
      s.append([point(0), point(2), point(3)])
      s.append([point(1, { attrValue: 'late' })])
      expect(s.read(KEY).map((p) => [p.recvTime - T0, p.attrValue])).toEqual([
        [0, '20'],
        [1000, 'late'],
        [2000, '22'],
        [3000, '23']
      ])
      expect(s.read(KEY)[0]).toEqual({ recvTime: T0, attrType: 'Number', attrValue: '20' })
      expect(s.size).toBe(4)
    })

    it('keeps series apart: another attribute, entity, service or service path', async () => {
      const s = await openStore()
      s.append([point(0), point(1, { attrName: 'relativeHumidity' }), point(2, { entityId: 'other' }), point(3, { service: 'other' }), point(4, { servicePath: '/other' })])
      expect(s.read(KEY)).toHaveLength(1)
      expect(s.read({ ...KEY, attrName: 'relativeHumidity' })).toHaveLength(1)
      expect(s.read({ ...KEY, service: 'other' })[0]!.recvTime).toBe(T0 + 3000)
      expect(s.read({ ...KEY, servicePath: '/other' })[0]!.recvTime).toBe(T0 + 4000)
      expect(s.read({ ...KEY, entityId: 'nobody' })).toEqual([])
    })

    it('lists the series of one tenant with their count, first and last time; a series pruned empty is gone', async () => {
      let now = T0 + 3_000
      const s = await openStore({ retentionDays: 1, maxPoints: 1_000_000 }, () => now)
      s.append([point(2), point(0), point(1, { attrName: 'relativeHumidity' }), point(3, { service: 'other' }), point(4, { servicePath: '/other' })])
      const byAttr = (l: ReturnType<HistoryStore['list']>) => [...l].sort((a, b) => a.key.attrName.localeCompare(b.key.attrName))
      expect(byAttr(s.list('openiot', '/', 100))).toEqual([
        { key: { ...KEY, attrName: 'relativeHumidity' }, count: 1, first: T0 + 1000, last: T0 + 1000 },
        { key: KEY, count: 2, first: T0, last: T0 + 2000 }
      ])
      expect(s.list('openiot', '/', 1)).toHaveLength(1)
      expect(s.list('other', '/', 100).map((x) => x.count)).toEqual([1])
      expect(s.list('nobody', '/', 100)).toEqual([])
      s.append([point(100_000)])
      now = T0 + 86_400_000 + 50_000
      s.prune()
      expect(s.list('openiot', '/', 100)).toEqual([{ key: KEY, count: 1, first: T0 + 100_000_000, last: T0 + 100_000_000 }])
    })

    it('reads and counts a range, both bounds included', async () => {
      const s = await openStore()
      s.append(Array.from({ length: 100 }, (_, i) => point(i)))
      const r = s.read(KEY, { from: T0 + 10_000, to: T0 + 19_000 })
      expect(r.map((p) => (p.recvTime - T0) / 1000)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19])
      expect(s.count(KEY, { from: T0 + 10_000, to: T0 + 19_000 })).toBe(10)
      expect(s.count(KEY, { from: T0 + 95_500 })).toBe(4)
      expect(s.count(KEY, { to: T0 - 1 })).toBe(0)
      expect(s.count(KEY)).toBe(100)
      // Pages: skip then limit, within the range.
      expect(s.read(KEY, { from: T0 + 10_000 }, { offset: 5, limit: 3 }).map((p) => (p.recvTime - T0) / 1000)).toEqual([15, 16, 17])
      expect(s.read(KEY, {}, { offset: 97 }).map((p) => (p.recvTime - T0) / 1000)).toEqual([97, 98, 99])
      expect(s.read(KEY, { to: T0 + 1000 }, { offset: 5, limit: 3 })).toEqual([])
      const seen: number[] = []
      s.scan(KEY, { from: T0 + 98_000 }, (t) => seen.push(t - T0))
      expect(seen).toEqual([98_000, 99_000])
    })

    it('aggregates as STH-Comet: per minute of one hour, numeric and textual values', async () => {
      const s = await openStore()
      // 60 points, one a second, across minute 0; then two texts in minute 1.
      s.append(Array.from({ length: 60 }, (_, i) => point(i)))
      s.append([point(60, { attrValue: 'ON' }), point(61, { attrValue: 'ON' }), point(62, { attrValue: 'OFF' })])
      const groups = aggregate(s, KEY, ['max', 'min', 'sum', 'sum2', 'occur'], 'minute')
      expect(groups).toHaveLength(1)
      expect(groups[0]!._id).toEqual({ attrName: 'temperature', origin: '2026-03-10T12:00:00.000Z', resolution: 'minute' })
      const values = Array.from({ length: 60 }, (_, i) => 20 + (i % 10))
      expect(groups[0]!.points).toEqual([
        { offset: 0, samples: 60, max: 29, min: 20, sum: values.reduce((a, b) => a + b, 0), sum2: values.reduce((a, b) => a + b * b, 0) },
        { offset: 1, samples: 3, occur: { ON: 2, OFF: 1 } }
      ])
      // dateFrom/dateTo take whole periods: 12:00:30 to 12:00:40 is minute 0.
      const some = aggregate(s, KEY, ['sum'], 'minute', T0 + 30_000, T0 + 40_000)
      expect(some[0]!.points).toEqual([{ offset: 0, samples: 60, sum: groups[0]!.points[0]!.sum }])
      const hour = aggregate(s, KEY, ['occur'], 'hour')
      expect(hour[0]!._id.origin).toBe('2026-03-10T00:00:00.000Z')
      expect(hour[0]!.points).toEqual([{ offset: 12, samples: 63, occur: { ON: 2, OFF: 1 } }])
    })

    it('drops the points older than the retention, at open and by prune', async () => {
      let now = T0 + 10 * 86_400_000
      const s = await openStore({ retentionDays: 7, maxPoints: 1000 }, () => now)
      s.append([point(0), point(1), point(0, { recvTime: now - 86_400_000 })])
      expect(s.prune()).toBe(2)
      expect(s.read(KEY).map((p) => p.recvTime)).toEqual([now - 86_400_000])
      await s.durable()
      await s.close()
      open.length = 0
      now += 7 * 86_400_000
      const again = await openStore({ retentionDays: 7, maxPoints: 1000 }, () => now)
      expect(again.size).toBe(0)
      expect(again.read(KEY)).toEqual([])
    })

    it('keeps at most maxPoints, the oldest arrivals going first, across series', async () => {
      const s = await openStore({ retentionDays: 36_500, maxPoints: 1000 })
      for (let i = 0; i < 1500; i++) s.append([point(i, { attrName: i % 2 ? 'a' : 'b' })])
      expect(s.size).toBe(1000)
      expect(s.count({ ...KEY, attrName: 'a' }) + s.count({ ...KEY, attrName: 'b' })).toBe(1000)
      expect(s.read({ ...KEY, attrName: 'b' })[0]!.recvTime).toBe(T0 + 500_000)
      expect(s.read({ ...KEY, attrName: 'a' })[0]!.recvTime).toBe(T0 + 501_000)
      await s.durable()
      await s.close()
      open.length = 0
      const again = await openStore({ retentionDays: 36_500, maxPoints: 1000 })
      expect(again.size).toBe(1000)
      expect(again.read({ ...KEY, attrName: 'b' })[0]!.recvTime).toBe(T0 + 500_000)
    })

    it('has every durable point again after a restart, many batches and a rewrite later', async () => {
      const s = await openStore({ retentionDays: 36_500, maxPoints: 5000 })
      // 40,000 points through a bound of 5,000: the file is rewritten on the way.
      for (let b = 0; b < 40; b++) {
        s.append(Array.from({ length: 1000 }, (_, i) => point(b * 1000 + i, { attrValue: `v${b * 1000 + i}`, attrType: 'Text' })))
        await s.durable()
      }
      s.append([point(50_000, { attrName: 'odd name "with" quotes\n', attrValue: '{"a":[1,2]}', attrType: 'StructuredValue' })])
      await s.durable()
      const before = s.read(KEY)
      await s.close()
      open.length = 0
      const again = await openStore({ retentionDays: 36_500, maxPoints: 5000 })
      expect(again.size).toBe(5000)
      expect(again.read(KEY)).toEqual(before)
      expect(again.read({ ...KEY, attrName: 'odd name "with" quotes\n' })).toEqual([{ recvTime: T0 + 50_000_000, attrType: 'StructuredValue', attrValue: '{"a":[1,2]}' }])
    })

    it('writes what close finds pending', async () => {
      const s = await openStore()
      s.append([point(0), point(1)])
      await s.close()
      open.length = 0
      const again = await openStore()
      expect(again.read(KEY)).toHaveLength(2)
    })
  })
}
