import type { EngineApi, SettingsDto } from '../../../shared/contract'
import { fixedSettings } from '../config/settings-sources'
import { SettingsError, type SettingsStore } from '../config/settings-store'
import type { Logger } from '../log/logger'
import { ApiRequestError } from './errors'

/** What the settings requests act on: the engine's settings store, and the log that records changes. */
export interface SettingsTarget {
  readonly settings: SettingsStore
  readonly logger: Pick<Logger, 'write'>
}

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
 * `settings.get` and `settings.update`, over the engine's settings store (config/settings-store.ts):
 * the store validates, saves and applies; this area says which settings a flag or a variable fixes,
 * answers in the contract's terms and logs what changed.
 */
export function settingsArea(target: SettingsTarget, sources: SettingsSources): Pick<EngineApi, 'settings.get' | 'settings.update'> {
  const { settings, logger } = target
  const fixed = fixedSettings(sources.env ?? process.env, sources.flags ?? {}, settings.config)

  return {
    'settings.get': async (): Promise<SettingsDto> => ({
      values: settings.values(),
      fixed: { ...fixed },
      file: settings.file,
      pending: settings.pendingPaths(),
      pendingValues: settings.pendingValues(),
      notices: [
        ...(sources.warnings ?? []).map((detail) => ({ kind: 'start-problem' as const, detail })),
        ...settings.replacedFiles().map((r) => ({ kind: 'file-replaced' as const, ...r }))
      ],
      warnings: [...(sources.warnings ?? []), ...settings.notices()]
    }),
    'settings.update': async ({ patch }) => {
      try {
        const r = await settings.update(patch, fixed)
        if (r.applied.length) logger.write('INFO', 'engine', 'SETTINGS_APPLIED', `settings applied: ${r.applied.join(', ')}`)
        if (r.restartRequired.length) logger.write('INFO', 'engine', 'SETTINGS_SAVED', `settings saved, applied at the next start: ${r.restartRequired.join(', ')}`)
        return r
      } catch (err) {
        if (err instanceof SettingsError) {
          throw err.reason === 'fixed' ? new ApiRequestError('FIXED_SETTING', err.message, 409) : new ApiRequestError('BAD_REQUEST', err.message, 400)
        }
        throw err
      }
    }
  }
}
