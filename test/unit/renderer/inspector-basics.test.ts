import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { InspectorMessageDto } from '../../../shared/contract'
import { emptyFilter, isFilterActive, messagePredicate } from '../../../renderer/src/services/message-filter'
import { csvField, exportFileName, exportRecord, logToCsv, logToJson } from '../../../renderer/src/services/log-export'
import { HISTORY_KEY, HISTORY_MAX, HISTORY_PAYLOAD_MAX, isHistory, loadHistory, remember, saveHistory, type PublishEntry } from '../../../renderer/src/services/publish-history'
import { inspectorMessage } from './inspector-message'
import { AUTO_EXPAND_MAX_CHILDREN, buildTree, flattenTree, naturalCompare, openState } from '../../../renderer/src/services/topic-tree'

const msg = (over: Partial<InspectorMessageDto>): InspectorMessageDto => inspectorMessage({ time: Date.UTC(2026, 11, 7, 15, 40, 0, 123), ...over })

describe('the log search (topic and payload)', () => {
  const a = msg({ seq: 1, topic: 'ul/k/device001/attrs', payload: 't|21|rh|40' })
  const b = msg({ seq: 2, topic: 'lab/Kitchen', payload: '{"Alarm":"SMOKE"}' })
  const c = msg({ seq: 3, topic: 'x/y', payload: 'a.b*c(d)' })
  const find = (text: string, topic = ''): number[] => [a, b, c].filter(messagePredicate({ ...emptyFilter(), text, topic })).map((m) => m.seq)

  it('finds a payload substring whatever its case, and topics too', () => {
    expect(find('RH|40')).toEqual([1])
    expect(find('smoke')).toEqual([2])
    expect(find('kitchen')).toEqual([2])
    expect(find('nothing like it')).toEqual([])
    expect(find('  ')).toEqual([1, 2, 3])
  })

  it('takes the search text literally (no regular expression) and combines it with the topic filter', () => {
    expect(find('b*c(')).toEqual([3])
    expect(find('.')).toEqual([3])
    expect(find('|', 'ul/#')).toEqual([1])
    expect(find('smoke', 'ul/#')).toEqual([])
    expect(isFilterActive({ ...emptyFilter(), text: 'x' })).toBe(true)
    expect(isFilterActive(emptyFilter())).toBe(false)
  })
})

