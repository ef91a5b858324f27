import type { ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { RemoteChange, RemoteRequest } from './ngsi-remote'
import { spawnJsonLine } from './spawn-json-line'

export type { RemoteChange, RemoteRequest } from './ngsi-remote'

const SCRIPT = fileURLToPath(new URL('./ngsi-remote.ts', import.meta.url))

export interface RemoteNgsiOptions {
  dataDir: string
  /** 0 or absent: an ephemeral port; give the previous one to restart "the same Orion". */
  port?: number
  /** A file where the remote appends every entity change (survives its SIGKILL). */
  changeLog?: string
  /** Benchmark mode: count and time arrivals of this attribute (a send time in ms) only. */
  probe?: string
  /** false: keep counters only (no request or change records). */
  record?: boolean
}

export interface RemoteCounters {
  requests: number
  changes: number
  probe: { count: number; firstAt: number; lastAt: number }
  latency: { p50Ms: number | null; p99Ms: number | null }
}

/** The NGSI-v2 server of test/helpers/ngsi-remote.ts, running in a child process, as an external Orion. */
export interface RemoteNgsi {
  child: ChildProcess
  pid: number
  port: number
  /** `http://127.0.0.1:<port>`: what the engine is given as IOTA_CB_URL. */
  url: string
  dataDir: string
  requests(): Promise<RemoteRequest[]>
  changes(): Promise<RemoteChange[]>
  counters(): Promise<RemoteCounters>
  reset(): Promise<void>
  /** What it wrote on stderr (its log at WARN and above). */
  stderr(): string
  /** SIGKILL: nothing is flushed. Resolves once it is dead. */
  kill9(): Promise<void>
  /** SIGTERM: closes cleanly. Resolves once it has exited. */
  stop(): Promise<void>
}

export async function startRemoteNgsi(opts: RemoteNgsiOptions): Promise<RemoteNgsi> {
  const p = await spawnJsonLine<{ pid: number; port: number; controlPort: number }>(SCRIPT, [JSON.stringify(opts)])
  const control = `http://127.0.0.1:${p.info.controlPort}`
  const get = async <T>(path: string): Promise<T> => (await (await fetch(control + path)).json()) as T
  return {
    child: p.child,
    pid: p.info.pid,
    port: p.info.port,
    url: `http://127.0.0.1:${p.info.port}`,
    dataDir: opts.dataDir,
    requests: () => get<RemoteRequest[]>('/requests'),
    changes: () => get<RemoteChange[]>('/changes'),
    counters: () => get<RemoteCounters>('/counters'),
    reset: async () => {
      await (await fetch(control + '/reset', { method: 'POST' })).text()
    },
    stderr: () => p.stderr(),
    kill9: async () => {
      if (p.alive()) p.child.kill('SIGKILL')
      await p.exited
    },
    stop: async () => {
      if (p.alive()) p.child.kill('SIGTERM')
      await p.exited
    }
  }
}
