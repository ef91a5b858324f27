import type { EngineApi, EventName, EventPayloads, EventSubscribe, RequestName } from '../../shared/contract'
import { RequestSchemas } from '../../shared/contract'
import { createEngineApi, createStoppedEngineApi, type EngineApiHandle } from './api'
import type { ClassroomGate } from './api/classroom'
import type { SettingsSources } from './api/settings'
import type { LoadedConfig } from './config/load'
import type { EngineConfig } from './config/types'
import { Engine, type EngineOptions } from './engine'
import { consoleSink, Logger } from './log/logger'

export interface EngineHostOptions {
  /** Reads the configuration: at the start, and again at every restart (settings.json may have changed). */
  load(): LoadedConfig
  /** The env and flags the configuration was loaded with, for `settings.get`/`settings.update`. */
  settings?: Omit<SettingsSources, 'warnings'>
  engineOptions?: EngineOptions
  /** Called after every start (the first and each restart), e.g. to print the endpoints. */
  onStarted?(engine: Engine, warnings: string[]): void
  /** Called when no engine could be started (neither the saved settings nor the previous ones). */
  onStopped?(error: string): void
}

interface Subscription {
  event: EventName
  listener: (payload: never) => void
  off: () => void
}

/**
 * Owns the running engine and can replace it: `engine.restart` stops the engine and starts a new
 * one from the configuration as saved, so that settings such as the MQTT broker, the context
 * broker or the ports apply without restarting the app. The transports (IPC, WebSocket) hold
 * `api`, which stays the same object across restarts: requests go to the engine of the moment
 * (those made during a restart wait for it) and event listeners are moved to the new engine.
 *
 * When neither the saved settings nor the previous ones can start an engine, the host stays up
 * without one: `engine.status` says `stopped` and why, the log and the settings remain available
 * (to fix the settings), other requests answer ENGINE_STOPPED, and a later restart tries again.
 */
export class EngineHost {
  readonly api: EngineApiHandle
  /** The log of every engine this host runs (the GUI's engine log shows restarts too). */
  readonly logger: Logger
  private readonly engineOptions: EngineOptions
  /** The engine of the moment and its API; no engine when the last restart could not start one. */
  private current: { engine: Engine | undefined; api: EngineApiHandle } | undefined
  /** The configuration of the last engine that started: what a failed restart goes back to. */
  private lastStarted: EngineConfig
  /** Set while a restart runs; requests wait for it. */
  private restarting: Promise<unknown> | undefined
  private readonly subscriptions = new Set<Subscription>()
  private stopped = false

  private constructor(
    private readonly opts: EngineHostOptions,
    config: EngineConfig
  ) {
    this.lastStarted = config
    this.api = this.facade()
    this.logger = opts.engineOptions?.logger ?? new Logger(config.logLevel, config.limits.logEntries, opts.engineOptions?.logSinks ?? [consoleSink])
    this.engineOptions = { ...opts.engineOptions, logger: this.logger }
  }

  /** Starts the first engine, from `initial` when the caller has loaded the configuration already. */
  static async start(opts: EngineHostOptions, initial?: LoadedConfig): Promise<EngineHost> {
    const { config, warnings } = initial ?? opts.load()
    const host = new EngineHost(opts, config)
    host.attach(await Engine.start(config, host.engineOptions), warnings)
    return host
  }

  /** The engine running now (a restart replaces it); throws when none runs (see `running`). */
  get engine(): Engine {
    const engine = this.current?.engine
    if (!engine) throw new Error('the engine is not running')
    return engine
  }

  /** The engine running now, if any. */
  get running(): Engine | undefined {
    return this.current?.engine
  }

  /** Classroom mode: the gate of the running engine's class (a restart replaces it), if any. */
  classroom(): ClassroomGate | undefined {
    return this.current?.api.classroom
  }

  /** Stops the engine, for good: data is written, listeners are dropped. */
  async stop(): Promise<void> {
    this.stopped = true
    await this.restarting?.catch(() => undefined)
    for (const s of this.subscriptions) s.off()
    this.subscriptions.clear()
    const running = this.detach()
    if (running) await running.stop()
  }

