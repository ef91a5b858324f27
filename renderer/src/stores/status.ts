/**
 * Engine status: one small object replaced once a second by the `status` stream, rates over the
 * last ten seconds of snapshots (services/rates.ts), and the signal that the engine was replaced.
 */
import { defineStore } from 'pinia'
import { shallowRef } from 'vue'
import type { EngineStatus } from '../../../shared/contract'
import { on, request } from '../services/engine'
import { countersOf, RateWindow, ZERO_RATES, type Rates } from '../services/rates'

export type { Rates } from '../services/rates'

/** Which engine a status comes from: a restart (or a stop, or a start after one) gives a new one. */
const engineOf = (s: EngineStatus): string => `${s.state}@${s.startedAt}`

const restartListeners = new Set<() => void>()

/**
 * Called when the engine the GUI talks to is replaced (`engine.restart`, a stop, a start after a
 * stop): stores reload what they keep, since the new engine's sequence numbers, simulated devices
 * and counters start again. The event streams themselves follow the new engine (the host moves
 * the subscriptions).
 */
export function onEngineRestart(listener: () => void): () => void {
  restartListeners.add(listener)
  return () => restartListeners.delete(listener)
}

export const useStatus = defineStore('status', () => {
  const status = shallowRef<EngineStatus | null>(null)
  const rates = shallowRef<Rates>(ZERO_RATES)
  const error = shallowRef<string>('')
  /** Bumped each time the engine is replaced (see onEngineRestart). */
  const epoch = shallowRef(0)
  const rateWindow = new RateWindow()
  let started = false

  function accept(s: EngineStatus): void {
    const prev = status.value
    const restarted = prev !== null && engineOf(prev) !== engineOf(s)
    if (restarted) rateWindow.reset()
    rates.value = rateWindow.add(performance.now(), countersOf(s))
    status.value = s
    if (restarted) {
      epoch.value++
      for (const l of restartListeners) l()
    }
  }

  async function refresh(): Promise<void> {
    try {
      accept(await request('engine.status', {}))
      error.value = ''
    } catch (err) {
      error.value = (err as { message: string }).message
    }
  }

  function start(): void {
    if (started) return
    started = true
    on('status', accept)
    void refresh()
  }

  return { status, rates, error, epoch, start, refresh }
})
