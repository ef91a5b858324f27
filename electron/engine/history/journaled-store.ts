import { GroupCommit } from '../persist/group-commit'
import { PointLog } from './point-log'
import { Series, seriesId } from './series'
import type { HistoryLimits, HistoryPoint, HistoryStore, Page, SeriesKey, SeriesSummary, StoredPoint, TimeRange } from './store'

const DAY_MS = 24 * 60 * 60 * 1000

export interface JournaledStoreOptions {
  /** The log file (`<dataDir>/history/points.log`). */
  filename: string
  limits: HistoryLimits
  /** Upper bound of the delay between an append and its write. */
  flushIntervalMs: number
  /** Delay of the write once someone waits in `durable()` (group commit). */
  commitDelayMs: number
  /** How often the retention by age runs; 0: only when `prune` is called. */
  pruneIntervalMs?: number
  /** The clock of the retention (tests give their own). */
  now?: () => number
  onError?: (err: Error) => void
}

/**
 * The history store (docs/compatibility/sth-comet.md §1): every point in memory, in one Series
 * per attribute (sorted arrays, binary search for ranges), and in a PointLog on disk written by
 * group commits. Why not a database: measured in test/bench (history phase), this writes far
 * more than the 20,000 points/s asked for and answers a day's range in well under a millisecond,
 * with no native module to ship; the bound on points bounds memory and the file alike.
 *
 * The limits are applied in arrival order: a FIFO of the series each point went to. The oldest
 * arrival leaves first, when the count is over `maxPoints` or when it is older than the
 * retention; a series gives up its oldest point then. (A point that arrives late with an old
 * TimeInstant waits for its turn in the FIFO.)
 */
export class JournaledHistoryStore implements HistoryStore {
  private readonly series = new Map<string, Series>()
  private fifoSeries: Series[] = []
  private fifoTimes: number[] = []
  private fifoHead = 0
  private pending: HistoryPoint[] = []
  private readonly commit: GroupCommit
  private readonly pruneTimer: NodeJS.Timeout | undefined
  private limits: HistoryLimits
  private readonly now: () => number
  private closed = false

  private constructor(
    private readonly log: PointLog,
    private readonly opts: JournaledStoreOptions
  ) {
    this.limits = { ...opts.limits }
    this.now = opts.now ?? Date.now
    this.commit = new GroupCommit({ unwritten: () => this.pending.length > 0, write: () => this.write() }, opts)
    if (opts.pruneIntervalMs) {
      this.pruneTimer = setInterval(() => this.prune(), opts.pruneIntervalMs)
      this.pruneTimer.unref()
    }
  }

  /** Opens the log and loads it; the limits apply at once to what was loaded. */
  static async open(opts: JournaledStoreOptions): Promise<{ store: JournaledHistoryStore; notice: string | undefined }> {
    // Points are loaded before the store exists: series by key object (one per series in the file), then the FIFO.
    const bySeries = new Map<SeriesKey, Series>()
    const fifoSeries: Series[] = []
    const fifoTimes: number[] = []
    const { log, notice } = await PointLog.open(opts.filename, (key, recvTime, attrType, attrValue) => {
      let s = bySeries.get(key)
      if (!s) bySeries.set(key, (s = new Series(seriesId(key), key)))
      s.add(recvTime, attrType, attrValue)
      fifoSeries.push(s)
      fifoTimes.push(recvTime)
    })
    const store = new JournaledHistoryStore(log, opts)
    for (const s of bySeries.values()) store.series.set(s.id, s)
    store.fifoSeries = fifoSeries
    store.fifoTimes = fifoTimes
    store.prune()
    store.evictOverCount()
    return { store, notice }
  }

  get size(): number {
    return this.fifoTimes.length - this.fifoHead
  }

