/**
 * The inspector's message log, kept out of Vue's reactivity: a sorted array bounded by count, a
 * hold buffer while paused, and the sequence ranges that are known to exist but are not shown
 * (skipped by the engine's batching, or beyond the hold limit). Nothing is dropped silently: every
 * message is in the view, held, counted as missing (fetchable with `inspector.messages`), counted
 * as trimmed (older than the view's limit) or counted as lost (no longer in the engine's buffer).
 */

export interface Sequenced {
  seq: number
}

export type Range = [from: number, to: number]

/** Index of the first element with seq >= s. */
function lowerBound<T extends Sequenced>(list: readonly T[], s: number): number {
  let lo = 0
  let hi = list.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (list[mid]!.seq < s) lo = mid + 1
    else hi = mid
  }
  return lo
}

function mergeSorted<T extends Sequenced>(a: T[], b: T[]): T[] {
  if (!b.length) return a
  const out: T[] = []
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    const x = a[i]
    const y = b[j]
    if (y === undefined || (x !== undefined && x.seq < y.seq)) out.push(a[i++]!)
    else if (x !== undefined && x.seq === y.seq) {
      out.push(a[i++]!)
      j++
    } else out.push(b[j++]!)
  }
  return out
}

function insertSorted<T extends Sequenced>(list: T[], m: T): boolean {
  if (!list.length || list[list.length - 1]!.seq < m.seq) {
    list.push(m)
    return true
  }
  const i = lowerBound(list, m.seq)
  if (list[i]?.seq === m.seq) return false
  list.splice(i, 0, m)
  return true
}

export class MessageBuffer<T extends Sequenced> {
  /** What the log shows, oldest first. */
  log: T[] = []
  /** Arrived while paused, oldest first. */
  held: T[] = []
  private missing: Range[] = []
  private lastSeq = 0
  paused = false
  /** Older messages removed from the view to respect `logLimit`. */
  trimmed = 0
  /** Messages that were missing and are no longer in the engine's buffer. */
  lost = 0

  constructor(
    readonly logLimit = 5000,
    readonly holdLimit = 2000
  ) {}

  get missingCount(): number {
    return this.missing.reduce((n, [a, b]) => n + b - a + 1, 0)
  }

  get missingRanges(): readonly Range[] {
    return this.missing
  }

  private addMissing(from: number, to: number): void {
    if (to < from) return
    const last = this.missing[this.missing.length - 1]
    if (last && last[1] + 1 >= from) last[1] = Math.max(last[1], to)
    else this.missing.push([from, to])
  }

  /** Removes `seq` from the missing ranges; true when it was missing. */
  private takeMissing(seq: number): boolean {
    for (let i = 0; i < this.missing.length; i++) {
      const [a, b] = this.missing[i]!
      if (seq < a || seq > b) continue
      const parts: Range[] = []
      if (a < seq) parts.push([a, seq - 1])
      if (seq < b) parts.push([seq + 1, b])
      this.missing.splice(i, 1, ...parts)
      return true
    }
    return false
  }

  private place(m: T): void {
    if (!this.paused) insertSorted(this.log, m)
    else if (this.held.length < this.holdLimit) insertSorted(this.held, m)
    else this.addMissing(m.seq, m.seq)
  }

  /**
   * A batch of new messages (oldest first). `total`, when known, is the engine's newest sequence
   * number: anything after the last message received is counted as missing until it arrives.
   */
  accept(messages: readonly T[], total?: number): void {
    for (const m of messages) {
      if (this.lastSeq === 0 && !this.log.length && !this.held.length) this.lastSeq = m.seq - 1
      if (m.seq <= this.lastSeq) {
        if (this.takeMissing(m.seq)) this.place(m)
        continue
      }
      this.addMissing(this.lastSeq + 1, m.seq - 1)
      this.lastSeq = m.seq
      this.place(m)
    }
    if (total !== undefined && this.lastSeq > 0 && total > this.lastSeq) {
      this.addMissing(this.lastSeq + 1, total)
      this.lastSeq = total
    }
    this.trim()
  }

  /** Messages from before the view started (the initial history): merged, never counted as gaps. */
  seed(messages: readonly T[]): void {
    for (const m of messages) {
      if (this.lastSeq === 0 || m.seq > this.lastSeq) {
        this.addMissing(this.lastSeq === 0 ? m.seq : this.lastSeq + 1, m.seq - 1)
        this.lastSeq = m.seq
      }
      insertSorted(this.log, m)
    }
    this.trim()
  }

  /** Whether `seq` is in a missing range (binary search: the ranges are sorted and disjoint). */
  private isMissing(seq: number): boolean {
    let lo = 0
    let hi = this.missing.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1
      const [a, b] = this.missing[mid]!
      if (seq < a) hi = mid - 1
      else if (seq > b) lo = mid + 1
      else return true
    }
    return false
  }

  /** Removes [from, to] from the missing ranges; returns how many missing sequence numbers it held. */
  private cutMissing(from: number, to: number): number {
    let removed = 0
    const out: Range[] = []
    for (const [a, b] of this.missing) {
      if (b < from || a > to) {
        out.push([a, b])
        continue
      }
      removed += Math.min(b, to) - Math.max(a, from) + 1
      if (a < from) out.push([a, from - 1])
      if (b > to) out.push([to + 1, b])
    }
    this.missing = out
    return removed
  }

  /**
   * Messages fetched for the window [from, to] (which may span several missing ranges): the missing
   * ones are merged into the view, and the missing ones the engine did not return are counted as lost.
   */
  fill(range: Range, fetched: readonly T[]): void {
    const [from, to] = range
    const found: T[] = []
    for (const m of fetched) if (m.seq >= from && m.seq <= to && this.isMissing(m.seq)) found.push(m)
    found.sort((a, b) => a.seq - b.seq)
    const missingBefore = this.cutMissing(from, to)
    this.lost += missingBefore - found.length
    this.log = mergeSorted(this.log, found)
    this.trim()
  }

  /**
   * Gives up on missing messages older than `keepFrom`: those older than `available` (the oldest the
   * engine still has) are lost, the others would be older than the view keeps (trimmed).
   */
  discardMissingBefore(keepFrom: number, available: number): void {
    if (keepFrom <= 0) return
    this.lost += this.cutMissing(0, Math.min(keepFrom, available) - 1)
    if (available < keepFrom) this.trimmed += this.cutMissing(available, keepFrom - 1)
  }

  pause(): void {
    this.paused = true
  }

  resume(): void {
    this.paused = false
    for (const m of this.held) insertSorted(this.log, m)
    this.held = []
    this.trim()
  }

  clear(): void {
    this.log = []
    this.held = []
    this.missing = []
    this.trimmed = 0
    this.lost = 0
  }

  /** Empties the buffer and forgets the last sequence number: a new engine numbers its messages from 1 again. */
  reset(): void {
    this.clear()
    this.lastSeq = 0
  }

  private trim(): void {
    const over = this.log.length - this.logLimit
    if (over > 0) {
      this.log.splice(0, over)
      this.trimmed += over
    }
  }
}
