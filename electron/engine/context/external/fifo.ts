/**
 * A double-ended queue on a ring buffer: O(1) push at the back, shift and unshift at the front.
 * A batch taken from the front and put back after a failed attempt keeps its place, without the
 * O(n) copies of Array.prototype.unshift on a long backlog.
 */
export class Fifo<T> {
  private buf: Array<T | undefined>
  private head = 0
  private size = 0

  constructor(capacity = 16) {
    this.buf = new Array<T | undefined>(capacity)
  }

  get length(): number {
    return this.size
  }

  push(item: T): void {
    if (this.size === this.buf.length) this.grow()
    this.buf[(this.head + this.size) % this.buf.length] = item
    this.size++
  }

  /** Puts an item back at the front. */
  unshift(item: T): void {
    if (this.size === this.buf.length) this.grow()
    this.head = (this.head - 1 + this.buf.length) % this.buf.length
    this.buf[this.head] = item
    this.size++
  }

  shift(): T | undefined {
    if (this.size === 0) return undefined
    const item = this.buf[this.head]
    this.buf[this.head] = undefined
    this.head = (this.head + 1) % this.buf.length
    this.size--
    if (this.size === 0) this.head = 0
    return item
  }

  /** The i-th item from the front, without removing it. */
  peek(i = 0): T | undefined {
    return i < this.size ? this.buf[(this.head + i) % this.buf.length] : undefined
  }

  private grow(): void {
    const next = new Array<T | undefined>(this.buf.length * 2)
    for (let i = 0; i < this.size; i++) next[i] = this.buf[(this.head + i) % this.buf.length]
    this.buf = next
    this.head = 0
  }
}
