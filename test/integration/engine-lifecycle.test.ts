/**
 * Starts that fail and hosts left without an engine: a start that fails at any step closes what it
 * had opened (nothing stays listening, the registry and the context broker's files are closed),
 * and a host whose restart fails with the saved settings and again with the previous ones keeps
 * running without an engine, says why, and starts one at the next restart that can.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { connect, createServer, type Server } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { EngineStatus } from '../../shared/contract'
import { defaultConfig } from '../../electron/engine/config/defaults'
import type { EngineConfig } from '../../electron/engine/config/types'
import { Engine } from '../../electron/engine/engine'
import { EngineHost } from '../../electron/engine/host'
import type { LogEntry } from '../../electron/engine/log/logger'
import { dispatchRequest } from '../../electron/engine/transport/validate-request'
import { freePort } from '../helpers/free-port'
import { spawnJsonLine } from '../helpers/spawn-json-line'
import { tempDir } from '../helpers/temp-dir'
import { waitFor } from '../helpers/wait-for'
import { ephemeralPorts } from '../helpers/ports'

const scope = { service: 'lifecycle', servicePath: '/' }
/** Tests that start Node processes of their own (tsx compiles the engine in each). */
const CHILD_TIMEOUT_MS = 60_000

/** A listener holding a loopback port, as another program would. */
async function occupy(port = 0): Promise<{ port: number; close: () => Promise<void> }> {
  const server: Server = createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', resolve)
  })
  return { port: (server.address() as { port: number }).port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}

/** The error code of a TCP connection attempt to a loopback port ('connected' if it was accepted). */
function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve('connected')
    })
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message))
  })
}

function configIn(dir: string, ports: Partial<EngineConfig['ports']> = {}): EngineConfig {
  const config = defaultConfig(dir)
  config.hosts = ['127.0.0.1']
  config.ports = ephemeralPorts(ports)
  config.logLevel = 'WARN'
  return config
}

/** Runs a start that fails in a process of its own; resolves with its error and how the process ended. */
async function failedStartInChild(dataDir: string, mode: 'embedded' | 'external', busyMqttPort?: number): Promise<{ error: string | null; exitCode: number | null }> {
  const run = await spawnJsonLine<{ error: string | null }>('test/helpers/failed-start-child.ts', [dataDir, mode, ...(busyMqttPort ? [String(busyMqttPort)] : [])])
  // The observable: with nothing left open (no timer, no socket, no file queue) the process ends by itself.
  await run.exited
  return { error: run.info.error, exitCode: run.child.exitCode }
}

