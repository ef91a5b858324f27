import { createEngineApi, type EngineApiOptions } from '../engine/api'
import type { Engine } from '../engine/engine'
import type { DesktopApi } from './ipc'

/** The engine's API as the window's IPC bridge serves it. */
export function createDesktopApi(engine: Engine, options: EngineApiOptions = {}): DesktopApi {
  return createEngineApi(engine, options)
}
