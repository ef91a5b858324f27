/** What a fleet is asked to simulate (the `simulator.startFleet` request). */
export interface FleetOptions {
  apikey: string
  idPrefix: string
  count: number
  intervalSec: number
  /** Measure key → inclusive range of its values. */
  measures: Record<string, [number, number]>
  replyLatencyMs: number
  /** Share (0–100) of measures and command answers silently dropped. */
  lossPercent: number
}

export class FleetOptionsError extends Error {
  override name = 'BAD_REQUEST'
  readonly status = 400
}

// UltraLight separators and MQTT wildcards cannot occur in keys, ids and API keys.
const KEY = /^[^|#@\s]+$/
const APIKEY = /^[^/#+\s]+$/
const PREFIX = /^[^/#+@|\s]+$/

interface MeasureRange {
  key: string
  min: number
  span: number
  /** Both bounds are integers: values are integers too (counters, percentages). */
  integer: boolean
}

/**
 * The pure part of a fleet: checked options, its device ids and topics, the pacing arithmetic and
 * the generated values. Separate from the timers and the broker so that it can be tested alone.
 */
export class FleetPlan {
  readonly options: FleetOptions
  private readonly ranges: MeasureRange[]
  private readonly topics: string[]

  constructor(
    opts: FleetOptions,
    private readonly random: () => number = Math.random
  ) {
    const problem = FleetPlan.problem(opts)
    if (problem) throw new FleetOptionsError(problem)
    this.options = { ...opts, measures: Object.fromEntries(Object.entries(opts.measures).map(([k, [a, b]]) => [k, [a, b]])) }
    this.ranges = Object.entries(opts.measures).map(([key, [min, max]]) => ({
      key,
      min,
      span: max - min,
      integer: Number.isInteger(min) && Number.isInteger(max)
    }))
    // Built once: a fleet publishes thousands of times a second.
    this.topics = Array.from({ length: opts.count }, (_, i) => `/${opts.apikey}/${opts.idPrefix}${i + 1}/attrs`)
  }

  /** What is wrong with the options, for callers that bypass the contract's schema check. */
  static problem(o: FleetOptions): string | undefined {
    if (!APIKEY.test(o.apikey)) return `apikey "${o.apikey}" cannot be used in a topic`
    if (!PREFIX.test(o.idPrefix)) return `idPrefix "${o.idPrefix}" cannot be used in a device id`
    if (!Number.isInteger(o.count) || o.count < 1 || o.count > 10_000) return 'count must be a whole number from 1 to 10000'
    if (!(o.intervalSec >= 0.01 && o.intervalSec <= 86_400)) return 'intervalSec must be between 0.01 and 86400'
    if (!Number.isInteger(o.replyLatencyMs) || o.replyLatencyMs < 0 || o.replyLatencyMs > 600_000) return 'replyLatencyMs must be a whole number from 0 to 600000'
    if (!(o.lossPercent >= 0 && o.lossPercent <= 100)) return 'lossPercent must be between 0 and 100'
    const entries = Object.entries(o.measures ?? {})
    if (entries.length < 1 || entries.length > 20) return 'measures must name from 1 to 20 keys'
    for (const [key, range] of entries) {
      if (!KEY.test(key)) return `measure key "${key}" cannot be used in UltraLight`
      const [min, max] = range
      if (!Number.isFinite(min) || !Number.isFinite(max) || min > max) return `measure ${key}: [${min}, ${max}] is not a range (min ≤ max)`
    }
    return undefined
  }

  get count(): number {
    return this.options.count
  }

  /** Sending slots due `elapsedMs` after the start: N per interval, evenly spaced. */
  slotsDue(elapsedMs: number): number {
    return Math.floor((elapsedMs * this.options.count) / (this.options.intervalSec * 1000))
  }

  /** Sending slots a fleet may owe before the oldest are skipped: one second of traffic, at least one round. */
  get backlogLimit(): number {
    return Math.max(this.options.count, Math.ceil(this.options.count / this.options.intervalSec))
  }

  /** Most slots one tick of `tickMs` sends: twice the nominal pace, so that a backlog drains smoothly. */
  catchUpPerTick(tickMs: number): number {
    return Math.max(1, Math.ceil((2 * this.options.count * tickMs) / (this.options.intervalSec * 1000)))
  }

  /** Measure topic of the device at `index` (0-based; its id ends with index + 1). */
  attrsTopic(index: number): string {
    return this.topics[index]!
  }

  /** 0-based index of a device id of this fleet, or -1. */
  deviceIndex(deviceId: string): number {
    const prefix = this.options.idPrefix
    if (!deviceId.startsWith(prefix)) return -1
    const n = deviceId.slice(prefix.length)
    // Canonical numbers only: `dev01` is not `dev1`.
    if (!/^[1-9][0-9]*$/.test(n)) return -1
    const i = Number(n) - 1
    return i < this.options.count ? i : -1
  }

  /** `k|v|k|v…` with a fresh value in each key's range. */
  measurePayload(): string {
    let out = ''
    for (let i = 0; i < this.ranges.length; i++) {
      const r = this.ranges[i]!
      let v: number
      if (r.integer) v = r.min + Math.floor(this.random() * (r.span + 1))
      else {
        // Two decimals are enough to read on a chart; rounding must not leave the range.
        v = Math.round((r.min + this.random() * r.span) * 100) / 100
        v = Math.min(r.min + r.span, Math.max(r.min, v))
      }
      out += (i === 0 ? '' : '|') + r.key + '|' + v
    }
    return out
  }

  /** Whether this measure or answer is lost (lossPercent). */
  lose(): boolean {
    const p = this.options.lossPercent
    return p > 0 && this.random() * 100 < p
  }
}
