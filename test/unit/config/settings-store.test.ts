import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { defaultConfig } from '../../../electron/engine/config/defaults'
import { applyLiveSettings } from '../../../electron/engine/config/live-settings'
import { loadConfig } from '../../../electron/engine/config/load'
import { SettingsError, SettingsStore, type SettingsChange } from '../../../electron/engine/config/settings-store'
import type { LogLevel, SettingsPatch } from '../../../shared/settings'
import { tempDir } from '../../helpers/temp-dir'

/** What a client may send without the types' help. */
const unchecked = (v: unknown): SettingsPatch => v as SettingsPatch

describe('the settings store', () => {
  const dirs: Array<() => void> = []
  afterEach(() => {
    for (const d of dirs.splice(0)) d()
  })

  function store(): { store: SettingsStore; dir: string; file: string; changes: SettingsChange[] } {
    const dir = tempDir('ulcc-settings-store-')
    dirs.push(dir.cleanup)
    const s = new SettingsStore(defaultConfig(dir.path))
    const changes: SettingsChange[] = []
    s.onChange((c) => changes.push(c))
    return { store: s, dir: dir.path, file: join(dir.path, 'settings.json'), changes }
  }

  it('refuses what the schema refuses, says why, and leaves the file and the configuration alone', async () => {
    const { store: s, file, changes } = store()
    const cases: Array<[unknown, RegExp]> = [
      [[1], /must be an object/],
      ['INFO', /must be an object/],
      [{ colour: 'blue' }, /colour/],
      [{ ports: { ngsi: 70000 } }, /\/ports\/ngsi/],
      [{ logLevel: 'LOUD' }, /\/logLevel/],
      [{ mqtt: { mode: 'external' } }, /\/mqtt/],
      [{ iota: { commandTimeoutMs: -1 } }, /\/iota\/commandTimeoutMs/]
    ]
    for (const [patch, why] of cases) {
      const err = await s.update(unchecked(patch)).catch((e: unknown) => e)
      expect(err, JSON.stringify(patch)).toBeInstanceOf(SettingsError)
      expect((err as SettingsError).reason).toBe('invalid')
      expect((err as SettingsError).message).toMatch(why)
    }
    expect(existsSync(file)).toBe(false)
    expect(s.config.logLevel).toBe('INFO')
    expect(changes).toEqual([])
  })

  it('refuses to change a setting fixed by a flag or a variable, and accepts it sent back unchanged', async () => {
    const { store: s, file } = store()
    await expect(s.update({ logLevel: 'DEBUG' }, { logLevel: 'env' })).rejects.toMatchObject({ reason: 'fixed', message: expect.stringMatching(/logLevel.*environment variable/) })
    await expect(s.update({ ports: { north: 1 } }, { 'ports.north': 'flag' })).rejects.toMatchObject({ reason: 'fixed', message: expect.stringMatching(/command-line flag/) })
    expect(existsSync(file)).toBe(false)
    expect(await s.update({ logLevel: 'INFO' }, { logLevel: 'env' })).toEqual({ applied: [], restartRequired: [] })
  })

  it('saves to settings.json what was changed, applies the live settings, keeps the rest for the next start', async () => {
    const { store: s, dir, file, changes } = store()
    const r = await s.update({ logLevel: 'WARN', iota: { commandTimeoutMs: 500 }, ports: { ngsi: 1999 } })
    expect(r.applied.sort()).toEqual(['iota.commandTimeoutMs', 'logLevel'])
    expect(r.restartRequired).toEqual(['ports.ngsi'])
    // Saved: exactly what was asked, no temporary file left; a start would read it.
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ logLevel: 'WARN', iota: { commandTimeoutMs: 500 }, ports: { ngsi: 1999 } })
    expect(readdirSync(dir)).toEqual(['settings.json'])
    expect(loadConfig({ dataDir: dir }).config).toMatchObject({ logLevel: 'WARN', ports: { ngsi: 1999 } })
    // In force: the live ones; the port waits for a restart, and the values say what was saved.
    expect(s.config.logLevel).toBe('WARN')
    expect(s.config.iota.commandTimeoutMs).toBe(500)
    expect(s.config.ports.ngsi).toBe(1026)
    expect(s.pendingPaths()).toEqual(['ports.ngsi'])
    expect(s.values().ports?.ngsi).toBe(1999)
    expect(s.notices().join('\n')).toMatch(/ports\.ngsi: 1999 is saved.*\(now 1026\)/)

    // null removes a value: its default again.
    expect(await s.update({ logLevel: null, ports: { ngsi: null } })).toEqual({ applied: ['logLevel'], restartRequired: [] })
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ iota: { commandTimeoutMs: 500 }, ports: {} })
    expect(s.config.logLevel).toBe('INFO')
    expect(s.pendingPaths()).toEqual([])

    expect(changes.map((c) => ({ paths: [...c.paths].sort(), origin: c.origin }))).toEqual([
      { paths: ['iota.commandTimeoutMs', 'logLevel'], origin: 'settings' },
      { paths: ['logLevel'], origin: 'settings' }
    ])
    // The event carries the configuration in force, the same object the engine's parts read.
    expect(changes[0]!.config).toBe(s.config)
  })

  it('never sends a password back, and keeps one already saved', async () => {
    const { store: s, file } = store()
    await s.update({ mqtt: { mode: 'external', url: 'mqtt://broker:1883', username: 'ana', password: 'secret' } })
    expect(s.values().mqtt).toEqual({ mode: 'external', url: 'mqtt://broker:1883', username: 'ana' })
    expect(s.values(true).mqtt).toMatchObject({ password: 'secret' })
    await s.update({ mqtt: { username: 'bea' } })
    expect(JSON.parse(readFileSync(file, 'utf8')).mqtt).toEqual({ mode: 'external', url: 'mqtt://broker:1883', username: 'bea', password: 'secret' })
  })

  it('backs up a settings.json it cannot use before replacing it', async () => {
    const { store: s, file } = store()
    writeFileSync(file, '{ "ports": ')
    await s.update({ logLevel: 'ERROR' })
    expect(readFileSync(`${file}.bak`, 'utf8')).toBe('{ "ports": ')
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ logLevel: 'ERROR' })
    expect(s.notices().join('\n')).toMatch(/settings\.json\.bak/)
  })

  it('runs one update at a time: each merges into what the previous one wrote', async () => {
    const { store: s, file } = store()
    await Promise.all([s.update({ iota: { defaultKey: 'a' } }), s.update({ iota: { defaultType: 'Room' } }), s.update({ limits: { logEntries: 100 } })])
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ iota: { defaultKey: 'a', defaultType: 'Room' }, limits: { logEntries: 100 } })
  })

  it('changes the log level at run time without saving it; the logger and the device cache follow the store', async () => {
    const { store: s, file, changes } = store()
    const logger = { level: 'FATAL' as LogLevel }
    let invalidated = 0
    const off = applyLiveSettings(s, { logger, deviceCache: { invalidate: () => invalidated++ } })
    expect(logger.level).toBe('INFO')

    s.setLogLevel('DEBUG')
    expect(logger.level).toBe('DEBUG')
    expect(s.values().logLevel).toBe('DEBUG')
    expect(existsSync(file)).toBe(false)
    expect(changes.at(-1)).toMatchObject({ paths: ['logLevel'], origin: 'admin-api' })
    // The same level again is no change.
    s.setLogLevel('DEBUG')
    expect(changes).toHaveLength(1)

    await s.update({ iota: { timestamp: false } })
    expect(invalidated).toBe(1)
    await s.update({ iota: { defaultKey: 'k' } })
    expect(invalidated).toBe(1)

    off()
    s.setLogLevel('ERROR')
    expect(logger.level).toBe('DEBUG')
  })
})