describe('the log export', () => {
  const row = msg({
    seq: 7,
    topic: 'ul/k/device001/attrs',
    payload: 't|21,5|note|say "hi"\nbye',
    size: 26,
    qos: 1,
    retain: true,
    source: 'device',
    hop: 'device→broker',
    verdict: 'rejected',
    agent: { kind: 'attrs', deviceId: 'device001', error: 'NO_GROUP' }
  })

  it('writes JSON records with an ISO time, the payload text and what became of the message', () => {
    const parsed = JSON.parse(logToJson([row])) as unknown[]
    expect(parsed).toEqual([
      {
        time: '2026-12-07T15:40:00.123Z',
        topic: 'ul/k/device001/attrs',
        payload: 't|21,5|note|say "hi"\nbye',
        size: 26,
        truncated: false,
        payloadLossy: false,
        qos: 1,
        retain: true,
        origin: 'client',
        source: 'device',
        hop: 'device→broker',
        clientId: '',
        verdict: 'rejected',
        deviceId: 'device001',
        error: 'NO_GROUP'
      }
    ])
    expect(exportRecord(msg({ payload: 'a\uFFFDb' })).payloadLossy).toBe(true)
    expect(logToJson([])).toBe('[]\n')
  })

  it('writes RFC 4180 CSV: a header, quoted fields with doubled quotes, CRLF line ends', () => {
    const csv = logToCsv([row])
    const lines = csv.split('\r\n')
    expect(lines[0]).toBe('time,topic,payload,size,truncated,payloadLossy,qos,retain,origin,source,hop,clientId,verdict,deviceId,error')
    expect(csv.endsWith('\r\n')).toBe(true)
    // The payload's own line break stays inside its quoted field.
    expect(csv).toBe(
      'time,topic,payload,size,truncated,payloadLossy,qos,retain,origin,source,hop,clientId,verdict,deviceId,error\r\n' +
        '2026-12-07T15:40:00.123Z,ul/k/device001/attrs,"t|21,5|note|say ""hi""\nbye",26,false,false,1,true,client,device,device→broker,,rejected,device001,NO_GROUP\r\n'
    )
    expect(logToCsv([])).toBe(`${lines[0]}\r\n`)
  })

  it('neutralizes cells a spreadsheet would run as formulas', () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`)
    expect(csvField('+1')).toBe("'+1")
    expect(csvField('-5')).toBe("'-5")
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)")
    expect(csvField('\t=1')).toBe("'\t=1")
    expect(csvField('plain')).toBe('plain')
    expect(csvField(-1)).toBe('-1')
    expect(exportFileName('csv', new Date(Date.UTC(2026, 11, 7, 15, 40, 5)))).toBe('inspector-2026-12-07T15-40-05.csv')
  })
})

describe('the topic tree of a large fleet', () => {
  const fleet = (n: number): Array<{ topic: string; count: number; bytes: number; lastTime: number; rate: number; errors: number }> =>
    Array.from({ length: n }, (_, i) => ({ topic: `/key/device${i + 1}/attrs`, count: 1, bytes: 1, lastTime: 1, rate: 0, errors: 0 }))

  it('sorts names naturally', () => {
    expect(['device10', 'device2', 'Device1', 'device1', 'a'].sort(naturalCompare)).toEqual(['a', 'Device1', 'device1', 'device2', 'device10'])
    const rows = flattenTree(buildTree(fleet(12)), new Set(['', '/key']))
    expect(rows.slice(2, 6).map((r) => r.node.name)).toEqual(['device1', 'device2', 'device3', 'device4'])
    expect(rows.at(-1)!.node.name).toBe('device12')
  })

  it('opens small branches of the first two levels on its own, and leaves a branch of many devices closed', () => {
    const small = flattenTree(buildTree(fleet(AUTO_EXPAND_MAX_CHILDREN)), openState(new Map()))
    expect(small.map((r) => r.depth)).toEqual([0, 1, ...Array<number>(AUTO_EXPAND_MAX_CHILDREN).fill(2)])
    // The device level is the third: closed, as are deeper ones, even though each has one child.
    expect(small.slice(2).every((r) => r.expandable && !r.open)).toBe(true)

    const big = flattenTree(buildTree(fleet(AUTO_EXPAND_MAX_CHILDREN + 1)), openState(new Map()))
    expect(big.map((r) => [r.node.path, r.open])).toEqual([
      ['', true],
      ['/key', false]
    ])
    expect(big[1]!.node.children.size).toBe(AUTO_EXPAND_MAX_CHILDREN + 1)
  })

  it("follows the user's choice over the rule, both ways", () => {
    const tree = buildTree(fleet(60))
    const opened = flattenTree(tree, openState(new Map([['/key', true]])))
    expect(opened).toHaveLength(62)
    expect(opened[2]!.node.name).toBe('device1')
    expect(opened[61]!.node.name).toBe('device60')
    expect(flattenTree(tree, openState(new Map([['', false]]))).map((r) => r.node.path)).toEqual([''])
  })
})

describe('the publish history', () => {
  const e = (payload: string, over: Partial<PublishEntry> = {}): PublishEntry => ({ topic: 'ul/k/d/attrs', payload, qos: 0, retain: false, ...over })

  it('keeps the newest first, without repeats, and at most HISTORY_MAX', () => {
    let h: PublishEntry[] = []
    for (let i = 0; i < HISTORY_MAX + 5; i++) h = remember(h, e(`t|${i}`))
    expect(h).toHaveLength(HISTORY_MAX)
    expect(h[0]!.payload).toBe(`t|${HISTORY_MAX + 4}`)
    h = remember(h, e('t|7'))
    expect(h[0]!.payload).toBe('t|7')
    expect(h.filter((x) => x.payload === 't|7')).toHaveLength(1)
    expect(remember(h, e('t|7', { qos: 1 }))).toHaveLength(HISTORY_MAX)
    expect(remember([], e('x'.repeat(HISTORY_PAYLOAD_MAX + 1)))).toEqual([])
  })

  it('accepts only the stored shape', () => {
    expect(isHistory([e('a')])).toBe(true)
    expect(isHistory({})).toBe(false)
    expect(isHistory([{ ...e('a'), qos: 3 }])).toBe(false)
    expect(isHistory([{ ...e('a'), topic: '' }])).toBe(false)
    expect(isHistory([{ topic: 'a', payload: 'b' }])).toBe(false)
    expect(isHistory(Array.from({ length: HISTORY_MAX + 1 }, () => e('a')))).toBe(false)
  })

  describe('in localStorage', () => {
    const saved = globalThis.localStorage
    const data = new Map<string, string>()
    beforeEach(() => {
      data.clear()
      // The browser's Storage, in memory (the unit tests run without a page).
      Object.defineProperty(globalThis, 'localStorage', {
        configurable: true,
        value: { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v) }
      })
    })
    afterEach(() => {
      Object.defineProperty(globalThis, 'localStorage', { configurable: true, value: saved })
    })

    it('round-trips, and ignores a tampered or broken value', () => {
      expect(loadHistory()).toEqual([])
      saveHistory([e('t|1', { retain: true, qos: 2 })])
      expect(loadHistory()).toEqual([e('t|1', { retain: true, qos: 2 })])
      data.set(`ulcc.${HISTORY_KEY}`, JSON.stringify([{ topic: 'a', payload: 1 }]))
      expect(loadHistory()).toEqual([])
      data.set(`ulcc.${HISTORY_KEY}`, '{not json')
      expect(loadHistory()).toEqual([])
    })
  })
})
