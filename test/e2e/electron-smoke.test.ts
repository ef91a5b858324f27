import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { _electron, type ElectronApplication, type Page } from '@playwright/test'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/temp-dir'

/**
 * The desktop app as a user gets it from `npm start`: the built app in the real Electron binary,
 * its window, the page reaching the engine through the preload bridge. The binary is downloaded
 * from GitHub, not from the npm registry; where it is absent this suite is skipped, saying so.
 */

const root = join(import.meta.dirname, '..', '..')

/** The executable node_modules/electron points at, or why there is none. */
function findElectron(): { path: string } | { reason: string } {
  let path: string
  try {
    path = createRequire(import.meta.url)('electron') as string
  } catch {
    return { reason: 'node_modules/electron has no path.txt: the download from GitHub was skipped or failed (npm start retries it)' }
  }
  return existsSync(path) ? { path } : { reason: `${path} does not exist` }
}

function whyNot(): string | undefined {
  const found = findElectron()
  if ('reason' in found) return `Electron binary not installed: ${found.reason}`
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return 'no display to open a window on (run under xvfb-run)'
  return undefined
}

const skipReason = whyNot()
// A skipped suite shows up as a bare count in the default reporter: say why, in the output.
if (skipReason) console.warn(`Electron app smoke test skipped: ${skipReason}`)

describe.skipIf(skipReason !== undefined)(`Electron app smoke test${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let data: ReturnType<typeof tempDir> | undefined
  let app: ElectronApplication | undefined
  let page: Page

  beforeAll(async () => {
    data = tempDir('ulcc-electron-smoke-')
    const build = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: root, encoding: 'utf8' })
    expect(build.status, build.stderr).toBe(0)

    const env: Record<string, string> = {}
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'ELECTRON_RUN_AS_NODE' && k !== 'ELECTRON_RENDERER_URL') env[k] = v
    app = await _electron.launch({
      executablePath: (findElectron() as { path: string }).path,
      args: [
        // Chromium refuses to run as root with its sandbox on (CI containers); the app never disables it itself.
        ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
        root,
        // Its own data folder and free ports: the test neither touches the user's data nor needs 1026, 1883….
        `--data-dir=${data.path}`,
        '--host=127.0.0.1',
        '--ngsi-port=0',
        '--north-port=0',
        '--mqtt-port=0',
        '--mqtt-ws-port=0'
      ],
      cwd: root,
      env,
      timeout: 60_000
    })
    page = await app.firstWindow()
  }, 120_000)

  afterAll(async () => {
    // Quitting goes through the app's own path: the engine stops and writes its data first.
    await app?.close()
    data?.cleanup()
  }, 60_000)

  it('opens the window with the product name', async () => {
    await page.waitForLoadState('domcontentloaded')
    expect(await page.title()).toBe('UltraLight Control Center')
    await page.getByRole('heading', { name: 'UltraLight Control Center' }).waitFor()
  })

  it('shows the engine endpoints, asked through the preload bridge', async () => {
    const list = page.getByTestId('endpoints')
    await list.locator('li').first().waitFor({ timeout: 30_000 })
    const text = await list.innerText()
    expect(text).toContain('NGSI-v2 context broker')
    expect(text).toMatch(/http:\/\/localhost:\d+/)
  })

  it('gives the page the bridge and nothing of Electron or Node.js', async () => {
    const seen = await page.evaluate(() => {
      const page = globalThis as unknown as { ulcc: object; require?: unknown; process?: unknown }
      return { bridge: Object.keys(page.ulcc).sort(), require: typeof page.require, process: typeof page.process }
    })
    expect(seen).toEqual({ bridge: ['on', 'request'], require: 'undefined', process: 'undefined' })
  })

  it('refuses a request that does not match its schema', async () => {
    const error = await page.evaluate(async () => {
      const bridge = (globalThis as unknown as { ulcc: { request(name: string, args: unknown): Promise<unknown> } }).ulcc
      try {
        await bridge.request('devices.list', { scope: { service: 'x' }, unexpected: true })
        return null
      } catch (err) {
        return { name: (err as { name: string }).name, status: (err as { status?: number }).status }
      }
    })
    expect(error).toEqual({ name: 'BAD_REQUEST', status: 400 })
  })
})
