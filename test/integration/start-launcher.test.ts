import { spawn } from 'node:child_process'
import { createServer, type Server, type Socket } from 'node:net'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/temp-dir'
import { waitFor } from '../helpers/wait-for'

/**
 * `npm start` without the Electron binary: scripts/start.mjs tries the download once and, when it
 * fails, explains and exits non-zero instead of hanging. Each run points the binary lookup at an
 * empty folder (so the tests behave the same where Electron is installed) and the download at a
 * local server (so they never reach the internet, nor depend on how this machine fails to).
 */

const root = join(import.meta.dirname, '..', '..')
/** Far above any normal run (well under a second here): only a hang reaches it. */
const HANG_LIMIT_MS = 60_000

interface Run {
  code: number | null
  signal: NodeJS.Signals | null
  output: string
}

function runStart(env: Record<string, string | undefined>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env }
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete childEnv[k]
    const child = spawn(process.execPath, ['scripts/start.mjs'], { cwd: root, env: childEnv, timeout: HANG_LIMIT_MS, killSignal: 'SIGKILL' })
    let output = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d))
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ code, signal, output }))
  })
}

/** A download server that accepts connections and never answers: a network that swallows requests. */
async function silentServer(): Promise<{ url: string; server: Server; sockets: Set<Socket>; connections: () => number }> {
  const sockets = new Set<Socket>()
  let connections = 0
  const server = createServer((socket) => {
    connections++
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    // Read (and drop) the request, so that the installer hanging up is seen as 'close'.
    socket.resume()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return { url: `http://127.0.0.1:${port}/`, server, sockets, connections: () => connections }
}

function closeServer(s: { server: Server; sockets: Set<Socket> }): Promise<void> {
  for (const socket of s.sockets) socket.destroy()
  return new Promise((resolve) => s.server.close(() => resolve()))
}

/** A port nobody listens on: connections to it are refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

function expectFriendlyFailure(run: Run): void {
  expect(run.signal, `start.mjs was killed after ${HANG_LIMIT_MS} ms: it hung`).toBeNull()
  expect(run.code).toBe(1)
  expect(run.output).toContain('the desktop window needs the Electron binary, which could not be downloaded')
  expect(run.output).toContain('npm run serve')
}

describe('npm start without the Electron binary', () => {
  const cleanups: Array<() => void | Promise<void>> = []
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c()
  })

  function isolated(): Record<string, string> {
    const dist = tempDir('ulcc-no-electron-')
    const cache = tempDir('ulcc-electron-cache-')
    cleanups.push(dist.cleanup, cache.cleanup)
    return { ELECTRON_OVERRIDE_DIST_PATH: dist.path, electron_config_cache: cache.path }
  }

  it(
    'tries the download, and when the server cannot be reached says why and points to npm run serve',
    async () => {
      const port = await closedPort()
      const run = await runStart({ ...isolated(), ELECTRON_SKIP_BINARY_DOWNLOAD: undefined, ELECTRON_MIRROR: `http://127.0.0.1:${port}/` })
      expectFriendlyFailure(run)
      expect(run.output).toContain('downloading Electron')
      expect(run.output).toMatch(/Why: 127\.0\.0\.1:\d+ could not be reached \(.*ECONNREFUSED/)
    },
    HANG_LIMIT_MS + 10_000
  )

  it(
    'gives up on a download that receives nothing, and stops the installer',
    async () => {
      const silent = await silentServer()
      cleanups.push(() => closeServer(silent))
      const run = await runStart({
        ...isolated(),
        ELECTRON_SKIP_BINARY_DOWNLOAD: undefined,
        ELECTRON_MIRROR: silent.url,
        ULCC_ELECTRON_DOWNLOAD_STALL_SECONDS: '2'
      })
      expectFriendlyFailure(run)
      expect(silent.connections()).toBeGreaterThan(0)
      expect(run.output).toMatch(/Why: no data from 127\.0\.0\.1:\d+ for 2 s/)
      // The installer was killed, not left behind: its connection closes.
      await waitFor(() => silent.sockets.size === 0, 'the installer to let go of its connection')
    },
    HANG_LIMIT_MS + 10_000
  )

  it(
    'honours ELECTRON_SKIP_BINARY_DOWNLOAD: no download attempt, same advice',
    async () => {
      const silent = await silentServer()
      cleanups.push(() => closeServer(silent))
      const run = await runStart({ ...isolated(), ELECTRON_SKIP_BINARY_DOWNLOAD: '1', ELECTRON_MIRROR: silent.url })
      expectFriendlyFailure(run)
      expect(run.output).toContain('Why: ELECTRON_SKIP_BINARY_DOWNLOAD is set, so no download was attempted.')
      expect(run.output).not.toContain('downloading Electron')
      expect(silent.connections()).toBe(0)
    },
    HANG_LIMIT_MS + 10_000
  )
})
