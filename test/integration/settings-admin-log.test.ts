import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createEngineApi, type EngineApiHandle } from '../../electron/engine/api'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'

describe('PUT /admin/log goes through the settings store', () => {
  let run: RunningEngine | undefined
  let api: EngineApiHandle | undefined
  afterEach(async () => {
    api?.close()
    await run?.dispose()
  })

  it('changes the level in force: the logger follows, settings.get shows it, GET /admin/log reads it, nothing is saved', async () => {
    run = await startEngine((c) => (c.logLevel = 'INFO'))
    api = createEngineApi(run.engine, { settings: { env: {} } })
    const events: string[] = []
    run.engine.settings.onChange((c) => events.push(`${c.origin}:${c.paths.join(',')}:${c.config.logLevel}`))

    const put = await fetch(`${run.northUrl}/admin/log?level=warning`, { method: 'PUT' })
    expect(put.status).toBe(200)
    expect(run.engine.logger.level).toBe('WARN')
    expect((await api['settings.get']({})).values.logLevel).toBe('WARN')
    expect(await (await fetch(`${run.northUrl}/admin/log`)).json()).toEqual({ level: 'WARN' })
    expect(events).toEqual(['admin-api:logLevel:WARN'])
    // A run-time change, as FIWARE's agent makes it: settings.json is not written.
    expect(existsSync(join(run.dataDir, 'settings.json'))).toBe(false)

    // A bad level changes nothing.
    expect((await fetch(`${run.northUrl}/admin/log?level=LOUD`, { method: 'PUT' })).status).toBe(400)
    expect(run.engine.settings.config.logLevel).toBe('WARN')

    // The settings page changes it back through the same store.
    expect(await api['settings.update']({ patch: { logLevel: 'DEBUG' } })).toEqual({ applied: ['logLevel'], restartRequired: [] })
    expect(run.engine.logger.level).toBe('DEBUG')
    expect(await (await fetch(`${run.northUrl}/admin/log`)).json()).toEqual({ level: 'DEBUG' })
    expect(events).toEqual(['admin-api:logLevel:WARN', 'settings:logLevel:DEBUG'])
  })
})
