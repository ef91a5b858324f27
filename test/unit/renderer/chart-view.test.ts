import { describe, expect, it } from 'vitest'
import { appendPoint, firstIndexFrom, isTimeRange, MIN_SPAN_MS, pointsOf, viewOf, type Series } from '../../../renderer/src/services/series'

function series(times: number[]): Series {
  const s: Series = { t: [], v: [] }
  for (const t of times) appendPoint(s, t, t / 1000)
  return s
}

describe('the view of a chart', () => {
  const s = series([0, 100_000, 200_000, 250_000, 290_000])

  it('shows the chosen window ending now, with the points in it', () => {
    const v = viewOf(s, 60_000, 300_000)
    expect(v).toEqual({ min: 240_000, max: 300_000, from: 3, to: 5 })
    // The point before the window comes along, so that the line enters from the left edge.
    expect(pointsOf(s, v)).toEqual([
      [200_000, 200],
      [250_000, 250],
      [290_000, 290]
    ])
  })

  it('ends at the moment of a pause: later points are not in view', () => {
    const v = viewOf(s, 300_000, 260_000)
    expect(v).toEqual({ min: -40_000, max: 260_000, from: 0, to: 4 })
    expect(pointsOf(s, v).map(([t]) => t)).toEqual([0, 100_000, 200_000, 250_000])
  })

  it('shows every point kept, and at least a minute', () => {
    expect(viewOf(s, 0, 300_000)).toEqual({ min: 0, max: 300_000, from: 0, to: 5 })
    const one = series([1_000_000])
    const v = viewOf(one, 0, 1_000_000)
    expect(v).toEqual({ min: 1_000_000 - MIN_SPAN_MS, max: 1_000_000, from: 0, to: 1 })
    expect(pointsOf(one, v)).toEqual([[1_000_000, 1000]])
  })

  it('is empty without points', () => {
    const v = viewOf(series([]), 60_000, 5)
    expect(v.to - v.from).toBe(0)
    expect(pointsOf(series([]), v)).toEqual([])
  })

  it('finds the first point at or after a time', () => {
    expect(firstIndexFrom(s, 100_000)).toBe(1)
    expect(firstIndexFrom(s, 100_001)).toBe(2)
    expect(firstIndexFrom(s, 1e12)).toBe(5)
  })

  it('accepts only the offered time ranges (a remembered value is checked)', () => {
    expect(isTimeRange(300_000)).toBe(true)
    expect(isTimeRange(0)).toBe(true)
    expect(isTimeRange(12_345)).toBe(false)
    expect(isTimeRange('300000')).toBe(false)
  })
})
