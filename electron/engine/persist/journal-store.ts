import { createReadStream } from 'node:fs'
import { open, rename, rm, type FileHandle } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import { checkDatafile, corruptDatafileError, setAsideTornTail } from './datafile'

/**
 * A journal of record batches, for data that changes all the time (entity state under a stream of
 * measures): a file of JSON lines, only ever appended to, one append per flush.
 *
 *   {"r":[[<id>,<value>|null],…]}   records written (null = deleted)
 *
 * A flush of many records is cut into lines of about CHUNK_CHARS characters, each built from the
 * records' current values just before it is appended. No flush builds one big string, one big
 * array of copies or one big buffer: under a stream of measures (10,000 entities changing every
 * second) those would each outlive the young generation and fill the old one with garbage.
 *
 * Loading replays the lines in order. When the records written since the last compaction outgrow
 * the live data, the journal is compacted: every live record is written to a new file, which then
 * replaces the journal (rename: a crash leaves the old journal or the new one, never half). The
 * file stays within a small multiple of the live data.
 *
 * A completed append is on disk (no fsync), so it survives a kill -9 of the process; a torn last
 * line is set aside at the next open (datafile.ts). Files of earlier versions, NeDB datafiles of
 * `{"_id":…,"data":"<batch JSON>"}` rows where `{"s":1,…}` batches were snapshots, are read too;
 * new lines are appended after them and the next compaction rewrites them in this format.
 */

type Entry<T> = [string, T | null]

/** Characters of records per line (a line is a little longer: its last record ends it). */
export const CHUNK_CHARS = 64 * 1024

export interface JournalStoreOptions {
  /** Compact once this many records were written since the last compaction, and at least… */
  minRecordsBetweenSnapshots?: number
  /** …this many times the number of live records. */
  liveMultiple?: number
}

/** Appends `records` to `out` as lines of about CHUNK_CHARS characters; returns how many it wrote. */
async function appendLines<T>(out: FileHandle, records: Iterable<readonly [string, T | null]>): Promise<number> {
  let line = ''
  let count = 0
  for (const [id, value] of records) {
    const entry = JSON.stringify([id, value])
    line = line === '' ? entry : line + ',' + entry
    count++
    if (line.length >= CHUNK_CHARS) {
      await out.appendFile('{"r":[' + line + ']}\n')
      line = ''
    }
  }
  if (line !== '') await out.appendFile('{"r":[' + line + ']}\n')
  return count
}

/** One line of the file: the records it writes, and whether it replaces everything before it (a snapshot of an earlier version). */
function parseLine<T>(text: string): { records: Array<Entry<T>>; reset: boolean } | null {
  const row = JSON.parse(text) as { r?: Array<Entry<T>>; _id?: unknown; data?: unknown; $$deleted?: unknown; $$indexCreated?: unknown }
  if (Array.isArray(row.r)) return { records: row.r, reset: false }
  if (typeof row.data === 'string') {
    const batch = JSON.parse(row.data) as { r?: Array<Entry<T>>; s?: number }
    if (!Array.isArray(batch.r)) throw new Error('a row without records')
    return { records: batch.r, reset: batch.s === 1 }
  }
  // NeDB's own lines in files of earlier versions: rows removed after a snapshot, index records.
  if (row.$$deleted === true || row.$$indexCreated !== undefined) return null
  throw new Error('not a journal line')
}

export class JournalStore<T> {
  /** What opening the file repaired (a torn last line set aside), for the owner's log. */
  notice: string | undefined
  private live = 0
  private sinceSnapshot = 0
  private source: (() => Iterable<[string, T]>) | null = null
  private out: FileHandle | undefined
  private loaded: Array<{ id: string; value: T }> | undefined
  private readonly minRecords: number
  private readonly multiple: number

  private constructor(
    readonly filename: string,
    opts: JournalStoreOptions
  ) {
    this.minRecords = opts.minRecordsBetweenSnapshots ?? 5000
    this.multiple = opts.liveMultiple ?? 10
  }

  static async open<T>(filename: string, opts: JournalStoreOptions = {}): Promise<JournalStore<T>> {
    await checkDatafile(filename)
    const store = new JournalStore<T>(filename, opts)
    // A compaction cut short by a crash: its journal is still the old file.
    await rm(store.compactionFile(), { force: true })
    store.notice = await setAsideTornTail(filename)
    store.loaded = await store.replay()
    return store
  }

  /** Where snapshots read the complete current state from (the owner's in-memory records). */
  setSnapshotSource(source: () => Iterable<[string, T]>): void {
    this.source = source
  }

  /** Every live record (as loaded by `open` the first time, read again after). */
  async all(): Promise<Array<{ id: string; value: T }>> {
    const loaded = this.loaded ?? (await this.replay())
    this.loaded = undefined
    return loaded
  }

  /**
   * Replays the journal. A line that cannot be read stops it with an error naming the file and
   * what to do, the file left as it is (acknowledged records are never dropped without a word).
   */
  private async replay(): Promise<Array<{ id: string; value: T }>> {
    const state = new Map<string, T>()
    let lines = 0
    let corrupt = 0
    let since = 0
    let input
    try {
      input = createInterface({ input: createReadStream(this.filename, { encoding: 'utf8' }), crlfDelay: Infinity })
      for await (const text of input) {
        if (text === '') continue
        lines++
        let parsed
        try {
          parsed = parseLine<T>(text)
        } catch {
          corrupt++
          continue
        }
        if (!parsed || corrupt > 0) continue
        if (parsed.reset) {
          state.clear()
          since = 0
        }
        for (const [id, value] of parsed.records) {
          if (value === null) state.delete(id)
          else state.set(id, value)
        }
        since += parsed.records.length
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
    } finally {
      input?.close()
    }
    if (corrupt > 0) throw corruptDatafileError(this.filename, corrupt, lines)
    this.live = state.size
    this.sinceSnapshot = since
    return [...state].map(([id, value]) => ({ id, value }))
  }

  /** Appends records; resolves once they are written. Callers must not overlap calls. */
  async putMany(records: Iterable<{ id: string; value: T | null }>): Promise<void> {
    const out = await this.output()
    const written = await appendLines(out, (function* () {
      for (const r of records) yield [r.id, r.value] as const
    })())
    this.sinceSnapshot += written
    if (this.source && this.sinceSnapshot > Math.max(this.minRecords, this.multiple * this.live)) await this.snapshot()
  }

  /** Rewrites the journal as the live records alone (compaction); no-op without a snapshot source. */
  async snapshot(): Promise<void> {
    if (!this.source) return
    const tmp = this.compactionFile()
    const next = await open(tmp, 'w', 0o600)
    let live: number
    try {
      live = await appendLines(next, this.source())
      await next.sync()
    } catch (err) {
      await next.close()
      await rm(tmp, { force: true })
      throw err
    }
    await next.close()
    await this.out?.close()
    this.out = undefined
    await rename(tmp, this.filename)
    this.live = live
    this.sinceSnapshot = 0
  }

  async close(): Promise<void> {
    await this.snapshot()
    await this.out?.close()
    this.out = undefined
  }

  private async output(): Promise<FileHandle> {
    this.out ??= await open(this.filename, 'a', 0o600)
    return this.out
  }

  private compactionFile(): string {
    return `${this.filename}.compact.tmp`
  }
}
