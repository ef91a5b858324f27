import { GroupCommit, type Durable } from '../../persist/group-commit'
import type { Scope } from '../types'
import { Fifo } from './fifo'
import { doneLine, OutboxLog, scopePrefix, updateLine } from './outbox-log'

/**
 * The queue of updates waiting for the external Orion: in memory for the sender, on disk
 * (OutboxLog) for restarts and crashes. One FIFO lane per tenant and service path, because Orion
 * takes one tenant and one path per request and order only matters within an entity, hence
 * within a lane. `push` is on the measure hot path: no await, no I/O; the disk sees one append
 * per group commit, and an update already sent and acknowledged by the time of that commit is
 * never written at all, so with a healthy Orion the disk does next to nothing.
 *
 * Bounded by count and bytes: when full, the oldest updates not in flight are dropped (counted).
 */

export interface OutboxItem {
  seq: number
  lane: Lane
  /** The entity JSON, as sent. */
  text: string
  bytes: number
  /** Segment holding its line on disk; 0 while not written. */
  segment: number
  state: 'queued' | 'inFlight' | 'done'
  /** The trace of the message this update comes from (trace/tracer.ts): in memory only, never written. */
  trace?: number
}

export interface Lane {
  key: string
  scope: Scope
  /** `"s":…,"p":…` of its lines on disk. */
  prefix: string
  queue: Fifo<OutboxItem>
}

export interface OutboxOptions {
  maxUpdates: number
  maxBytes: number
  /** Upper bound of the delay between a push and its write. */
  flushIntervalMs: number
  /** Delay of the write once someone waits for durability (group commit). */
  commitDelayMs: number
  onError?: (err: Error) => void
}

/** A new segment is started beyond this size, so that segments of done updates can be deleted. */
const SEGMENT_BYTES = 4 * 1024 * 1024
/** Characters of one append (a commit of a long backlog is written in several). */
const CHUNK_CHARS = 1024 * 1024
/** The files are rewritten when they outgrow both this and 4× the live updates. */
const COMPACT_MIN_BYTES = 16 * 1024 * 1024

export class Outbox {
  private readonly lanesByKey = new Map<string, Lane>()
  /** Updates not done, in sequence order (Map keeps insertion order): the oldest first. */
  private readonly live = new Map<number, OutboxItem>()
  private unwritten: OutboxItem[] = []
  private unwrittenLimit = 4096
  private doneSeqs: number[] = []
  /** Durability callbacks held back while the queue is nearly full (back-pressure, see whenDurable). */
  private roomWaiters: Durable[] = []
  /** When the pending work is written: a group commit of new updates and done marks. */
  private readonly commit: GroupCommit
  private closed = false
  private seq: number
  private bytes = 0
  private inFlightCount = 0
  readonly counters = { queued: 0, dropped: 0, writes: 0, writeErrors: 0, loaded: 0, tornLines: 0 }

  private constructor(
    private readonly log: OutboxLog,
    private readonly opts: OutboxOptions,
    lastSeq: number
  ) {
    this.seq = lastSeq
    this.commit = new GroupCommit({ unwritten: () => this.unwritten.length > 0, write: () => this.commitPending(), confirm: (cb) => this.whenRoom(cb) }, opts)
  }

  /** Opens the queue directory and takes back the updates a previous run left (oldest dropped beyond the bounds). */
  static async open(dir: string, opts: OutboxOptions): Promise<Outbox> {
    const { log, updates, lastSeq, tornLines } = await OutboxLog.open(dir)
    const box = new Outbox(log, opts, lastSeq)
    for (const u of updates) {
      const item: OutboxItem = { seq: u.seq, lane: box.lane({ service: u.service, servicePath: u.servicePath }), text: u.text, bytes: Buffer.byteLength(u.text), segment: u.segment, state: 'queued' }
      box.live.set(item.seq, item)
      item.lane.queue.push(item)
      box.bytes += item.bytes
    }
    box.counters.loaded = updates.length
    box.counters.tornLines = tornLines
    box.enforceBounds()
    if (box.counters.dropped) box.commit.soon()
    return box
  }

  /** The lane of a tenant and service path (created on first use). */
  lane(scope: Scope): Lane {
    const key = scope.service + '\u0000' + scope.servicePath
    let lane = this.lanesByKey.get(key)
    if (!lane) {
      lane = { key, scope: { service: scope.service, servicePath: scope.servicePath }, prefix: scopePrefix(scope.service, scope.servicePath), queue: new Fifo() }
      this.lanesByKey.set(key, lane)
    }
    return lane
  }

