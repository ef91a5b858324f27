import { afterEach, expect, it } from 'vitest'
import { createEngineApi } from '../../electron/engine/api'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'

let run: RunningEngine | undefined
let api: ReturnType<typeof createEngineApi> | undefined
afterEach(async () => {
  api?.close()
  await run?.dispose()
})

it('saves the external broker’s MQTT protocol version as the settings page sends it, for the next start', async () => {
  run = await startEngine()
  api = createEngineApi(run.engine, { settings: { env: {} } })
  const first = await api['settings.update']({ patch: { mqtt: { mode: 'external', url: 'mqtt://broker.example:1883', protocolVersion: 5 } } })
  expect(first.restartRequired).toContain('mqtt.protocolVersion')
  expect((await api['settings.get']({})).pendingValues).toContainEqual(expect.objectContaining({ path: 'mqtt.protocolVersion', saved: 5 }))
  // The page's patch when only the version changes afterwards.
  await api['settings.update']({ patch: { mqtt: { protocolVersion: 4 } } })
  expect((await api['settings.get']({})).pendingValues).toContainEqual(expect.objectContaining({ path: 'mqtt.protocolVersion', saved: 4 }))
  await expect(api['settings.update']({ patch: { mqtt: { protocolVersion: 3 as 4 } } })).rejects.toMatchObject({ status: 400 })
})
