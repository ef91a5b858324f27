import Datastore from 'nedb-promises'
import { checkDatafile, loadDatafile, STRICT_DATAFILE } from './datafile'

/**
 * One NeDB datafile holding documents as `{_id, data}` where `data` is the JSON text of the
 * record. Storing JSON text sidesteps NeDB's key rules (no `.` or leading `$` in field names,
 * which NGSI attribute values and free-form provisioning fields may contain) and makes NeDB's
 * deep copies cheap. NeDB appends one line per write without fsync: a completed write survives
 * a kill -9 of the process.
 */
interface Row {
  _id: string
  data: string
}

/**
 * Compaction methods of the underlying @seald-io/nedb datastore. They are called on it directly:
 * through nedb-promises' proxy, `setAutocompactionInterval` fails to store its timer id.
 */
interface Compaction {
  compactDatafileAsync(): Promise<void>
  setAutocompactionInterval(interval: number): void
  stopAutocompaction(): void
}

export class DocStore<T> {
  private readonly nedb: Compaction
  /** What opening the file repaired (a torn last line set aside), for the owner's log. */
  notice: string | undefined

  private constructor(
    private readonly db: Datastore<Row>,
    readonly filename: string
  ) {
    this.nedb = (db as unknown as { __original: Compaction }).__original
  }

  static async open<T>(filename: string, compactionIntervalMs?: number): Promise<DocStore<T>> {
    await checkDatafile(filename)
    const db = Datastore.create({ filename, autoload: false, ...STRICT_DATAFILE }) as unknown as Datastore<Row>
    const notice = await loadDatafile(db, filename)
    const store = new DocStore<T>(db, filename)
    store.notice = notice
    if (compactionIntervalMs) store.nedb.setAutocompactionInterval(compactionIntervalMs)
    return store
  }

  /** Every stored record, in no particular order. */
  async all(): Promise<Array<{ id: string; value: T }>> {
    const rows = await this.db.find({})
    return rows.map((r) => ({ id: r._id, value: JSON.parse(r.data) as T }))
  }

  /** Inserts or replaces a record. Resolves once the line is written. */
  async put(id: string, value: T): Promise<void> {
    await this.db.update({ _id: id }, { _id: id, data: JSON.stringify(value) }, { upsert: true })
  }

  /** Writes several records; one NeDB operation each, issued together. */
  async putMany(records: Iterable<{ id: string; value: T | null }>): Promise<void> {
    await Promise.all(Array.from(records, (r) => (r.value === null ? this.remove(r.id) : this.put(r.id, r.value))))
  }

  async remove(id: string): Promise<void> {
    await this.db.remove({ _id: id }, { multi: false })
  }

  async compact(): Promise<void> {
    await this.nedb.compactDatafileAsync()
  }

  async close(): Promise<void> {
    this.nedb.stopAutocompaction()
    // Leave the file in the one-line-per-document form.
    await this.compact()
  }
}