  /** Stops the engine and starts it with the configuration as loaded now; see `engine.restart`. */
  restart(): Promise<{ restarted: boolean; error?: string }> {
    if (this.stopped) return Promise.resolve({ restarted: false, error: 'the engine is stopping' })
    const run = (this.restarting ?? Promise.resolve()).then(() => this.doRestart())
    const tracked = run.finally(() => {
      if (this.restarting === tracked) this.restarting = undefined
    })
    this.restarting = tracked
    return run
  }

  private async doRestart(): Promise<{ restarted: boolean; error?: string }> {
    // A configuration that does not load leaves the running engine alone.
    let next: LoadedConfig
    try {
      next = this.opts.load()
    } catch (err) {
      return { restarted: false, error: `the saved settings cannot be used: ${(err as Error).message}` }
    }
    const previous = this.lastStarted
    this.logger.write('INFO', 'engine', 'RESTARTING', 'restarting the engine with the saved settings')
    const old = this.detach()
    if (old) {
      // A stop that reports errors has still stopped: the new engine starts anyway.
      await old.stop().catch((err: Error) => this.logger.write('WARN', 'engine', 'STOP_ERRORS', err.message))
    }
    let error: string
    try {
      this.attach(await Engine.start(next.config, this.engineOptions), next.warnings)
      this.lastStarted = next.config
      return { restarted: true }
    } catch (err) {
      error = (err as Error).message
    }
    this.logger.write('ERROR', 'engine', 'RESTART_FAILED', `the saved settings could not start the engine (${error}); starting with the previous ones`)
    try {
      // Back to the settings that worked: the app keeps running, and says why.
      const back = await Engine.start(previous, this.engineOptions)
      // What was saved for the next start is still in settings.json, and still waits for a restart that works.
      if (old) back.settings.carryPending(old.settings)
      this.attach(back, [])
      return { restarted: false, error }
    } catch (err) {
      const why = `the saved settings could not start the engine (${error}), nor could the previous ones (${(err as Error).message})`
      this.logger.write('ERROR', 'engine', 'ENGINE_STOPPED', `${why}; the engine is stopped: change the settings and restart it`)
      this.attachStopped(next.config, why)
      return { restarted: false, error: why }
    }
  }

  private attach(engine: Engine, warnings: string[]): void {
    this.install(engine, createEngineApi(engine, { settings: { ...this.opts.settings, warnings } }))
    this.opts.onStarted?.(engine, warnings)
  }

  /** No engine: an API that says why, and keeps the log and the settings (see createStoppedEngineApi). */
  private attachStopped(config: EngineConfig, error: string): void {
    this.install(undefined, createStoppedEngineApi({ config, logger: this.logger, error, since: Date.now() }, { settings: { ...this.opts.settings } }))
    this.opts.onStopped?.(error)
  }

  private install(engine: Engine | undefined, api: EngineApiHandle): void {
    this.current = { engine, api }
    for (const s of this.subscriptions) s.off = api.on(s.event, s.listener as (p: EventPayloads[typeof s.event]) => void)
  }

  /** Takes the engine (or the API of a stopped host) out of service; returns the engine for stopping. */
  private detach(): Engine | undefined {
    const running = this.current
    if (!running) return undefined
    for (const s of this.subscriptions) s.off()
    running.api.close()
    this.current = undefined
    return running.engine
  }

  private facade(): EngineApiHandle {
    const call = async (name: RequestName, args: unknown): Promise<unknown> => {
      while (this.restarting) await this.restarting.catch(() => undefined)
      if (!this.current) throw new Error('the engine is not running')
      return (this.current.api[name] as (a: unknown) => Promise<unknown>)(args)
    }
    const requests = Object.fromEntries(
      (Object.keys(RequestSchemas) as RequestName[]).map((name) => [name, name === 'engine.restart' ? () => this.restart() : (args: unknown) => call(name, args)])
    ) as unknown as EngineApi
    const on: EventSubscribe = (event, listener) => {
      const sub: Subscription = { event, listener, off: () => {} }
      if (this.current) sub.off = this.current.api.on(event, listener)
      this.subscriptions.add(sub)
      return () => {
        sub.off()
        this.subscriptions.delete(sub)
      }
    }
    // The transports close the API they were given when they stop; the host's owner stops the engine.
    return { ...requests, on, close: () => {} }
  }
}
