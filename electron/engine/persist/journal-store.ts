import Datastore from 'nedb-promises'
import { checkDatafile, loadDatafile, STRICT_DATAFILE } from './datafile'

/**
 * A NeDB datafile used as a journal of record batches, for data that changes all the time (entity
 * state under a stream of measures). Each flush of many changed records is ONE NeDB insert, hence
 * one appended line: the cost of a flush does not grow with the number of NeDB operations, which
 * matters when the event loop is saturated by MQTT traffic and every operation waits its turn.
 *
 * Rows are `{_id: <zero-padded sequence>, data: <JSON text>}`; the JSON is either a batch
 * `{"r": [[id, value|null], …]}` (null = deleted) or a snapshot `{"s": 1, "r": [[id, value], …]}`
 * holding every live record. Loading replays from the last snapshot. When the batches written since
 * the last snapshot outgrow the live data, a snapshot is appended, older rows are removed and the
 * file is compacted, so the file stays within a small multiple of the live data.
 *
 * A completed insert is on disk (appended, no fsync), so it survives a kill -9 of the process.
 */
interface Row {
  _id: string
  data: string
}

interface Compaction {
  compactDatafileAsync(): Promise<void>
}

type Entry<T> = [string, T | null]

const pad = (n: number): string => n.toString().padStart(15, '0')

export interface JournalStoreOptions {
  /** Snapshot once this many records were written since the last one, and at least… */
  minRecordsBetweenSnapshots?: number
  /** …this many times the number of live records. */
  liveMultiple?: number
}

export class JournalStore<T> {
  /** What opening the file repaired (a torn last line set aside), for the owner's log. */
  notice: string | undefined
  private seq = 0
  private live = 0
  private sinceSnapshot = 0
  private source: (() => Iterable<[string, T]>) | null = null
  private readonly minRecords: number
  private readonly multiple: number

  private constructor(
    private readonly db: Datastore<Row>,
    readonly filename: string,
    opts: JournalStoreOptions
  ) {
    this.minRecords = opts.minRecordsBetweenSnapshots ?? 5000
    this.multiple = opts.liveMultiple ?? 10
  }

  static async open<T>(filename: string, opts: JournalStoreOptions = {}): Promise<JournalStore<T>> {
    await checkDatafile(filename)
    const db = Datastore.create({ filename, autoload: false, ...STRICT_DATAFILE }) as unknown as Datastore<Row>
    const notice = await loadDatafile(db, filename)
    const store = new JournalStore<T>(db, filename, opts)
    store.notice = notice
    return store
  }

  /** Where snapshots read the complete current state from (the owner's in-memory records). */
  setSnapshotSource(source: () => Iterable<[string, T]>): void {
    this.source = source
  }

  /** Replays the journal: every live record. */
  async all(): Promise<Array<{ id: string; value: T }>> {
    const rows = await this.db.find({}).sort({ _id: 1 })
    let start = 0
    for (let i = rows.length - 1; i >= 0; i--) {
      if (rows[i]!.data.startsWith('{"s":1')) {
        start = i
        break
      }
    }
    const state = new Map<string, T>()
    for (let i = start; i < rows.length; i++) {
      const { r } = JSON.parse(rows[i]!.data) as { r: Array<Entry<T>> }
      for (const [id, value] of r) {
        if (value === null) state.delete(id)
        else state.set(id, value)
      }
    }
    const last = rows[rows.length - 1]
    this.seq = last ? Number(last._id) + 1 : 0
    this.live = state.size
    this.sinceSnapshot = rows.length - start
    return [...state].map(([id, value]) => ({ id, value }))
  }

  /** Appends one batch; resolves once it is written. Callers must not overlap calls. */
  async putMany(records: Array<{ id: string; value: T | null }>): Promise<void> {
    if (records.length === 0) return
    const entries: Array<Entry<T>> = records.map((r) => [r.id, r.value])
    await this.db.insert({ _id: pad(this.seq++), data: JSON.stringify({ r: entries }) })
    this.sinceSnapshot += records.length
    if (this.source && this.sinceSnapshot > Math.max(this.minRecords, this.multiple * this.live)) await this.snapshot()
  }

  /** Appends a snapshot of the whole state, then drops older rows and compacts the file. */
  async snapshot(): Promise<void> {
    if (!this.source) return
    const entries: Array<Entry<T>> = [...this.source()]
    const id = pad(this.seq++)
    await this.db.insert({ _id: id, data: JSON.stringify({ s: 1, r: entries }) })
    this.live = entries.length
    this.sinceSnapshot = 0
    await this.db.remove({ _id: { $lt: id } }, { multi: true })
    await (this.db as unknown as { __original: Compaction }).__original.compactDatafileAsync()
  }

  async close(): Promise<void> {
    await this.snapshot()
  }
}
