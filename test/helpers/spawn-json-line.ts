import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url))

export interface SpawnedScript<T> {
  child: ChildProcess
  /** The JSON object the script printed as its first line. */
  info: T
  /** What it wrote on stderr so far. */
  stderr(): string
  /** Resolves once the process has exited. */
  exited: Promise<void>
  alive(): boolean
}

/**
 * Runs `node --import tsx <script> <args…>` from the project root and resolves once the script
 * printed its first line, a JSON object (the ports it listens on, typically). Rejects, with its
 * stderr, if it exits first or says nothing within `timeoutMs`.
 */
export async function spawnJsonLine<T>(script: string, args: string[], timeoutMs = 20_000): Promise<SpawnedScript<T>> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const info = await new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${script} did not start in ${timeoutMs} ms:\n${stderr}`))
    }, timeoutMs)
    const onData = (): void => {
      const nl = stdout.indexOf('\n')
      if (nl < 0) return
      clearTimeout(timer)
      child.stdout.off('data', onData)
      try {
        resolve(JSON.parse(stdout.slice(0, nl)) as T)
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)))
      }
    }
    child.stdout.on('data', onData)
    void exited.then(() => {
      clearTimeout(timer)
      reject(new Error(`${script} exited at start:\n${stderr}`))
    })
  })
  return { child, info, stderr: () => stderr, exited, alive: () => child.exitCode === null && child.signalCode === null }
}
