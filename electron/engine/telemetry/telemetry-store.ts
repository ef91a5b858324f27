import type { TelemetrySeriesDto, TelemetryUpdateDto } from '../../../shared/contract'
import { PointRing } from './point-ring'

type Metadata = ReadonlyMap<string, { readonly value: unknown }> | null

/** What the store reads from an entity of the context broker (its change events carry it). */
export interface ObservedEntity {
  /** Unique per tenant, service path, type and id. */
  readonly key: string
  readonly tenant: string
  readonly servicePath: string
  readonly id: string
  readonly type: string
  readonly attrs: ReadonlyMap<string, { readonly value: unknown; readonly metadata: Metadata; /** When the value was applied (ms). */ readonly modDate: number }>
}

export interface TelemetryStoreOptions {
  /** Points kept per attribute (config.limits.telemetryPoints), read at every push so a settings change applies. */
  points: () => number
  /** Entities with series; the least recently updated one goes first. */
  maxEntities?: number
  /** Numeric attributes per entity; more are ignored (an entity with a thousand counters stays bounded). */
  maxAttributes?: number
  /**
   * Points allocated over all series (16 bytes each): beyond it the least recently updated
   * entities go, so that many attributes × a long window cannot exhaust memory. Default 4 million (64 MB).
   */
  maxPoints?: number
}

interface EntitySeries {
  readonly key: string
  readonly service: string
  readonly servicePath: string
  readonly id: string
  readonly type: string
  readonly attrs: Map<string, PointRing>
  /** Second-chance bit of the LRU: set on every update, cleared when eviction passes by. */
  used: boolean
  queued: boolean
  evicted: boolean
}

/**
 * Bounded time series per numeric entity attribute, for the charts: at most `maxEntities`
 * entities × `maxAttributes` attributes × `points()` points, and `maxPoints` points in all.
 *
 * Series are sampled, not fed every measure: the caller samples each entity that changed, once
 * per batch period (10 a second), so that a device sending 100 measures a second costs the same as
 * one sending 10, and 600 points cover a minute rather than six seconds. The time of a point is
 * the attribute's TimeInstant metadata when it has one, else when the value was applied.
 *
 * The telemetry stream reads the latest point of each attribute sampled since its previous batch
 * (`takeUpdates`).
 */
export class TelemetryStore {
  private readonly entities = new Map<string, EntitySeries>()
  private readonly maxEntities: number
  private readonly maxAttributes: number
  private readonly maxPoints: number
  /** Points allocated by all rings (sum of `allocated`). */
  private allocated = 0
  private queue: EntitySeries[] = []
  /** Whether changed attributes are tracked for the stream (only while someone listens to it). */
  private tracking = false
  // The attributes of one measure carry the same TimeInstant: parsed once.
  private lastIso = ''
  private lastMs = 0

  constructor(private readonly opts: TelemetryStoreOptions) {
    this.maxEntities = opts.maxEntities ?? 2000
    this.maxAttributes = opts.maxAttributes ?? 64
    this.maxPoints = opts.maxPoints ?? 4_000_000
  }

  /**
   * Takes one point of each numeric attribute of `entity` (called for an entity that changed,
   * at most once per batch period). A point equal to the attribute's last one (same time and value:
   * the attribute was not written since) is not added again.
   */
  sample(entity: ObservedEntity): void {
    let series: EntitySeries | undefined
    const capacity = this.opts.points()
    for (const [name, a] of entity.attrs) {
      // Booleans, strings, objects and non-finite numbers are not chartable.
      if (typeof a.value !== 'number' || !Number.isFinite(a.value)) continue
      const t = this.timeOf(a.metadata, a.modDate)
      series ??= this.entry(entity)
      let ring = series.attrs.get(name)
      let before: number
      if (ring) {
        if (ring.length > 0 && ring.lastT() === t && ring.lastV() === a.value) continue
        before = ring.allocated
      } else {
        if (series.attrs.size >= this.maxAttributes) continue
        series.attrs.set(name, (ring = new PointRing(capacity)))
        before = 0
      }
      ring.push(t, a.value, capacity)
      // Only a new ring, a growing one or a new capacity changes the allocation.
      if (ring.allocated !== before) {
        this.allocated += ring.allocated - before
        while (this.allocated > this.maxPoints && this.entities.size > 1) this.evictOne(series)
      }
      if (this.tracking) {
        ring.dirty = true
        if (!series.queued) {
          series.queued = true
          this.queue.push(series)
        }
      }
    }
  }

