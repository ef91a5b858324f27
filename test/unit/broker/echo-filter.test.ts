import { describe, expect, it } from 'vitest'
import { EchoFilter } from '../../../electron/engine/broker/echo-filter'

const b = (s: string): Buffer => Buffer.from(s)

describe('EchoFilter', () => {
  it('recognises each expected copy once, by topic and payload', () => {
    const f = new EchoFilter()
    f.expect('/k/d/attrs', b('t|1'), 0)
    f.expect('/k/d/attrs', b('t|1'), 0)
    f.expect('/k/d/attrs', b('t|2'), 0)
    expect(f.consume('/k/d/attrs', b('t|3'), 1)).toBe(false)
    expect(f.consume('/k/e/attrs', b('t|1'), 1)).toBe(false)
    expect(f.consume('/k/d/attrs', b('t|2'), 1)).toBe(true)
    expect(f.consume('/k/d/attrs', b('t|1'), 1)).toBe(true)
    expect(f.consume('/k/d/attrs', b('t|1'), 1)).toBe(true)
    expect(f.consume('/k/d/attrs', b('t|1'), 1)).toBe(false)
    expect(f.size).toBe(0)
  })

  it('forgets copies that never came back after the time to live', () => {
    const f = new EchoFilter(1000)
    f.expect('a', b('1'), 0)
    f.expect('b', b('2'), 500)
    expect(f.consume('a', b('1'), 1001)).toBe(false)
    expect(f.consume('b', b('2'), 1001)).toBe(true)
  })

  it('keeps at most maxEntries, dropping the oldest', () => {
    const f = new EchoFilter(60_000, 100)
    for (let i = 0; i < 5000; i++) f.expect('t', b(String(i)), i)
    expect(f.size).toBe(100)
    expect(f.consume('t', b('0'), 5000)).toBe(false)
    expect(f.consume('t', b('4999'), 5000)).toBe(true)
  })

  it('forgets everything on clear()', () => {
    const f = new EchoFilter()
    f.expect('t', b('x'), 0)
    f.clear()
    expect(f.consume('t', b('x'), 1)).toBe(false)
  })
})
