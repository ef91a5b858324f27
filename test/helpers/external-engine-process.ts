import type { ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { spawnJsonLine } from './spawn-json-line'

const SCRIPT = fileURLToPath(new URL('./external-engine-child.ts', import.meta.url))

export interface ExternalEngineProcess {
  child: ChildProcess
  northUrl: string
  mqttUrl: string
  stderr(): string
  /** SIGKILL, as a crash: nothing is flushed. Resolves once it is dead. */
  kill9(): Promise<void>
}

/** Starts test/helpers/external-engine-child.ts (an engine whose context broker is `cbUrl`) and waits for its URLs. */
export async function spawnExternalEngine(dataDir: string, cbUrl: string): Promise<ExternalEngineProcess> {
  const p = await spawnJsonLine<{ northUrl: string; mqttUrl: string }>(SCRIPT, [dataDir, cbUrl])
  return {
    child: p.child,
    northUrl: p.info.northUrl,
    mqttUrl: p.info.mqttUrl,
    stderr: () => p.stderr(),
    kill9: async () => {
      if (p.alive()) p.child.kill('SIGKILL')
      await p.exited
    }
  }
}
