/**
 * Restarting the engine from the GUI (`engine.restart`, EngineHost): settings that need a new
 * engine (the MQTT broker, the context broker, ports) apply without restarting the program, the
 * API object the transports hold keeps working and its event listeners move to the new engine,
 * and settings that cannot start bring the previous engine back.
 */
import { writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { join } from 'node:path'
import { connectAsync, type MqttClient } from 'mqtt'
import { afterEach, describe, expect, it } from 'vitest'
import type { EngineStatus } from '../../shared/contract'
import { createEngineApi } from '../../electron/engine/api'
import { loadConfig } from '../../electron/engine/config/load'
import { EngineHost } from '../../electron/engine/host'
import { dispatchRequest } from '../../electron/engine/transport/validate-request'
import { MOSQUITTO, requirePrograms, startMosquitto, type Mosquitto } from '../helpers/mosquitto'
import { startEngine } from '../helpers/engine-harness'
import { tempDir } from '../helpers/temp-dir'
import { waitFor } from '../helpers/wait-for'

const scope = { service: 'restart', servicePath: '/' }
// Loopback and ephemeral ports, as flags: settings.json decides the rest (the broker, the context broker).
const flags = { host: ['127.0.0.1'], 'ngsi-port': '0', 'north-port': '0', 'mqtt-port': '0', 'mqtt-ws-port': '0', 'log-level': 'WARN' }
const programs = requirePrograms({ mosquitto: MOSQUITTO })

describe('engine restart', () => {
  const cleanups: Array<() => Promise<void> | void> = []
  afterEach(async () => {
    for (const c of cleanups.reverse().splice(0)) await c()
  })

  async function hostIn(dir: string, tweak: (c: ReturnType<typeof loadConfig>) => void = () => {}): Promise<EngineHost> {
    const host = await EngineHost.start({
      load: () => {
        const loaded = loadConfig({ dataDir: dir, env: {}, flags })
        tweak(loaded)
        return loaded
      },
      settings: { env: {}, flags }
    })
    cleanups.push(() => host.stop())
    return host
  }

  it.skipIf(programs.skip)(`switches to an external MQTT broker without restarting the program${programs.reason ? ` (skipped: ${programs.reason})` : ''}`, async () => {
    const dir = tempDir('ulcc-restart-')
    cleanups.push(dir.cleanup)
    const mosquitto: Mosquitto = await startMosquitto()
    cleanups.push(() => mosquitto.stop())
    const host = await hostIn(dir.path)
    const api = host.api
    const statuses: EngineStatus[] = []
    api.on('status', (s) => statuses.push(s))
    const first = host.engine

    await api['groups.create']({ scope, group: { apikey: 'rk', resource: '', entity_type: 'Thing' } })
    const saved = await api['settings.update']({ patch: { mqtt: { mode: 'external', url: mosquitto.url } } })
    expect(saved.restartRequired.join(' ')).toMatch(/mqtt/)
    expect((await api['engine.status']({})).mqtt.kind).toBe('embedded')

    // A request made while the engine restarts waits for the new one.
    const restart = api['engine.restart']({})
    const during = api['groups.list']({ scope })
    expect(await restart).toEqual({ restarted: true })
    expect((await during).groups).toMatchObject([{ apikey: 'rk' }])
    expect(host.engine).not.toBe(first)

    const status = await waitFor(async () => {
      const s = await api['engine.status']({})
      return s.mqtt.kind === 'external' && s.mqtt.up && s
    }, 'the agent connected to Mosquitto')
    expect(status.mqtt.url).toContain(String(mosquitto.port))
    // The listener added before the restart hears the new engine.
    await waitFor(() => statuses.some((s) => s.mqtt.kind === 'external'), 'a status event from the new engine')

    // The group survived (same data directory); a device publishing to Mosquitto reaches its entity.
    const client: MqttClient = await connectAsync(mosquitto.url, { reconnectPeriod: 0 })
    cleanups.push(() => client.endAsync())
    await client.publishAsync('/rk/dev1/attrs', 't|21')
    const entity = await waitFor(async () => (await api['entities.list']({ scope, type: 'Thing' })).entities[0], 'the autoprovisioned entity')
    expect(entity).toMatchObject({ id: 'Thing:dev1', t: { type: 'Text', value: 21 } })
    expect((await api['settings.get']({})).values).toMatchObject({ mqtt: { mode: 'external', url: mosquitto.url } })
  })

  it('comes back with the previous settings when the saved ones cannot start, and says why', async () => {
    const dir = tempDir('ulcc-restart-')
    cleanups.push(dir.cleanup)
    const busy: Server = createServer()
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve))
    cleanups.push(() => new Promise<void>((resolve) => busy.close(() => resolve())))
    const busyPort = (busy.address() as { port: number }).port
    let breakNext = false
    const host = await hostIn(dir.path, (loaded) => {
      if (breakNext) loaded.config.ports.north = busyPort
    })
    const api = host.api
    await api['groups.create']({ scope, group: { apikey: 'bk', resource: '', entity_type: 'Thing' } })

    breakNext = true
    const result = await api['engine.restart']({})
    expect(result.restarted).toBe(false)
    expect(result.error).toMatch(new RegExp(`${busyPort}|in use|EADDRINUSE`))

    // The engine runs again, with the previous settings: its north API answers on a port of its own.
    const north = (await api['engine.status']({})).endpoints.find((e) => e.name === 'IoT Agent UltraLight north API')!
    const port = north.addresses[0]!.port
    expect(port).not.toBe(busyPort)
    const res = await fetch(`http://127.0.0.1:${port}/iot/services`, { headers: { 'fiware-service': 'restart', 'fiware-servicepath': '/' } })
    expect(res.status).toBe(200)
    expect(((await res.json()) as { count: number }).count).toBe(1)
    expect((await api['logs.recent']({})).some((e) => e.code === 'RESTART_FAILED')).toBe(true)
  })

  it('after a restart that went back to the previous settings, the saved values still wait for a restart', async () => {
    const dir = tempDir('ulcc-restart-')
    cleanups.push(dir.cleanup)
    const busy: Server = createServer()
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve))
    cleanups.push(() => new Promise<void>((resolve) => busy.close(() => resolve())))
    const busyPort = (busy.address() as { port: number }).port
    // The north port is left to settings.json here (no flag), so that the settings page can change it; an ephemeral one to begin with.
    const { 'north-port': _north, ...otherFlags } = flags
    writeFileSync(join(dir.path, 'settings.json'), JSON.stringify({ ports: { north: 0 } }))
    const host = await EngineHost.start({ load: () => loadConfig({ dataDir: dir.path, env: {}, flags: otherFlags }), settings: { env: {}, flags: otherFlags } })
    cleanups.push(() => host.stop())
    const api = host.api
    const saved = await api['settings.update']({ patch: { ports: { north: busyPort } } })
    expect(saved.restartRequired).toEqual(['ports.north'])

    const result = await api['engine.restart']({})
    expect(result.restarted).toBe(false)
    const after = await api['settings.get']({})
    expect(after.pending).toEqual(['ports.north'])
    expect(after.pendingValues).toEqual([{ path: 'ports.north', saved: busyPort, running: 0 }])
    expect(after.values.ports?.north).toBe(busyPort)
  })

  it('an engine that is not hosted answers engine.restart with a clear error', async () => {
    const run = await startEngine()
    cleanups.push(() => run.dispose())
    const api = createEngineApi(run.engine)
    cleanups.push(() => api.close())
    expect(await dispatchRequest(api, 'engine.restart', {})).toMatchObject({ ok: false, error: { name: 'NOT_IMPLEMENTED', status: 501 } })
  })
})
