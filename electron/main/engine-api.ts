import { RequestSchemas, type RequestName } from '../../shared/contract'
import type { Engine } from '../engine/engine'
import type { DesktopApi } from './ipc'

type EngineApiModule = { createEngineApi: (engine: Engine) => DesktopApi }

/**
 * electron/engine/api.ts (createEngineApi) is written in parallel with this shell. The glob import
 * bundles it as soon as the file exists, without a build error while it does not; once it has
 * landed, this becomes a plain `import { createEngineApi } from '../engine/api'`.
 */
const found = import.meta.glob<EngineApiModule>('../engine/api.ts', { eager: true })

/** Answers every request with NOT_AVAILABLE, so the window still opens and says why. */
function unavailableApi(): DesktopApi {
  const refuse = (): Promise<never> => {
    const err = new Error('this build of the app has no engine API (electron/engine/api.ts)') as Error & { status: number }
    err.name = 'NOT_AVAILABLE'
    err.status = 503
    return Promise.reject(err)
  }
  const api = Object.fromEntries((Object.keys(RequestSchemas) as RequestName[]).map((name) => [name, refuse]))
  return { ...(api as unknown as Omit<DesktopApi, 'on'>), on: () => () => {} }
}

export function createDesktopApi(engine: Engine): DesktopApi {
  const mod = Object.values(found)[0]
  return mod ? mod.createEngineApi(engine) : unavailableApi()
}
