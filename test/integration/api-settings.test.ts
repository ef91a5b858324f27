import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { connectAsync, type MqttClient } from 'mqtt'
import { afterEach, describe, expect, it } from 'vitest'
import type { SettingsPatch } from '../../shared/settings'
import { createEngineApi, type EngineApiOptions } from '../../electron/engine/api'
import { defaultConfig } from '../../electron/engine/config/defaults'
import { loadConfig, parseCli } from '../../electron/engine/config/load'
import { settingsView, valueAt } from '../../electron/engine/config/settings-file'
import { fixedSettings, KNOWN_ENV, NOT_SETTINGS_ENV } from '../../electron/engine/config/settings-sources'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'
import { tempDir } from '../helpers/temp-dir'
import { waitFor } from '../helpers/wait-for'

describe('settings through the engine API', () => {
  let run: RunningEngine | undefined
  let api: ReturnType<typeof createEngineApi> | undefined
  let client: MqttClient | undefined
  const dirs: Array<() => void> = []
  afterEach(async () => {
    await client?.endAsync()
    client = undefined
    api?.close()
    await run?.dispose()
    for (const d of dirs.splice(0)) d()
  })

  async function start(opts: EngineApiOptions = { settings: { env: {} } }): Promise<ReturnType<typeof createEngineApi>> {
    run = await startEngine()
    api = createEngineApi(run.engine, opts)
    return api
  }

  it('reads the effective settings, saves a patch atomically, applies what it can and names what needs a restart', async () => {
    const a = await start({ settings: { env: {}, warnings: ['settings.json: something at start'] } })
    const file = join(run!.dataDir, 'settings.json')
    const initial = await a['settings.get']({})
    expect(initial).toMatchObject({ fixed: {}, file, warnings: ['settings.json: something at start'] })
    expect(initial.values).toMatchObject({ logLevel: 'DEBUG', iota: { timestamp: true, commandTimeoutMs: 30_000 }, mqtt: { mode: 'embedded' }, contextBroker: { mode: 'embedded' } })

    const patch = {
      logLevel: 'WARN',
      iota: { commandTimeoutMs: 1234, timestamp: false },
      mqttPublish: { qos: 1 },
      limits: { telemetryPoints: 50, inspectorMessages: 100 },
      ports: { ngsi: 1999 }
    } satisfies SettingsPatch
    const r = await a['settings.update']({ patch })
    expect(r.applied.sort()).toEqual(['iota.commandTimeoutMs', 'iota.timestamp', 'limits.telemetryPoints', 'logLevel', 'mqttPublish.qos'])
    expect(r.restartRequired.sort()).toEqual(['limits.inspectorMessages', 'ports.ngsi'])

    // Saved: exactly the patch (the file holds what the user chose, not the defaults), no temporary file left.
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(patch)
    expect(readdirSync(run!.dataDir).filter((f) => f.includes('settings'))).toEqual(['settings.json'])
    expect(loadConfig({ dataDir: run!.dataDir }).config.ports.ngsi).toBe(1999)

    // Applied to the running engine.
    const e = run!.engine
    expect(e.logger.level).toBe('WARN')
    expect(e.config.iota.commandTimeoutMs).toBe(1234)
    expect(e.config.mqttPublish.qos).toBe(1)
    expect(e.config.limits.telemetryPoints).toBe(50)
    // Not applied: the running engine keeps its values until restarted; settings.get shows what was saved.
    expect(e.config.ports.ngsi).toBe(0)
    expect(e.config.limits.inspectorMessages).toBe(5000)
    const after = await a['settings.get']({})
    expect(valueAt(after.values, 'ports.ngsi')).toBe(1999)
    expect(valueAt(after.values, 'logLevel')).toBe('WARN')
    expect(after.warnings.join('\n')).toMatch(/ports\.ngsi: 1999 is saved and takes effect when the engine restarts \(now 0\)/)
    expect(after.pending).toEqual(expect.arrayContaining(['ports.ngsi', 'limits.inspectorMessages']))

    // A second patch merges into the file; null removes a value (its default again, applied).
    const r2 = await a['settings.update']({ patch: { limits: { telemetryPoints: null }, ports: { ngsi: 0 } } })
    expect(r2).toEqual({ applied: ['limits.telemetryPoints'], restartRequired: [] })
    expect(e.config.limits.telemetryPoints).toBe(600)
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ ...patch, limits: { inspectorMessages: 100 }, ports: { ngsi: 0 } })
    expect((await a['settings.get']({})).warnings.join('\n')).not.toMatch(/ports\.ngsi/)
    expect((await a['settings.get']({})).pending).not.toContain('ports.ngsi')

    // Switching a mode replaces its object; switching back leaves nothing waiting for a restart.
    const r3 = await a['settings.update']({ patch: { contextBroker: { mode: 'external', url: 'http://orion:1026' } } })
    expect(r3.restartRequired.sort()).toEqual(['contextBroker.mode', 'contextBroker.url'])
    expect((await a['settings.get']({})).values.contextBroker).toEqual({ mode: 'external', url: 'http://orion:1026' })
    expect(await a['settings.update']({ patch: { contextBroker: { mode: 'embedded' } } })).toEqual({ applied: [], restartRequired: [] })
    expect((await a['settings.get']({})).values.contextBroker).toEqual({ mode: 'embedded' })
    expect(JSON.parse(readFileSync(file, 'utf8')).contextBroker).toEqual({ mode: 'embedded' })
  })

  it('applies iota.timestamp to devices the agent already compiled', async () => {
    const a = await start()
    const scope = { service: 'openiot', servicePath: '/' }
    await a['groups.create']({ scope, group: { apikey: 'tskey', resource: '', entity_type: 'Thing' } })
    client = await connectAsync(run!.mqttUrl, { reconnectPeriod: 0 })
    const measure = async (v: number): Promise<Record<string, unknown>> => {
      // QoS 1: the PUBACK comes once the measure is in its entity.
      await client!.publishAsync('/tskey/d1/attrs', `t|${v}`, { qos: 1 })
      return a['entities.get']({ scope, id: 'Thing:d1' })
    }
    const first = await measure(1)
    const stamp = (first.TimeInstant as { value: string }).value
    expect(stamp).toMatch(/^\d{4}-/)
    expect(await a['settings.update']({ patch: { iota: { timestamp: false } } })).toEqual({ applied: ['iota.timestamp'], restartRequired: [] })
    // The clock moves past the first stamp, so that a new TimeInstant could not equal it.
    await waitFor(() => Date.now() > Date.parse(stamp), 'the clock to pass the first TimeInstant')
    const second = await measure(2)
    expect((second.t as { value: number }).value).toBe(2)
    expect((second.TimeInstant as { value: string }).value).toBe(stamp)
  })

  it('refuses invalid patches and values fixed by flags or variables, without touching the file', async () => {
    const a = await start({ settings: { env: { IOTA_LOG_LEVEL: 'DEBUG', ULCC_NGSI_PORT: '0', IOTA_MQTT_USERNAME: 'ignored' }, flags: parseCli(['--north-port', '0']).values } })
    const file = join(run!.dataDir, 'settings.json')
    const s = await a['settings.get']({})
    // IOTA_MQTT_USERNAME only matters for an external broker.
    expect(s.fixed).toEqual({ logLevel: 'env', 'ports.ngsi': 'env', 'ports.north': 'flag' })

    // What a client may send without the types' help.
    const unchecked = (v: unknown): SettingsPatch => v as SettingsPatch
    await expect(a['settings.update']({ patch: unchecked({ ports: { ngsi: 'x' } }) })).rejects.toMatchObject({ name: 'BAD_REQUEST', status: 400 })
    await expect(a['settings.update']({ patch: unchecked({ colour: 'blue' }) })).rejects.toMatchObject({ name: 'BAD_REQUEST', message: expect.stringMatching(/colour/) })
    await expect(a['settings.update']({ patch: unchecked([1]) })).rejects.toMatchObject({ name: 'BAD_REQUEST' })
    await expect(a['settings.update']({ patch: { logLevel: 'ERROR' } })).rejects.toMatchObject({ name: 'FIXED_SETTING', status: 409, message: expect.stringMatching(/logLevel.*environment variable/) })
    await expect(a['settings.update']({ patch: { ports: { north: 4041 } } })).rejects.toMatchObject({ name: 'FIXED_SETTING', message: expect.stringMatching(/command-line flag/) })
    expect(existsSync(file)).toBe(false)
    // The GUI may send a fixed value back unchanged (a whole form): nothing to do for it.
    expect(await a['settings.update']({ patch: { logLevel: 'DEBUG', limits: { logEntries: 500 } } })).toEqual({ applied: [], restartRequired: ['limits.logEntries'] })
  })

  it('keeps a settings.json it cannot use as settings.json.bak before replacing it', async () => {
    const a = await start()
    const file = join(run!.dataDir, 'settings.json')
    writeFileSync(file, '{ "ports": { "ngsi": ')
    expect(await a['settings.update']({ patch: { logLevel: 'INFO' } })).toEqual({ applied: ['logLevel'], restartRequired: [] })
    expect(readFileSync(`${file}.bak`, 'utf8')).toBe('{ "ports": { "ngsi": ')
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ logLevel: 'INFO' })
    expect((await a['settings.get']({})).warnings.join('\n')).toMatch(/settings\.json\.bak/)
  })

  it('knows every variable load.ts reads, and marks what each one changes as fixed', () => {
    const source = readFileSync(join(__dirname, '../../electron/engine/config/load.ts'), 'utf8')
    const read = new Set([...source.matchAll(/get\('([A-Z_]+)'\)/g)].map((m) => m[1]!))
    expect(read.size).toBeGreaterThan(20)
    for (const name of read) expect([...KNOWN_ENV, ...NOT_SETTINGS_ENV], `${name} is read by load.ts`).toContain(name)

    const dir = tempDir('ulcc-settings-')
    dirs.push(dir.cleanup)
    const samples: Record<string, string> = {
      ULCC_HOST: '0.0.0.0',
      ULCC_NGSI_PORT: '1111',
      IOTA_NORTH_PORT: '2222',
      IOTA_MQTT_PORT: '3333',
      IOTA_MQTT_QOS: '2',
      IOTA_MQTT_RETAIN: 'true',
      IOTA_CB_URL: 'http://orion:1026',
      IOTA_TIMESTAMP: 'false',
      IOTA_DEFAULT_KEY: 'k',
      ULCC_COMMAND_TIMEOUT_MS: '5',
      IOTA_LOG_LEVEL: 'ERROR',
      ULCC_MQTT_URL: 'mqtt://broker:1883'
    }
    const base = settingsView(loadConfig({ dataDir: dir.path }).config, true)
    const leaves = (o: unknown, prefix = ''): string[] =>
      typeof o === 'object' && o !== null && !Array.isArray(o) ? Object.entries(o).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k)) : [prefix]
    for (const [name, value] of Object.entries(samples)) {
      const env = { [name]: value }
      const { config } = loadConfig({ dataDir: dir.path, env })
      const view = settingsView(config, true)
      // Values that change (fields a mode switch brings in take their defaults: not fixed).
      const changed = leaves(base).filter((p) => JSON.stringify(valueAt(view, p)) !== JSON.stringify(valueAt(base, p)))
      const fixed = Object.keys(fixedSettings(env, {}, config))
      expect(changed.length, name).toBeGreaterThan(0)
      for (const p of changed) expect(fixed, `${name} changes ${p}`).toContain(p)
    }
    expect(Object.keys(settingsView(defaultConfig('/x')))).not.toContain('dataDir')
  })
})
