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