  append(points: readonly HistoryPoint[]): void {
    if (this.closed) throw new Error('the history store is closed')
    for (const p of points) {
      this.insert(p)
      this.pending.push(p)
    }
    this.evictOverCount()
    // Were the disk to stall, the points waiting for it stay within the bound as well.
    if (this.pending.length > this.limits.maxPoints) this.pending.splice(0, this.pending.length - this.limits.maxPoints)
    if (points.length) this.commit.changed()
  }

  durable(): Promise<void> {
    return this.commit.durable()
  }

  read(key: SeriesKey, range?: TimeRange, page?: Page): StoredPoint[] {
    return this.series.get(seriesId(key))?.read(range, page) ?? []
  }

  scan(key: SeriesKey, range: TimeRange, each: (recvTime: number, attrType: string, attrValue: string) => void): void {
    this.series.get(seriesId(key))?.scan(range, each)
  }

  count(key: SeriesKey, range?: TimeRange): number {
    const s = this.series.get(seriesId(key))
    if (!s) return 0
    const [start, end] = s.bounds(range)
    return end - start
  }

  list(service: string, servicePath: string, limit: number): SeriesSummary[] {
    const out: SeriesSummary[] = []
    for (const s of this.series.values()) {
      if (out.length >= limit) break
      if (s.key.service !== service || s.key.servicePath !== servicePath || s.length === 0) continue
      out.push({ key: s.key, count: s.length, first: s.first!, last: s.last! })
    }
    return out
  }

  prune(now = this.now()): number {
    const cutoff = now - this.limits.retentionDays * DAY_MS
    let n = 0
    while (this.fifoHead < this.fifoTimes.length && this.fifoTimes[this.fifoHead]! < cutoff) {
      this.dropOldestArrival()
      n++
    }
    this.compactFifo()
    if (n) this.commit.changed()
    return n
  }

  setLimits(limits: HistoryLimits): void {
    this.limits = { ...limits }
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    if (this.pruneTimer) clearInterval(this.pruneTimer)
    try {
      await this.commit.close()
    } finally {
      await this.log.close()
    }
  }

  private insert(p: HistoryPoint): void {
    const id = seriesId(p)
    let s = this.series.get(id)
    if (!s) {
      s = new Series(id, { service: p.service, servicePath: p.servicePath, entityId: p.entityId, entityType: p.entityType, attrName: p.attrName })
      this.series.set(id, s)
    }
    s.add(p.recvTime, p.attrType, p.attrValue)
    this.fifoSeries.push(s)
    this.fifoTimes.push(p.recvTime)
  }

  private evictOverCount(): void {
    let over = this.size - this.limits.maxPoints
    if (over <= 0) return
    while (over-- > 0) this.dropOldestArrival()
    this.compactFifo()
    this.commit.changed()
  }

  private dropOldestArrival(): void {
    const s = this.fifoSeries[this.fifoHead]!
    this.fifoHead++
    s.dropOldest(1)
    if (s.length === 0) this.series.delete(s.id)
  }

  private compactFifo(): void {
    if (this.fifoHead < 65_536 || this.fifoHead * 2 < this.fifoTimes.length) return
    this.fifoSeries = this.fifoSeries.slice(this.fifoHead)
    this.fifoTimes = this.fifoTimes.slice(this.fifoHead)
    this.fifoHead = 0
  }

  /**
   * One group commit: the pending points as one line, or, once the file holds more dropped points
   * than live ones (and at least 10,000 of them), a rewrite of the live points, which include the
   * pending ones.
   */
  private async write(): Promise<void> {
    const batch = this.pending
    this.pending = []
    const dropped = this.log.pointsOnDisk + batch.length - this.size
    try {
      if (dropped > Math.max(10_000, this.size)) {
        // The snapshot is taken now, at one instant; appends during the rewrite go to the next commit.
        const snapshot = [...this.series.values()].map((s) => ({ key: s.key, points: [...s.entries()] }))
        await this.log.rewrite(snapshot)
      } else {
        await this.log.append(batch)
      }
    } catch (err) {
      this.pending = batch.concat(this.pending)
      this.opts.onError?.(err as Error)
      throw err
    }
  }
}
