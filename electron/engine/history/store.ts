/**
 * The history's time-series store: what Cygnus writes and STH-Comet reads
 * (docs/compatibility/sth-comet.md §1). A point is one notified value of one attribute; a series
 * is every point of one attribute of one entity in one tenant.
 */

/** One attribute of one entity in one tenant (Fiware-Service, Fiware-ServicePath). */
export interface SeriesKey {
  readonly service: string
  readonly servicePath: string
  readonly entityId: string
  readonly entityType: string
  readonly attrName: string
}

/** A point as read back: STH-Comet's raw `values` entry before formatting. */
export interface StoredPoint {
  /** Epoch milliseconds: the attribute's TimeInstant metadata, else when the notification arrived. */
  readonly recvTime: number
  readonly attrType: string
  /** The value as Cygnus stores it by default: text (JSON text for objects and arrays). */
  readonly attrValue: string
}

/** A point as written. */
export interface HistoryPoint extends SeriesKey, StoredPoint {}

/** Which points of a series a read covers; every bound optional. Both dates are inclusive, as STH-Comet's `$gte`/`$lte`. */
export interface TimeRange {
  readonly from?: number
  readonly to?: number
}

/** What a tenant's history holds of one series: its key, how many points, the first and last recvTime. */
export interface SeriesSummary {
  readonly key: SeriesKey
  readonly count: number
  readonly first: number
  readonly last: number
}

/** A page of a read: skip `offset` points, then at most `limit` (no limit when absent). */
export interface Page {
  readonly offset: number
  readonly limit?: number
}

export interface HistoryLimits {
  /** Points older than this many days are dropped. */
  retentionDays: number
  /** At most this many points are kept; the oldest go first. */
  maxPoints: number
}

/**
 * The store's contract (test/contract/history-store.contract.ts): writes go to memory at once and
 * to disk in group commits, reads see every write made before them, the size stays within the
 * limits, and what `durable()` confirmed survives a restart and a kill -9.
 */
export interface HistoryStore {
  /** Adds points; synchronous (no disk write per call), readable at once. Applies the limits. */
  append(points: readonly HistoryPoint[]): void
  /** Resolves once every point appended before the call is on disk. */
  durable(): Promise<void>
  /** Points of a series within the range, in recvTime order (oldest first); `page` skips and limits them. */
  read(key: SeriesKey, range?: TimeRange, page?: Page): StoredPoint[]
  /** Calls `each` for every point of a series within the range, in recvTime order, without copying them. */
  scan(key: SeriesKey, range: TimeRange, each: (recvTime: number, attrType: string, attrValue: string) => void): void
  /** How many points of a series are within the range. */
  count(key: SeriesKey, range?: TimeRange): number
  /** Every series of one tenant (service and service path, compared as given) that holds points, at most `limit`. */
  list(service: string, servicePath: string, limit: number): SeriesSummary[]
  /** Drops the points older than the retention (relative to `now`); returns how many went. */
  prune(now?: number): number
  /** Changes the limits; the next append or prune applies them. */
  setLimits(limits: HistoryLimits): void
  /** Points kept. */
  readonly size: number
  /** Writes what is pending and releases the files. */
  close(): Promise<void>
}
