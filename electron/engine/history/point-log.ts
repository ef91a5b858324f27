import { mkdir, open, readFile, rename, rm, type FileHandle } from 'node:fs/promises'
import { dirname } from 'node:path'
import { setAsideTornTail } from '../persist/datafile'
import { seriesId } from './series'
import type { HistoryPoint, SeriesKey } from './store'

/** A line's new series: [index, service, servicePath, entityType, entityId, attrName]. */
type KeyRow = [number, string, string, string, string, string]
/** A line's point: [series index, recvTime, attrType, attrValue]. */
type PointRow = [number, number, string, string]
interface Line {
  k?: KeyRow[]
  p: PointRow[]
}

/** Points per line of a rewrite, and between two yields to the event loop. */
const REWRITE_CHUNK = 20_000

/** Receives a point read back from the file. */
export type LoadedPoint = (key: SeriesKey, recvTime: number, attrType: string, attrValue: string) => void

/**
 * The history's file (docs/compatibility/sth-comet.md §1): an append-only log of point batches,
 * one JSON line per group commit, whatever the number of points in it. Series names are written
 * once per file (the `k` rows) and points refer to them by index, so that a point costs about 40
 * bytes on disk. A rewrite replaces the file by the live points only (written to a temporary
 * file, flushed, renamed over), which the store asks for once dropped points outweigh the live
 * ones. A written line is in the operating system's cache and survives a kill -9 of the process;
 * a line torn by a crash was never confirmed and is set aside at the next open.
 */
export class PointLog {
  /** Series index of this file, by seriesId. */
  private index = new Map<string, number>()
  private written = 0

  private constructor(
    readonly filename: string,
    private fh: FileHandle
  ) {}

  /**
   * Opens (or creates) the log; `each` receives every stored point, oldest line first, with the
   * same key object for every point of a series.
   */
  static async open(filename: string, each: LoadedPoint): Promise<{ log: PointLog; notice: string | undefined }> {
    await mkdir(dirname(filename), { recursive: true })
    const notice = await setAsideTornTail(filename)
    let text = ''
    try {
      text = await readFile(filename, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
    }
    const log = new PointLog(filename, await open(filename, 'a', 0o600))
    try {
      log.replay(text, each)
    } catch (err) {
      await log.fh.close()
      throw err
    }
    return { log, notice }
  }

  /** Points in the file, live or dropped since. */
  get pointsOnDisk(): number {
    return this.written
  }

  /** Appends one batch as one line. On failure nothing of it counts as written. */
  async append(points: readonly HistoryPoint[]): Promise<void> {
    if (points.length === 0) return
    const added = new Map<string, number>()
    const line = this.encode(points, this.index, added)
    await this.fh.write(line)
    for (const [id, i] of added) this.index.set(id, i)
    this.written += points.length
  }

  /**
   * Replaces the file by these series (a snapshot of the live points, taken by the caller at
   * one instant), in lines of REWRITE_CHUNK points, yielding to the event loop between lines.
   */
  async rewrite(series: ReadonlyArray<{ key: SeriesKey; points: ReadonlyArray<readonly [number, string, string]> }>): Promise<void> {
    const tmp = `${this.filename}.rewrite`
    const out = await open(tmp, 'w', 0o600)
    const index = new Map<string, number>()
    let count = 0
    try {
      let batch: HistoryPoint[] = []
      const flush = async (): Promise<void> => {
        if (!batch.length) return
        const added = new Map<string, number>()
        const line = this.encode(batch, index, added)
        for (const [id, i] of added) index.set(id, i)
        await out.write(line)
        count += batch.length
        batch = []
      }
      for (const s of series) {
        for (const [recvTime, attrType, attrValue] of s.points) {
          batch.push({ ...s.key, recvTime, attrType, attrValue })
          if (batch.length >= REWRITE_CHUNK) await flush()
        }
      }
      await flush()
      await out.sync()
    } catch (err) {
      await out.close()
      await rm(tmp, { force: true })
      throw err
    }
    await out.close()
    await this.fh.close()
    try {
      await rename(tmp, this.filename)
    } finally {
      this.fh = await open(this.filename, 'a', 0o600)
    }
    this.index = index
    this.written = count
  }

  async close(): Promise<void> {
    await this.fh.close()
  }

  private encode(points: readonly HistoryPoint[], index: ReadonlyMap<string, number>, added: Map<string, number>): string {
    const k: KeyRow[] = []
    const p: PointRow[] = new Array<PointRow>(points.length)
    let next = index.size
    for (let i = 0; i < points.length; i++) {
      const pt = points[i]!
      const id = seriesId(pt)
      let at = index.get(id) ?? added.get(id)
      if (at === undefined) {
        at = next++
        added.set(id, at)
        k.push([at, pt.service, pt.servicePath, pt.entityType, pt.entityId, pt.attrName])
      }
      p[i] = [at, pt.recvTime, pt.attrType, pt.attrValue]
    }
    return `${JSON.stringify(k.length ? { k, p } : { p })}\n`
  }

  private replay(text: string, each: LoadedPoint): void {
    const keys: SeriesKey[] = []
    let lineNo = 0
    for (let start = 0; start < text.length; ) {
      let end = text.indexOf('\n', start)
      if (end < 0) end = text.length
      lineNo++
      const raw = text.slice(start, end)
      start = end + 1
      if (!raw.trim()) continue
      let line: Line
      try {
        line = JSON.parse(raw) as Line
      } catch (err) {
        throw new Error(`the history file ${this.filename} is damaged at line ${lineNo} (${(err as Error).message}); move it away to start with an empty history`, { cause: err })
      }
      for (const [i, service, servicePath, entityType, entityId, attrName] of line.k ?? []) {
        const key = { service, servicePath, entityType, entityId, attrName }
        keys[i] = key
        this.index.set(seriesId(key), i)
      }
      for (const [i, recvTime, attrType, attrValue] of line.p) {
        const key = keys[i]
        if (!key) throw new Error(`the history file ${this.filename} is damaged at line ${lineNo} (unknown series ${i}); move it away to start with an empty history`)
        each(key, recvTime, attrType, attrValue)
        this.written++
      }
    }
  }
}
