/**
 * `serve` as `npm run serve` runs it, for the benchmark: the built JavaScript (out/serve/serve.js,
 * built first when stale by scripts/serve-build.mjs) in its own Node.js process, on ephemeral
 * loopback ports. The time to "Ready." is taken from the spawn; the memory is the process's
 * resident set as Linux reports it (/proc/<pid>/status VmRSS), so it is the engine's alone.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { EPHEMERAL_PORT_FLAGS } from '../helpers/ports'

const root = join(import.meta.dirname, '..', '..')
export const SERVE_ENTRY = join(root, 'out', 'serve', 'serve.js')
export const LOOPBACK_PORTS = ['--host', '127.0.0.1', ...EPHEMERAL_PORT_FLAGS]

/** Builds out/serve when it is missing or older than its sources. */
export async function ensureServeBuilt(): Promise<void> {
  const child = spawn(process.execPath, [join(root, 'scripts', 'serve-build.mjs')], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] })
  child.stdout.on('data', (d: Buffer) => process.stderr.write(d))
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  if (code !== 0) throw new Error(`scripts/serve-build.mjs exited with code ${code}`)
}

/** Resident set size of a process in MiB (Linux /proc); NaN where there is no /proc. */
export function rssMb(pid: number): number {
  try {
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
    return kb ? Math.round(Number(kb) / 1024) : NaN
  } catch {
    return NaN
  }
}

export interface ServeProcess {
  pid: number
  /** Milliseconds from the spawn to the "Ready." line. */
  readyMs: number
  lines: string[]
  /** The URL printed on the endpoint line starting with `name` (e.g. 'NGSI-v2 context broker'). */
  url(name: string): string
  rssMb(): number
  stop(): Promise<void>
}

/** Spawns the built serve with a fresh data directory and `args`, and waits for "Ready.". */
export async function startBuiltServe(args: string[]): Promise<ServeProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ulcc-bench-serve-'))
  const started = performance.now()
  const child: ChildProcess = spawn(process.execPath, [SERVE_ENTRY, '--data-dir', dataDir, ...args], {
    cwd: root,
    env: { ...process.env, ULCC_GUI_TOKEN: '' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const readyMs = await new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString()
      if (/^Ready\./m.test(stdout)) resolve(performance.now() - started)
    })
    void exited.then(() => reject(new Error(`serve exited before "Ready.":\n${stdout}${stderr}`)))
  })
  const lines = stdout.split('\n')
  return {
    pid: child.pid!,
    readyMs,
    lines,
    url: (name) => {
      const url = lines.find((l) => l.startsWith(name))?.slice(name.length).trim().split(/\s+/)[0]
      if (!url) throw new Error(`serve printed no "${name}" line:\n${stdout}`)
      return url
    },
    rssMb: () => rssMb(child.pid!),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM')
      await exited
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
}
