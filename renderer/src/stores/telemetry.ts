/**
 * Chart data of the entities a view is looking at: per attribute two plain number arrays (times,
 * values), bounded, outside Vue's reactivity, and one `version` counter per entity bumped once per
 * `telemetry` batch.
 */
import { defineStore } from 'pinia'
import { markRaw, shallowRef, type ShallowRef } from 'vue'
import type { TelemetryUpdateDto } from '../../../shared/contract'
import { missed, on, onResync, request, toApiError } from '../services/engine'
import { appendPoint, type Series } from '../services/series'
import type { Scope } from './prefs'
import { onEngineRestart } from './status'

export type { Series } from '../services/series'

export interface EntitySeries {
  attrs: Map<string, Series>
  version: ShallowRef<number>
  /** Why the initial window could not be read, if it could not. */
  error: ShallowRef<string>
}

const keyOf = (service: string, servicePath: string, entityId: string): string => `${service}\u0000${servicePath}\u0000${entityId}`

export const useTelemetry = defineStore('telemetry', () => {
  const watched = new Map<string, { data: EntitySeries; users: number; reload: () => void; retry: () => void }>()
  let started = false

  function onBatch(updates: TelemetryUpdateDto[]): void {
    const touched = new Set<{ data: EntitySeries; retry: () => void }>()
    for (const u of updates) {
      const w = watched.get(keyOf(u.service, u.servicePath, u.entityId))
      if (!w) continue
      let s = w.data.attrs.get(u.attribute)
      if (!s) w.data.attrs.set(u.attribute, (s = { t: [], v: [] }))
      appendPoint(s, u.t, u.v)
      touched.add(w)
    }
    for (const w of touched) {
      w.data.version.value++
      // The window could not be read (say the entity did not exist yet) but points come: read it again.
      if (w.data.error.value) w.retry()
    }
  }

  function start(): void {
    if (started) return
    started = true
    on('telemetry', onBatch)
    onResync((streams) => {
      if (missed(streams, 'telemetry')) for (const w of watched.values()) w.reload()
    })
    onEngineRestart(() => {
      for (const w of watched.values()) w.reload()
    })
  }

  /** Starts following one entity: its recent window, then the live stream. Returns the data and a stop function. */
  function follow(scope: Scope, entityId: string, entityType?: string): { data: EntitySeries; stop: () => void } {
    start()
    const key = keyOf(scope.service, scope.servicePath, entityId)
    let w = watched.get(key)
    if (!w) {
      const data: EntitySeries = markRaw({ attrs: new Map(), version: shallowRef(0), error: shallowRef('') })
      const read = (): Promise<void> =>
        request('telemetry.series', { scope, entityId, ...(entityType ? { entityType } : {}) })
          .then((res) => {
            for (const [attr, points] of Object.entries(res.series)) {
              const live = data.attrs.get(attr)
              const s: Series = { t: [], v: [] }
              for (const p of points) appendPoint(s, p.t, p.v)
              if (live) for (let i = 0; i < live.t.length; i++) appendPoint(s, live.t[i]!, live.v[i]!)
              data.attrs.set(attr, s)
            }
            data.error.value = ''
            data.version.value++
          })
          .catch((err: unknown) => {
            data.error.value = toApiError(err).message
          })
      const reload = (): void => void read()
      // A window that could not be read is read again when points arrive, one read at a time.
      let retrying = false
      const retry = (): void => {
        if (retrying) return
        retrying = true
        void read().finally(() => (retrying = false))
      }
      w = { data, users: 0, reload, retry }
      watched.set(key, w)
      reload()
    }
    w.users++
    const entry = w
    return {
      data: entry.data,
      stop: () => {
        entry.users--
        if (entry.users <= 0) watched.delete(key)
      }
    }
  }

  return { follow, start }
})
