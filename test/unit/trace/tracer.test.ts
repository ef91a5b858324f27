import { afterEach, describe, expect, it, vi } from 'vitest'
import { TRACE_EXCERPT_BYTES } from '../../../shared/trace'
import { bufferExcerpt, Tracer } from '../../../electron/engine/trace/tracer'

const received = (payload = 't|1') => ({ step: 'received', topic: '/ul/k/d/attrs', qos: 0, bytes: payload.length, payload, truncated: false }) as const

describe('Tracer', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('records nothing while nobody watches', () => {
    const t = new Tracer()
    expect(t.enabled).toBe(false)
    expect(t.begin('measure', received())).toBeUndefined()
    t.hop(undefined, { step: 'rejected', code: 'X', message: 'y' })
    expect(t.recent()).toEqual([])
    expect(t.sampleMeasure()).toBe(false)
    expect(t.stats()).toEqual({ traces: 0, bytes: 0, enabled: false, unsampled: 0 })
  })

  it('samples at most maxMeasuresPerSecond measures a second while recording', () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2026-12-07T10:00:00.100Z'))
    const t = new Tracer({ maxMeasuresPerSecond: 3 })
    t.watch()
    expect([t.sampleMeasure(), t.sampleMeasure(), t.sampleMeasure(), t.sampleMeasure(), t.sampleMeasure()]).toEqual([true, true, true, false, false])
    expect(t.stats().unsampled).toBe(2)
    vi.setSystemTime(new Date('2026-12-07T10:00:01.000Z'))
    expect(t.sampleMeasure()).toBe(true)
  })

  it('places a hop timed at the start of its step before the hops recorded during that step', () => {
    const t = new Tracer()
    t.watch()
    const id = t.begin('command', { step: 'pending', entityId: 'e', command: 'switch' })
    const publishAt = performance.now()
    // An in-process device answers inside the publish: its reply is recorded first.
    t.hop(id, { step: 'reply', topic: '/k/d/cmdexe', payload: 'd@switch|ok', command: 'switch', result: 'ok' })
    t.hop(id, { step: 'published', topic: '/k/d/cmd', payload: 'd@switch|on', qos: 0, deviceId: 'd', command: 'switch' }, publishAt)
    expect(t.get(id!)!.hops.map((h) => h.step)).toEqual(['pending', 'published', 'reply'])
  })

  it('records while a watcher holds it, and stops when the last one leaves', () => {
    const t = new Tracer()
    const a = t.watch()
    const b = t.watch()
    const id = t.begin('measure', received(), { deviceId: 'd' })
    expect(id).toBe(1)
    t.hop(id, { step: 'parsed', apikey: 'k', deviceId: 'd', kind: 'attrs' })
    a()
    a() // idempotent
    expect(t.enabled).toBe(true)
    b()
    expect(t.enabled).toBe(false)
    expect(t.begin('measure', received())).toBeUndefined()
    // What was recorded stays readable.
    const trace = t.get(1)!
    expect(trace.kind).toBe('measure')
    expect(trace.deviceId).toBe('d')
    expect(trace.hops.map((h) => h.step)).toEqual(['received', 'parsed'])
    expect(trace.hops[1]!.at).toBeGreaterThanOrEqual(trace.hops[0]!.at)
  })

  it('records for lingerMs after a request, then stops', () => {
    vi.useFakeTimers()
    const t = new Tracer({ lingerMs: 1000 })
    t.touch()
    expect(t.begin('measure', received())).toBe(1)
    vi.advanceTimersByTime(999)
    expect(t.enabled).toBe(true)
    t.touch()
    vi.advanceTimersByTime(999)
    expect(t.enabled).toBe(true)
    vi.advanceTimersByTime(1)
    expect(t.enabled).toBe(false)
    expect(t.begin('measure', received())).toBeUndefined()
  })

  it('keeps at most maxTraces traces, the newest', () => {
    const t = new Tracer({ maxTraces: 3 })
    t.watch()
    for (let i = 0; i < 10; i++) t.begin('measure', received())
    expect(t.recent().map((x) => x.id)).toEqual([10, 9, 8])
    expect(t.get(7)).toBeUndefined()
    // A hop for a dropped trace is ignored.
    t.hop(7, { step: 'rejected', code: 'X', message: 'y' })
    expect(t.stats().traces).toBe(3)
  })

  it('keeps the traces within maxBytes, dropping the oldest', () => {
    const t = new Tracer({ maxBytes: 10_000 })
    t.watch()
    const big = 'x'.repeat(TRACE_EXCERPT_BYTES)
    for (let i = 0; i < 20; i++) t.begin('measure', received(big))
    const s = t.stats()
    expect(s.bytes).toBeLessThanOrEqual(10_000)
    expect(s.traces).toBeGreaterThan(0)
    expect(s.traces).toBeLessThan(20)
    expect(t.recent()[0]!.id).toBe(20)
  })

  it('bounds the hops of one trace', () => {
    const t = new Tracer({ maxHops: 3 })
    t.watch()
    const id = t.begin('command', received())
    for (let i = 0; i < 10; i++) t.hop(id, { step: 'pending', entityId: 'e', command: 'on' })
    expect(t.get(id!)!.hops).toHaveLength(3)
  })

  it('filters recent traces by kind, device and entity, newest first', () => {
    const t = new Tracer()
    t.watch()
    t.begin('measure', received(), { deviceId: 'a', entityId: 'ea' })
    const c = t.begin('command', received())
    t.describe(c, { deviceId: 'b', entityId: 'eb' })
    t.begin('measure', received(), { deviceId: 'b' })
    expect(t.recent({ kind: 'command' }).map((x) => x.id)).toEqual([2])
    expect(t.recent({ deviceId: 'b' }).map((x) => x.id)).toEqual([3, 2])
    expect(t.recent({ entityId: 'ea' }).map((x) => x.id)).toEqual([1])
    expect(t.recent({ limit: 1 }).map((x) => x.id)).toEqual([3])
  })

  it('links a key to a trace while the trace is kept', () => {
    const t = new Tracer({ maxTraces: 1 })
    t.watch()
    const id = t.begin('request', received())
    t.link('corr-1', id)
    expect(t.linked('corr-1')).toBe(id)
    t.begin('request', received())
    expect(t.linked('corr-1')).toBeUndefined()
    expect(t.linked('unknown')).toBeUndefined()
  })

  it('announces begun and changed traces to its listeners', () => {
    const t = new Tracer()
    t.watch()
    const seen: number[] = []
    const off = t.onChange((id) => seen.push(id))
    const id = t.begin('measure', received())
    t.hop(id, { step: 'rejected', code: 'X', message: 'y' })
    off()
    t.hop(id, { step: 'rejected', code: 'X', message: 'z' })
    expect(seen).toEqual([1, 1])
  })

  it('cuts payload excerpts', () => {
    const long = Buffer.alloc(TRACE_EXCERPT_BYTES + 10, 0x61)
    expect(bufferExcerpt(long)).toEqual({ text: 'a'.repeat(TRACE_EXCERPT_BYTES), truncated: true })
    expect(bufferExcerpt(Buffer.from('t|1'))).toEqual({ text: 't|1', truncated: false })
  })
})
