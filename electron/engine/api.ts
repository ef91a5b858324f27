import type { EngineApi, EventSubscribe } from '../../shared/contract'
import { activityArea } from './api/activity'
import { contextAccess } from './api/context-access'
import { entitiesArea } from './api/entities'
import { entityFeed } from './api/entity-feed'
import { ApiRequestError } from './api/errors'
import { EventHub } from './api/events'
import { inspectorArea } from './api/inspector'
import { provisioningArea } from './api/provisioning'
import { settingsArea, type SettingsSources } from './api/settings'
import { simulatorArea } from './api/simulator'
import { statusArea } from './api/status'
import { telemetryArea } from './api/telemetry'
import type { Engine } from './engine'

export { toApiError } from './api/errors'
export { engineStatus } from './api/status'

export interface EngineApiOptions {
  /**
   * What loadConfig was given (env, flags) and its warnings, for `settings.get` (which values are
   * fixed by a flag or a variable) and `settings.update`. Defaults: process.env, no flags.
   */
  settings?: SettingsSources
}

export type EngineApiHandle = EngineApi & { on: EventSubscribe; close(): void }

/**
 * The engine's API for the GUI (shared/contract.ts), transport-independent: Electron IPC and the
 * WebSocket of `serve` mode both call it after validating arguments against the contract's schemas.
 * Each area (api/*.ts) implements its requests and its event streams; the streams share one hub,
 * which starts a stream's work only while someone listens to it and batches every stream to at
 * most ~10 emissions a second.
 */
export function createEngineApi(engine: Engine, options: EngineApiOptions = {}): EngineApiHandle {
  const hub = new EventHub()
  const context = contextAccess(engine)
  const telemetry = entityFeed(context, hub, () => engine.config.limits.telemetryPoints)
  const api: EngineApi = {
    ...statusArea(engine, hub),
    ...provisioningArea(engine, hub),
    ...entitiesArea(context),
    ...activityArea(engine, context, hub),
    ...inspectorArea(engine, hub),
    ...simulatorArea(engine, hub),
    ...telemetryArea(telemetry, context),
    ...settingsArea(engine, options.settings ?? {}),
    // An engine on its own cannot start itself again: an EngineHost (host.ts) answers this.
    'engine.restart': () => Promise.reject(new ApiRequestError('NOT_IMPLEMENTED', 'this engine is not hosted: restart the program instead', 501))
  }
  return { ...api, on: hub.on, close: () => hub.close() }
}
