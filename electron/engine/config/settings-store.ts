import { isSettingPath, type FixedSettings, type LogLevel, type SettingPath, type Settings, type SettingsPatch } from '../../../shared/settings'
import { configFromSettings } from './load'
import {
  isSettings,
  leafPaths,
  mergePatch,
  patchPaths,
  readSettingsForUpdate,
  sameValue,
  setAt,
  settingsFilePath,
  settingsProblems,
  settingsView,
  valueAt,
  writeSettingsAtomic
} from './settings-file'
import { fixedSource } from './settings-sources'
import type { EngineConfig } from './types'

/** Who changed the settings: the settings page (`settings.update`), or `PUT /admin/log` of the north API. */
export type SettingsOrigin = 'settings' | 'admin-api'

/** A change applied to the running engine: the settings that changed, and the configuration now. */
export interface SettingsChange {
  paths: SettingPath[]
  origin: SettingsOrigin
  config: Readonly<EngineConfig>
}

/** A setting saved for the next start: the value saved and the value in force (neither for a password). */
export interface PendingSetting {
  path: SettingPath
  saved?: unknown
  running?: unknown
  secret?: boolean
}

export interface SettingsUpdateResult {
  /** Settings changed in the running engine. */
  applied: SettingPath[]
  /** Settings saved that take effect when the engine starts again. */
  restartRequired: SettingPath[]
}

/** A change the store refuses: not valid settings, or a setting a flag or a variable fixes. */
export class SettingsError extends Error {
  override name = 'SettingsError'
  constructor(
    readonly reason: 'invalid' | 'fixed',
    message: string
  ) {
    super(message)
  }
}

type Copy = (to: EngineConfig, from: Readonly<EngineConfig>) => void

/**
 * Settings the running engine takes without a restart, and how each is copied into its
 * configuration. The agent, the command center, the inspector and the telemetry store hold the
 * engine's configuration objects (not copies) and read them at the moment of use; the store's
 * subscribers (live-settings.ts) apply what needs more than that (the logger's level, devices
 * compiled with the old defaults).
 */
const LIVE: Partial<Record<SettingPath, Copy>> = {
  logLevel: (to, from) => (to.logLevel = from.logLevel),
  'mqttPublish.qos': (to, from) => (to.mqttPublish.qos = from.mqttPublish.qos),
  'mqttPublish.retain': (to, from) => (to.mqttPublish.retain = from.mqttPublish.retain),
  'iota.commandTimeoutMs': (to, from) => (to.iota.commandTimeoutMs = from.iota.commandTimeoutMs),
  'iota.defaultResource': (to, from) => (to.iota.defaultResource = from.iota.defaultResource),
  'iota.defaultKey': (to, from) => (to.iota.defaultKey = from.iota.defaultKey),
  'iota.defaultType': (to, from) => (to.iota.defaultType = from.iota.defaultType),
  'iota.defaultTransport': (to, from) => (to.iota.defaultTransport = from.iota.defaultTransport),
  'iota.entityNameConjunction': (to, from) => (to.iota.entityNameConjunction = from.iota.entityNameConjunction),
  'iota.timestamp': (to, from) => (to.iota.timestamp = from.iota.timestamp),
  'iota.explicitAttrs': (to, from) => (to.iota.explicitAttrs = from.iota.explicitAttrs),
  // The inspector reads these two at every message; its ring length is fixed (inspectorMessages).
  'limits.inspectorBytes': (to, from) => (to.limits.inspectorBytes = from.limits.inspectorBytes),
  'limits.inspectorTopics': (to, from) => (to.limits.inspectorTopics = from.limits.inspectorTopics),
  'limits.telemetryPoints': (to, from) => (to.limits.telemetryPoints = from.limits.telemetryPoints),
  // Read at each outgoing request (net/tutorial-hosts.ts).
  tutorialHosts: (to, from) => (to.tutorialHosts = from.tutorialHosts)
}

/** Write-only values: never sent to the GUI. */
const SECRET = /(^|\.)(password|clientSecret|token|trust)$/

/** A value in a message: JSON, or "not set". */
const shown = (v: unknown): string => (v === undefined ? 'not set' : JSON.stringify(v))

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * The engine's settings, one typed store: it holds the running configuration, validates every
 * change against the settings schema (shared/settings.ts), saves changes to settings.json
 * (atomically, one at a time), applies to the running engine what can be applied live and keeps
 * the rest as pending until a restart, and announces every applied change to its subscribers.
 * Nothing else changes the running configuration.
 */
export class SettingsStore {
  readonly file: string
  /** Saved values that take effect at the next start, by setting. */
  private readonly pending = new Map<SettingPath, unknown>()
  /** settings.json files that did not hold valid settings, saved aside before being replaced. */
  private readonly replaced: Array<{ file: string; backup: string }> = []
  private readonly listeners = new Set<(change: SettingsChange) => void>()
  private queue: Promise<unknown> = Promise.resolve()

  constructor(private readonly running: EngineConfig) {
    this.file = settingsFilePath(running.dataDir)
  }

  /** The configuration in force (read-only: changes go through `update` or `setLogLevel`). */
  get config(): Readonly<EngineConfig> {
    return this.running
  }

