/**
 * The steps the two on-demand builds share (scripts/renderer-build.ts for the browser GUI,
 * scripts/serve-build.mjs for `serve`): telling whether a build is older than its sources, running
 * Vite in a child process, and putting the fresh folder in place with one rename. Plain
 * JavaScript (typed by build-steps.d.mts), so that `npm run serve`'s launcher needs no TypeScript
 * loader.
 */
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** Written into a built folder: the newest source change the build included. */
export const STAMP = '.ulcc-build.json'

function newestChange(path) {
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

/** The newest change among `sources` (paths relative to `root`, folders walked), and which source it is in. */
export function newestSource(root, sources) {
  let newest = { mtimeMs: 0, path: undefined }
  for (const s of sources) {
    const m = newestChange(join(root, s))
    if (m > newest.mtimeMs) newest = { mtimeMs: m, path: s }
  }
  return newest
}

/**
 * When the build in `dir` was made from its sources: the time its stamp records (so that a file
 * dated in the future does not make every run rebuild), else the time of `file`, a file of the build.
 */
export function builtFrom(dir, file) {
  let built = statSync(file).mtimeMs
  try {
    const stamp = JSON.parse(readFileSync(join(dir, STAMP), 'utf8'))
    if (typeof stamp.sourcesMtimeMs === 'number') built = stamp.sourcesMtimeMs
  } catch {
    // No stamp: built by another tool (electron-vite itself), compared by the file's own time.
  }
  return built
}

export function writeStamp(dir, sourcesMtimeMs) {
  writeFileSync(join(dir, STAMP), JSON.stringify({ sourcesMtimeMs, builtAt: new Date().toISOString() }) + '\n')
}

/** Runs `script` with `node --input-type=module -e` in `root`; rejects with the end of its output, naming `what`. */
export function runNodeScript(root, script, env, what) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: root,
      env: { ...process.env, ...env, NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let output = ''
    const keep = (chunk) => {
      output = (output + chunk.toString()).slice(-8000)
    }
    child.stdout.on('data', keep)
    child.stderr.on('data', keep)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      if (code === 0) resolve()
      else reject(new Error(`building ${what} failed (${signal ?? `exit code ${code}`}):\n${output.trim()}`))
    })
  })
}

/** Replaces `target` with the freshly built folder `fresh`, in one rename (the old folder is put back if that fails). */
export function swapIn(fresh, target) {
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
