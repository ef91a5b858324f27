import type { LogLevel } from '../../../shared/settings'
import type { SettingsStore } from './settings-store'

/** What the live settings act on besides the configuration objects the engine's parts read. */
export interface LiveTargets {
  /** The engine's logger: follows `logLevel`. */
  logger: { level: LogLevel }
  /** The cache of devices compiled with the agent's defaults: dropped when a default compiled into them changes. */
  deviceCache?: { invalidate(): void }
}

/** Settings compiled into each device the agent caches: they apply once the cache is dropped. */
const COMPILED_INTO_DEVICES = new Set(['iota.timestamp', 'iota.explicitAttrs'])

/** Subscribes the engine's parts to the settings store; returns the unsubscribe function. */
export function applyLiveSettings(store: SettingsStore, targets: LiveTargets): () => void {
  targets.logger.level = store.config.logLevel
  return store.onChange(({ paths, config }) => {
    if (paths.includes('logLevel')) targets.logger.level = config.logLevel
    // Devices compiled with the old defaults are compiled again on their next message.
    if (paths.some((p) => COMPILED_INTO_DEVICES.has(p))) targets.deviceCache?.invalidate()
  })
}
