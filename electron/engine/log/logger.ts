import type { LogLevel } from '../config/types'

export interface LogEntry {
  time: number
  level: LogLevel
  /** Component that logged: broker, agent, ngsi, north, registry, simulator... */
  source: string
  /** Short machine-friendly code (e.g. MEASURES-003, PARSE_ERROR). */
  code: string
  message: string
  fields?: Record<string, unknown>
}

const RANK: Record<LogLevel, number> = { DEBUG: 10, INFO: 20, WARN: 30, ERROR: 40, FATAL: 50 }

export type LogSink = (entry: LogEntry) => void

/** Writes one line per entry to stderr: `time LEVEL source code message {fields}`. */
export const consoleSink: LogSink = (e) => {
  const fields = e.fields && Object.keys(e.fields).length ? ' ' + JSON.stringify(e.fields) : ''
  process.stderr.write(`${new Date(e.time).toISOString()} ${e.level.padEnd(5)} ${e.source} ${e.code} ${e.message}${fields}\n`)
}

/**
 * The engine's logger: a level (changeable at run time, `/admin/log`), a bounded ring of recent
 * entries for the GUI, and sinks. Entries under the level are dropped before any formatting.
 */
export class Logger {
  private ring: LogEntry[] = []
  private head = 0
  private listeners = new Set<LogSink>()

  constructor(
    private _level: LogLevel,
    private readonly capacity: number,
    private readonly sinks: LogSink[] = []
  ) {}

  get level(): LogLevel {
    return this._level
  }

  set level(level: LogLevel) {
    this._level = level
  }

  enabled(level: LogLevel): boolean {
    return RANK[level] >= RANK[this._level]
  }

  child(source: string): SourceLogger {
    return new SourceLogger(this, source)
  }

  write(level: LogLevel, source: string, code: string, message: string, fields?: Record<string, unknown>): void {
    if (!this.enabled(level)) return
    const entry: LogEntry = { time: Date.now(), level, source, code, message, fields }
    if (this.ring.length < this.capacity) this.ring.push(entry)
    else {
      this.ring[this.head] = entry
      this.head = (this.head + 1) % this.capacity
    }
    for (const sink of this.sinks) sink(entry)
    for (const l of this.listeners) l(entry)
  }

  /** Recent entries, oldest first. */
  recent(): LogEntry[] {
    return this.ring.length < this.capacity ? [...this.ring] : [...this.ring.slice(this.head), ...this.ring.slice(0, this.head)]
  }

  onEntry(listener: LogSink): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}

export class SourceLogger {
  constructor(
    private readonly root: Logger,
    readonly source: string
  ) {}

  enabled(level: LogLevel): boolean {
    return this.root.enabled(level)
  }

  debug(code: string, message: string, fields?: Record<string, unknown>): void {
    this.root.write('DEBUG', this.source, code, message, fields)
  }

  info(code: string, message: string, fields?: Record<string, unknown>): void {
    this.root.write('INFO', this.source, code, message, fields)
  }

  warn(code: string, message: string, fields?: Record<string, unknown>): void {
    this.root.write('WARN', this.source, code, message, fields)
  }

  error(code: string, message: string, fields?: Record<string, unknown>): void {
    this.root.write('ERROR', this.source, code, message, fields)
  }
}

/** A logger that keeps nothing and prints nothing, for unit tests of single modules. */
export function silentLogger(): Logger {
  return new Logger('FATAL', 1)
}
