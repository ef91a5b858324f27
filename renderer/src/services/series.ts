/** Chart points of one attribute: two plain number arrays (times, values), bounded, in time order. */

export const MAX_POINTS = 600

export interface Series {
  t: number[]
  v: number[]
}

/** Adds one point in time order; a point at a time already present replaces its value. */
export function appendPoint(s: Series, t: number, v: number, max = MAX_POINTS): void {
  const n = s.t.length
  if (!n || s.t[n - 1]! < t) {
    s.t.push(t)
    s.v.push(v)
  } else {
    // Out of order or repeated (a reload merging live points): binary search for its place.
    let lo = 0
    let hi = n
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (s.t[mid]! < t) lo = mid + 1
      else hi = mid
    }
    if (s.t[lo] === t) s.v[lo] = v
    else {
      s.t.splice(lo, 0, t)
      s.v.splice(lo, 0, v)
    }
  }
  // Trim in chunks so that a long session does not shift the arrays on every point.
  if (s.t.length > max * 1.25) {
    const over = s.t.length - max
    s.t.splice(0, over)
    s.v.splice(0, over)
  }
}

/** The time windows a chart can show (ms); 0 shows every point kept. */
export const TIME_RANGES = [60_000, 300_000, 900_000, 3_600_000, 0] as const
export type TimeRange = (typeof TIME_RANGES)[number]
export const DEFAULT_TIME_RANGE: TimeRange = 300_000
export const isTimeRange = (v: unknown): v is TimeRange => typeof v === 'number' && (TIME_RANGES as readonly number[]).includes(v)

/** With every point shown, at least a minute is shown, so that the first points do not stretch over a day. */
export const MIN_SPAN_MS = 60_000
/** Up to this many points in view, each point is drawn as a dot (a single point is otherwise invisible). */
export const SYMBOLS_UP_TO = 40

/** Index of the first point at or after `t`. */
export function firstIndexFrom(s: Series, t: number): number {
  let lo = 0
  let hi = s.t.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (s.t[mid]! < t) lo = mid + 1
    else hi = mid
  }
  return lo
}

export interface SeriesView {
  /** The time axis. */
  min: number
  max: number
  /** Points in view: indices [from, to). */
  from: number
  to: number
}

/**
 * What a chart shows of `s` when its view ends at `end` (now when live, the moment of the pause
 * when paused): the window of `range` before it, or every point kept (at least MIN_SPAN_MS).
 */
export function viewOf(s: Series, range: TimeRange, end: number): SeriesView {
  const to = firstIndexFrom(s, end + 1)
  const first = s.t[0] ?? end
  const min = range ? end - range : Math.min(first, end - MIN_SPAN_MS)
  return { min, max: end, from: range ? firstIndexFrom(s, min) : 0, to }
}

/**
 * The chart's data for a view: the points in view, and the one before it so that the line enters
 * the window from its left edge.
 */
export function pointsOf(s: Series, view: SeriesView): Array<[number, number]> {
  const start = Math.max(0, view.from - 1)
  const out = new Array<[number, number]>(Math.max(0, view.to - start))
  for (let i = start; i < view.to; i++) out[i - start] = [s.t[i]!, s.v[i]!]
  return out
}
