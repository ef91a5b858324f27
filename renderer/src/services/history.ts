/**
 * The History view's pure parts: the time ranges it offers, the summary that is the chart's text
 * alternative, the CSV of the points in range, and the curl that subscribes the context broker to
 * the built-in Cygnus sink (tutorial 8; docs/compatibility/cygnus.md).
 */
import type { HistoryPointDto } from '../../../shared/contract'
export { readAllPoints } from '../../../shared/history-export'
import { curlCommand, tenantHeaders } from './curl'

/** The ranges offered: the last hour, 6 hours, 24 hours, 7 days, or every point kept. */
export const HISTORY_RANGES = ['1h', '6h', '24h', '7d', 'all'] as const
export type HistoryRange = (typeof HISTORY_RANGES)[number]
export const DEFAULT_HISTORY_RANGE: HistoryRange = '24h'
export const isHistoryRange = (v: unknown): v is HistoryRange => typeof v === 'string' && (HISTORY_RANGES as readonly string[]).includes(v)

const HOUR_MS = 3_600_000
const RANGE_MS: Record<Exclude<HistoryRange, 'all'>, number> = { '1h': HOUR_MS, '6h': 6 * HOUR_MS, '24h': 24 * HOUR_MS, '7d': 7 * 24 * HOUR_MS }

/** The times a range covers when it ends at `now`: both bounds included, none for `all`. */
export function rangeBounds(range: HistoryRange, now: number): { from?: number; to?: number } {
  return range === 'all' ? {} : { from: now - RANGE_MS[range], to: now }
}

/** What the chart shows, in words: how many points, the lowest, the highest and the latest value. */
export interface SeriesSummary {
  count: number
  /** Numeric points only; null when no point is a number. */
  min: number | null
  max: number | null
  /** The latest point as stored (text or number). */
  last: HistoryPointDto | null
}

export function summarize(points: readonly HistoryPointDto[]): SeriesSummary {
  let min: number | null = null
  let max: number | null = null
  for (const p of points) {
    const n = numericValue(p.v)
    if (n === null) continue
    if (min === null || n < min) min = n
    if (max === null || n > max) max = n
  }
  return { count: points.length, min, max, last: points[points.length - 1] ?? null }
}

/** A stored value as a number when it is one ("21.5"), else null ("ON", "", "[1,2]"). */
export function numericValue(v: string): number | null {
  if (v.trim() === '') return null
  const n = Number(v)
  return Number.isFinite(n) ? n : null
}

/** One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break. */
function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** The points as CSV: a `recvTime,value` header, then one line per point with its ISO time, CRLF line ends. */
export function historyCsv(points: readonly HistoryPointDto[]): string {
  const lines = ['recvTime,value']
  for (const p of points) lines.push(`${new Date(p.t).toISOString()},${csvField(p.v)}`)
  return lines.join('\r\n') + '\r\n'
}

/** The CSV's file name: entity and attribute, with what a file name cannot hold replaced. */
export function csvFilename(entityId: string, attrName: string): string {
  const safe = (s: string): string => s.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '') || 'x'
  return `history-${safe(entityId)}-${safe(attrName)}.csv`
}

/** Tutorial 8's subscription: the context broker notifies the built-in Cygnus sink of every change. */
export function sinkSubscriptionCurl(ngsiUrl: string, scope: { service: string; servicePath: string }): string {
  return curlCommand({
    method: 'POST',
    url: `${ngsiUrl}/v2/subscriptions`,
    headers: tenantHeaders(scope),
    body: {
      description: 'Notify Cygnus of all context changes',
      subject: { entities: [{ idPattern: '.*' }] },
      notification: { http: { url: 'http://cygnus:5050/notify' } },
      throttling: 5
    }
  })
}
