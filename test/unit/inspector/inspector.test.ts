import { afterEach, describe, expect, it } from 'vitest'
import { Inspector } from '../../../electron/engine/inspector/inspector'
import type { MqttMessage } from '../../../electron/engine/broker/types'

const msg = (topic: string, payload: string | Buffer): MqttMessage => ({ topic, payload: Buffer.isBuffer(payload) ? payload : Buffer.from(payload), qos: 0, retain: false, origin: 'client' })

describe('Inspector', () => {
  let insp: Inspector | undefined
  afterEach(() => insp?.close())

  it('keeps the most recent messages within the count bound', () => {
    insp = new Inspector({ inspectorMessages: 3, inspectorBytes: 1 << 20, inspectorTopics: 100 })
    for (let i = 1; i <= 5; i++) insp.record(msg('a', `m${i}`), null)
    expect(insp.messages().map((m) => m.payload.toString())).toEqual(['m3', 'm4', 'm5'])
    expect(insp.stats()).toMatchObject({ messages: 5, buffered: 3, bytes: 10 })
  })

  it('evicts the oldest messages to stay within the byte bound', () => {
    insp = new Inspector({ inspectorMessages: 100, inspectorBytes: 16 * 1024, inspectorTopics: 100 })
    for (let i = 0; i < 10; i++) insp.record(msg('a', Buffer.alloc(1000, i)), null)
    const s = insp.stats()
    expect(s.bufferedBytes).toBeLessThanOrEqual(16 * 1024)
    expect(insp.messages().at(-1)!.payload[0]).toBe(9)
  })

  it('keeps the head of an oversized payload and says how big the whole was', () => {
    insp = new Inspector({ inspectorMessages: 10, inspectorBytes: 16 * 1024, inspectorTopics: 100 })
    const m = insp.record(msg('big', Buffer.alloc(50_000, 1)), null)
    expect(m.size).toBe(50_000)
    expect(m.payload.length).toBe(1024)
  })

  it('returns messages after a sequence number, newest limited', () => {
    insp = new Inspector({ inspectorMessages: 10, inspectorBytes: 1 << 20, inspectorTopics: 100 })
    for (let i = 1; i <= 6; i++) insp.record(msg('a', `m${i}`), null)
    expect(insp.messages({ afterSeq: 4 }).map((m) => m.seq)).toEqual([5, 6])
    expect(insp.messages({ limit: 2 }).map((m) => m.seq)).toEqual([5, 6])
    expect(insp.messages({ filter: (m) => m.seq % 2 === 0 }).map((m) => m.seq)).toEqual([2, 4, 6])
  })

  it('counts per topic, with errors reported by the agent, and bounds the topic table', () => {
    insp = new Inspector({ inspectorMessages: 10, inspectorBytes: 1 << 20, inspectorTopics: 2 })
    insp.record(msg('a', 'x'), { kind: 'attrs', apikey: 'k', deviceId: 'd', error: 'PARSE_ERROR' })
    insp.record(msg('a', 'yy'), null)
    insp.record(msg('b', 'z'), null)
    insp.record(msg('a', 'w'), null)
    insp.record(msg('c', 'v'), null)
    const topics = Object.fromEntries(insp.topicStats().map((t) => [t.topic, t]))
    expect(Object.keys(topics).sort()).toEqual(['a', 'c'])
    expect(topics.a).toMatchObject({ count: 3, bytes: 4, errors: 1 })
    expect(insp.stats().evictedTopics).toBe(1)
  })
})
