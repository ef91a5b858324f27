import { GroupCommit, type Durable } from './group-commit'

/** Where flushed records go (a DocStore or a JournalStore). */
export interface RecordSink<T> {
  /** Writes the records; a sink may read them one by one as it writes (each value is read when its turn comes). */
  putMany(records: Iterable<{ id: string; value: T | null }>): Promise<void>
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
 * changes. `whenDurable` is the group commit (GroupCommit): the callback runs once every change
 * marked before the call is on disk, and asks for an early flush.
 */
export class CoalescedWriter<T> {
  private dirty = new Map<string, () => T | null>()
  private readonly commit: GroupCommit
  private readonly stats_: CoalescedWriterStats = { flushes: 0, recordsWritten: 0, pending: 0, waiting: 0, errors: 0 }

  constructor(
    private readonly store: RecordSink<T>,
    private readonly opts: CoalescedWriterOptions
  ) {
    this.commit = new GroupCommit({ unwritten: () => this.dirty.size > 0, write: () => this.write() }, opts)
  }

  /** Marks a record as changed; `read` is called at flush time (null = delete). */
  mark(id: string, read: () => T | null): void {
    this.dirty.set(id, read)
    this.commit.changed()
  }

  /** Calls back once everything marked so far has been written. */
  whenDurable(cb: Durable): void {
    this.commit.whenDurable(cb)
  }

  /** Promise form of whenDurable, for HTTP handlers and shutdown. */
  durable(): Promise<void> {
    return this.commit.durable()
  }

  stats(): CoalescedWriterStats {
    return { ...this.stats_, pending: this.dirty.size, waiting: this.commit.waitingCount }
  }

  /** Writes what is pending and stops the timer. */
  close(): Promise<void> {
    return this.commit.close()
  }

  /** Writes all dirty records; waits for an ongoing flush first so writes never interleave. */
  flush(): Promise<void> {
    return this.commit.flush()
  }

  private async write(): Promise<void> {
    if (this.dirty.size === 0) return
    const batch = this.dirty
    this.dirty = new Map()
    try {
      // Each record is read when the sink takes it: no copy of the whole batch at once.
      await this.store.putMany(
        (function* () {
          for (const [id, read] of batch) yield { id, value: read() }
        })()
      )
    } catch (err) {
      this.stats_.errors++
      // Keep the records dirty so the next flush retries them, unless newer changes replaced them.
      for (const [id, read] of batch) if (!this.dirty.has(id)) this.dirty.set(id, read)
      this.opts.onError?.(err as Error)
      throw err
    }
    this.stats_.flushes++
    this.stats_.recordsWritten += batch.size
  }
}
