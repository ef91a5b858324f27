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