  lanes(): Iterable<Lane> {
    return this.lanesByKey.values()
  }

  get backlog(): number {
    return this.live.size
  }

  get backlogBytes(): number {
    return this.bytes
  }

  get inFlight(): number {
    return this.inFlightCount
  }

  /** Queues one update (hot path: synchronous, no I/O). */
  push(lane: Lane, text: string, bytes: number, trace?: number): void {
    if (this.closed) throw new Error('the queue of the external context broker is closed')
    const item: OutboxItem = { seq: ++this.seq, lane, text, bytes, segment: 0, state: 'queued', trace }
    this.live.set(item.seq, item)
    lane.queue.push(item)
    this.unwritten.push(item)
    this.bytes += bytes
    this.counters.queued++
    this.enforceBounds()
    this.commit.changed()
  }

  /** Takes the next updates of a lane, up to `maxItems` and `maxBytes` (at least one). */
  take(lane: Lane, maxItems: number, maxBytes: number): OutboxItem[] {
    const out: OutboxItem[] = []
    let bytes = 0
    for (let next = lane.queue.peek(); next && out.length < maxItems; next = lane.queue.peek()) {
      // +1 for the comma between entities of a batch.
      if (out.length > 0 && bytes + next.bytes + 1 > maxBytes) break
      lane.queue.shift()
      next.state = 'inFlight'
      bytes += next.bytes + 1
      out.push(next)
    }
    this.inFlightCount += out.length
    return out
  }

  /** Puts updates taken from a lane back at its front, in their order (the attempt failed). */
  requeue(items: OutboxItem[]): void {
    for (let i = items.length - 1; i >= 0; i--) {
      const it = items[i]!
      it.state = 'queued'
      it.lane.queue.unshift(it)
    }
    this.inFlightCount -= items.length
    this.enforceBounds()
  }

  /** Updates taken from a lane are done (sent, or rejected by the broker): they leave the queue. */
  done(items: OutboxItem[]): void {
    for (const it of items) this.finish(it)
    this.inFlightCount -= items.length
    this.releaseRoom()
    if (this.doneSeqs.length) this.commit.changed()
  }

  /**
   * Back-pressure: while the queue is over 80 % of a bound, durability is confirmed only once it is
   * back under 60 %. A QoS 1 device then waits for its PUBACK, so acknowledged measures do not pile
   * up into the drop-oldest bound during a long outage; only QoS 0 traffic can overflow it.
   */
  private whenRoom(cb: Durable): void {
    if (this.roomWaiters.length === 0 && !this.nearlyFull(0.8)) cb()
    else this.roomWaiters.push(cb)
  }

  private nearlyFull(share: number): boolean {
    return this.live.size > share * this.opts.maxUpdates || this.bytes > share * this.opts.maxBytes
  }

  private releaseRoom(): void {
    if (this.roomWaiters.length === 0 || this.nearlyFull(0.6)) return
    const held = this.roomWaiters
    this.roomWaiters = []
    for (const cb of held) cb()
  }

  /** Calls back once every update pushed before the call is on disk (or already acknowledged by Orion). */
  whenDurable(cb: Durable): void {
    this.commit.whenDurable(cb)
  }

  durable(): Promise<void> {
    return this.commit.durable()
  }

  /** Writes what is pending and closes the file; the updates not done stay for the next start. */
  async close(): Promise<void> {
    if (this.closed) return
    await this.commit.close()
    // Everything pushed is on disk now; nothing more can free room.
    const held = this.roomWaiters
    this.roomWaiters = []
    for (const cb of held) cb()
    this.closed = true
    await this.log.close()
  }

  private finish(it: OutboxItem): void {
    if (it.state === 'done') return
    it.state = 'done'
    this.live.delete(it.seq)
    this.bytes -= it.bytes
    if (it.segment > 0) {
      this.log.release(it.segment)
      this.doneSeqs.push(it.seq)
    }
  }

