import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Scope } from '../context/types'
import type { SourceLogger } from '../log/logger'
import { CoalescedWriter } from '../persist/coalesced-writer'
import { JournalStore } from '../persist/journal-store'

/** The file of an agent's polling commands, in the agent's data folder beside its registry. */
export const POLLING_FILE = 'commands.db'

/**
 * Commands the file holds at most, over all devices (queued ones and delivered ones waiting for
 * their result). A device holds at most one per declared command name; a class runs tens of
 * devices with a handful of commands each, so 10,000 leaves room for a hundred times that while
 * keeping the load at start and each compaction of the file small.
 */
export const MAX_POLLING_COMMANDS = 10_000

/**
 * Characters of command payloads the file holds at most: a single value may be as large as the
 * context broker's request body, so the count alone would not bound memory. 32 Mi characters is
 * thousands of times what the tutorials' commands (`ring`, `{"data":"22"}`) need.
 */
export const MAX_POLLING_CHARS = 32 * 1024 * 1024

/** A command of a polling device as the file keeps it (docs/compatibility/iot-agent-ul.md §5.7). */
export interface PollingRecord {
  v: 1
  /** Place in the device's queue: records are loaded back in this order. */
  seq: number
  service: string
  servicePath: string
  deviceId: string
  entityId: string
  entityType: string
  command: string
  /** The value as the context broker forwarded it. */
  value: unknown
  /** The command as the device receives it. */
  payload: string
  queuedAt: number
  /** When the command's expiry started counting (its latest update from the context broker). */
  sentAt: number
  /** Handed to the device by a `getCmd=1`; waiting for its result. */
  delivered: boolean
}

/** What identifies a queued command: one per name and device. */
export interface PollingKey {
  scope: Scope
  deviceId: string
  command: string
}

/** A command to queue (its place and state are the store's). */
export type NewPollingCommand = PollingKey & Pick<PollingRecord, 'entityId' | 'entityType' | 'value' | 'payload' | 'sentAt'>

export interface PollingStoreOptions {
  /** Upper bound of the delay between a change and its write. */
  flushIntervalMs: number
  /** Delay of the write once a request waits for it. */
  commitDelayMs: number
  log: SourceLogger
}

/**
 * The polling commands of one agent on disk (`commands.db`, a JournalStore): every command queued
 * for a polling device, and every delivered one still waiting for its result, so that a restart
 * neither loses a command the context broker was answered for nor forgets to expire it. The
 * records are kept in memory too; changes are coalesced (CoalescedWriter) and a request waits
 * only for the group commit (`durable`). A file that is damaged or does not hold polling commands
 * stops the start, left as it is.
 */
export class PollingStore {
  private readonly records = new Map<string, PollingRecord>()
  private chars = 0
  private nextSeq = 1

  private constructor(
    private readonly journal: JournalStore<PollingRecord>,
    private readonly writer: CoalescedWriter<PollingRecord>
  ) {}

  static async open(dataDir: string, opts: PollingStoreOptions): Promise<PollingStore> {
    await mkdir(dataDir, { recursive: true })
    const journal = await JournalStore.open<PollingRecord>(join(dataDir, POLLING_FILE))
    if (journal.notice) opts.log.warn('DATAFILE-REPAIRED', journal.notice)
    const loaded = await journal.all()
    const foreign = loaded.filter((r) => !isPollingRecord(r.value) || recordId(r.value) !== r.id).length
    if (foreign > 0) throw foreignPollingFileError(journal.filename, foreign, loaded.length)
    const writer = new CoalescedWriter(journal, {
      flushIntervalMs: opts.flushIntervalMs,
      commitDelayMs: opts.commitDelayMs,
      onError: (err) => opts.log.error('PERSIST-COMMANDS', `writing ${journal.filename} failed: ${err.message}`)
    })
    const store = new PollingStore(journal, writer)
    for (const { id, value } of loaded.sort((a, b) => a.value.seq - b.value.seq)) {
      store.records.set(id, value)
      store.chars += value.payload.length
      store.nextSeq = value.seq + 1
    }
    journal.setSnapshotSource(() => store.records.entries())
    return store
  }

