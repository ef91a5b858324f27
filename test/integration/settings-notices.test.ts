/**
 * What `settings.get` tells the settings page as data, for it to put in words: settings.json
 * problems at start, an unusable file replaced by a save, and each value saved for the next start
 * with the value in force (never a password). And "Test connection" still answers when the engine
 * could not start (the stopped engine's API).
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createEngineApi, createStoppedEngineApi } from '../../electron/engine/api'
import { defaultConfig } from '../../electron/engine/config/defaults'
import { loadConfig } from '../../electron/engine/config/load'
import { Logger } from '../../electron/engine/log/logger'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'
import { freePort } from '../helpers/mosquitto'
import { tempDir } from '../helpers/temp-dir'

describe('settings notices as data', () => {
  let run: RunningEngine | undefined
  const cleanups: Array<() => void> = []
  afterEach(async () => {
    await run?.dispose()
    run = undefined
    for (const c of cleanups.splice(0)) c()
  })

  it('names a settings.json problem at start, the file a save replaced, and each value waiting for a restart', async () => {
    const dir = tempDir('ulcc-notices-')
    cleanups.push(dir.cleanup)
    const file = join(dir.path, 'settings.json')
    writeFileSync(file, '{"ports": {"ngsi": 1999,')
    const { warnings } = loadConfig({ dataDir: dir.path })
    run = await startEngine(() => {}, dir.path)
    const api = createEngineApi(run.engine, { settings: { env: {}, warnings } })

    const before = await api['settings.get']({})
    expect(before.notices).toEqual([{ kind: 'start-problem', detail: expect.stringMatching(/not valid JSON/) }])
    expect(before.pendingValues).toEqual([])

    const r = await api['settings.update']({
      patch: { ports: { ngsi: 1999 }, iota: { providerUrl: 'http://127.0.0.1:4041' }, mqtt: { mode: 'external', url: 'mqtt://127.0.0.1:1883', password: 'pw-never-shown' } }
    })
    expect(r.restartRequired.sort()).toEqual(['iota.providerUrl', 'mqtt.mode', 'mqtt.password', 'mqtt.url', 'ports.ngsi'])

    const after = await api['settings.get']({})
    expect(after.notices).toEqual([
      { kind: 'start-problem', detail: expect.stringMatching(/not valid JSON/) },
      { kind: 'file-replaced', file, backup: `${file}.bak` }
    ])
    expect(readFileSync(`${file}.bak`, 'utf8')).toBe('{"ports": {"ngsi": 1999,')
    const byPath = Object.fromEntries(after.pendingValues.map((p) => [p.path, p]))
    expect(byPath).toEqual({
      'ports.ngsi': { path: 'ports.ngsi', saved: 1999, running: 0 },
      'iota.providerUrl': { path: 'iota.providerUrl', saved: 'http://127.0.0.1:4041', running: undefined },
      'mqtt.mode': { path: 'mqtt.mode', saved: 'external', running: 'embedded' },
      'mqtt.url': { path: 'mqtt.url', saved: 'mqtt://127.0.0.1:1883', running: undefined },
      'mqtt.password': { path: 'mqtt.password', secret: true }
    })
    expect(after.pending.sort()).toEqual(Object.keys(byPath).sort())
    expect(JSON.stringify(after)).not.toContain('pw-never-shown')
    // The English sentences stay for older clients and logs.
    expect(after.warnings.join('\n')).toMatch(/ports\.ngsi: 1999 is saved and takes effect when the engine restarts \(now 0\)/)
    api.close()
  })

  it('tests connections while the engine is stopped', async () => {
    const dir = tempDir('ulcc-stopped-')
    cleanups.push(dir.cleanup)
    const api = createStoppedEngineApi({ config: defaultConfig(dir.path), logger: new Logger('INFO', 100), error: 'the broker could not be reached', since: Date.now() })
    const port = await freePort()
    expect(await api['connection.test']({ target: 'contextBroker', url: `http://127.0.0.1:${port}` })).toMatchObject({ ok: false, reason: 'refused' })
    expect(await api['connection.test']({ target: 'mqtt', mqtt: { url: `mqtt://127.0.0.1:${port}` } })).toMatchObject({ ok: false, reason: 'refused' })
    await expect(api['entities.list']({ scope: { service: '', servicePath: '/' } })).rejects.toMatchObject({ name: 'ENGINE_STOPPED' })
    api.close()
  })
})
