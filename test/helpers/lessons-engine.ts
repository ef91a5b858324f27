import { join } from 'node:path'
import type { EventPayloads, LessonProgressDto } from '../../shared/contract'
import { createEngineApi, type EngineApiHandle } from '../../electron/engine/api'
import { defaultConfig } from '../../electron/engine/config/defaults'
import type { EngineConfig } from '../../electron/engine/config/types'
import { Engine } from '../../electron/engine/engine'
import type { LogEntry } from '../../electron/engine/log/logger'
import { tempDir } from './temp-dir'
import { ephemeralPorts } from './ports'

/** The lesson files the app ships. */
export const LESSONS_DIR = join(__dirname, '../../resources/lessons')

export interface LessonsEngine {
  engine: Engine
  api: EngineApiHandle
  dataDir: string
  northUrl: string
  ngsiUrl: string
  mqttUrl: string
  logs: LogEntry[]
  /** Every `lessons` batch the API sent, in order. */
  batches: Array<EventPayloads['lessons']>
  /** The latest progress of a lesson as the stream told it. */
  latest(lessonId: string): LessonProgressDto | undefined
  /** Step ids in the order the stream first showed them done. */
  doneOrder(lessonId: string): string[]
  /** Stops the engine (its data stays). */
  stop(): Promise<void>
  dispose(): Promise<void>
}

/**
 * A real engine with the shipped lessons (or `dirs`), on loopback ephemeral ports, its API, and a
 * listener of the `lessons` stream. `dataDir` reuses a data directory (a restart).
 */
export async function startLessonsEngine(opts: { dataDir?: string; dirs?: string[]; configure?: (c: EngineConfig) => void } = {}): Promise<LessonsEngine> {
  const dir = opts.dataDir ? { path: opts.dataDir, cleanup: () => {} } : tempDir('ulcc-lessons-')
  const config = defaultConfig(dir.path)
  config.hosts = ['127.0.0.1']
  config.ports = ephemeralPorts()
  config.logLevel = 'DEBUG'
  opts.configure?.(config)
  const logs: LogEntry[] = []
  const engine = await Engine.start(config, { logSinks: [(e) => logs.push(e)], lessonsDirs: opts.dirs ?? [LESSONS_DIR] })
  const api = createEngineApi(engine)
  const batches: LessonsEngine['batches'] = []
  const latest = new Map<string, LessonProgressDto>()
  const order = new Map<string, string[]>()
  api.on('lessons', (batch) => {
    batches.push(batch)
    for (const p of batch) {
      latest.set(p.lessonId, p)
      const done = order.get(p.lessonId) ?? []
      for (const s of p.steps) if (s.state === 'done' && !done.includes(s.stepId)) done.push(s.stepId)
      order.set(p.lessonId, done)
    }
  })
  // With an external Orion there is no NGSI endpoint here: its URL is then of port 0.
  const port = (name: string): number => engine.endpoints().find((e) => e.name === name)?.addresses[0]?.port ?? 0
  let stopped = false
  const stop = async (): Promise<void> => {
    if (stopped) return
    stopped = true
    api.close()
    await engine.stop()
  }
  return {
    engine,
    api,
    dataDir: dir.path,
    northUrl: `http://127.0.0.1:${port('IoT Agent UltraLight north API')}`,
    ngsiUrl: `http://127.0.0.1:${port('NGSI-v2 context broker')}`,
    mqttUrl: `mqtt://127.0.0.1:${port('MQTT broker (TCP)')}`,
    logs,
    batches,
    latest: (id) => latest.get(id),
    doneOrder: (id) => order.get(id) ?? [],
    stop,
    dispose: async () => {
      await stop()
      dir.cleanup()
    }
  }
}
