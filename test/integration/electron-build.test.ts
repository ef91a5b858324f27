/**
 * `electron-vite build` of the whole desktop app (main, preload, renderer), into a temporary
 * folder, and the properties of what it writes that the packaged app rests on: a main bundle that
 * opens a hardened window and leaves the engine's packages in node_modules, a preload a sandboxed
 * page can load (one CommonJS file that requires nothing but electron), and a renderer page that
 * carries the app's Content-Security-Policy and loads nothing but its own files.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rendererCsp } from '../../shared/csp'
import { tempDir } from '../helpers/temp-dir'

const root = join(import.meta.dirname, '..', '..')
let out: ReturnType<typeof tempDir>
let build: ReturnType<typeof spawnSync>

beforeAll(() => {
  out = tempDir('ulcc-electron-build-')
  build = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build', '--outDir', out.path], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'production' }
  })
}, 120_000)

afterAll(() => out?.cleanup())

const read = (path: string): string => readFileSync(join(out.path, path), 'utf8')

describe('electron-vite build', () => {
  it('builds main, preload and renderer', () => {
    expect(build.status, `${String(build.stdout)}\n${String(build.stderr)}`).toBe(0)
    for (const file of ['main/index.js', 'preload/index.cjs', 'renderer/index.html']) expect(existsSync(join(out.path, file)), file).toBe(true)
  })

  it('main: an ES module that opens a hardened window and keeps the engine packages external', () => {
    const main = read('main/index.js')
    expect(main).toMatch(/^import .* from "electron";?$/m)
    for (const setting of ['contextIsolation: true', 'sandbox: true', 'nodeIntegration: false', 'webviewTag: false']) expect(main).toContain(setting)
    expect(main).not.toMatch(/nodeIntegration: true|contextIsolation: false|sandbox: false|webSecurity: false/)
    // Packages the engine runs on are loaded from node_modules, not copied into the bundle.
    for (const pkg of ['aedes', 'fastify', 'nedb-promises']) expect(main).toMatch(new RegExp(`from "${pkg}"`))
    // The MQTT client library only when it is needed (external broker, connection test: broker/index.ts).
    expect(main).toContain('import("mqtt")')
  })

  it('preload: one CommonJS file that requires electron and nothing else, exposing only `ulcc`', () => {
    const preload = read('preload/index.cjs')
    const required = [...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1])
    expect(required.length).toBeGreaterThan(0)
    expect(new Set(required)).toEqual(new Set(['electron']))
    expect(preload).not.toMatch(/^\s*(import|export) /m)
    expect([...preload.matchAll(/exposeInMainWorld\(["'](\w+)["']/g)].map((m) => m[1])).toEqual(['ulcc'])
  })

  it("renderer: the app's CSP as a meta tag and relative asset references (the page is loaded from file://)", () => {
    const html = read('renderer/index.html')
    const csp = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(html)?.[1]
    expect(csp).toBe(rendererCsp())
    expect(csp).toContain("script-src 'self'")
    expect(csp).not.toContain('unsafe-eval')
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!)
    expect(refs.length).toBeGreaterThan(0)
    // Nothing from a server: files beside the page, or inline data (the favicon).
    for (const ref of refs) expect(ref.startsWith('./') || ref.startsWith('data:'), ref).toBe(true)
    expect(refs.some((r) => /^\.\/assets\/index-[\w-]+\.js$/.test(r))).toBe(true)
  })
})
