import { describe, expect, it } from 'vitest'
import {
  csvFilename,
  DEFAULT_HISTORY_RANGE,
  HISTORY_RANGES,
  historyCsv,
  isHistoryRange,
  numericValue,
  rangeBounds,
  sinkSubscriptionCurl,
  summarize
} from '../../../renderer/src/services/history'
import { hopState, portUrl } from '../../../renderer/src/views/overview/stack-hops'
import type { EngineStatus, ServiceEndpoint } from '../../../shared/contract'

const T0 = Date.UTC(2026, 4, 1, 12)

describe('the History view: ranges', () => {
  it('offers the last hour, 6 h, 24 h, 7 days and all, ending now, both bounds included', () => {
    expect(HISTORY_RANGES).toEqual(['1h', '6h', '24h', '7d', 'all'])
    expect(rangeBounds('1h', T0)).toEqual({ from: T0 - 3_600_000, to: T0 })
    expect(rangeBounds('6h', T0)).toEqual({ from: T0 - 6 * 3_600_000, to: T0 })
    expect(rangeBounds('24h', T0)).toEqual({ from: T0 - 86_400_000, to: T0 })
    expect(rangeBounds('7d', T0)).toEqual({ from: T0 - 7 * 86_400_000, to: T0 })
    expect(rangeBounds('all', T0)).toEqual({})
    expect(isHistoryRange(DEFAULT_HISTORY_RANGE)).toBe(true)
    expect(isHistoryRange('2h')).toBe(false)
    expect(isHistoryRange(3_600_000)).toBe(false)
  })
})

describe('the History view: summary and CSV', () => {
  const points = [
    { t: T0, v: '21.5' },
    { t: T0 + 1000, v: 'ON' },
    { t: T0 + 2000, v: '-3' },
    { t: T0 + 3000, v: '30' }
  ]

  it('summarizes points, lowest, highest and latest (text values counted, not compared)', () => {
    expect(summarize(points)).toEqual({ count: 4, min: -3, max: 30, last: { t: T0 + 3000, v: '30' } })
    expect(summarize([{ t: T0, v: 'ON' }])).toEqual({ count: 1, min: null, max: null, last: { t: T0, v: 'ON' } })
    expect(summarize([])).toEqual({ count: 0, min: null, max: null, last: null })
    expect([numericValue('1e3'), numericValue(' '), numericValue('[1]'), numericValue('Infinity')]).toEqual([1000, null, null, null])
  })

  it('writes recvTime,value with ISO times, quoting what CSV must quote', () => {
    const csv = historyCsv([...points, { t: T0 + 4000, v: '{"a":1,"b":"x"}' }, { t: T0 + 5000, v: 'two\nlines' }])
    expect(csv.split('\r\n')).toEqual([
      'recvTime,value',
      '2026-05-01T12:00:00.000Z,21.5',
      '2026-05-01T12:00:01.000Z,ON',
      '2026-05-01T12:00:02.000Z,-3',
      '2026-05-01T12:00:03.000Z,30',
      '2026-05-01T12:00:04.000Z,"{""a"":1,""b"":""x""}"',
      '2026-05-01T12:00:05.000Z,"two\nlines"',
      ''
    ])
    expect(historyCsv([])).toBe('recvTime,value\r\n')
  })

  it('names the file after the entity and the attribute, without characters a file name cannot hold', () => {
    expect(csvFilename('urn:ngsi-ld:Device:001', 'temperature')).toBe('history-urn_ngsi-ld_Device_001-temperature.csv')
    expect(csvFilename('a/../b', '*')).toBe('history-a_.._b-x.csv')
  })

  it('gives the curl of tutorial 8 subscription to the built-in sink, in the tenant', () => {
    const curl = sinkSubscriptionCurl('http://localhost:1026', { service: 'openiot', servicePath: '/' })
    expect(curl).toContain('curl -iX POST http://localhost:1026/v2/subscriptions')
    expect(curl).toContain("-H 'fiware-service: openiot'")
    expect(curl).toContain("-H 'fiware-servicepath: /'")
    expect(curl).toContain('"url": "http://cygnus:5050/notify"')
  })
})

describe('the overview: components read from the endpoints', () => {
  const ep = (role: ServiceEndpoint['role'], port?: number): ServiceEndpoint => ({
    role,
    name: role,
    protocol: 'http',
    addresses: port ? [{ host: '127.0.0.1', port }] : [],
    urls: port ? [`http://localhost:${port}`] : []
  })
  const status = (endpoints: ServiceEndpoint[], state: EngineStatus['state'] = 'running'): EngineStatus => ({ state, startedAt: T0, endpoints }) as EngineStatus

  it('listening when each port is bound, partly when some are, absent when none or no endpoint, stopped with the engine', () => {
    expect(hopState(status([ep('cygnus', 5050), ep('sth', 8666)]), ['cygnus', 'sth'])).toEqual({ kind: 'embedded', up: true, condition: 'listening' })
    expect(hopState(status([ep('cygnus', 5050), ep('sth')]), ['cygnus', 'sth'])).toMatchObject({ up: false, condition: 'partial' })
    expect(hopState(status([ep('cygnus'), ep('sth')]), ['cygnus', 'sth'])).toMatchObject({ up: false, condition: 'absent' })
    expect(hopState(status([]), ['iota-json-north'])).toMatchObject({ up: false, condition: 'absent' })
    expect(hopState(status([ep('iota-json-north', 4041)], 'stopped'), ['iota-json-north'])).toEqual({ kind: 'embedded', up: false, condition: 'stopped', since: T0 })
    expect(portUrl(status([ep('iota-south', 7896)]), 'iota-south')).toBe('http://localhost:7896')
    expect(portUrl(status([ep('iota-south')]), 'iota-south')).toBeNull()
  })
})
