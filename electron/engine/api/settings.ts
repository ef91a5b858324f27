import type { EngineApi, SettingsDto } from '../../../shared/contract'
import type { DeviceResolver } from '../agent/device-resolver'
import { loadConfig } from '../config/load'
import {
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
} from '../config/settings-file'
import { fixedSettings, fixedSource } from '../config/settings-sources'
import type { EngineConfig, LogLevel } from '../config/types'
import type { Engine } from '../engine'
import { ApiRequestError } from './errors'

type Env = Record<string, string | undefined>
type Flags = Record<string, string | string[] | boolean | undefined>

/** Where the running configuration came from: what loadConfig was given and what it warned about. */
export interface SettingsSources {
  /** Environment given to loadConfig (default: process.env, as both entry points pass it). */
  env?: Env
  /** Parsed command-line flags given to loadConfig (default: none). */
  flags?: Flags
  /** loadConfig's warnings (a settings.json that could not be used). */
  warnings?: string[]
}

/**
 * Settings applied to the running engine without a restart: each reads its value from the
 * configuration object at the moment of use (the agent, the command center, the inspector and the
 * telemetry store all hold the engine's config objects, not copies).
 */
const LIVE: Record<string, (engine: Engine, value: unknown) => void> = {
  logLevel: (e, v) => {
    e.config.logLevel = v as LogLevel
    e.logger.level = v as LogLevel
  },
  'mqttPublish.qos': (e, v) => (e.config.mqttPublish.qos = v as EngineConfig['mqttPublish']['qos']),
  'mqttPublish.retain': (e, v) => (e.config.mqttPublish.retain = v as boolean),
  'iota.commandTimeoutMs': (e, v) => (e.config.iota.commandTimeoutMs = v as number),
  'iota.defaultResource': (e, v) => (e.config.iota.defaultResource = v as string),
  'iota.defaultKey': (e, v) => (e.config.iota.defaultKey = v as string),
  'iota.defaultType': (e, v) => (e.config.iota.defaultType = v as string),
  'iota.defaultTransport': (e, v) => (e.config.iota.defaultTransport = v as string),
  'iota.entityNameConjunction': (e, v) => (e.config.iota.entityNameConjunction = v as string),
  'iota.timestamp': (e, v) => (e.config.iota.timestamp = v as boolean),
  'iota.explicitAttrs': (e, v) => (e.config.iota.explicitAttrs = v as boolean),
  // The inspector reads these two at every message; its ring length is fixed (inspectorMessages).
  'limits.inspectorBytes': (e, v) => (e.config.limits.inspectorBytes = v as number),
  'limits.inspectorTopics': (e, v) => (e.config.limits.inspectorTopics = v as number),
  'limits.telemetryPoints': (e, v) => (e.config.limits.telemetryPoints = v as number)
}

/** A value in a message: JSON, or "not set". */
const shown = (v: unknown): string => (v === undefined ? 'not set' : JSON.stringify(v))

/** Write-only values: never sent to the GUI. */
const SECRET = /(^|\.)password$/

/** Settings compiled into each device the agent caches: they apply once the cache is dropped. */
const COMPILED_INTO_DEVICES = new Set(['iota.timestamp', 'iota.explicitAttrs'])

/**
 * `settings.get` and `settings.update`: settings.json read, patched (JSON merge patch), checked
 * against its schema, written atomically, and applied to the running engine where possible.
 */
