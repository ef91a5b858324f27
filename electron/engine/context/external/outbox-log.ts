import { mkdir, open, readdir, readFile, stat, unlink, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'

/**
 * The disk side of the queue of updates waiting for the external Orion: append-only segment
 * files of JSON lines, in a directory of their own.
 *
 *   {"q":<seq>,"s":<service>,"p":<service path>,"e":<entity>}   an update was queued
 *   {"d":[[<first seq>,<last seq>],…]}                            those updates are done (sent, rejected or dropped)
 *
 * Lines are only ever appended, one write per group commit, without fsync: a completed write
 * survives a kill -9 of the process (not a power cut), as the rest of the data directory.
 * A write cut short by a crash leaves a torn last line, which loading skips; every start writes
 * to a new segment, so a torn line is always the last of its file.
 *
 * A segment is deleted once every update it holds is done and every older segment is gone
 * (its "done" lines can then only concern deleted updates). When one old update pins old
 * segments, the owner rewrites the live updates into a new segment (`startSegment` +
 * `append` + `dropSegmentsBefore`), so the files stay a small multiple of the live data.
 */

export interface LoadedUpdate {
  seq: number
  service: string
  servicePath: string
  /** The entity JSON, as it will be sent. */
  text: string
  /** The segment holding its line. */
  segment: number
}

interface Segment {
  no: number
  bytes: number
  /** Updates with their line in this segment that are not done. */
  live: number
}

const NAME = /^(\d{12})\.log$/
const fileName = (no: number): string => `${String(no).padStart(12, '0')}.log`

/** One line for a queued update. `scopePrefix` is `"s":…,"p":…` of its tenant and path. */
export function updateLine(seq: number, scopePrefix: string, text: string): string {
  return '{"q":' + seq + ',' + scopePrefix + ',"e":' + text + '}\n'
}

export function scopePrefix(service: string, servicePath: string): string {
  return '"s":' + JSON.stringify(service) + ',"p":' + JSON.stringify(servicePath)
}

/** One line marking updates done, as ranges of consecutive sequence numbers. */
export function doneLine(seqs: number[]): string {
  seqs.sort((a, b) => a - b)
  const ranges: Array<[number, number]> = []
  for (const s of seqs) {
    const last = ranges[ranges.length - 1]
    if (last && s === last[1] + 1) last[1] = s
    else if (!last || s > last[1]) ranges.push([s, s])
  }
  return '{"d":' + JSON.stringify(ranges) + '}\n'
}

export class OutboxLog {
  private readonly segments: Segment[] = []
  private fh: FileHandle | null = null

  private constructor(readonly dir: string) {}

  /** Loads the updates not done, in sequence order, then opens a new segment for writing. */
  static async open(dir: string): Promise<{ log: OutboxLog; updates: LoadedUpdate[]; lastSeq: number; tornLines: number }> {
    await mkdir(dir, { recursive: true })
    const log = new OutboxLog(dir)
    const numbers = (await readdir(dir))
      .map((f) => NAME.exec(f)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b)
    const live = new Map<number, LoadedUpdate>()
    let lastSeq = 0
    let tornLines = 0
    for (const no of numbers) {
      const text = await readFile(join(dir, fileName(no)), 'utf8')
      log.segments.push({ no, bytes: Buffer.byteLength(text), live: 0 })
      for (const line of text.split('\n')) {
        if (!line) continue
        let row: { q?: number; s?: string; p?: string; e?: unknown; d?: Array<[number, number]> }
        try {
          row = JSON.parse(line) as typeof row
        } catch {
          tornLines++
          continue
        }
        if (typeof row.q === 'number' && row.e !== undefined) {
          live.set(row.q, { seq: row.q, service: row.s ?? '', servicePath: row.p ?? '/', text: JSON.stringify(row.e), segment: no })
          if (row.q > lastSeq) lastSeq = row.q
        } else if (Array.isArray(row.d)) {
          for (const [first, last] of row.d) {
            for (let s = first; s <= last; s++) live.delete(s)
            if (last > lastSeq) lastSeq = last
          }
        } else tornLines++
      }
    }
    const updates = [...live.values()].sort((a, b) => a.seq - b.seq)
    const bySegment = new Map(log.segments.map((s) => [s.no, s]))
    for (const u of updates) bySegment.get(u.segment)!.live++
    await log.startSegment()
    await log.collect()
    return { log, updates, lastSeq, tornLines }
  }

  /** The segment the next append goes to. */
  get current(): number {
    return this.segments[this.segments.length - 1]!.no
  }

  get currentBytes(): number {
    return this.segments[this.segments.length - 1]!.bytes
  }

  /** Bytes of every segment file. */
  get diskBytes(): number {
    let n = 0
    for (const s of this.segments) n += s.bytes
    return n
  }

  get segmentCount(): number {
    return this.segments.length
  }

  /** Closes the current segment and opens the next one; resolves with its number. */
  async startSegment(): Promise<number> {
    const no = (this.segments[this.segments.length - 1]?.no ?? 0) + 1
    const fh = await open(join(this.dir, fileName(no)), 'a')
    const previous = this.fh
    this.fh = fh
    this.segments.push({ no, bytes: (await stat(join(this.dir, fileName(no)))).size, live: 0 })
    await previous?.close()
    return no
  }

  /** One write of many lines to the current segment. Callers must not overlap calls. */
  async append(text: string): Promise<void> {
    if (!text) return
    if (!this.fh) throw new Error('the queue file is closed')
    await this.fh.appendFile(text, 'utf8')
    this.segments[this.segments.length - 1]!.bytes += Buffer.byteLength(text)
  }

  /** `n` more live updates have their line in segment `no`. */
  addLive(no: number, n: number): void {
    const s = this.segments.find((x) => x.no === no)
    if (s) s.live += n
  }

  /** One update of segment `no` is done. */
  release(no: number): void {
    const s = this.segments.find((x) => x.no === no)
    if (s && s.live > 0) s.live--
  }

  /** Deletes the oldest segments while every update they hold is done (never the current one). */
  async collect(): Promise<void> {
    while (this.segments.length > 1 && this.segments[0]!.live === 0) {
      const s = this.segments.shift()!
      await unlink(join(this.dir, fileName(s.no))).catch(() => {})
    }
  }

  /** Deletes every segment older than `no` (after their live updates were written again in `no`). */
  async dropSegmentsBefore(no: number): Promise<void> {
    while (this.segments.length > 1 && this.segments[0]!.no < no) {
      const s = this.segments.shift()!
      await unlink(join(this.dir, fileName(s.no))).catch(() => {})
    }
  }

  async close(): Promise<void> {
    const fh = this.fh
    this.fh = null
    await fh?.close()
  }
}