  /** Every command held, in queue order (oldest first). */
  all(): PollingRecord[] {
    return [...this.records.values()]
  }

  size(): number {
    return this.records.size
  }

  /** Whether `queue` may take this command: it replaces one already held, or the bounds leave room. */
  hasRoom(key: PollingKey, payload: string): boolean {
    const held = this.records.get(recordId(key))
    const chars = this.chars - (held?.payload.length ?? 0) + payload.length
    return chars <= MAX_POLLING_CHARS && (held !== undefined || this.records.size < MAX_POLLING_COMMANDS)
  }

  /**
   * Holds a queued command. One queued under the same name keeps its place (as in PollingQueue);
   * one that replaces a delivered command goes to the end of the queue.
   */
  queue(c: NewPollingCommand): void {
    const id = recordId(c)
    const held = this.records.get(id)
    const keep = held && !held.delivered ? held : undefined
    const record: PollingRecord = {
      v: 1,
      seq: keep?.seq ?? this.nextSeq++,
      service: c.scope.service,
      servicePath: c.scope.servicePath,
      deviceId: c.deviceId,
      entityId: c.entityId,
      entityType: c.entityType,
      command: c.command,
      value: c.value,
      payload: c.payload,
      queuedAt: keep?.queuedAt ?? c.sentAt,
      sentAt: c.sentAt,
      delivered: false
    }
    this.set(id, record)
  }

  /** The device fetched the command; it is kept until its result or its expiry. */
  delivered(key: PollingKey): void {
    const id = recordId(key)
    const held = this.records.get(id)
    if (held && !held.delivered) this.set(id, { ...held, delivered: true })
  }

  /** The command ended (result, expiry) or has nothing left to wait for. */
  remove(key: PollingKey): void {
    const id = recordId(key)
    const held = this.records.get(id)
    if (!held) return
    this.records.delete(id)
    this.chars -= held.payload.length
    this.writer.mark(id, () => this.records.get(id) ?? null)
  }

  /** A delivered command got its result: it leaves the file (a queued one of the same name stays). */
  settled(key: PollingKey): void {
    if (this.records.get(recordId(key))?.delivered) this.remove(key)
  }

  /** Resolves once every change made so far is on disk (group commit). */
  durable(): Promise<void> {
    return this.writer.durable()
  }

  /** Writes what is pending and leaves the file holding the live records alone. */
  async close(): Promise<void> {
    await this.writer.close()
    await this.journal.close()
  }

  private set(id: string, record: PollingRecord): void {
    const held = this.records.get(id)
    this.chars += record.payload.length - (held?.payload.length ?? 0)
    // The map's order is the queue's: a record with a new place goes to the end.
    if (held && held.seq !== record.seq) this.records.delete(id)
    this.records.set(id, record)
    this.writer.mark(id, () => this.records.get(id) ?? null)
  }
}

function recordId(k: PollingKey | PollingRecord): string {
  const { service, servicePath } = 'scope' in k ? k.scope : k
  return `${service}\u0000${servicePath}\u0000${k.deviceId}\u0000${k.command}`
}

function isPollingRecord(x: unknown): x is PollingRecord {
  if (x === null || typeof x !== 'object') return false
  const r = x as Record<string, unknown>
  const texts = ['service', 'servicePath', 'deviceId', 'entityId', 'entityType', 'command', 'payload'] as const
  const times = ['seq', 'queuedAt', 'sentAt'] as const
  return (
    r.v === 1 &&
    texts.every((k) => typeof r[k] === 'string') &&
    times.every((k) => Number.isSafeInteger(r[k]) && (r[k] as number) >= 0) &&
    typeof r.delivered === 'boolean' &&
    'value' in r &&
    r.value !== null
  )
}

/** The error of a file whose lines read well but whose records are not polling commands (another data file copied here). */
function foreignPollingFileError(filename: string, foreign: number, records: number): Error {
  return new Error(
    `the data file ${filename} does not hold polling commands: ${foreign} of its ${records} records are not commands waiting for a device, so the engine did not start and left it unchanged. ` +
      'Move the file away (keep a copy) to start without its queued commands, or put back the file that was there, then start again'
  )
}
