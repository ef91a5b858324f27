import { afterEach, describe, expect, it, vi } from 'vitest'
import { EarliestTimer } from '../../../electron/engine/persist/earliest-timer'

describe('EarliestTimer', () => {
  afterEach(() => void vi.useRealTimers())

  it('fires once, at the earliest time asked for', () => {
    vi.useFakeTimers()
    const fired: number[] = []
    const t = new EarliestTimer(() => fired.push(Date.now()))
    const start = Date.now()
    t.within(1000)
    t.within(50) // brings it forward
    t.within(500) // later than pending: no change
    vi.advanceTimersByTime(49)
    expect(fired).toEqual([])
    vi.advanceTimersByTime(1)
    expect(fired).toEqual([start + 50])
    vi.advanceTimersByTime(2000)
    expect(fired).toHaveLength(1)
    // Once fired, a new request starts a new timer.
    t.within(10)
    vi.advanceTimersByTime(10)
    expect(fired).toHaveLength(2)
  })

  it('with a delay of 0 fires once, after the code that asked, without a timer', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const order: string[] = []
    const t = new EarliestTimer(() => order.push('fired'))
    t.within(0)
    t.within(0)
    order.push('sync')
    // setImmediate is not faked here: it fires although no fake timer is advanced.
    await new Promise((r) => setImmediate(r))
    expect(order).toEqual(['sync', 'fired'])
  })

  it('a delay of 0 replaces a pending later timer; stop() cancels and ignores later requests', async () => {
    let n = 0
    const t = new EarliestTimer(() => n++)
    t.within(10_000)
    t.within(0)
    await new Promise((r) => setImmediate(r))
    expect(n).toBe(1)
    t.within(0)
    t.stop()
    t.within(0)
    // Barrier: an immediate queued now runs after any the timer had queued (they run in order).
    await new Promise((r) => setImmediate(r))
    expect(n).toBe(1)
  })
})
