import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from '@playwright/test'
import { build } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { siteFixture, startGuiServer, type RunningGui } from '../helpers/gui-server'

/**
 * The browser side for real, in Debian's Chromium: a page of the GUI server, under the server's
 * Content-Security-Policy, loads the browser bridge (renderer/src/bridge, bundled by Vite as the
 * renderer build would), which takes the token out of the address bar and reaches the engine
 * over the WebSocket. The page is a stand-in for the built renderer, so that this check does
 * not depend on the GUI being complete; the GUI's own browser tests use the real one.
 */

const root = join(import.meta.dirname, '..', '..')
const CHROMIUM = '/usr/bin/chromium'
const skip = existsSync(CHROMIUM) ? undefined : `${CHROMIUM} not installed`
if (skip) console.warn(`GUI server Chromium check skipped: ${skip}`)

interface PageReport {
  state: string
  version?: string
  href: string
  stored: string | null
  sameBridge?: boolean
  statusEvent?: boolean
  error?: unknown
}

/**
 * Runs in the page: imports the bundled bridge, makes a request, waits for an event. Written as
 * text: Vitest rewrites `import()` in the test's own functions, and this one runs in Chromium.
 */
const PAGE_SCRIPT = `async (mode) => {
  const m = await import('/assets/bridge.js')
  const bridge = m.createBridge()
  const base = { href: location.href, stored: sessionStorage.getItem('ulcc.guiToken') }
  const failure = (p) => p.then(() => null, (err) => err)
  if (mode === 'unauthorized') {
    const error = await failure(bridge.request('engine.status', {}))
    return { ...base, state: bridge.connection.current.state, error }
  }
  const status = await bridge.request('engine.status', {})
  const statusEvent = await new Promise((resolve) => {
    const off = bridge.on('status', () => {
      off()
      resolve(true)
    })
  })
  const error = await failure(bridge.request('devices.get', { scope: { service: 'openiot', servicePath: '/' }, deviceId: 'nobody' }))
  return { ...base, state: bridge.connection.current.state, version: status.version, sameBridge: m.createBridge() === bridge, statusEvent, error }
}`

async function useBridge(page: Page, mode: 'request' | 'unauthorized'): Promise<PageReport> {
  return page.evaluate<PageReport>(`(${PAGE_SCRIPT})(${JSON.stringify(mode)})`)
}

describe.skipIf(skip !== undefined)('GUI server in Chromium', () => {
  let site: ReturnType<typeof siteFixture>
  let gui: RunningGui
  let browser: Browser
  const violations: string[] = []

  beforeAll(async () => {
    site = siteFixture()
    await build({
      configFile: false,
      root,
      logLevel: 'silent',
      build: {
        outDir: join(site.root, 'assets'),
        emptyOutDir: false,
        minify: false,
        lib: { entry: join(root, 'renderer/src/bridge/index.ts'), formats: ['es'], fileName: () => 'bridge.js' }
      }
    })
    gui = await startGuiServer(undefined, { root: site.root })
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run']
    })
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await gui?.stop()
    site?.cleanup()
  })

  async function open(url: string): Promise<Page> {
    const page = await browser.newPage()
    page.on('console', (msg) => {
      if (/Content.Security.Policy|Refused to/i.test(msg.text())) violations.push(msg.text())
    })
    await page.goto(url)
    expect(await page.title()).toBe('UltraLight Control Center')
    // The page's own script ran (script-src 'self' from this server).
    expect(await page.locator('#app').getAttribute('data-loaded')).toBe('yes')
    return page
  }

  it('loads the page, and the bridge connects with the token from the URL, which leaves the address bar', async () => {
    const page = await open(gui.url)
    const report = await useBridge(page, 'request')
    expect(report).toMatchObject({ state: 'connected', sameBridge: true, statusEvent: true, stored: gui.token })
    expect(report.version).toMatch(/^\d/)
    expect(report.href).toBe(`${gui.origin}/`)
    expect(report.error).toEqual({ name: 'DEVICE_NOT_FOUND', message: expect.stringContaining('nobody'), status: 404 })

    // A reload has no token in the URL any more: it comes from sessionStorage.
    await page.reload()
    expect(await useBridge(page, 'request')).toMatchObject({ state: 'connected', href: `${gui.origin}/` })
    expect(violations).toEqual([])
    await page.close()
  })

  it('shows a page with a wrong token as unauthorized', async () => {
    const page = await open(`${gui.origin}/devices?token=${'ab'.repeat(32)}`)
    const report = await useBridge(page, 'unauthorized')
    expect(report.state).toBe('unauthorized')
    expect(report.error).toMatchObject({ name: 'UNAUTHORIZED', status: 401 })
    expect(report.href).toBe(`${gui.origin}/devices`)
    await page.close()
  })
})
