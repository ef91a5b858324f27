import type { HistoryStore, SeriesKey } from './store'

/**
 * STH-Comet's aggregated data (docs/compatibility/sth-comet.md §4): the points of a series grouped
 * by `origin` (the start of the year, month, day, hour or minute) and `offset` within it (month
 * 1–12, day 1–31, hour, minute or second), with the number of samples and the asked functions:
 * `sum`, `sum2`, `min`, `max` of numeric values, `occur` (count per value) of the others.
 */

export type AggrPeriod = 'month' | 'day' | 'hour' | 'minute' | 'second'
export type AggrFunction = 'min' | 'max' | 'sum' | 'sum2' | 'occur'

export const AGGR_PERIODS: readonly AggrPeriod[] = ['month', 'day', 'hour', 'minute', 'second']
const ALL: readonly AggrFunction[] = ['min', 'max', 'sum', 'sum2', 'occur']

/** `aggrMethod` as STH-Comet reads it: a comma-separated list; `all` anywhere means all five. */
export function aggrFunctions(aggrMethod: string): AggrFunction[] {
  const names = aggrMethod.split(',')
  return names.includes('all') ? [...ALL] : (names as AggrFunction[])
}

/** The start of the period a date falls in (STH-Comet's getOrigin). */
export function originOf(t: number, period: AggrPeriod): number {
  const d = new Date(t)
  const y = d.getUTCFullYear()
  switch (period) {
    case 'month':
      return Date.UTC(y, 0, 1)
    case 'day':
      return Date.UTC(y, d.getUTCMonth(), 1)
    case 'hour':
      return Date.UTC(y, d.getUTCMonth(), d.getUTCDate())
    case 'minute':
      return Date.UTC(y, d.getUTCMonth(), d.getUTCDate(), d.getUTCHours())
    case 'second':
      return Date.UTC(y, d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes())
  }
}

/** The start of the period after the one beginning at `origin`. */
function nextOrigin(origin: number, period: AggrPeriod): number {
  const d = new Date(origin)
  switch (period) {
    case 'month':
      return Date.UTC(d.getUTCFullYear() + 1, 0, 1)
    case 'day':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)
    case 'hour':
      return origin + 86_400_000
    case 'minute':
      return origin + 3_600_000
    case 'second':
      return origin + 60_000
  }
}

/** The offset of a date within its origin (STH-Comet's getOffset: months count from 1). */
export function offsetOf(t: number, period: AggrPeriod): number {
  const d = new Date(t)
  switch (period) {
    case 'month':
      return d.getUTCMonth() + 1
    case 'day':
      return d.getUTCDate()
    case 'hour':
      return d.getUTCHours()
    case 'minute':
      return d.getUTCMinutes()
    case 'second':
      return d.getUTCSeconds()
  }
}

/**
 * The offset a dateFrom/dateTo bound is compared with (STH-Comet's filterResults). For months it
 * is the month counted from 0, while stored offsets count from 1: STH-Comet thereby keeps the month
 * before dateFrom and drops the month of dateTo (§4, item 3). Reproduced.
 */
function boundOffset(t: number, period: AggrPeriod): number {
  return period === 'month' ? new Date(t).getUTCMonth() : offsetOf(t, period)
}

/** Whether a value is aggregated as a number (STH-Comet's getAggregationType: `!isNaN`, blanks excluded). */
export function isNumeric(v: string): boolean {
  return v.trim() !== '' && !Number.isNaN(Number(v))
}

interface Bucket {
  offset: number
  samples: number
  numeric: number
  sum: number
  sum2: number
  min: number
  max: number
  occur: Map<string, number> | undefined
}

export interface AggregatedPoint {
  offset: number
  samples: number
  [fn: string]: number | Record<string, number>
}

export interface AggregatedGroup {
  _id: { attrName: string; origin: string; resolution: AggrPeriod }
  points: AggregatedPoint[]
}

/**
 * The aggregated answer of STH-Comet (with its default filterOutEmpty: only offsets with samples)
 * for a series, dateFrom and dateTo included by whole periods, groups by ascending origin.
 */
export function aggregate(store: HistoryStore, key: SeriesKey, fns: readonly AggrFunction[], period: AggrPeriod, from?: number, to?: number): AggregatedGroup[] {
  const fromOrigin = from === undefined ? undefined : originOf(from, period)
  const toOrigin = to === undefined ? undefined : originOf(to, period)
  const minOffset = from === undefined ? 0 : boundOffset(from, period)
  const maxOffset = to === undefined ? 0 : boundOffset(to, period)
  const range = { from: fromOrigin, to: toOrigin === undefined ? undefined : nextOrigin(toOrigin, period) - 1 }
  const groups = new Map<number, Map<number, Bucket>>()
  store.scan(key, range, (t, _type, v) => {
    const origin = originOf(t, period)
    const offset = offsetOf(t, period)
    if (origin === fromOrigin && offset < minOffset) return
    if (origin === toOrigin && offset > maxOffset) return
    let g = groups.get(origin)
    if (!g) groups.set(origin, (g = new Map<number, Bucket>()))
    let b = g.get(offset)
    if (!b) g.set(offset, (b = { offset, samples: 0, numeric: 0, sum: 0, sum2: 0, min: Infinity, max: -Infinity, occur: undefined }))
    b.samples++
    if (isNumeric(v)) {
      const x = Number(v)
      b.numeric++
      b.sum += x
      b.sum2 += x * x
      if (x < b.min) b.min = x
      if (x > b.max) b.max = x
    } else {
      b.occur ??= new Map()
      b.occur.set(v, (b.occur.get(v) ?? 0) + 1)
    }
  })
  return [...groups.keys()]
    .sort((a, b) => a - b)
    .map((origin) => ({
      _id: { attrName: key.attrName, origin: new Date(origin).toISOString(), resolution: period },
      points: [...groups.get(origin)!.values()].sort((a, b) => a.offset - b.offset).map((b) => pointOf(b, fns))
    }))
}

/** A bucket as STH-Comet shows it: offset, samples, then each asked function the bucket has values for. */
function pointOf(b: Bucket, fns: readonly AggrFunction[]): AggregatedPoint {
  const p: AggregatedPoint = { offset: b.offset, samples: b.samples }
  for (const fn of fns) {
    if (fn === 'occur') {
      if (b.occur) p.occur = Object.fromEntries(b.occur)
    } else if (b.numeric) {
      p[fn] = b[fn]
    }
  }
  return p
}
