import type { TelemetryPointDto } from '../../../shared/contract'

/** A ring starts this small and doubles up to its capacity: most series are short or sparse. */
const INITIAL = 16

/**
 * The points of one attribute: (time, value) pairs in one Float64Array used as a ring, oldest
 * overwritten once `capacity` points are kept. Time and value sit side by side, so that a push
 * touches one cache line; pushing allocates nothing except while the ring grows.
 */
export class PointRing {
  /** [t0, v0, t1, v1, …]: room for `data.length / 2` points. */
  private data: Float64Array
  /** Index (in points) of the oldest point. */
  private start = 0
  private size = 0
  /** Changed since the telemetry stream last sent this attribute's latest point. */
  dirty = false

  constructor(private capacity: number) {
    this.data = new Float64Array(2 * Math.min(INITIAL, capacity))
  }

  get length(): number {
    return this.size
  }

  /** Points the array can hold now (what the ring costs in memory: 16 bytes each). */
  get allocated(): number {
    return this.data.length >> 1
  }

  push(t: number, v: number, capacity: number): void {
    if (capacity !== this.capacity) this.resize(capacity)
    let room = this.data.length >> 1
    if (this.size === room && room < this.capacity) {
      this.grow(Math.min(this.capacity, room * 2))
      room = this.data.length >> 1
    }
    let i = this.start + this.size
    if (i >= room) i -= room
    this.data[2 * i] = t
    this.data[2 * i + 1] = v
    if (this.size < room) this.size++
    else if (++this.start === room) this.start = 0
  }

  lastT(): number {
    return this.data[2 * this.newest()]!
  }

  lastV(): number {
    return this.data[2 * this.newest() + 1]!
  }

  /** Oldest first. */
  points(): TelemetryPointDto[] {
    const out = new Array<TelemetryPointDto>(this.size)
    const room = this.data.length >> 1
    for (let k = 0; k < this.size; k++) {
      const i = (this.start + k) % room
      out[k] = { t: this.data[2 * i]!, v: this.data[2 * i + 1]! }
    }
    return out
  }

  private newest(): number {
    return (this.start + this.size - 1) % (this.data.length >> 1)
  }

  /** A new capacity (settings changed): the newest points that fit are kept. */
  private resize(capacity: number): void {
    this.capacity = capacity
    const room = this.data.length >> 1
    if (room > capacity) {
      const drop = this.size - Math.min(this.size, capacity)
      this.start = (this.start + drop) % room
      this.size -= drop
      this.grow(capacity)
    }
  }

  /** Re-lays the points from index 0 in an array for `points` points (≥ size). */
  private grow(points: number): void {
    const data = new Float64Array(2 * points)
    const room = this.data.length >> 1
    for (let k = 0; k < this.size; k++) {
      const i = (this.start + k) % room
      data[2 * k] = this.data[2 * i]!
      data[2 * k + 1] = this.data[2 * i + 1]!
    }
    this.data = data
    this.start = 0
  }
}