  /** Drops the oldest queued updates (never those in flight) until the bounds hold. */
  private enforceBounds(): void {
    while (this.live.size > this.opts.maxUpdates || this.bytes > this.opts.maxBytes) {
      // Lanes are FIFO and in-flight updates left from their front: the oldest queued update of
      // all is the front of one lane (a scan of the lanes, not of the updates).
      let lane: Lane | undefined
      for (const l of this.lanesByKey.values()) {
        const head = l.queue.peek()
        if (head && (!lane || head.seq < lane.queue.peek()!.seq)) lane = l
      }
      if (!lane) return
      this.finish(lane.queue.shift()!)
      this.counters.dropped++
    }
    // Dropped updates not written yet need not stay referenced until the next commit (the limit
    // doubles what survived the last pass, so that the passes cost O(1) per update).
    if (this.unwritten.length > this.unwrittenLimit) {
      this.unwritten = this.unwritten.filter((it) => it.state !== 'done')
      this.unwrittenLimit = Math.max(4096, 2 * this.unwritten.length)
    }
  }

  /** One group commit: new updates and done marks in one append; flushes never overlap. */
  flush(): Promise<void> {
    return this.commit.flush()
  }

  /** Takes the updates and done marks not written yet and appends them (GroupCommit's `write`). */
  private async commitPending(): Promise<void> {
    const items = this.unwritten
    const done = this.doneSeqs
    this.unwritten = []
    this.doneSeqs = []
    try {
      await this.write(items, done)
    } catch (err) {
      this.counters.writeErrors++
      this.opts.onError?.(err as Error)
      throw err
    }
    this.counters.writes++
    // Done marks found during the write (a compaction) still have to reach the disk.
    if (this.doneSeqs.length) this.commit.changed()
  }

  private async write(items: OutboxItem[], done: number[]): Promise<void> {
    if (this.log.segmentCount > 2 && this.log.diskBytes > Math.max(COMPACT_MIN_BYTES, 4 * this.bytes)) return this.compact(items, done)
    let doneText = done.length ? doneLine(done) : ''
    let i = 0
    // In chunks: a long backlog (Orion down under heavy traffic) is never one huge string.
    while (i < items.length || doneText) {
      if (this.log.currentBytes >= SEGMENT_BYTES) await this.log.startSegment()
      const segment = this.log.current
      const chunk: OutboxItem[] = []
      let text = ''
      for (; i < items.length && text.length < CHUNK_CHARS; i++) {
        const it = items[i]!
        // Sent and acknowledged before this commit: nothing to keep.
        if (it.state === 'done') continue
        text += updateLine(it.seq, it.lane.prefix, it.text)
        it.segment = segment
        chunk.push(it)
      }
      if (i >= items.length) {
        text += doneText
        doneText = ''
      }
      if (!text) continue
      this.log.addLive(segment, chunk.length)
      try {
        await this.log.append(text)
      } catch (err) {
        // How much reached the file is unknown: these updates (and the rest) are written again, in a new segment.
        const retry: OutboxItem[] = []
        for (const it of chunk) {
          if (it.state !== 'done') {
            this.log.release(segment)
            retry.push(it)
          }
          it.segment = 0
        }
        for (; i < items.length; i++) if (items[i]!.state !== 'done') retry.push(items[i]!)
        this.unwritten = [...retry, ...this.unwritten]
        this.doneSeqs.push(...done)
        await this.log.startSegment().catch(() => {})
        throw err
      }
    }
    await this.log.collect()
  }

  /**
   * Rewrites every live update into a new segment and deletes the older ones: an update that
   * stays long (a lane Orion keeps refusing to take) would otherwise pin every later segment.
   */
  private async compact(items: OutboxItem[], done: number[]): Promise<void> {
    const snapshot = [...this.live.values()]
    let segment: number
    try {
      segment = await this.log.startSegment()
      let text = ''
      for (const it of snapshot) {
        text += updateLine(it.seq, it.lane.prefix, it.text)
        if (text.length >= CHUNK_CHARS) {
          await this.log.append(text)
          text = ''
        }
      }
      await this.log.append(text)
    } catch (err) {
      // The older segments are still there: nothing is lost, the pending work is done again later.
      this.unwritten = [...items, ...this.unwritten]
      this.doneSeqs.push(...done)
      throw err
    }
    let n = 0
    for (const it of snapshot) {
      // Done while the snapshot was written: its line there needs a done mark of its own.
      if (it.state === 'done') this.doneSeqs.push(it.seq)
      else {
        it.segment = segment
        n++
      }
    }
    this.log.addLive(segment, n)
    await this.log.dropSegmentsBefore(segment)
  }
}
