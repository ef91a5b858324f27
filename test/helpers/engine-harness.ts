import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { defaultConfig } from '../../electron/engine/config/defaults'
import { loadConfig } from '../../electron/engine/config/load'
import { settingsFilePath } from '../../electron/engine/config/settings-file'
import type { EngineConfig } from '../../electron/engine/config/types'
import { Engine, type EngineOptions } from '../../electron/engine/engine'
import { EngineHost } from '../../electron/engine/host'
import type { LogEntry } from '../../electron/engine/log/logger'
import { tempDir } from './temp-dir'
import { ephemeralPorts } from './ports'

export interface RunningEngine {
  engine: Engine
  dataDir: string
  northUrl: string
  ngsiUrl: string
  mqttUrl: string
  mqttWsUrl: string
  logs: LogEntry[]
  /** Stops the engine (data flushed); keeps the data directory. */
  stop(): Promise<void>
  /** Stops the engine and removes its data directory. */
  dispose(): Promise<void>
}

/**
 * Starts a real engine on ephemeral loopback ports with a temporary data directory and the
 * seed tutorial's defaults; `configure` may change the configuration first.
 */
export async function startEngine(configure: (c: EngineConfig) => void = () => {}, dataDir?: string): Promise<RunningEngine> {
  const dir = dataDir ? { path: dataDir, cleanup: () => {} } : tempDir('ulcc-engine-')
  const config = defaultConfig(dir.path)
  config.hosts = ['127.0.0.1']
  config.ports = ephemeralPorts()
  config.logLevel = 'DEBUG'
  configure(config)
  const logs: LogEntry[] = []
  const engine = await Engine.start(config, { logSinks: [(e) => logs.push(e)] })
  return running(engine, dir, logs, () => engine.stop())
}

/** The addresses of a started engine, and how to stop it and remove its data. */
function running(engine: Engine, dir: { path: string; cleanup: () => void }, logs: LogEntry[], stopEngine: () => Promise<void>): RunningEngine {
  const ep = Object.fromEntries(engine.endpoints().map((e) => [e.name, e.addresses[0]?.port]))
  const port = (name: string): number => ep[name] as number
  let stopped = false
  const stop = async (): Promise<void> => {
    if (stopped) return
    stopped = true
    await stopEngine()
  }
  return {
    engine,
    dataDir: dir.path,
    northUrl: `http://127.0.0.1:${port('IoT Agent UltraLight north API')}`,
    ngsiUrl: `http://127.0.0.1:${port('NGSI-v2 context broker')}`,
    mqttUrl: `mqtt://127.0.0.1:${port('MQTT broker (TCP)')}`,
    mqttWsUrl: `ws://127.0.0.1:${port('MQTT broker (WebSocket)')}`,
    logs,
    stop,
    dispose: async () => {
      await stop()
      dir.cleanup()
    }
  }
}

/**
 * An engine in an EngineHost, as `serve` and the desktop app run it: the same loopback, ephemeral
 * ports and DEBUG log as startEngine, written to settings.json so that what the GUI saves there
 * applies when the engine restarts. The addresses are those of the first engine; `host.engine` is
 * the engine of the moment. `configure` is applied at every start.
 */
export async function startHostedEngine(configure: (c: EngineConfig) => void = () => {}, engineOptions: Pick<EngineOptions, 'classroom'> = {}): Promise<RunningEngine & { host: EngineHost }> {
  const dir = tempDir('ulcc-engine-')
  writeFileSync(settingsFilePath(dir.path), JSON.stringify({ hosts: ['127.0.0.1'], ports: ephemeralPorts(), logLevel: 'DEBUG' }))
  const logs: LogEntry[] = []
  const host = await EngineHost.start({
    load: () => {
      const loaded = loadConfig({ dataDir: dir.path, env: {} })
      configure(loaded.config)
      return loaded
    },
    settings: { env: {} },
    // The app's lessons (resources/lessons), as serve loads them.
    engineOptions: { logSinks: [(e) => logs.push(e)], lessonsDirs: [join(import.meta.dirname, '..', '..', 'resources', 'lessons')], ...engineOptions }
  })
  return { ...running(host.engine, dir, logs, () => host.stop()), host }
}
