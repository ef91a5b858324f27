/**
 * One timer that runs `fire` at the earliest time asked for: asking for a later time while an
 * earlier one is pending changes nothing, asking for an earlier one brings it forward. Used by the
 * group commits, where a change asks for "within the flush interval" and a waiting client for
 * "within the commit delay". A delay of 0 runs `fire` right after the current I/O callbacks
 * (setImmediate), not after setTimeout's minimum of 1 ms.
 */
export class EarliestTimer {
  private cancel: (() => void) | null = null
  private due = 0
  private stopped = false

  constructor(private readonly fire: () => void) {}

  /** Runs `fire` in at most `delayMs` (no-op once stopped). */
  within(delayMs: number): void {
    if (this.stopped) return
    const due = Date.now() + delayMs
    if (this.cancel && this.due <= due) return
    this.cancel?.()
    this.due = due
    const run = (): void => {
      this.cancel = null
      this.fire()
    }
    if (delayMs <= 0) {
      const handle = setImmediate(run)
      this.cancel = () => clearImmediate(handle)
    } else {
      const handle = setTimeout(run, delayMs)
      this.cancel = () => clearTimeout(handle)
    }
  }

  stop(): void {
    this.stopped = true
    this.cancel?.()
    this.cancel = null
  }
}