  /** Subscribes to applied changes; returns the unsubscribe function. */
  onChange(listener: (change: SettingsChange) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** The settings in force, with the values waiting for a restart shown as saved; passwords only with `secrets`. */
  values(secrets = false): Settings {
    const v = settingsView(this.running, secrets)
    for (const [p, value] of this.pending) if (secrets || !SECRET.test(p)) setAt(v, p, value)
    return v
  }

  /** Settings saved but not yet in force. */
  pendingPaths(): SettingPath[] {
    return [...this.pending.keys()]
  }

  /**
   * Takes over the values another store (the previous engine's) had saved for the next start,
   * when a restart could not start with them and went back to the settings in force before: they
   * are still in settings.json and still wait for a restart that works.
   */
  carryPending(from: SettingsStore): void {
    const running = settingsView(this.running, true)
    for (const [p, value] of from.pending) {
      if (!sameValue(value, valueAt(running, p))) this.pending.set(p, value)
    }
  }

  /** Settings saved but not yet in force, each with the value saved and the value in force (never a password's). */
  pendingValues(): PendingSetting[] {
    const running = settingsView(this.running)
    return [...this.pending].map(([path, saved]) => (SECRET.test(path) ? { path, secret: true } : { path, saved, running: valueAt(running, path) }))
  }

  /** The unusable settings.json files replaced by a save, each with where it was saved aside. */
  replacedFiles(): Array<{ file: string; backup: string }> {
    return this.replaced.map((r) => ({ ...r }))
  }

  /** Plain-words notes (English, for logs and older clients): a replaced unusable file, values waiting for a restart. */
  notices(): string[] {
    return [
      ...this.replaced.map((r) => `${r.file} did not hold valid settings; it was saved as ${r.backup} before being replaced`),
      ...[...this.pending].map(([p, v]) =>
        SECRET.test(p)
          ? `${p}: saved, takes effect when the engine restarts`
          : `${p}: ${JSON.stringify(v)} is saved and takes effect when the engine restarts (now ${shown(valueAt(settingsView(this.running), p))})`
      )
    ]
  }

  /**
   * The log level, changed at run time (`PUT /admin/log`): applied at once and announced, not
   * saved (as FIWARE's agent, whose level returns to its configured one at the next start).
   */
  setLogLevel(level: LogLevel, origin: SettingsOrigin = 'admin-api'): void {
    const next: Settings = { logLevel: level }
    if (!isSettings(next)) throw new SettingsError('invalid', `settings: ${settingsProblems(next).join('; ')}`)
    if (this.running.logLevel === level) return
    this.running.logLevel = level
    this.emit({ paths: ['logLevel'], origin, config: this.running })
  }

  /**
   * Changes settings: `patch` is merged into settings.json (JSON merge patch), the result is checked
   * against the schema, saved, and applied where possible. Settings in `fixed` (a flag or a
   * variable sets them at every start) cannot be changed. One update runs at a time.
   */
  update(patch: SettingsPatch, fixed: FixedSettings = {}): Promise<SettingsUpdateResult> {
    const run = this.queue.then(() => this.doUpdate(patch, fixed))
    this.queue = run.catch(() => {})
    return run
  }

  private async doUpdate(patch: unknown, fixed: FixedSettings): Promise<SettingsUpdateResult> {
    if (!isPlainObject(patch)) throw new SettingsError('invalid', 'settings: the patch must be an object shaped like settings.json')
    const { settings: current, backedUp } = await readSettingsForUpdate(this.file)
    const next = mergePatch(current, patch)
    if (!isSettings(next)) throw new SettingsError('invalid', `settings: ${settingsProblems(next).join('; ')}`)

    const before = this.values(true)
    // A removed object (`"limits": null`) touches every value inside it.
    const touched = [...new Set(patchPaths(patch).flatMap((p) => (valueAt(patch, p) === null ? leafPaths(before, p) : [p])))].filter(isSettingPath)
    for (const p of touched) {
      const source = fixedSource(fixed, p)
      const wanted = valueAt(next, p)
      if (source && wanted !== undefined && !sameValue(wanted, valueAt(before, p))) {
        throw new SettingsError('fixed', `settings: ${p} is set by ${source === 'flag' ? 'a command-line flag' : 'an environment variable'} and cannot be changed here`)
      }
    }

    await writeSettingsAtomic(this.file, next)
    if (backedUp) this.replaced.push({ file: this.file, backup: backedUp })

    // What a start would now produce from the file and the defaults (the same rules as at start);
    // values fixed by flags or variables keep their current value.
    const futureConfig = configFromSettings(this.running.dataDir, next)
    const future = settingsView(futureConfig, true)
    const running = settingsView(this.running, true)
    const applied: SettingPath[] = []
    const restartRequired: SettingPath[] = []
    for (const p of touched) {
      if (fixedSource(fixed, p)) continue
      const value = valueAt(future, p)
      if (sameValue(value, valueAt(running, p))) {
        this.pending.delete(p)
        continue
      }
      const copy = LIVE[p]
      if (copy) {
        copy(this.running, futureConfig)
        this.pending.delete(p)
        applied.push(p)
      } else {
        this.pending.set(p, value)
        restartRequired.push(p)
      }
    }
    // Earlier pending values this patch did not name may be settled too (a mode switched back).
    for (const [p, value] of [...this.pending]) {
      if (touched.includes(p)) continue
      const now = valueAt(future, p)
      if (sameValue(now, valueAt(running, p))) this.pending.delete(p)
      else if (!sameValue(now, value)) this.pending.set(p, now)
    }
    if (applied.length) this.emit({ paths: applied, origin: 'settings', config: this.running })
    return { applied, restartRequired }
  }

  private emit(change: SettingsChange): void {
    for (const l of this.listeners) l(change)
  }
}
