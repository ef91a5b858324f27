import { describe, expect, it } from 'vitest'
import { PointRing } from '../../../electron/engine/telemetry/point-ring'

const values = (r: PointRing): number[] => r.points().map((p) => p.v)

describe('PointRing', () => {
  it('keeps the newest points within its capacity, oldest first, growing as needed', () => {
    const r = new PointRing(100)
    for (let i = 1; i <= 250; i++) r.push(i * 1000, i, 100)
    expect(r.length).toBe(100)
    expect(values(r)).toEqual(Array.from({ length: 100 }, (_, i) => 151 + i))
    expect(r.points()[0]).toEqual({ t: 151_000, v: 151 })
    expect([r.lastT(), r.lastV()]).toEqual([250_000, 250])
  })

  it('applies a new capacity at the next push, keeping the newest points', () => {
    const r = new PointRing(50)
    for (let i = 1; i <= 50; i++) r.push(i, i, 50)
    r.push(51, 51, 10)
    expect(values(r)).toEqual([42, 43, 44, 45, 46, 47, 48, 49, 50, 51])
    for (let i = 52; i <= 80; i++) r.push(i, i, 30)
    expect(r.length).toBe(30)
    expect(values(r).at(0)).toBe(51)
    expect(values(r).at(-1)).toBe(80)
  })
})
