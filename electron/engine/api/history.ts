import type { EngineApi } from '../../../shared/contract'
import type { HistoryPointDto } from '../../../shared/history'
import { DEFAULT_SERVICE } from '../history/cygnus-notification'
import { isNumeric } from '../history/sth-aggregate'
import type { HistoryStore, SeriesKey, TimeRange } from '../history/store'

/** Points of a series as a chart needs them: all of them, or min and max per span when there are more than `maxPoints`. */
export function chartPoints(store: HistoryStore, key: SeriesKey, range: TimeRange, maxPoints: number): { total: number; points: HistoryPointDto[]; thinned: boolean } {
  const total = store.count(key, range)
  if (total <= maxPoints) return { total, points: store.read(key, range).map((p) => ({ t: p.recvTime, v: p.attrValue })), thinned: false }
  const all = store.read(key, range)
  const from = all[0]!.recvTime
  const spans = Math.max(1, Math.floor(maxPoints / 2))
  const width = Math.max(1, (all[all.length - 1]!.recvTime - from + 1) / spans)
  const points: HistoryPointDto[] = []
  let span = -1
  let lo: { t: number; v: string; n: number } | undefined
  let hi: { t: number; v: string; n: number } | undefined
  const flush = (): void => {
    if (!lo || !hi) return
    if (lo === hi) points.push({ t: lo.t, v: lo.v })
    else for (const p of lo.t <= hi.t ? [lo, hi] : [hi, lo]) points.push({ t: p.t, v: p.v })
    lo = hi = undefined
  }
  for (const p of all) {
    if (!isNumeric(p.attrValue)) continue
    const s = Math.min(spans - 1, Math.floor((p.recvTime - from) / width))
    if (s !== span) {
      flush()
      span = s
    }
    const n = Number(p.attrValue)
    const pt = { t: p.recvTime, v: p.attrValue, n }
    if (!lo || n < lo.n) lo = pt
    if (!hi || n > hi.n) hi = pt
  }
  flush()
  return { total, points, thinned: true }
}

/** At most this many series in one `history.list` answer (a picker, not an export). */
export const LIST_LIMIT = 2000

/**
 * `history.series`: the stored history of one attribute; `history.list`: the attributes of a
 * tenant that have history. The tenant is compared in lower case, as
 * the context broker notifies it (Orion's tenants are lower case); the default tenant is stored as
 * Cygnus's `default` (docs/compatibility/cygnus.md §2).
 */
export function historyArea(store: HistoryStore | undefined): Pick<EngineApi, 'history.series' | 'history.list'> {
  const serviceOf = (service: string): string => service.toLowerCase() || DEFAULT_SERVICE
  return {
    'history.series': async ({ scope, entityId, entityType, attrName, from, to, maxPoints }) => {
      const key = { service: serviceOf(scope.service), servicePath: scope.servicePath, entityId, entityType, attrName }
      const got = store ? chartPoints(store, key, { from, to }, maxPoints ?? 2000) : { total: 0, points: [], thinned: false }
      return { entityId, entityType, attrName, ...got }
    },
    'history.list': async ({ scope }) => {
      const found = store ? store.list(serviceOf(scope.service), scope.servicePath, LIST_LIMIT + 1) : []
      const series = found.slice(0, LIST_LIMIT).map((s) => ({ entityId: s.key.entityId, entityType: s.key.entityType, attrName: s.key.attrName, count: s.count, first: s.first, last: s.last }))
      series.sort((a, b) => cmp(a.entityId, b.entityId) || cmp(a.entityType, b.entityType) || cmp(a.attrName, b.attrName))
      return { series, truncated: found.length > LIST_LIMIT }
    }
  }
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)
