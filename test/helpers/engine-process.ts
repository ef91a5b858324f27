import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const SCRIPT = fileURLToPath(new URL('./engine-child.ts', import.meta.url))
const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url))

export interface EngineProcess {
  child: ChildProcess
  northUrl: string
  ngsiUrl: string
  mqttUrl: string
  /** What the engine wrote on stderr (its log at WARN and above). */
  stderr(): string
  /** SIGKILL, as a crash or a power cut of the process: nothing is flushed. Resolves once it is dead. */
  kill9(): Promise<void>
  /** Sends the signal now, synchronously (for a kill from inside a callback). */
  killNow(): void
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

/** Starts `node --import tsx test/helpers/engine-child.ts <dataDir>` and waits for its URLs. */
export async function spawnEngineProcess(dataDir: string, timeoutMs = 20_000): Promise<EngineProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, dataDir], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
  const urls = await new Promise<{ northUrl: string; ngsiUrl: string; mqttUrl: string }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`the engine process did not start in ${timeoutMs} ms:\n${stderr}`))
    }, timeoutMs)
    const onData = (): void => {
      const nl = stdout.indexOf('\n')
      if (nl < 0) return
      clearTimeout(timer)
      child.stdout.off('data', onData)
      try {
        resolve(JSON.parse(stdout.slice(0, nl)))
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)))
      }
    }
    child.stdout.on('data', onData)
    void exited.then(({ code, signal }) => {
      clearTimeout(timer)
      reject(new Error(`the engine process exited at start (${code ?? signal}):\n${stderr}`))
    })
  })
  const killNow = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
  return {
    child,
    ...urls,
    stderr: () => stderr,
    killNow,
    kill9: async () => {
      killNow()
      await exited
    },
    exited
  }
}
