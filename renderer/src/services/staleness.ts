/**
 * Whether a device stopped sending: its interval is measured from its own points (the median of
 * the latest gaps, so that one late or doubled measure does not move it), and the device is stale
 * when nothing arrived for three of its intervals. Nothing is assumed: with fewer than two gaps
 * known, there is no interval and so no verdict.
 */
import { formatNumber } from './format'

/** Gaps looked at (the latest ones). */
export const GAPS_MEASURED = 10
/** Gaps needed before the interval is trusted. */
export const MIN_GAPS = 2
/** Intervals without data after which the device is stale. */
export const STALE_FACTOR = 3

/** The median gap (ms) between the latest points of `times` (ascending), or null with fewer than MIN_GAPS gaps. */
export function measuredInterval(times: readonly number[], gaps = GAPS_MEASURED): number | null {
  const n = times.length
  if (n - 1 < MIN_GAPS) return null
  const from = Math.max(1, n - gaps)
  const d: number[] = []
  for (let i = from; i < n; i++) d.push(times[i]! - times[i - 1]!)
  d.sort((a, b) => a - b)
  const mid = d.length >> 1
  const median = d.length % 2 ? d[mid]! : (d[mid - 1]! + d[mid]!) / 2
  return median > 0 ? median : null
}

export interface Staleness {
  /** The measured interval (ms). */
  intervalMs: number
  /** Time since the latest point (ms). */
  silentMs: number
}

/** The staleness of a series at `now`, or null when it is not stale (or its interval is unknown). */
export function staleness(times: readonly number[], now: number): Staleness | null {
  const intervalMs = measuredInterval(times)
  if (intervalMs === null) return null
  const silentMs = now - times[times.length - 1]!
  return silentMs > STALE_FACTOR * intervalMs ? { intervalMs, silentMs } : null
}

/** How long a device has been silent, in whole seconds, then minutes, then hours ("42 s", "5 min", "3 h"). */
export function formatSilence(ms: number, locale: string): string {
  const s = Math.max(0, Math.floor(ms / 1000))
  if (s < 120) return `${formatNumber(s, locale)} s`
  if (s < 7200) return `${formatNumber(Math.floor(s / 60), locale)} min`
  return `${formatNumber(Math.floor(s / 3600), locale)} h`
}
