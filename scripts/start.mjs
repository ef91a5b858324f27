#!/usr/bin/env node
/**
 * `npm start`: the desktop app. Builds it when the sources are newer than out/, then runs it in
 * Electron (arguments after `--` go to the app, e.g. `npm start -- --ngsi-port 1027`).
 *
 * The Electron binary does not come from the npm registry: node_modules/electron/install.js
 * downloads it from GitHub (or ELECTRON_MIRROR). When it is missing, this script tries that
 * download once, watching it so that a network that swallows packets cannot hang it, and when
 * the download fails it says so and points to `npm run serve`, which needs no binary.
 *
 * Environment:
 *   ELECTRON_SKIP_BINARY_DOWNLOAD=1            do not try to download
 *   ULCC_ELECTRON_DOWNLOAD_STALL_SECONDS=30    give up when no data arrives for this long
 *   ULCC_ELECTRON_DOWNLOAD_TIMEOUT_SECONDS=900 give up after this long in any case
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(fileURLToPath(new URL('..', import.meta.url)))
const electronDir = join(root, 'node_modules', 'electron')
const PRODUCT = 'UltraLight Control Center'

function seconds(name, fallback) {
  const v = Number(process.env[name])
  return Number.isFinite(v) && v > 0 ? v : fallback
}

/** The Electron executable, found the way node_modules/electron/index.js finds it; undefined when absent. */
function electronBinary() {
  let relative
  try {
    relative = readFileSync(join(electronDir, 'path.txt'), 'utf8').trim()
  } catch {
    relative = undefined
  }
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH
  if (!relative && !override) return undefined
  const binary = override ? join(override, relative || 'electron') : join(electronDir, 'dist', relative)
  return existsSync(binary) ? binary : undefined
}

function skipDownloadRequested() {
  const v = (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD ?? '').trim().toLowerCase()
  return v !== '' && v !== '0' && v !== 'false'
}

function downloadHost() {
  const mirror = process.env.ELECTRON_MIRROR || process.env.npm_config_electron_mirror || process.env.NPM_CONFIG_ELECTRON_MIRROR
  try {
    return new URL(mirror || 'https://github.com/').host
  } catch {
    return mirror
  }
}

/** Total size of the files under `dir` (0 when it does not exist): how far the download has got. */
function bytesUnder(dir) {
  let total = 0
  let entries
  try {
    entries = readdirSync(dir, { withFileTypes: true })
  } catch {
    return 0
  }
  for (const e of entries) {
    const p = join(dir, e.name)
    try {
      total += e.isDirectory() ? bytesUnder(p) : statSync(p).size
    } catch {
      // A file that was moved away between readdir and stat (the finished zip goes to the cache).
    }
  }
  return total
}

/** The installer's error, in one line a person can act on. */
function explain(stderr) {
  const line = stderr.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? ''
  const message = line.replace(/^[A-Za-z]*Error:\s*/, '')
  const host = /(?:ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH)\s+(\S+)/.exec(message)?.[1]
  if (/ENOTFOUND|EAI_AGAIN/.test(message)) return `${host ?? downloadHost()} could not be found; there seems to be no internet connection (${message})`
  if (/ECONNREFUSED|EHOSTUNREACH|ENETUNREACH/.test(message)) return `${host ?? downloadHost()} could not be reached (${message})`
  if (/ECONNRESET|ETIMEDOUT/.test(message)) return `the connection to ${host ?? downloadHost()} broke off (${message})`
  return message || 'the Electron installer failed without saying why'
}

