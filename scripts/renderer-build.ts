/**
 * Keeps the built renderer (out/renderer), which the GUI server serves, in step with its sources:
 * `npm run serve` (electron/serve.ts, at start-up) and the GUI tests build it when it is missing or
 * older than renderer/, so that a fresh checkout or an edited page works without a separate
 * `npm run build`. (A packaged app ships it built and has no sources to compare with.) Build
 * tooling, not part of the engine: the engine only serves the folder it is given.
 *
 * Only the renderer is built (Vite, with the renderer part of electron.vite.config.ts), in a child
 * process and into a fresh folder that then replaces out/renderer in one rename, so that a server
 * already running never serves a half-written folder. A lock file keeps parallel builders (test
 * workers, two terminals) from building at the same time.
 */
import { spawn } from 'node:child_process'
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'

/** What the renderer is built from, relative to the project root. */
const SOURCES = ['renderer', 'shared', 'electron.vite.config.ts', 'package.json']
const LOCK_STALE_MS = 5 * 60_000
const LOCK_WAIT_MS = 5 * 60_000

export function rendererOutDir(root: string): string {
  return join(root, 'out', 'renderer')
}

function newestChange(path: string): number {
  let st
  try {
    st = statSync(path)
  } catch {
    return 0
  }
  if (!st.isDirectory()) return st.mtimeMs
  let newest = 0
  for (const name of readdirSync(path)) if (name !== 'node_modules') newest = Math.max(newest, newestChange(join(path, name)))
  return newest
}

/** Written into the built folder: the newest source change the build included. */
const STAMP = '.ulcc-build.json'

function newestSource(root: string): { mtimeMs: number; path?: string } {
  let newest: { mtimeMs: number; path?: string } = { mtimeMs: 0 }
  for (const s of SOURCES) {
    const m = newestChange(join(root, s))
    if (m > newest.mtimeMs) newest = { mtimeMs: m, path: s }
  }
  return newest
}

/**
 * Why the renderer must be built, or undefined when out/renderer is up to date (or there are no
 * sources to build from). A build of ours records the newest source time it included, so that a
 * file dated in the future (clock skew, an archive) does not make every run rebuild; a build by
 * `npm run build` is compared by its index.html's time.
 */
export function rendererBuildReason(root: string): string | undefined {
  const out = rendererOutDir(root)
  const index = join(out, 'index.html')
  if (!existsSync(index)) return 'out/renderer/index.html is missing'
  if (!existsSync(join(root, 'renderer', 'index.html'))) return undefined
  let built = statSync(index).mtimeMs
  try {
    const stamp = JSON.parse(readFileSync(join(out, STAMP), 'utf8')) as { sourcesMtimeMs?: unknown }
    if (typeof stamp.sourcesMtimeMs === 'number') built = stamp.sourcesMtimeMs
  } catch {
    // No stamp: built by electron-vite itself.
  }
  const newest = newestSource(root)
  return newest.mtimeMs > built ? `out/renderer is older than ${newest.path}` : undefined
}

/** Run with `node --input-type=module -e`, in the project root: builds the renderer into ULCC_RENDERER_OUT. */
const BUILD_SCRIPT = `
import { resolveConfig } from 'electron-vite'
import { build } from 'vite'
process.env.NODE_ENV_ELECTRON_VITE = 'production'
const resolved = await resolveConfig({ root: process.cwd(), logLevel: 'warn' }, 'build', 'production')
const renderer = resolved.config && resolved.config.renderer
if (!renderer) throw new Error('electron.vite.config.ts defines no renderer')
renderer.build = { ...renderer.build, outDir: process.env.ULCC_RENDERER_OUT, emptyOutDir: true }
await build(renderer)
`

function runBuild(root: string, outDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', BUILD_SCRIPT], {
      cwd: root,
      env: { ...process.env, ULCC_RENDERER_OUT: outDir, NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let output = ''
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-8000)
    }
    child.stdout.on('data', keep)
    child.stderr.on('data', keep)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      if (code === 0) resolve()
      else reject(new Error(`building the renderer failed (${signal ?? `exit code ${code}`}):\n${output.trim()}`))
    })
  })
}

/** Replaces out/renderer with the freshly built folder. */
function swapIn(fresh: string, target: string): void {
  const old = `${target}.old-${process.pid}`
  rmSync(old, { recursive: true, force: true })
  if (existsSync(target)) renameSync(target, old)
  try {
    renameSync(fresh, target)
  } catch (err) {
    if (existsSync(old) && !existsSync(target)) renameSync(old, target)
    throw err
  }
  rmSync(old, { recursive: true, force: true })
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Takes the build lock, waiting for another builder; a lock left by a dead or long-gone process is broken. */
async function lock(path: string): Promise<() => void> {
  const deadline = Date.now() + LOCK_WAIT_MS
  for (;;) {
    try {
      const fd = openSync(path, 'wx')
      writeSync(fd, `${process.pid} ${Date.now()}\n`)
      closeSync(fd)
      return () => rmSync(path, { force: true })
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
    let stale = false
    try {
      const [pid, since] = readFileSync(path, 'utf8').trim().split(' ').map(Number)
      stale = !pid || !processAlive(pid) || Date.now() - (since ?? 0) > LOCK_STALE_MS
    } catch {
      // Removed meanwhile, or not written yet: look again.
    }
    if (stale) {
      try {
        unlinkSync(path)
      } catch {
        // Someone else broke it first.
      }
      continue
    }
    if (Date.now() > deadline) throw new Error(`another process has been building the renderer for too long (lock file ${path})`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** Folders a builder killed mid-way left behind (`.renderer-build-<pid>-…`, `renderer.old-<pid>`). */
function removeLeftovers(out: string): void {
  for (const name of readdirSync(out)) {
    const pid = /^(?:\.renderer-build-|renderer\.old-)(\d+)/.exec(name)?.[1]
    if (pid && !processAlive(Number(pid))) rmSync(join(out, name), { recursive: true, force: true })
  }
}

export interface RendererBuildResult {
  /** Why it was built; undefined when it was up to date. */
  reason?: string
  ms?: number
}

/**
 * Builds out/renderer when it is missing or stale (see rendererBuildReason); `onStart` hears why,
 * before the build begins. Several processes may call this at once: one builds, the others wait
 * for it and find the result up to date.
 */
export async function ensureRendererBuilt(root: string, onStart: (reason: string) => void = () => undefined): Promise<RendererBuildResult> {
  if (!rendererBuildReason(root)) return {}
  const out = join(root, 'out')
  mkdirSync(out, { recursive: true })
  const release = await lock(join(out, '.renderer-build.lock'))
  try {
    removeLeftovers(out)
    const reason = rendererBuildReason(root)
    if (!reason) return {}
    onStart(reason)
    const started = Date.now()
    const fresh = join(out, `.renderer-build-${process.pid}-${started}`)
    // Taken before building: a source saved during the build makes the next run build again.
    const sources = newestSource(root)
    try {
      await runBuild(root, fresh)
      writeFileSync(join(fresh, STAMP), JSON.stringify({ sourcesMtimeMs: sources.mtimeMs, builtAt: new Date().toISOString() }) + '\n')
      swapIn(fresh, rendererOutDir(root))
    } finally {
      rmSync(fresh, { recursive: true, force: true })
    }
    return { reason, ms: Date.now() - started }
  } finally {
    release()
  }
}
