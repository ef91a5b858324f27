import type { EngineApi, EventSubscribe, ServiceEndpoint } from '../../shared/contract'
import { RequestSchemas, type RequestName } from '../../shared/contract'
import { activityArea } from './api/activity'
import { classroomArea, classroomGate, type ClassroomGate } from './api/classroom'
import { connectionTestArea } from './api/connection-test'
import { contextAccess } from './api/context-access'
import { entitiesArea } from './api/entities'
import { entityFeed } from './api/entity-feed'
import { historyArea } from './api/history'
import { ApiRequestError } from './api/errors'
import { EventHub } from './api/events'
import { inspectorArea } from './api/inspector'
import { lessonsArea } from './api/lessons'
import { mqttAuthArea } from './api/mqtt-auth'
import { notificationsArea } from './api/notifications'
import { provisioningArea } from './api/provisioning'
import { settingsArea, type SettingsSources } from './api/settings'
import { simulatorArea } from './api/simulator'
import { engineStatus, statusArea, stoppedStatus } from './api/status'
import { telemetryArea } from './api/telemetry'
import { traceArea } from './api/trace'
import type { EngineParts } from './compose'
import { SettingsStore } from './config/settings-store'
import type { EngineConfig } from './config/types'
import type { HistoryStore } from './history/store'
import type { Logger } from './log/logger'
import type { HttpDevices } from './tutorial-services/http-devices'

export { toApiError } from './api/errors'
export { engineStatus, stoppedStatus } from './api/status'

export interface EngineApiOptions {
  /**
   * What loadConfig was given (env, flags) and its warnings, for `settings.get` (which values are
   * fixed by a flag or a variable) and `settings.update`. Defaults: process.env, no flags.
   */
  settings?: SettingsSources
}

/** `classroom`: how the GUI server lets trainees in, in classroom mode (api/classroom.ts). */
export type EngineApiHandle = EngineApi & { on: EventSubscribe; close(): void; classroom?: ClassroomGate }

/** What the API serves: the composed components (an Engine is one), its start time and endpoints. */
export interface EngineApiSources extends EngineParts {
  readonly startedAt: number
  endpoints(): ServiceEndpoint[]
  /** The built-in history (compose-history.ts); none: `history.series` answers no points. */
  readonly history?: { readonly store: HistoryStore }
  /** The tutorials' HTTP dummy devices (tutorial-services/http-devices.ts); none: `simulator.httpDevices` lists none. */
  readonly httpDevices?: Pick<HttpDevices, 'list'>
}

/**
 * The engine's API for the GUI (shared/contract.ts), transport-independent: Electron IPC and the
 * WebSocket of `serve` mode both call it after validating arguments against the contract's schemas.
 * Each area (api/*.ts) implements its requests and its event streams; the streams share one hub,
 * which starts a stream's work only while someone listens to it and batches every stream to at
 * most ~10 emissions a second.
 */
export function createEngineApi(engine: EngineApiSources, options: EngineApiOptions = {}): EngineApiHandle {
  const { config, settings, logger, registry, provisioning, commands, inspector, simulator, broker, tracer } = engine
  const hub = new EventHub()
  const context = contextAccess(engine.context, tracer)
  const telemetry = entityFeed(context, hub, () => config.limits.telemetryPoints)
  const status = (): ReturnType<typeof engineStatus> => engineStatus(engine)
  const entities = entitiesArea(context)
  const lessonSources = { provisioning: [provisioning, engine.jsonAgent.provisioning], context: engine.context, broker, logger, endpoints: () => engine.endpoints() }
  const api: EngineApi = {
    ...statusArea(status, hub),
    ...provisioningArea({ ul: { provisioning, registry }, json: engine.jsonAgent }, hub),
    ...entities,
    // The Device page reads the entity through this API, not HTTP: lessons count it as the GET a client sends (lessons/runtime.ts).
    'entities.get': async (args) => {
      const entity = await entities['entities.get'](args)
      engine.lessons.observeRequest({ api: 'ngsi', method: 'GET', path: `/v2/entities/${args.id}`, status: 200, tenant: true, service: args.scope.service.toLowerCase(), servicePath: args.scope.servicePath || '/', at: Date.now() })
      return entity
    },
    ...activityArea({ commands: [commands, engine.jsonAgent.commands], logger }, context, hub),
    ...inspectorArea({ inspector, broker }, hub),
    ...simulatorArea(simulator, hub),
    ...telemetryArea(telemetry, context),
    ...historyArea(engine.history?.store),
    'simulator.httpDevices': async () => engine.httpDevices?.list() ?? [],
    ...settingsArea({ settings, logger }, options.settings ?? {}),
    ...mqttAuthArea({ settings, logger }, options.settings ?? {}),
    ...connectionTestArea(settings),
    ...traceArea(tracer, hub),
    ...notificationsArea(engine.context, hub),
    ...lessonsArea({ ...lessonSources, lessons: engine.lessons }, hub),
    ...classroomArea(engine.classroom, hub),
    // An engine on its own cannot start itself again: an EngineHost (host.ts) answers this.
    'engine.restart': () => Promise.reject(new ApiRequestError('NOT_IMPLEMENTED', 'this engine is not hosted: restart the program instead', 501))
  }
  const gate = engine.classroom ? classroomGate(engine.classroom, { ...api, on: hub.on }, lessonSources) : undefined
  return {
    ...api,
    on: hub.on,
    ...(gate ? { classroom: gate } : {}),
    close: () => {
      gate?.close()
      hub.close()
    }
  }
}

/** Why no engine runs, for the API of a host without one (see host.ts). */
export interface StoppedEngine {
  /** The configuration that was to run (its settings are what `settings.get` shows). */
  config: EngineConfig
  /** The log of the host: the reason is there, and the log stays readable. */
  logger: Logger
  error: string
  since: number
}

/**
 * The API of a host whose engine is not running: `engine.status` says `stopped` and why, the
 * log and the settings stay readable and editable (to fix what kept the engine from starting,
 * then restart), and every other request answers ENGINE_STOPPED (503).
 */
export function createStoppedEngineApi(stopped: StoppedEngine, options: EngineApiOptions = {}): EngineApiHandle {
  const { config, logger, error, since } = stopped
  const hub = new EventHub()
  const stoppedSettings = new SettingsStore(config)
  const refuse = (): Promise<never> => Promise.reject(new ApiRequestError('ENGINE_STOPPED', `the engine is not running: ${error}`, 503))
  const refused = Object.fromEntries((Object.keys(RequestSchemas) as RequestName[]).map((name) => [name, refuse])) as unknown as EngineApi
  const nothing = { onEvent: () => () => {} }
  const noContext = { listEntities: refuse, getEntity: refuse, sendCommand: refuse, onChange: () => () => {} }
  const api: EngineApi = {
    ...refused,
    ...statusArea(() => stoppedStatus(config, error, since), hub),
    ...activityArea({ commands: [nothing], logger }, noContext, hub),
    ...settingsArea({ settings: stoppedSettings, logger }, options.settings ?? {}),
    // A password or ACL file with errors keeps the broker from starting: they stay editable.
    ...mqttAuthArea({ settings: stoppedSettings, logger }, options.settings ?? {}),
    // What kept the engine from starting may be a broker or an Orion out of reach: testing them still works.
    ...connectionTestArea(stoppedSettings)
  }
  return { ...api, on: hub.on, close: () => hub.close() }
}