/** Runs node_modules/electron/install.js with a visible note, and stops it when it stalls or takes too long. */
function download() {
  if (!existsSync(join(electronDir, 'install.js'))) {
    return Promise.resolve({ ok: false, reason: 'the electron package is not installed (run npm install)' })
  }
  const stallMs = seconds('ULCC_ELECTRON_DOWNLOAD_STALL_SECONDS', 30) * 1000
  const limitMs = seconds('ULCC_ELECTRON_DOWNLOAD_TIMEOUT_SECONDS', 900) * 1000
  const version = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version
  process.stderr.write(
    `The Electron binary is not installed yet: downloading Electron ${version} (about 100 MB) from ${downloadHost()}…\n` +
      `  (this gives up after ${stallMs / 1000} s without data; Ctrl+C stops it)\n`
  )

  // @electron/get downloads into the system temporary folder: a private one lets the download's
  // progress be watched (its bytes there, then the files unpacked into node_modules/electron/dist).
  const tmp = mkdtempSync(join(tmpdir(), 'ulcc-electron-'))
  const env = { ...process.env, TMPDIR: tmp, TMP: tmp, TEMP: tmp }
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD
  const child = spawn(process.execPath, [join(electronDir, 'install.js')], { cwd: electronDir, env, stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-8192)
  })

  const started = Date.now()
  let lastBytes = -1
  let lastChange = started
  let lastNote = started
  let stoppedBecause
  const stop = (reason) => {
    stoppedBecause ??= reason
    child.kill('SIGKILL')
  }
  const onInterrupt = () => stop('interrupted (Ctrl+C)')
  process.once('SIGINT', onInterrupt)
  const watch = setInterval(() => {
    const now = Date.now()
    const bytes = bytesUnder(tmp) + bytesUnder(join(electronDir, 'dist'))
    if (bytes !== lastBytes) {
      lastBytes = bytes
      lastChange = now
    }
    if (now - lastChange > stallMs) stop(`no data from ${downloadHost()} for ${Math.round(stallMs / 1000)} s (is the network blocked?)`)
    else if (now - started > limitMs) stop(`the download did not finish within ${Math.round(limitMs / 1000)} s`)
    else if (now - lastNote >= 10_000) {
      lastNote = now
      process.stderr.write(`  … ${Math.round((now - started) / 1000)} s, ${(bytes / 1e6).toFixed(1)} MB so far\n`)
    }
  }, 500)

  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearInterval(watch)
      process.off('SIGINT', onInterrupt)
      rmSync(tmp, { recursive: true, force: true })
      if (stoppedBecause) resolve({ ok: false, reason: stoppedBecause })
      else if (code !== 0) resolve({ ok: false, reason: explain(stderr) })
      else resolve({ ok: true })
    })
    child.on('error', (err) => stop(err.message))
  })
}

function explainAndExit(reason) {
  process.stderr.write(
    `\n${PRODUCT}: the desktop window needs the Electron binary, which could not be downloaded.\n` +
      `  Why: ${reason}\n\n` +
      `The same app runs in your web browser, without Electron:\n` +
      `  npm run serve\n\n`
  )
  process.exit(1)
}

/** Newest modification time under the given files and folders (node_modules aside). */
function newestChange(paths) {
  let newest = 0
  const visit = (p) => {
    let st
    try {
      st = statSync(p)
    } catch {
      return
    }
    if (!st.isDirectory()) newest = Math.max(newest, st.mtimeMs)
    else for (const name of readdirSync(p)) if (name !== 'node_modules') visit(join(p, name))
  }
  for (const p of paths) visit(join(root, p))
  return newest
}

function needsBuild() {
  const outputs = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'].map((p) => join(root, p))
  if (!outputs.every((p) => existsSync(p))) return true
  const built = Math.min(...outputs.map((p) => statSync(p).mtimeMs))
  const sources = ['electron', 'shared', 'renderer', 'resources', 'package.json', 'electron.vite.config.ts', 'tsconfig.base.json']
  return newestChange(sources) > built
}

/** Runs a child with the terminal attached; resolves with its exit code, passing Ctrl+C and kills on to it. */
function run(command, args, env = process.env) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env, stdio: 'inherit' })
    const signals = process.platform === 'win32' ? ['SIGINT', 'SIGTERM'] : ['SIGINT', 'SIGTERM', 'SIGHUP']
    const forward = (signal) => child.kill(signal)
    for (const s of signals) process.on(s, forward)
    child.on('error', (err) => {
      process.stderr.write(`cannot run ${command}: ${err.message}\n`)
      resolve(1)
    })
    child.on('close', (code, signal) => {
      for (const s of signals) process.off(s, forward)
      resolve(code ?? (signal ? 1 : 0))
    })
  })
}

async function main() {
  let binary = electronBinary()
  if (!binary) {
    if (skipDownloadRequested()) explainAndExit('ELECTRON_SKIP_BINARY_DOWNLOAD is set, so no download was attempted.')
    const result = await download()
    binary = electronBinary()
    if (!result.ok) explainAndExit(result.reason)
    if (!binary) explainAndExit('the Electron installer finished but left no binary in node_modules/electron/dist.')
  }

  if (needsBuild()) {
    const code = await run(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'])
    if (code !== 0) process.exit(code)
  }

  // ELECTRON_RUN_AS_NODE (set by some tools) would turn the binary into a plain Node.js.
  const env = { ...process.env }
  delete env.ELECTRON_RUN_AS_NODE
  process.exit(await run(binary, [root, ...process.argv.slice(2)], env))
}

await main()
