import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ConfigError, loadConfig, parseCli } from '../../../electron/engine/config/load'
import { fixedSettings, KNOWN_ENV } from '../../../electron/engine/config/settings-sources'
import { tempDir } from '../../helpers/temp-dir'

type Flags = Record<string, string | string[] | boolean | undefined>

/** The built-in history's retention: settings.json `history` < ULCC_HISTORY_* < --history-* flags. */
describe('history retention (days and points)', () => {
  const dirs: Array<{ path: string; cleanup: () => void }> = []
  const dir = (): string => {
    const d = tempDir()
    dirs.push(d)
    return d.path
  }
  afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()))

  it('keeps 30 days and 1,000,000 points unless told otherwise', () => {
    expect(loadConfig({ dataDir: dir() }).config.history).toEqual({ retentionDays: 30, maxPoints: 1_000_000 })
  })

  it('comes from settings.json, the environment and the flags, in that order of precedence', () => {
    const d = dir()
    writeFileSync(join(d, 'settings.json'), JSON.stringify({ history: { retentionDays: 7, maxPoints: 50_000 } }))
    expect(loadConfig({ dataDir: d }).config.history).toEqual({ retentionDays: 7, maxPoints: 50_000 })
    const env = { ULCC_HISTORY_RETENTION_DAYS: '90', ULCC_HISTORY_MAX_POINTS: '2000000' }
    expect(loadConfig({ dataDir: d, env }).config.history).toEqual({ retentionDays: 90, maxPoints: 2_000_000 })
    // One flag over its variable; the other value still comes from its variable.
    const flags = parseCli(['--history-retention-days', '1']).values
    expect(loadConfig({ dataDir: d, env, flags }).config.history).toEqual({ retentionDays: 1, maxPoints: 2_000_000 })
    const both = parseCli(['--history-retention-days=3650', '--history-max-points', '20000000']).values
    expect(loadConfig({ dataDir: d, env, flags: both }).config.history).toEqual({ retentionDays: 3650, maxPoints: 20_000_000 })
    // A variable alone leaves the settings file's other value.
    expect(loadConfig({ dataDir: d, env: { ULCC_HISTORY_MAX_POINTS: ' 1000 ' } }).config.history).toEqual({ retentionDays: 7, maxPoints: 1000 })
  })

  it('refuses values outside the bounds of settings.json, naming the flag or variable', () => {
    const flag = (name: string, v: string): Flags => parseCli([`--${name}`, v]).values
    expect(() => loadConfig({ dataDir: dir(), flags: flag('history-retention-days', '0') })).toThrow(/--history-retention-days: 0 is below the minimum \(1\)/)
    expect(() => loadConfig({ dataDir: dir(), flags: flag('history-retention-days', '3651') })).toThrow(/--history-retention-days: 3651 is above the maximum \(3650\)/)
    expect(() => loadConfig({ dataDir: dir(), flags: flag('history-retention-days', '1.5') })).toThrow(/"1\.5" is not a whole number/)
    expect(() => loadConfig({ dataDir: dir(), flags: flag('history-max-points', '999') })).toThrow(/--history-max-points: 999 is below the minimum \(1000\)/)
    expect(() => loadConfig({ dataDir: dir(), flags: flag('history-max-points', '20000001') })).toThrow(/above the maximum \(20000000\)/)
    expect(() => loadConfig({ dataDir: dir(), env: { ULCC_HISTORY_RETENTION_DAYS: 'a month' } })).toThrow(/ULCC_HISTORY_RETENTION_DAYS: "a month" is not a whole number/)
    expect(() => loadConfig({ dataDir: dir(), env: { ULCC_HISTORY_MAX_POINTS: '' } })).toThrow(ConfigError)
    expect(() => loadConfig({ dataDir: dir(), env: { ULCC_HISTORY_MAX_POINTS: '-5000' } })).toThrow(/ULCC_HISTORY_MAX_POINTS/)
  })

  it('marks what a flag or a variable sets as fixed, so the settings page shows it read-only', () => {
    expect(KNOWN_ENV).toEqual(expect.arrayContaining(['ULCC_HISTORY_RETENTION_DAYS', 'ULCC_HISTORY_MAX_POINTS']))
    const d = dir()
    const env = { ULCC_HISTORY_MAX_POINTS: '5000' }
    const flags = parseCli(['--history-retention-days', '14']).values
    const fixed = fixedSettings(env, flags, loadConfig({ dataDir: d, env, flags }).config)
    expect(fixed).toMatchObject({ 'history.retentionDays': 'flag', 'history.maxPoints': 'env' })
    // A flag over a variable: the flag is what fixes it.
    const over = { ULCC_HISTORY_RETENTION_DAYS: '60' }
    expect(fixedSettings(over, flags, loadConfig({ dataDir: d, env: over, flags }).config)['history.retentionDays']).toBe('flag')
    expect(fixedSettings({}, {}, loadConfig({ dataDir: d }).config)).not.toHaveProperty('history.retentionDays')
  })
})
