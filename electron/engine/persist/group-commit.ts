import { EarliestTimer } from './earliest-timer'

/** Called once the changes made before it was handed over are on disk, or with the error that kept them off. */
export type Durable = (err?: Error) => void

export interface GroupCommitOptions {
  /** Upper bound of the delay between a change and its write. */
  flushIntervalMs: number
  /** Delay of the write once someone waits for durability (group commit). */
  commitDelayMs: number
}

/** What the owner of the changes (a CoalescedWriter, the external Orion's Outbox) tells its GroupCommit. */
export interface CommitWork {
  /** Whether changes a durability callback has to wait for are not written yet. */
  unwritten(): boolean
  /**
   * Takes the pending changes (synchronously, at the call) and writes them. On failure it keeps
   * them pending, so that the retry writes them, and rejects.
   */
  write(): Promise<void>
  /** Confirms to a callback whose changes are written (default: at once; the Outbox holds it back while nearly full). */
  confirm?(cb: Durable): void
}

/**
 * The timing of a store's writes, shared by the stores that keep changes in memory and write
 * them in batches: a change is written within the flush interval; whoever waits for durability
 * (a QoS 1 PUBACK, an HTTP answer) brings the write forward to the commit delay, and every
 * callback that arrived meanwhile is answered by that one write. Writes never overlap; a failed
 * one fails its callbacks and is retried within the flush interval.
 */
export class GroupCommit {
  private waiting: Durable[] = []
  private readonly timer = new EarliestTimer(() => void this.flush())
  private flushing: Promise<void> | null = null
  private closed = false

  constructor(
    private readonly work: CommitWork,
    private readonly opts: GroupCommitOptions
  ) {}

  /** Something changed: write it within the flush interval. */
  changed(): void {
    this.schedule(this.opts.flushIntervalMs)
  }

  /** Write within the commit delay, as for a waiting callback. */
  soon(): void {
    this.schedule(this.opts.commitDelayMs)
  }

  /** Callbacks waiting for the next write. */
  get waitingCount(): number {
    return this.waiting.length
  }

  /** Calls back once every change made before the call is written. */
  whenDurable(cb: Durable): void {
    if (!this.work.unwritten() && !this.flushing) {
      this.confirm(cb)
      return
    }
    this.waiting.push(cb)
    this.soon()
  }

  /** Promise form of whenDurable, for HTTP handlers and shutdown. */
  durable(): Promise<void> {
    return new Promise((resolve, reject) => this.whenDurable((err) => (err ? reject(err) : resolve())))
  }

  /** One write of everything pending; waits for an ongoing one first, so that writes never interleave. Never rejects. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing
    const waiters = this.waiting
    this.waiting = []
    this.flushing = this.work
      .write()
      .then(
        () => {
          for (const cb of waiters) this.confirm(cb)
        },
        (err: Error) => {
          for (const cb of waiters) cb(err)
          this.changed()
        }
      )
      .finally(() => {
        this.flushing = null
      })
    await this.flushing
  }

  /** Writes what is pending and stops the timer: later changes are written by an explicit flush only. */
  async close(): Promise<void> {
    await this.flush()
    this.closed = true
    this.timer.stop()
  }

  private confirm(cb: Durable): void {
    if (this.work.confirm) this.work.confirm(cb)
    else cb()
  }

  private schedule(delay: number): void {
    if (!this.closed) this.timer.within(delay)
  }
}
