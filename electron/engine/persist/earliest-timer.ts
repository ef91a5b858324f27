/**
 * One timer that runs `fire` at the earliest time asked for: asking for a later time while an
 * earlier one is pending changes nothing, asking for an earlier one brings it forward. Used by the
 * group commits, where a change asks for "within the flush interval" and a waiting client for
 * "within the commit delay".
 */
export class EarliestTimer {
  private timer: NodeJS.Timeout | null = null
  private due = 0
  private stopped = false

  constructor(private readonly fire: () => void) {}

  /** Runs `fire` in at most `delayMs` (no-op once stopped). */
  within(delayMs: number): void {
    if (this.stopped) return
    const due = Date.now() + delayMs
    if (this.timer && this.due <= due) return
    if (this.timer) clearTimeout(this.timer)
    this.due = due
    this.timer = setTimeout(() => {
      this.timer = null
      this.fire()
    }, delayMs)
  }

  stop(): void {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }
}