describe('engine lifecycle', () => {
  const cleanups: Array<() => Promise<void> | void> = []
  afterEach(async () => {
    for (const c of cleanups.reverse().splice(0)) await c()
  })
  const dir = (): string => {
    const d = tempDir('ulcc-lifecycle-')
    cleanups.push(d.cleanup)
    return d.path
  }

  it('a context broker that cannot open closes the registry opened before it (embedded and external)', async () => {
    // Embedded: a data file of the context broker that is not NeDB data.
    const embedded = dir()
    writeFileSync(join(embedded, 'entities.db'), 'not a record\nnor this\n')
    // External: a file where the queue's folder should be.
    const external = dir()
    writeFileSync(join(external, 'external-cb-queue'), '')

    const [a, b] = await Promise.all([failedStartInChild(embedded, 'embedded'), failedStartInChild(external, 'external')])
    expect(a.error).toMatch(/corrupt/)
    expect(b.error).toMatch(/EEXIST|ENOTDIR|external-cb-queue/)
    expect([a.exitCode, b.exitCode]).toEqual([0, 0])

    // The same data directory serves a new engine once the broker's file is usable again.
    writeFileSync(join(embedded, 'entities.db'), '')
    const engine = await Engine.start(configIn(embedded), { logSinks: [] })
    cleanups.push(() => engine.stop())
    await engine.provisioning.createGroups(scope, [{ apikey: 'k1', resource: '', entity_type: 'Thing' }])
    expect(engine.registry.counts()).toEqual({ groups: 1, devices: 0 })
  }, CHILD_TIMEOUT_MS)

  it('a start failing at the MQTT port closes the HTTP services it had opened and the registry', async () => {
    const busy = await occupy()
    cleanups.push(() => busy.close())
    const data = dir()
    const north = await freePort()
    const ngsi = await freePort()

    const logs: LogEntry[] = []
    await expect(Engine.start(configIn(data, { north, ngsi, mqtt: busy.port }), { logSinks: [(e) => logs.push(e)] })).rejects.toThrow(new RegExp(`${busy.port}|in use`))
    // The north API and the NGSI-v2 API were listening before the MQTT broker failed: not any more.
    expect([await tryConnect(north), await tryConnect(ngsi)]).toEqual(['ECONNREFUSED', 'ECONNREFUSED'])
    expect(logs.some((e) => e.code === 'STARTED')).toBe(false)

    // In a process of its own, the same failure leaves nothing that keeps the process alive.
    const child = await failedStartInChild(dir(), 'embedded', busy.port)
    expect(child.error).toMatch(new RegExp(`${busy.port}|in use`))
    expect(child.exitCode).toBe(0)

    // The same ports and data directory serve a new engine.
    const engine = await Engine.start(configIn(data, { north, ngsi }), { logSinks: [] })
    cleanups.push(() => engine.stop())
    const res = await fetch(`http://127.0.0.1:${north}/iot/services`, { headers: { 'fiware-service': scope.service, 'fiware-servicepath': scope.servicePath } })
    expect(res.status).toBe(200)
  }, CHILD_TIMEOUT_MS)

  it('a host whose saved and previous settings both fail stays up without an engine, says why, and restarts once it can', async () => {
    const data = dir()
    // The first engine's north API is on a fixed port; the saved settings move it to a port taken by another program.
    const firstNorth = await freePort()
    const taken = await occupy()
    cleanups.push(() => taken.close())
    let saved = configIn(data, { north: firstNorth })
    const logs: LogEntry[] = []
    let blocker: Promise<{ port: number; close: () => Promise<void> }> | undefined
    const host = await EngineHost.start({
      load: () => ({ config: saved, warnings: [] }),
      settings: { env: {} },
      engineOptions: {
        logSinks: [
          (e) => {
            logs.push(e)
            // Between the failed start with the saved settings and the one with the previous settings,
            // another program takes the port the previous engine had (it was released by the stop).
            if (e.code === 'RESTART_FAILED' && !blocker) blocker = occupy(firstNorth)
          }
        ]
      }
    })
    cleanups.push(() => host.stop())
    const api = host.api
    await api['groups.create']({ scope, group: { apikey: 'lk', resource: '', entity_type: 'Thing' } })
    const statuses: EngineStatus[] = []
    api.on('status', (s) => statuses.push(s))

    saved = configIn(data, { north: taken.port })
    const result = await api['engine.restart']({})
    const second = await blocker!
    cleanups.push(() => second.close())
    expect(result.restarted).toBe(false)
    expect(result.error).toMatch(new RegExp(`${taken.port}.*${firstNorth}`, 's'))

    // Stopped, and saying why: in the status, the log and the answers of the requests that need the engine.
    const status = await api['engine.status']({})
    expect(status).toMatchObject({ state: 'stopped', error: result.error, endpoints: [], dataDir: data })
    expect(status).toMatchObject({ registry: { groups: 0, devices: 0 }, jsonRegistry: { groups: 0, devices: 0 }, jsonAgent: { measures: 0, commands: { pending: 0 } } })
    expect(logs.find((e) => e.code === 'ENGINE_STOPPED')?.level).toBe('ERROR')
    expect((await api['logs.recent']({})).some((e) => e.code === 'ENGINE_STOPPED')).toBe(true)
    expect(await dispatchRequest(api, 'groups.list', { scope })).toMatchObject({ ok: false, error: { name: 'ENGINE_STOPPED', status: 503 } })
    expect(() => host.engine).toThrow(/not running/)
    expect(host.running).toBeUndefined()
    // The settings stay readable, to be fixed.
    expect((await api['settings.get']({})).values).toMatchObject({ ports: { north: taken.port } })
    await waitFor(() => statuses.some((s) => s.state === 'stopped'), 'a status event saying stopped')

    // The other program goes away: the next restart starts the engine with the saved settings.
    await taken.close()
    expect(await api['engine.restart']({})).toEqual({ restarted: true })
    const running = await api['engine.status']({})
    expect(running.state).toBe('running')
    expect(running.error).toBeUndefined()
    expect(running.endpoints.find((e) => e.name === 'IoT Agent UltraLight north API')!.addresses[0]!.port).toBe(taken.port)
    expect((await api['groups.list']({ scope })).groups).toMatchObject([{ apikey: 'lk' }])
    // The listener added before the restarts hears the new engine.
    await waitFor(() => statuses.some((s, i) => s.state === 'running' && statuses.slice(0, i).some((p) => p.state === 'stopped')), 'a running status after the stopped ones')
  })
})
