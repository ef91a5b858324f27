import { mkdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { headerCsp } from '../../shared/csp'
import { siteFixture, startGuiServer, type RunningGui } from '../helpers/gui-server'
import { tempDir } from '../helpers/temp-dir'

/**
 * The GUI server's HTTP side: the built renderer as static files, only from its folder, with
 * content types, cache rules, security headers and the single-page fallback.
 */

interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

let site: ReturnType<typeof siteFixture>
let gui: RunningGui
let secretDir: ReturnType<typeof tempDir>

/** A raw request: the path is sent exactly as given (fetch would resolve `..` first). */
function get(path: string, opts: { method?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  const url = new URL(gui.origin)
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (body += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

beforeAll(async () => {
  site = siteFixture()
  // Something outside the served folder, reachable through a symbolic link inside it.
  secretDir = tempDir('ulcc-gui-secret-')
  writeFileSync(join(secretDir.path, 'secret.txt'), 'top secret')
  symlinkSync(join(secretDir.path, 'secret.txt'), join(site.root, 'assets', 'link-1.txt'))
  gui = await startGuiServer(undefined, { root: site.root })
})

afterAll(async () => {
  await gui?.stop()
  site?.cleanup()
  secretDir?.cleanup()
})

describe('static files', () => {
  it('serves the page without token, with absolute asset references', async () => {
    const r = await get('/')
    expect(r.status).toBe(200)
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(r.headers['cache-control']).toBe('no-cache')
    expect(r.body).toContain('<title>UltraLight Control Center</title>')
    expect(r.body).toContain('src="/assets/index-Abc123.js"')
    expect(r.body).toContain('href="/assets/index-Def456.css"')
    expect((await get('/index.html')).body).toBe(r.body)
    expect((await get(`/?token=${gui.token}`)).body).toBe(r.body)
  })

  it.each([
    ['/assets/index-Abc123.js', 'text/javascript; charset=utf-8'],
    ['/assets/index-Def456.css', 'text/css; charset=utf-8'],
    ['/assets/logo-1.svg', 'image/svg+xml'],
    ['/assets/font-1.woff2', 'font/woff2'],
    ['/assets/data-1.bin', 'application/octet-stream'],
    ['/favicon.ico', 'image/x-icon'],
    ['/manifest.json', 'application/json; charset=utf-8']
  ])('serves %s as %s', async (path, type) => {
    const r = await get(path)
    expect(r.status).toBe(200)
    expect(r.headers['content-type']).toBe(type)
    expect(Number(r.headers['content-length'])).toBeGreaterThan(0)
  })

  it('lets browsers keep hashed assets for good, and revalidate everything else', async () => {
    expect((await get('/assets/index-Abc123.js')).headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect((await get('/favicon.ico')).headers['cache-control']).toBe('no-cache')
    const first = await get('/assets/index-Def456.css')
    const etag = first.headers.etag as string
    expect(etag).toBeTruthy()
    expect((await get('/assets/index-Def456.css', { headers: { 'If-None-Match': etag } })).status).toBe(304)
    const page = await get('/')
    expect((await get('/', { headers: { 'If-None-Match': page.headers.etag as string } })).status).toBe(304)
  })

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await get('/assets/index-Abc123.js', { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.body).toBe('')
    expect(head.headers['content-length']).toBe(String("document.getElementById('app').dataset.loaded = 'yes'\n".length))
    const post = await get('/', { method: 'POST' })
    expect(post.status).toBe(405)
    expect(post.headers.allow).toBe('GET, HEAD')
  })

  it('falls back to index.html for paths of the page, not for missing files', async () => {
    for (const path of ['/devices', '/devices/motion001', '/inspector/', '/a/b/c?x=1']) {
      const r = await get(path)
      expect(r.status, path).toBe(200)
      expect(r.body, path).toContain('src="/assets/index-Abc123.js"')
    }
    for (const path of ['/missing.js', '/assets/missing-1.js', '/assets/nothing', '/robots.txt']) {
      expect((await get(path)).status, path).toBe(404)
    }
  })

  it.each([
    '/../package.json',
    '/../../../../etc/passwd',
    '/assets/../../package.json',
    '/%2e%2e/%2e%2e/package.json',
    '/%2E%2E%2F%2E%2E%2Fpackage.json',
    '/assets/..%2f..%2fpackage.json',
    '/..%5c..%5cpackage.json',
    '/assets/%00.js',
    '/assets/%ZZ.js',
    '//etc/passwd',
    '/.hidden',
    '/assets/link-1.txt'
  ])('never serves anything outside the folder: %s', async (path) => {
    const r = await get(path)
    // A refusal, or the page itself (the URL parser has turned `/../../etc/passwd` into `/etc/passwd`, a path of the page).
    if (r.status === 200) expect(r.body).toContain('<title>UltraLight Control Center</title>')
    else expect([400, 404]).toContain(r.status)
    expect(r.body).not.toContain('top secret')
    expect(r.body).not.toContain('secret')
    expect(r.body).not.toContain('"name": "ultralight-control-center"')
    expect(r.body).not.toContain('root:')
  })

  it('says so when the renderer is not built', async () => {
    const empty = tempDir('ulcc-gui-empty-')
    const bare = await startGuiServer(undefined, { root: join(empty.path, 'renderer') })
    try {
      const r = await fetch(`${bare.origin}/`)
      expect(r.status).toBe(503)
      expect(await r.text()).toContain('not built')
      mkdirSync(join(empty.path, 'renderer'))
      writeFileSync(join(empty.path, 'renderer', 'index.html'), '<!doctype html><title>v1</title>')
      // The folder appears once built; index.html is read again when it changes.
      expect(await (await fetch(`${bare.origin}/`)).text()).toContain('v1')
      writeFileSync(join(empty.path, 'renderer', 'index.html'), '<!doctype html><title>version 2</title>')
      utimesSync(join(empty.path, 'renderer', 'index.html'), new Date(), new Date(Date.now() + 5000))
      expect(await (await fetch(`${bare.origin}/`)).text()).toContain('version 2')
    } finally {
      await bare.stop()
      rmSync(empty.path, { recursive: true, force: true })
    }
  })
})

describe('security headers', () => {
  it.each(['/', '/assets/index-Abc123.js', '/missing.js', '/devices', '/%ZZ', '/ws'])('sends them on %s', async (path) => {
    const r = await get(path)
    expect(r.headers['content-security-policy']).toBe(headerCsp())
    expect(r.headers['x-content-type-options']).toBe('nosniff')
    expect(r.headers['referrer-policy']).toBe('no-referrer')
    expect(r.headers['x-frame-options']).toBe('DENY')
  })

  it('uses the same policy as the desktop window, framing forbidden', () => {
    expect(headerCsp()).toContain("default-src 'self'")
    expect(headerCsp()).toContain("connect-src 'self'")
    expect(headerCsp()).toContain("frame-ancestors 'none'")
  })
})
