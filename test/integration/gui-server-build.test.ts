import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureRendererBuilt, rendererBuildReason } from '../../scripts/renderer-build'
import { tempDir } from '../helpers/temp-dir'

/**
 * Building out/renderer for `serve` and the GUI tests: only when missing or stale, once when
 * several processes ask together, never leaving a half-built folder. Runs on a small project of
 * its own (the real renderer may be mid-edit), with the real Vite and electron-vite.
 */

const projectRoot = join(import.meta.dirname, '..', '..')
let project: ReturnType<typeof tempDir>

function write(path: string, content: string): void {
  mkdirSync(join(project.path, path, '..'), { recursive: true })
  writeFileSync(join(project.path, path), content)
}

/** Marks a source as changed after the last build. */
function touch(path: string): void {
  const later = new Date(Date.now() + 10_000)
  utimesSync(join(project.path, path), later, later)
}

beforeAll(() => {
  project = tempDir('ulcc-renderer-build-')
  symlinkSync(join(projectRoot, 'node_modules'), join(project.path, 'node_modules'), 'dir')
  write('package.json', '{ "name": "fixture", "type": "module", "private": true }\n')
  write(
    'electron.vite.config.mjs',
    `import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
const root = import.meta.dirname
export default defineConfig({
  renderer: {
    root: resolve(root, 'renderer'),
    build: { outDir: resolve(root, 'out/renderer'), rolldownOptions: { input: resolve(root, 'renderer/index.html') } }
  }
})
`
  )
  write('renderer/index.html', '<!doctype html><html><head><title>fixture</title></head><body><script type="module" src="/src/main.js"></script></body></html>\n')
  write('renderer/src/main.js', "document.title = 'built 1'\n")
})

afterAll(() => project?.cleanup())

describe('renderer build', () => {
  it('builds when out/renderer is missing, with relative asset references', async () => {
    expect(rendererBuildReason(project.path)).toBe('out/renderer/index.html is missing')
    const reasons: string[] = []
    const result = await ensureRendererBuilt(project.path, (r) => reasons.push(r))
    expect(reasons).toEqual(['out/renderer/index.html is missing'])
    expect(result.ms).toBeGreaterThan(0)
    const html = readFileSync(join(project.path, 'out/renderer/index.html'), 'utf8')
    expect(html).toMatch(/src="\.\/assets\/index-[\w-]+\.js"/)
    expect(rendererBuildReason(project.path)).toBeUndefined()
    expect(await ensureRendererBuilt(project.path)).toEqual({})
  })

  it('builds once when several callers find it stale together', async () => {
    write('renderer/src/main.js', "document.title = 'built 2'\n")
    touch('renderer/src/main.js')
    expect(rendererBuildReason(project.path)).toBe('out/renderer is older than renderer')
    const reasons: string[] = []
    const results = await Promise.all([1, 2, 3].map(() => ensureRendererBuilt(project.path, (r) => reasons.push(r))))
    expect(reasons).toHaveLength(1)
    expect(results.filter((r) => r.reason)).toHaveLength(1)
    const js = readdirSync(join(project.path, 'out/renderer/assets')).find((f) => f.endsWith('.js'))!
    expect(readFileSync(join(project.path, 'out/renderer/assets', js), 'utf8')).toContain('built 2')
    // No temporary folder or lock left behind.
    expect(readdirSync(join(project.path, 'out')).sort()).toEqual(['renderer'])
  })

  it('keeps the previous build when a build fails, and says why', async () => {
    write('renderer/src/main.js', 'document.title = (\n')
    touch('renderer/src/main.js')
    await expect(ensureRendererBuilt(project.path)).rejects.toThrow(/building the renderer failed[\s\S]*main\.js/)
    expect(existsSync(join(project.path, 'out/renderer/index.html'))).toBe(true)
    expect(readdirSync(join(project.path, 'out')).sort()).toEqual(['renderer'])
  })

  it('breaks a lock left by a process that no longer runs', async () => {
    write('renderer/src/main.js', "document.title = 'built 3'\n")
    touch('renderer/src/main.js')
    // A pid far above any real one, and what that builder left half-done.
    writeFileSync(join(project.path, 'out', '.renderer-build.lock'), `999999999 ${Date.now()}\n`)
    mkdirSync(join(project.path, 'out', '.renderer-build-999999999-1'))
    expect((await ensureRendererBuilt(project.path)).reason).toBeDefined()
    expect(readdirSync(join(project.path, 'out')).sort()).toEqual(['renderer'])
  })
})
