import type { Page, SeriesKey, StoredPoint, TimeRange } from './store'

/**
 * The points of one series in memory, in recvTime order: three parallel arrays from `head` on
 * (the points before `head` are dropped ones, cut away once they are half of the arrays). Reads
 * find a range by binary search; appending in time order is the common case, a point older than
 * the last one is inserted at its place.
 */
export class Series {
  private times: number[] = []
  private types: string[] = []
  private values: string[] = []
  private head = 0

  /** `id` is the series' key in the store's map (seriesId). */
  constructor(
    readonly id: string,
    readonly key: SeriesKey
  ) {}

  get length(): number {
    return this.times.length - this.head
  }

  /** recvTime of the oldest and of the newest point kept (undefined when empty). */
  get first(): number | undefined {
    return this.times[this.head]
  }

  get last(): number | undefined {
    return this.length ? this.times[this.times.length - 1] : undefined
  }

  add(recvTime: number, attrType: string, attrValue: string): void {
    const n = this.times.length
    if (n === this.head || this.times[n - 1]! <= recvTime) {
      this.times.push(recvTime)
      this.types.push(attrType)
      this.values.push(attrValue)
      return
    }
    // After every point with the same time: equal times keep their arrival order.
    const at = this.upper(recvTime)
    this.times.splice(at, 0, recvTime)
    this.types.splice(at, 0, attrType)
    this.values.splice(at, 0, attrValue)
  }

  /** Drops the `n` oldest points. */
  dropOldest(n: number): void {
    this.head = Math.min(this.times.length, this.head + n)
    this.compactSoon()
  }

  /** Index bounds [start, end) of the points within the range. */
  bounds(range: TimeRange = {}): [number, number] {
    const start = range.from === undefined ? this.head : this.lower(range.from)
    const end = range.to === undefined ? this.times.length : this.upper(range.to)
    return [start, Math.max(start, end)]
  }

  scan(range: TimeRange, each: (recvTime: number, attrType: string, attrValue: string) => void): void {
    const [start, end] = this.bounds(range)
    for (let i = start; i < end; i++) each(this.times[i]!, this.types[i]!, this.values[i]!)
  }

  read(range: TimeRange = {}, page?: Page): StoredPoint[] {
    let [start, end] = this.bounds(range)
    if (page) {
      start = Math.min(end, start + page.offset)
      if (page.limit !== undefined) end = Math.min(end, start + page.limit)
    }
    const out: StoredPoint[] = new Array<StoredPoint>(end - start)
    for (let i = start; i < end; i++) out[i - start] = { recvTime: this.times[i]!, attrType: this.types[i]!, attrValue: this.values[i]! }
    return out
  }

  /** Every live point, for a snapshot. */
  *entries(): Generator<[number, string, string]> {
    for (let i = this.head; i < this.times.length; i++) yield [this.times[i]!, this.types[i]!, this.values[i]!]
  }

  /** First index from `head` whose time is >= t. */
  private lower(t: number): number {
    let lo = this.head
    let hi = this.times.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.times[mid]! < t) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  /** First index from `head` whose time is > t. */
  private upper(t: number): number {
    let lo = this.head
    let hi = this.times.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.times[mid]! <= t) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  private compactSoon(): void {
    if (this.head < 1024 || this.head * 2 < this.times.length) return
    this.times = this.times.slice(this.head)
    this.types = this.types.slice(this.head)
    this.values = this.values.slice(this.head)
    this.head = 0
  }
}

/** The map key of a series: its five names, joined by a character no name holds. */
export function seriesId(k: SeriesKey): string {
  return `${k.service}\u0000${k.servicePath}\u0000${k.entityType}\u0000${k.entityId}\u0000${k.attrName}`
}
