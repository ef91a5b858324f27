import { performance } from 'node:perf_hooks'
import type { HopData, HopDto, TraceDto, TraceKind } from '../../../shared/trace'
import { TRACE_EXCERPT_BYTES } from '../../../shared/trace'

/**
 * The trace recorder: the hops of each measure and command (shared/trace.ts), in a ring bounded by
 * count and by bytes.
 *
 * Free when nobody watches. Recording is on only while
 * - someone listens to the `trace` event stream (`watch()`, held by the API while the stream has a
 *   listener: the trace view is open), or
 * - a `trace.get` / `trace.recent` request came in the last `lingerMs` (`touch()`: a client
 *   polling traces without the stream).
 * Otherwise `enabled` is false, `begin` answers undefined, and the instrumented code does nothing
 * more than that check: callers write `const id = tracer.enabled ? tracer.begin(…) : undefined`
 * and `if (id !== undefined) tracer.hop(id, …)`, so that no hop object is built per message.
 * Traces recorded while on stay readable after recording stops, until the ring drops them.
 *
 * Measures are sampled: at most `maxMeasuresPerSecond` measure traces begin in a second
 * (`sampleMeasure()`); the others pass untraced. The ring could not keep more for long anyway
 * (at 50,000 measures a second, 2,000 traces are 40 ms of traffic), and what tracing costs stays a
 * small share of a flood. Commands and NGSI requests are always traced while recording is on.
 */

export interface TraceLimits {
  /** Traces kept (the oldest are dropped beyond it). */
  maxTraces: number
  /** Estimated bytes of the traces kept (the oldest are dropped beyond it). */
  maxBytes: number
  /** Hops kept per trace (a command reported many times, many notifications). */
  maxHops: number
  /** How long a `trace.*` request keeps recording on. */
  lingerMs: number
  /** Measure traces begun per second at most (the others are not traced). */
  maxMeasuresPerSecond: number
}

export const DEFAULT_TRACE_LIMITS: TraceLimits = { maxTraces: 2000, maxBytes: 8 * 1024 * 1024, maxHops: 64, lingerMs: 60_000, maxMeasuresPerSecond: 500 }

export interface TraceFilter {
  kind?: TraceKind
  deviceId?: string
  entityId?: string
  limit?: number
}

interface TraceRecord {
  id: number
  kind: TraceKind
  startedAt: number
  /** performance.now() at the start: hop times are offsets from it. */
  t0: number
  deviceId?: string
  entityId?: string
  hops: HopDto[]
  bytes: number
}

/** Keys (correlators) linking a later hop to its trace are kept for this many traces. */
const MAX_LINKS = 1024

/** The text cut to the excerpt size (by characters: at most TRACE_EXCERPT_BYTES characters). */
export function excerpt(text: string): string {
  return text.length > TRACE_EXCERPT_BYTES ? text.slice(0, TRACE_EXCERPT_BYTES) : text
}

/** A payload's excerpt as UTF-8 text, decoding only the head of a large buffer. */
export function bufferExcerpt(buf: Buffer): { text: string; truncated: boolean } {
  const truncated = buf.length > TRACE_EXCERPT_BYTES
  return { text: (truncated ? buf.subarray(0, TRACE_EXCERPT_BYTES) : buf).toString('utf8'), truncated }
}

/** A cheap upper-bound estimate of a hop's size in memory and in JSON (strings, numbers, nested data). */
export function estimateBytes(value: unknown, depth = 0): number {
  if (typeof value === 'string') return value.length + 8
  if (value === null || typeof value !== 'object') return 8
  if (depth > 4) return 64
  let n = 16
  if (Array.isArray(value)) for (const v of value) n += estimateBytes(v, depth + 1)
  else for (const k in value) n += k.length + 8 + estimateBytes((value as Record<string, unknown>)[k], depth + 1)
  return n
}

export class Tracer {
  private readonly traces = new Map<number, TraceRecord>()
  private readonly links = new Map<string, number>()
  private readonly listeners = new Set<(id: number) => void>()
  private bytes = 0
  private lastId = 0
  private watchers = 0
  private lingerTimer: NodeJS.Timeout | null = null
  private on = false
  /** The second (Date.now() / 1000, floored) of the measure budget, and what it has used. */
  private sampleSecond = 0
  private sampledInSecond = 0
  private unsampled = 0
  readonly limits: TraceLimits

  constructor(limits: Partial<TraceLimits> = {}) {
    this.limits = { ...DEFAULT_TRACE_LIMITS, ...limits }
  }

  /** Whether hops are being recorded now (see the rule above). */
  get enabled(): boolean {
    return this.on
  }

  /** A watcher of traces (the `trace` stream): recording stays on until the returned function is called. */
  watch(): () => void {
    this.watchers++
    this.on = true
    let done = false
    return () => {
      if (done) return
      done = true
      this.watchers--
      this.update()
    }
  }

  /**
   * Whether the measure arriving now is to be traced: recording is on and this second's budget
   * (`maxMeasuresPerSecond`) is not spent. Callers build nothing for a measure it refuses.
   */
  sampleMeasure(): boolean {
    if (!this.on) return false
    const second = Math.floor(Date.now() / 1000)
    if (second !== this.sampleSecond) {
      this.sampleSecond = second
      this.sampledInSecond = 0
    }
    if (this.sampledInSecond >= this.limits.maxMeasuresPerSecond) {
      this.unsampled++
      return false
    }
    this.sampledInSecond++
    return true
  }

