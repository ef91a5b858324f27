/**
 * The built-in history as the GUI reads it (`history.series`): the points Cygnus's sink stored for
 * one attribute (docs/compatibility/sth-comet.md §1). Types only.
 */

export interface HistoryPointDto {
  /** recvTime, milliseconds since the epoch. */
  t: number
  /** The value as stored (text; numeric values parse as numbers). */
  v: string
}

export interface HistorySeriesDto {
  entityId: string
  entityType: string
  attrName: string
  /** Points in the range, before any thinning. */
  total: number
  /**
   * Oldest first. When `total` is over the request's `maxPoints`, the numeric points are thinned
   * for a chart: the range is cut into maxPoints / 2 equal spans and each gives its lowest and its
   * highest point (in time order); `thinned` is then true.
   */
  points: HistoryPointDto[]
  thinned: boolean
}

/** One attribute of one entity that has history in a tenant (`history.list`). */
export interface HistorySeriesSummaryDto {
  entityId: string
  entityType: string
  attrName: string
  /** Points kept. */
  count: number
  /** recvTime of the oldest and of the newest point kept (ms since the epoch). */
  first: number
  last: number
}

/** What a tenant's history holds (`history.list`), sorted by entity, type and attribute. */
export interface HistoryListDto {
  series: HistorySeriesSummaryDto[]
  /** True when the tenant has more series than the answer lists. */
  truncated: boolean
}
