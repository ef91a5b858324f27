import { performance } from 'node:perf_hooks'
import type { EmbeddedContextBroker } from '../../electron/engine/context/embedded/broker'
import { percentile } from '../helpers/percentile'

export const nowMs = (): number => performance.timeOrigin + performance.now()

/**
 * Sees each bench measure arrive in its entity (a change of `sequence` in the context broker):
 * counts them, and times them from the send time the device put in the payload (`sentAt`).
 */
export class ArrivalProbe {
  received = 0
  firstAt = 0
  lastAt = 0
  private latencies = new Float64Array(0)
  private n = 0

  constructor(broker: EmbeddedContextBroker) {
    broker.onChange((c) => {
      if (c.kind === 'deleted' || !c.changed.includes('sequence')) return
      const t = nowMs()
      const sent = c.entity.attrs.get('sentAt')?.value
      if (typeof sent !== 'number') return
      if (this.received === 0) this.firstAt = t
      this.lastAt = t
      this.received++
      if (this.n < this.latencies.length) this.latencies[this.n++] = t - sent
    })
  }

  /** Starts a phase; `capacity` latencies are kept (the first ones). */
  reset(capacity: number): void {
    this.received = 0
    this.firstAt = this.lastAt = 0
    this.latencies = new Float64Array(capacity)
    this.n = 0
  }

  /** Resolves once `sent` measures arrived, or when none arrived for `idleMs`. */
  async drained(sent: number, idleMs = 3000): Promise<void> {
    let last = -1
    let since = Date.now()
    while (this.received < sent) {
      if (this.received !== last) [last, since] = [this.received, Date.now()]
      else if (Date.now() - since > idleMs) return
      await new Promise((r) => setTimeout(r, 20))
    }
  }

  /** Measures per second between the first and the last arrival. */
  rate(): number {
    return Math.round(this.received / ((this.lastAt - this.firstAt) / 1000))
  }

  latency(): { p50Ms: number; p95Ms: number; p99Ms: number; maxMs: number } {
    const sorted = this.latencies.slice(0, this.n).sort()
    const r = (x: number): number => Math.round(x * 100) / 100
    return { p50Ms: r(percentile(sorted, 50)), p95Ms: r(percentile(sorted, 95)), p99Ms: r(percentile(sorted, 99)), maxMs: r(sorted[sorted.length - 1] ?? NaN) }
  }
}
