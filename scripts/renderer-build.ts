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
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, unlinkSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { builtFrom, newestSource, runNodeScript, swapIn, writeStamp } from './build-steps.mjs'

/** What the renderer is built from, relative to the project root. */
const SOURCES = ['renderer', 'shared', 'electron.vite.config.ts', 'package.json']
const LOCK_STALE_MS = 5 * 60_000
const LOCK_WAIT_MS = 5 * 60_000

export function rendererOutDir(root: string): string {
  return join(root, 'out', 'renderer')
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
  const built = builtFrom(out, index)
  const newest = newestSource(root, SOURCES)
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
    const sources = newestSource(root, SOURCES)
    try {
      await runNodeScript(root, BUILD_SCRIPT, { ULCC_RENDERER_OUT: fresh }, 'the renderer')
      writeStamp(fresh, sources.mtimeMs)
      swapIn(fresh, rendererOutDir(root))
    } finally {
      rmSync(fresh, { recursive: true, force: true })
    }
    return { reason, ms: Date.now() - started }
  } finally {
    release()
  }
}
