import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { JournaledHistoryStore } from '../../../electron/engine/history/journaled-store'
import { aggregate, aggrFunctions, isNumeric } from '../../../electron/engine/history/sth-aggregate'
import { parseSthRequest } from '../../../electron/engine/history/sth-query'
import type { HistoryPoint, HistoryStore, SeriesKey } from '../../../electron/engine/history/store'
import { tempDir } from '../../helpers/temp-dir'

const H = { 'fiware-service': 'openiot', 'fiware-servicepath': '/' }
const parse = (q: string, headers: Record<string, string> = H) => parseSthRequest(headers, new URLSearchParams(q))
const message = (q: string, headers?: Record<string, string>): string | undefined => {
  const r = parse(q, headers)
  return r.kind === 'error' ? r.body.message : undefined
}

describe('STH-Comet request checks (docs/compatibility/sth-comet.md §2)', () => {
  it('checks the headers before the query', () => {
    expect(message('lastN=abc', {})).toBe('child "fiware-service" fails because [fiware-service is required]')
    expect(parse('lastN=1', { 'fiware-service': 's', 'fiware-servicepath': '' })).toMatchObject({ kind: 'error', body: { validation: { source: 'headers', keys: [] } } })
  })

  it('takes the raw forms STH-Comet takes, zeros included', () => {
    expect(parse('lastN=0')).toMatchObject({ kind: 'raw', query: { lastN: 0 } })
    expect(parse('hLimit=0&hOffset=0')).toMatchObject({ kind: 'raw', query: { hLimit: 0, hOffset: 0 } })
    expect(parse('filetype=CSV')).toMatchObject({ kind: 'raw' })
    expect(parse('lastN=100&hLimit=100&hOffset=3&count=TRUE')).toMatchObject({ kind: 'raw', query: { count: true } })
    // lastN wins over an aggregation.
    expect(parse('lastN=5&aggrMethod=max&aggrPeriod=day').kind).toBe('raw')
    expect(parse('aggrMethod=all&aggrPeriod=second')).toMatchObject({ kind: 'aggregated', query: { aggrMethod: 'all', aggrPeriod: 'second' } })
  })

  it('reports the first failing parameter in schema order, in Joi words', () => {
    expect(message('dateFrom=x&lastN=1.5')).toBe('child "lastN" fails because ["lastN" must be an integer]')
    expect(message('lastN=')).toBe('child "lastN" fails because ["lastN" must be a number]')
    expect(message('lastN=1&lastN=2')).toBe('child "lastN" fails because ["lastN" must be a number]')
    expect(message('aggrMethod=&aggrPeriod=day')).toBe('child "aggrMethod" fails because ["aggrMethod" is not allowed to be empty]')
    expect(message('lastN=1&count=yes')).toBe('child "count" fails because ["count" must be a boolean]')
    expect(message('hLimit=1')).toMatch(/^A combination of the following query params is required/)
    expect(message('aggrMethod=max')).toMatch(/^A combination/)
    expect(parse('lastN=1&dateFrom=1700000000000&dateTo=2026-01-01T00:00:00Z')).toMatchObject({ query: { dateFrom: 1_700_000_000_000, dateTo: Date.UTC(2026, 0, 1) } })
  })
})

/** The real store in a temporary folder, holding these points. */
async function storeWith(points: HistoryPoint[]): Promise<{ store: HistoryStore; done: () => Promise<void> }> {
  const dir = tempDir('ulcc-sth-aggr-')
  const { store } = await JournaledHistoryStore.open({ filename: join(dir.path, 'points.log'), limits: { retentionDays: 36_500, maxPoints: 1000 }, flushIntervalMs: 1000, commitDelayMs: 0 })
  store.append(points)
  return { store, done: async () => (await store.close(), dir.cleanup()) }
}

describe('STH-Comet aggregation (docs/compatibility/sth-comet.md §4)', () => {
  const key: SeriesKey = { service: 's', servicePath: '/', entityId: 'e', entityType: 'T', attrName: 'a' }
  const at = (month: number, v: string): HistoryPoint => ({ ...key, recvTime: Date.UTC(2026, month, 15), attrType: 'Number', attrValue: v })

  it('numbers as STH-Comet tells them', () => {
    expect([' 12 ', '1e3', '0x10', '-0.5'].every(isNumeric)).toBe(true)
    expect(['', '  ', 'ON', '1,5', '{"a":1}'].some(isNumeric)).toBe(false)
    expect(aggrFunctions('min,all')).toEqual(['min', 'max', 'sum', 'sum2', 'occur'])
  })

  it('months count from 1, and dateFrom/dateTo compare with months from 0, as STH-Comet', async () => {
    const { store, done } = await storeWith([at(0, '1'), at(1, '2'), at(2, '3'), at(3, '4'), at(4, '5')])
    const all = aggregate(store, key, ['sum'], 'month')
    expect(all).toEqual([{ _id: { attrName: 'a', origin: '2026-01-01T00:00:00.000Z', resolution: 'month' }, points: [1, 2, 3, 4, 5].map((m) => ({ offset: m, samples: 1, sum: m })) }])
    // From 15 March to 15 April: STH-Comet gives February and March (offsets 2 and 3).
    const some = aggregate(store, key, ['sum'], 'month', Date.UTC(2026, 2, 15), Date.UTC(2026, 3, 15))
    expect(some[0]!.points.map((p) => p.offset)).toEqual([2, 3])
    await done()
  })
})
