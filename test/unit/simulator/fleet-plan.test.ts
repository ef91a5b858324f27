import { describe, expect, it } from 'vitest'
import { FleetPlan, type FleetOptions } from '../../../electron/engine/simulator/fleet-plan'

const base: FleetOptions = { apikey: 'k', idPrefix: 'dev', count: 4, intervalSec: 2, measures: { t: [10, 20], h: [0.5, 0.75] }, replyLatencyMs: 0, lossPercent: 0 }

/** A repeatable sequence in [0, 1). */
function sequence(values: number[]): () => number {
  let i = 0
  return () => values[i++ % values.length]!
}

describe('FleetPlan', () => {
  it('spreads the devices evenly over the interval', () => {
    const plan = new FleetPlan(base)
    // 4 devices every 2 s: one slot every 500 ms.
    expect([0, 499, 500, 1999, 2000, 10_000].map((ms) => plan.slotsDue(ms))).toEqual([0, 0, 1, 3, 4, 20])
    // A backlog drains at twice the pace: 1,000 devices every 100 ms is 100 slots per 10 ms tick.
    const big = new FleetPlan({ ...base, count: 1000, intervalSec: 0.1 })
    expect(big.catchUpPerTick(10)).toBe(200)
    expect(big.backlogLimit).toBe(10_000)
    expect(plan.catchUpPerTick(10)).toBe(1)
    expect(plan.backlogLimit).toBe(4)
  })

  it('names devices <prefix><n> from 1 and recognises only its own ids', () => {
    const plan = new FleetPlan(base)
    expect(plan.attrsTopic(0)).toBe('/k/dev1/attrs')
    expect(plan.attrsTopic(3)).toBe('/k/dev4/attrs')
    expect(['dev1', 'dev4', 'dev5', 'dev0', 'dev01', 'dev', 'other1', 'dev1x'].map((id) => plan.deviceIndex(id))).toEqual([0, 3, -1, -1, -1, -1, -1, -1])
  })

  it('generates values in each range: integers for integer bounds, two decimals otherwise', () => {
    const plan = new FleetPlan(base, sequence([0, 0.999999, 0.5, 0.5]))
    expect(plan.measurePayload()).toBe('t|10|h|0.75')
    expect(plan.measurePayload()).toBe('t|15|h|0.63')
    const many = new FleetPlan(base)
    for (let i = 0; i < 1000; i++) {
      const [, t, , h] = many.measurePayload().split('|').map(Number)
      expect(Number.isInteger(t) && t! >= 10 && t! <= 20).toBe(true)
      expect(h! >= 0.5 && h! <= 0.75).toBe(true)
    }
  })

  it('loses the given share', () => {
    const plan = new FleetPlan({ ...base, lossPercent: 25 })
    let lost = 0
    for (let i = 0; i < 20_000; i++) if (plan.lose()) lost++
    expect(lost / 20_000).toBeGreaterThan(0.22)
    expect(lost / 20_000).toBeLessThan(0.28)
    expect(new FleetPlan(base).lose()).toBe(false)
  })

  it('refuses options a schema check would refuse', () => {
    expect(() => new FleetPlan({ ...base, idPrefix: 'a/b' })).toThrow(/idPrefix/)
    expect(() => new FleetPlan({ ...base, measures: { t: [5, 1] } })).toThrow(/not a range/)
    expect(() => new FleetPlan({ ...base, measures: { 'a|b': [1, 2] } })).toThrow(/measure key/)
    expect(() => new FleetPlan({ ...base, measures: {} })).toThrow(/from 1 to 20/)
    expect(() => new FleetPlan({ ...base, count: 0 })).toThrow(/count/)
  })
})