export function settingsArea(engine: Engine, sources: SettingsSources): Pick<EngineApi, 'settings.get' | 'settings.update'> {
  const env = sources.env ?? process.env
  const flags = sources.flags ?? {}
  const file = settingsFilePath(engine.config.dataDir)
  const fixed = fixedSettings(env, flags, engine.config)
  /** Saved values that take effect at the next start, by path. */
  const pending = new Map<string, unknown>()
  const notes: string[] = []
  let queue: Promise<unknown> = Promise.resolve()

  /** The settings in force, with the values waiting for a restart shown as saved. */
  const view = (secrets = false): Record<string, unknown> => {
    const v = settingsView(engine.config, secrets)
    for (const [p, value] of pending) if (secrets || !SECRET.test(p)) setAt(v, p, value)
    return v
  }

  async function update(patch: unknown): Promise<{ applied: string[]; restartRequired: string[] }> {
    if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) throw new ApiRequestError('BAD_REQUEST', 'settings: the patch must be an object shaped like settings.json', 400)
    const { settings: current, backedUp } = await readSettingsForUpdate(file)
    const next = mergePatch(current, patch) as Record<string, unknown>
    const problems = settingsProblems(next)
    if (problems.length) throw new ApiRequestError('BAD_REQUEST', `settings: ${problems.join('; ')}`, 400)

    const before = view(true)
    // A removed object (`"limits": null`) touches every value inside it.
    const touched = [...new Set(patchPaths(patch).flatMap((p) => (valueAt(patch, p) === null ? leafPaths(before, p) : [p])))]
    for (const p of touched) {
      const source = fixedSource(fixed, p)
      const wanted = valueAt(next, p)
      if (source && wanted !== undefined && !sameValue(wanted, valueAt(before, p))) {
        throw new ApiRequestError('FIXED_SETTING', `settings: ${p} is set by ${source === 'flag' ? 'a command-line flag' : 'an environment variable'} and cannot be changed here`, 409)
      }
    }

    await writeSettingsAtomic(file, next)
    if (backedUp) notes.push(`${file} did not hold valid settings; it was saved as ${backedUp} before being replaced`)

    // What a start would now produce from the file and the defaults (the same rules as at start);
    // values fixed by flags or variables keep their current value.
    const future = settingsView(loadConfig({ dataDir: engine.config.dataDir }).config, true)
    const running = settingsView(engine.config, true)
    const applied: string[] = []
    const restartRequired: string[] = []
    let recompile = false
    for (const p of touched) {
      if (fixedSource(fixed, p)) continue
      const value = valueAt(future, p)
      if (sameValue(value, valueAt(running, p))) {
        pending.delete(p)
        continue
      }
      const live = LIVE[p]
      const compiled = COMPILED_INTO_DEVICES.has(p)
      if (live) {
        live(engine, value)
        applied.push(p)
        recompile ||= compiled
      } else {
        pending.set(p, value)
        restartRequired.push(p)
      }
    }
    // Devices compiled with the old defaults are compiled again on their next message.
    if (recompile) engine.resolver.invalidate()
    // Earlier pending values this patch did not name may be settled too (a mode switched back).
    for (const [p, value] of [...pending]) {
      if (touched.includes(p)) continue
      const now = valueAt(future, p)
      if (sameValue(now, valueAt(running, p))) pending.delete(p)
      else if (!sameValue(now, value)) pending.set(p, now)
    }
    if (applied.length) engine.logger.write('INFO', 'engine', 'SETTINGS_APPLIED', `settings applied: ${applied.join(', ')}`)
    if (restartRequired.length) engine.logger.write('INFO', 'engine', 'SETTINGS_SAVED', `settings saved, applied at the next start: ${restartRequired.join(', ')}`)
    return { applied, restartRequired }
  }

  return {
    'settings.get': async (): Promise<SettingsDto> => ({
      values: view(),
      fixed: { ...fixed },
      file,
      pending: [...pending.keys()],
      warnings: [
        ...(sources.warnings ?? []),
        ...notes,
        ...[...pending].map(([p, v]) =>
          SECRET.test(p)
            ? `${p}: saved, takes effect when the engine restarts`
            : `${p}: ${JSON.stringify(v)} is saved and takes effect when the engine restarts (now ${shown(valueAt(settingsView(engine.config), p))})`
        )
      ]
    }),
    // One update at a time: each reads the file the previous one wrote.
    'settings.update': ({ patch }) => {
      const run = queue.then(() => update(patch))
      queue = run.catch(() => {})
      return run
    }
  }
}
