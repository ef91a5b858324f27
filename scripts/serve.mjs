#!/usr/bin/env node
/**
 * `npm run serve`: the headless engine with the browser GUI (electron/serve.ts), run as built
 * JavaScript, out/serve/serve.js. Builds it first when it is missing or older than its sources
 * (scripts/serve-build.mjs), then runs it in this process; the arguments go to serve as they are
 * (`npm run serve -- --help`).
 */
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { ensureServeBuilt, serveEntry } from './serve-build.mjs'

const root = resolve(fileURLToPath(new URL('..', import.meta.url)))
const entry = serveEntry(root)

try {
  const built = await ensureServeBuilt(root, (reason) => process.stdout.write(`Building serve (${reason})…\n`))
  if (built.ms !== undefined) process.stdout.write(`serve built in ${(built.ms / 1000).toFixed(1)} s\n`)
} catch (err) {
  // A failed build leaves the previous one in place: better the previous serve than none.
  if (!existsSync(entry)) {
    process.stderr.write(`cannot start: ${err.message}\n`)
    process.exit(1)
  }
  process.stderr.write(`warning: running the previous build of serve: ${err.message}\n`)
}

await import(pathToFileURL(entry).href)
