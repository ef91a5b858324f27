#!/usr/bin/env node
/**
 * Builds `serve` (electron/serve.ts and the engine it imports) into plain JavaScript,
 * out/serve/serve.js, so that `npm run serve` starts Node.js on built code instead of compiling
 * TypeScript at every start. The packages the engine runs on (package.json "dependencies") stay
 * in node_modules, but for the few bundled in (BUILD_SCRIPT); everything of ours is bundled into
 * that file, except what is loaded only in some modes (the external MQTT broker), which goes into
 * out/serve/assets/ and is loaded on demand.
 *
 * Like scripts/renderer-build.ts does for the renderer: built only when out/serve/serve.js is
 * missing or older than its sources, with Vite in a child process, into a fresh folder that then
 * replaces out/serve in one rename (a serve already running keeps the code it loaded). Plain
 * JavaScript, so that the launcher (scripts/serve.mjs) needs no TypeScript loader.
 *
 * Run directly (`node scripts/serve-build.mjs`), it builds when needed and says why; exit code 1
 * when the build fails.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { builtFrom, newestSource, runNodeScript, swapIn, writeStamp } from './build-steps.mjs'

/** What serve is built from, relative to the project root. */
const SOURCES = ['electron/serve.ts', 'electron/engine', 'shared', 'resources/lessons', 'scripts/renderer-build.ts', 'scripts/serve-build.mjs', 'scripts/build-steps.mjs', 'package.json', 'tsconfig.base.json']

/** The built entry point. */
export function serveEntry(root) {
  return join(root, 'out', 'serve', 'serve.js')
}

/**
 * Why serve must be built, or undefined when out/serve/serve.js is up to date (or there are no
 * sources to build from, as in a copy that ships the built file only).
 */
export function serveBuildReason(root) {
  const entry = serveEntry(root)
  if (!existsSync(entry)) return 'out/serve/serve.js is missing'
  if (!existsSync(join(root, 'electron', 'serve.ts'))) return undefined
  const built = builtFrom(join(root, 'out', 'serve'), entry)
  const newest = newestSource(root, SOURCES)
  return newest.mtimeMs > built ? `out/serve is older than ${newest.path}` : undefined
}

/**
 * Run with `node --input-type=module -e`, in the project root: Vite's server-side build (Node.js
 * target) of electron/serve.ts into ULCC_SERVE_OUT. Dependencies from node_modules stay imports,
 * except three plain ES-module ones bundled in, which Node.js would otherwise load file by file at
 * every start (typebox alone is some 700 files). The lessons of resources/lessons are parsed here
 * once (electron/engine/lessons/preparsed.ts; the options are LESSON_YAML_OPTIONS of lesson-file.ts,
 * and a difference only makes serve parse the files itself).
 */
const BUILD_SCRIPT = `
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import { build } from 'vite'
import { parse, parseDocument } from 'yaml'

const yamlOptions = { maxAliasCount: 50, prettyErrors: true }
const lessons = {}
const dir = join('resources', 'lessons')
for (const name of (existsSync(dir) ? readdirSync(dir) : []).filter((n) => /\\.ya?ml$/i.test(n))) {
  const text = readFileSync(join(dir, name), 'utf8')
  const doc = parseDocument(text, yamlOptions)
  if (doc.errors.length || doc.warnings.length) continue
  const value = parse(text, yamlOptions)
  const json = JSON.stringify(value)
  if (json === undefined || !isDeepStrictEqual(JSON.parse(json), value)) continue
  lessons[createHash('sha256').update(JSON.stringify(yamlOptions)).update('\\n').update(text).digest('hex')] = json
}

await build({
  configFile: false,
  root: process.cwd(),
  logLevel: 'warn',
  publicDir: false,
  define: { __ULCC_PREPARSED_LESSONS__: JSON.stringify(lessons) },
  ssr: { noExternal: ['typebox', 'yaml', 're2js'] },
  build: {
    ssr: 'electron/serve.ts',
    outDir: process.env.ULCC_SERVE_OUT,
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    reportCompressedSize: false,
    rolldownOptions: { output: { format: 'es', entryFileNames: 'serve.js' } }
  }
})
`

/**
 * Writes every character beyond Latin-1 of the built files as a \u escape (they are in strings,
 * templates and comments, where an escape means the same character; a file with String.raw, where
 * it would not, is left as it is): V8 keeps a module's source in memory, and a single such
 * character makes it keep the whole file at two bytes a character.
 */
function latin1Only(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.js')) continue
    const file = join(entry.parentPath, entry.name)
    const code = readFileSync(file, 'utf8')
    if (/[\u0100-\uffff]/.test(code) && !code.includes('String.raw')) writeFileSync(file, code.replace(/[\u0100-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`))
  }
}

/**
 * Builds out/serve when it is missing or stale; `onStart` hears why, before the build begins.
 * Resolves with `{ reason, ms }` after a build, `{}` when it was up to date.
 */
export async function ensureServeBuilt(root, onStart = () => undefined) {
  const reason = serveBuildReason(root)
  if (!reason) return {}
  onStart(reason)
  const out = join(root, 'out')
  mkdirSync(out, { recursive: true })
  const started = Date.now()
  const fresh = join(out, `.serve-build-${process.pid}-${started}`)
  // Taken before building: a source saved during the build makes the next run build again.
  const sources = newestSource(root, SOURCES)
  try {
    await runNodeScript(root, BUILD_SCRIPT, { ULCC_SERVE_OUT: fresh }, 'serve')
    latin1Only(fresh)
    writeStamp(fresh, sources.mtimeMs)
    swapIn(fresh, join(out, 'serve'))
  } finally {
    rmSync(fresh, { recursive: true, force: true })
  }
  return { reason, ms: Date.now() - started }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(fileURLToPath(new URL('..', import.meta.url)))
  try {
    const built = await ensureServeBuilt(root, (reason) => process.stdout.write(`Building serve (${reason})…\n`))
    process.stdout.write(built.ms !== undefined ? `serve built in ${(built.ms / 1000).toFixed(1)} s\n` : 'out/serve is up to date\n')
  } catch (err) {
    process.stderr.write(`${err.message}\n`)
    process.exitCode = 1
  }
}
