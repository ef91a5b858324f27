import { describe, expect, it } from 'vitest'
import { BuiltinReceiver, cutUtf8, isBuiltinReceiverHost } from '../../../electron/engine/context/embedded/subscriptions/builtin-receiver'
import type { OutgoingNotification } from '../../../electron/engine/context/embedded/subscriptions/notification-request'

const request = (body: string | null, over: Partial<OutgoingNotification> = {}): OutgoingNotification => ({
  method: 'POST',
  url: 'http://context-provider:5000/priceChange',
  headers: [
    ['Content-Type', 'application/json; charset=utf-8'],
    ['Fiware-Correlator', 'c1; cbnotif=1']
  ],
  body,
  timeoutMs: 5000,
  ...over
})
const origin = (service = '', subscriptionId = 'sub1') => ({ subscriptionId, service, servicePath: '/' })

describe('the built-in notification receiver', () => {
  it('takes the tutorials’ host names only, whatever their case', () => {
    expect(isBuiltinReceiverHost('context-provider')).toBe(true)
    expect(isBuiltinReceiverHost('Context-Provider')).toBe(true)
    expect(isBuiltinReceiverHost('context-provider.example')).toBe(false)
    expect(isBuiltinReceiverHost('localhost')).toBe(false)
  })

  it('keeps the request as sent, with where it came from and why, and tells the listeners', () => {
    const r = new BuiltinReceiver()
    const heard: number[] = []
    const off = r.onReceive((n) => heard.push(n.id))
    const kept = r.accept(request('{"subscriptionId":"sub1","data":[]}'), { ...origin('openiot'), trace: 7 }, 'context-provider')
    expect(kept).toMatchObject({
      id: 1,
      service: 'openiot',
      servicePath: '/',
      subscriptionId: 'sub1',
      method: 'POST',
      url: 'http://context-provider:5000/priceChange',
      via: 'context-provider does not resolve on this computer',
      host: 'context-provider',
      headers: { 'Content-Type': 'application/json; charset=utf-8', 'Fiware-Correlator': 'c1; cbnotif=1' },
      body: '{"subscriptionId":"sub1","data":[]}',
      bytes: 35,
      truncated: false,
      traceId: 7
    })
    expect(heard).toEqual([1])
    off()
    r.accept(request(null), origin(), 'context-provider')
    expect(heard).toEqual([1])
    expect(r.recent()[0]).toMatchObject({ id: 2, body: '', bytes: 0 })
  })

  it('cuts a body at the byte bound without splitting a character, and says so', () => {
    const r = new BuiltinReceiver({ maxBodyBytes: 10 })
    const kept = r.accept(request('ééééééé'), origin(), 'context-provider')
    expect(kept.truncated).toBe(true)
    expect(kept.bytes).toBe(14)
    expect(kept.body).toBe('ééééé')
    expect(cutUtf8('abc', 3)).toEqual({ text: 'abc', bytes: 3, truncated: false })
    expect(cutUtf8('aé', 2)).toEqual({ text: 'a', bytes: 3, truncated: true })
  })

  it('keeps at most maxItems, the newest, listed newest first', () => {
    const r = new BuiltinReceiver({ maxItems: 3 })
    for (let i = 1; i <= 5; i++) r.accept(request(`{"n":${i}}`), origin(), 'context-provider')
    expect(r.recent().map((n) => n.id)).toEqual([5, 4, 3])
    expect(r.recent({ limit: 2 }).map((n) => n.id)).toEqual([5, 4])
    expect(r.size().items).toBe(3)
  })

  it('keeps at most maxBytes of bodies, dropping the oldest (but always the newest one)', () => {
    const r = new BuiltinReceiver({ maxBytes: 25, maxBodyBytes: 20 })
    r.accept(request('x'.repeat(10)), origin(), 'context-provider')
    r.accept(request('y'.repeat(10)), origin(), 'context-provider')
    expect(r.size()).toEqual({ items: 2, bytes: 20 })
    r.accept(request('z'.repeat(10)), origin(), 'context-provider')
    expect(r.recent().map((n) => n.body[0])).toEqual(['z', 'y'])
    expect(r.size()).toEqual({ items: 2, bytes: 20 })
    // A body larger than the whole bound is cut to maxBodyBytes and kept alone.
    r.accept(request('w'.repeat(100)), origin(), 'context-provider')
    expect(r.recent().map((n) => [n.body.length, n.truncated])).toEqual([[20, true]])
    expect(r.size()).toEqual({ items: 1, bytes: 20 })
  })

  it('filters by tenant (the default one is "")', () => {
    const r = new BuiltinReceiver()
    r.accept(request('{}'), origin(''), 'context-provider')
    r.accept(request('{}'), origin('openiot'), 'context-provider')
    r.accept(request('{}'), origin('other'), 'context-provider')
    expect(r.recent({ service: '' }).map((n) => n.service)).toEqual([''])
    expect(r.recent({ service: 'OpenIoT' }).map((n) => n.id)).toEqual([2])
    expect(r.recent().map((n) => n.id)).toEqual([3, 2, 1])
  })
})
