import { EarliestTimer } from './earliest-timer'

type Durable = (err?: Error) => void

/** Where flushed records go (a DocStore or a JournalStore). */
export interface RecordSink<T> {
  putMany(records: Array<{ id: string; value: T | null }>): Promise<void>
}

export interface CoalescedWriterOptions {
  /** Upper bound of the delay between a change and its write. */
  flushIntervalMs: number
  /** Delay of the write once someone waits for durability (group commit). */
  commitDelayMs: number
  onError?: (err: Error) => void
}

export interface CoalescedWriterStats {
  flushes: number
  recordsWritten: number
  pending: number
  waiting: number
  errors: number
}

/**
 * Coalesces writes of in-memory records into a store: many changes of a record between two
 * flushes cost one write. Memory is bounded by the number of distinct records, not by the rate of
 * changes. `whenDurable` is the group commit: the callback runs once every change marked before
 * the call is on disk, and asks for an early flush.
 */
export class CoalescedWriter<T> {
  private dirty = new Map<string, () => T | null>()
  private waiting: Durable[] = []
  private readonly timer = new EarliestTimer(() => void this.flush())
  private flushing: Promise<void> | null = null
  private closed = false
  private readonly stats_: CoalescedWriterStats = { flushes: 0, recordsWritten: 0, pending: 0, waiting: 0, errors: 0 }

  constructor(
    private readonly store: RecordSink<T>,
    private readonly opts: CoalescedWriterOptions
  ) {}

  /** Marks a record as changed; `read` is called at flush time (null = delete). */
  mark(id: string, read: () => T | null): void {
    this.dirty.set(id, read)
    this.schedule(this.opts.flushIntervalMs)
  }

  /** Calls back once everything marked so far has been written. */
  whenDurable(cb: Durable): void {
    if (this.dirty.size === 0 && !this.flushing) {
      cb()
      return
    }
    this.waiting.push(cb)
    this.schedule(this.opts.commitDelayMs)
  }

  /** Promise form of whenDurable, for HTTP handlers and shutdown. */
  durable(): Promise<void> {
    return new Promise((resolve, reject) => this.whenDurable((err) => (err ? reject(err) : resolve())))
  }

  stats(): CoalescedWriterStats {
    return { ...this.stats_, pending: this.dirty.size, waiting: this.waiting.length }
  }

  /** Writes what is pending and stops the timer. */
  async close(): Promise<void> {
    await this.flush()
    this.closed = true
    this.timer.stop()
  }

  private schedule(delay: number): void {
    if (!this.closed) this.timer.within(delay)
  }

  /** Writes all dirty records; waits for an ongoing flush first so writes never interleave. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing
    if (this.dirty.size === 0) {
      const w = this.waiting
      this.waiting = []
      for (const cb of w) cb()
      return
    }
    const batch = this.dirty
    const waiters = this.waiting
    this.dirty = new Map()
    this.waiting = []
    const records = [...batch].map(([id, read]) => ({ id, value: read() }))
    this.flushing = this.store
      .putMany(records)
      .then(
        () => {
          this.stats_.flushes++
          this.stats_.recordsWritten += records.length
          for (const cb of waiters) cb()
        },
        (err: Error) => {
          this.stats_.errors++
          // Keep the records dirty so the next flush retries them, unless newer changes replaced them.
          for (const [id, read] of batch) if (!this.dirty.has(id)) this.dirty.set(id, read)
          this.opts.onError?.(err)
          for (const cb of waiters) cb(err)
          this.schedule(this.opts.flushIntervalMs)
        }
      )
      .finally(() => {
        this.flushing = null
      })
    await this.flushing
  }
}