  /** A `trace.*` request: recording is on for the next `lingerMs`. */
  touch(): void {
    if (this.lingerTimer) clearTimeout(this.lingerTimer)
    this.on = true
    this.lingerTimer = setTimeout(() => {
      this.lingerTimer = null
      this.update()
    }, this.limits.lingerMs)
    this.lingerTimer.unref?.()
  }

  /** Stops recording for good (engine stop); what was recorded stays readable. */
  close(): void {
    if (this.lingerTimer) clearTimeout(this.lingerTimer)
    this.lingerTimer = null
    this.watchers = 0
    this.on = false
    this.listeners.clear()
  }

  /** Starts a trace with its first hop; undefined while recording is off. */
  begin(kind: TraceKind, first: HopData, subject?: { deviceId?: string; entityId?: string }): number | undefined {
    if (!this.on) return undefined
    const id = ++this.lastId
    const rec: TraceRecord = { id, kind, startedAt: Date.now(), t0: performance.now(), hops: [], bytes: 96 }
    if (subject?.deviceId !== undefined) rec.deviceId = subject.deviceId
    if (subject?.entityId !== undefined) rec.entityId = subject.entityId
    this.traces.set(id, rec)
    this.bytes += rec.bytes
    this.add(rec, first)
    this.evict()
    return id
  }

  /** Adds a hop to a trace; nothing when the trace is unknown (never begun, or dropped from the ring). */
  /**
   * Adds a hop, timed now or at `startedAt` (a performance.now() taken when the step began, for a
   * step recorded once it has completed, such as a publish whose delivery already ran).
   */
  hop(id: number | undefined, hop: HopData, startedAt?: number): void {
    if (id === undefined) return
    const rec = this.traces.get(id)
    if (!rec || rec.hops.length >= this.limits.maxHops) return
    this.add(rec, hop, startedAt)
    this.evict()
  }

  /** Names the device, entity or kind of a trace once known (for filters). */
  describe(id: number | undefined, subject: { deviceId?: string; entityId?: string; kind?: TraceKind }): void {
    if (id === undefined) return
    const rec = this.traces.get(id)
    if (!rec) return
    if (subject.deviceId !== undefined) rec.deviceId = subject.deviceId
    if (subject.entityId !== undefined) rec.entityId = subject.entityId
    if (subject.kind !== undefined) rec.kind = subject.kind
    this.changed(id)
  }

  /** Remembers that `key` (a correlator) belongs to trace `id`, for a hop recorded elsewhere later. */
  link(key: string, id: number | undefined): void {
    if (id === undefined) return
    this.links.delete(key)
    this.links.set(key, id)
    if (this.links.size > MAX_LINKS) this.links.delete(this.links.keys().next().value as string)
  }

  /** The trace `key` was linked to, if it is still kept. */
  linked(key: string): number | undefined {
    const id = this.links.get(key)
    return id !== undefined && this.traces.has(id) ? id : undefined
  }

  get(id: number): TraceDto | undefined {
    const rec = this.traces.get(id)
    return rec ? toDto(rec) : undefined
  }

  /** The newest traces matching the filter, newest first. */
  recent(filter: TraceFilter = {}): TraceDto[] {
    const limit = filter.limit ?? 100
    const out: TraceDto[] = []
    const all = [...this.traces.values()]
    for (let i = all.length - 1; i >= 0 && out.length < limit; i--) {
      const t = all[i]!
      if (filter.kind !== undefined && t.kind !== filter.kind) continue
      if (filter.deviceId !== undefined && t.deviceId !== filter.deviceId) continue
      if (filter.entityId !== undefined && t.entityId !== filter.entityId) continue
      out.push(toDto(t))
    }
    return out
  }

  /** Called with the id of every trace begun or changed (for the `trace` stream). */
  onChange(listener: (id: number) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  stats(): { traces: number; bytes: number; enabled: boolean; unsampled: number } {
    return { traces: this.traces.size, bytes: this.bytes, enabled: this.on, unsampled: this.unsampled }
  }

  private add(rec: TraceRecord, hop: HopData, startedAt?: number): void {
    const h = hop as HopDto
    h.at = Math.round(((startedAt ?? performance.now()) - rec.t0) * 1000) / 1000
    // Hops are kept in time order (a step timed at its start may be recorded after later ones).
    let i = rec.hops.length
    while (i > 0 && rec.hops[i - 1]!.at > h.at) i--
    rec.hops.splice(i, 0, h)
    const b = estimateBytes(hop)
    rec.bytes += b
    this.bytes += b
    this.changed(rec.id)
  }

  private changed(id: number): void {
    if (this.listeners.size) for (const l of this.listeners) l(id)
  }

  private evict(): void {
    // The newest trace stays, however large: its hops are bounded by count and excerpts.
    while (this.traces.size > 1 && (this.traces.size > this.limits.maxTraces || this.bytes > this.limits.maxBytes)) {
      const oldest = this.traces.values().next().value as TraceRecord
      this.traces.delete(oldest.id)
      this.bytes -= oldest.bytes
    }
  }

  private update(): void {
    this.on = this.watchers > 0 || this.lingerTimer !== null
  }
}

function toDto(rec: TraceRecord): TraceDto {
  const dto: TraceDto = { id: rec.id, kind: rec.kind, startedAt: rec.startedAt, hops: rec.hops.slice() }
  if (rec.deviceId !== undefined) dto.deviceId = rec.deviceId
  if (rec.entityId !== undefined) dto.entityId = rec.entityId
  return dto
}

/** A tracer that is never switched on: for components built without one (unit tests, tools). */
export const NO_TRACER: Tracer = new Tracer()