  /** Forgets an entity (it was deleted). */
  remove(key: string): void {
    const e = this.entities.get(key)
    if (!e) return
    this.entities.delete(key)
    this.dropped(e)
  }

  /** Points allocated now, for tests and status. */
  get points(): number {
    return this.allocated
  }

  /** The series of one entity; without `type`, the first entity with that id in the scope. */
  series(service: string, servicePath: string, id: string, type?: string): TelemetrySeriesDto | undefined {
    const tenant = service.toLowerCase()
    // The context broker stores `/a/b/` as `/a/b`.
    if (servicePath.length > 1 && servicePath.endsWith('/')) servicePath = servicePath.slice(0, -1)
    for (const e of this.entities.values()) {
      if (e.id !== id || e.service !== tenant || e.servicePath !== servicePath || (type !== undefined && e.type !== type)) continue
      const series: TelemetrySeriesDto['series'] = {}
      for (const [name, ring] of e.attrs) series[name] = ring.points()
      return { entityId: e.id, entityType: e.type, series }
    }
    return undefined
  }

  /** Starts or stops tracking changed attributes for the stream; stopping forgets what was pending. */
  track(on: boolean): void {
    this.tracking = on
    if (on) return
    for (const e of this.queue) {
      e.queued = false
      for (const r of e.attrs.values()) r.dirty = false
    }
    this.queue = []
  }

  pending(): boolean {
    return this.queue.length > 0
  }

  /**
   * The latest point of every attribute changed since the previous call, at most `max`; the rest
   * stays pending for the next call (the oldest changed entities go first, so none starves).
   */
  takeUpdates(max: number): TelemetryUpdateDto[] {
    const out: TelemetryUpdateDto[] = []
    let done = 0
    for (; done < this.queue.length; done++) {
      const e = this.queue[done]!
      if (!e.evicted) {
        for (const [name, ring] of e.attrs) {
          if (!ring.dirty) continue
          if (out.length >= max) break
          ring.dirty = false
          out.push({ service: e.service, servicePath: e.servicePath, entityId: e.id, entityType: e.type, attribute: name, t: ring.lastT(), v: ring.lastV() })
        }
        if (out.length >= max && [...e.attrs.values()].some((r) => r.dirty)) break
      }
      e.queued = false
    }
    this.queue.splice(0, done)
    return out
  }

  /** Entities with series now (for tests and status). */
  get size(): number {
    return this.entities.size
  }

  private entry(entity: ObservedEntity): EntitySeries {
    let e = this.entities.get(entity.key)
    if (e) {
      e.used = true
      return e
    }
    if (this.entities.size >= this.maxEntities) this.evictOne()
    e = {
      key: entity.key,
      service: entity.tenant,
      servicePath: entity.servicePath,
      id: entity.id,
      type: entity.type,
      attrs: new Map(),
      used: false,
      queued: false,
      evicted: false
    }
    this.entities.set(entity.key, e)
    return e
  }

  /**
   * Second-chance LRU: from the oldest insertion, an entity updated since it was last passed gets
   * moved to the end with its bit cleared; the first one without the bit goes. Amortised O(1), and
   * an update only sets a bit instead of re-inserting into the Map.
   */
  private evictOne(keep?: EntitySeries): void {
    for (const [key, e] of this.entities) {
      this.entities.delete(key)
      if (e.used || e === keep) {
        e.used = false
        this.entities.set(key, e)
        continue
      }
      this.dropped(e)
      return
    }
  }

  private dropped(e: EntitySeries): void {
    e.evicted = true
    for (const r of e.attrs.values()) this.allocated -= r.allocated
  }

  /** The attribute's TimeInstant metadata when present and valid, else `fallback`. */
  private timeOf(metadata: Metadata, fallback: number): number {
    const iso = metadata?.get('TimeInstant')?.value
    if (typeof iso !== 'string') return fallback
    if (iso !== this.lastIso) {
      const ms = Date.parse(iso)
      if (!Number.isFinite(ms)) return fallback
      this.lastIso = iso
      this.lastMs = ms
    }
    return this.lastMs
  }
}
