/**
 * The built renderer (out/renderer) over HTTP, for the browser GUI of `serve` mode: files from
 * that folder only, never above it, with their content types and cache rules; any other path
 * without a file extension gets index.html (the page decides what to show).
 */
import { createReadStream } from 'node:fs'
import { readFile, realpath, stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, sep } from 'node:path'

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm'
}

export function contentType(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream'
}

/** Vite puts content-hashed files here: they never change under the same name. */
const IMMUTABLE_PREFIX = '/assets/'
const IMMUTABLE = 'public, max-age=31536000, immutable'
/** Everything else (index.html above all) is checked with the server on every use. */
const REVALIDATE = 'no-cache'

const NOT_BUILT = 'The browser GUI is not built (out/renderer/index.html is missing): run `npm run build`, or `npm run serve`, which builds it.'

type Resolved = { kind: 'file'; path: string; urlPath: string } | { kind: 'index' } | { kind: 'refused' } | { kind: 'missing' }

/**
 * Maps a URL path to a file under `root`. Each segment is decoded on its own; a decoded segment
 * that is `.`/`..`, holds a slash, a backslash or a NUL, is refused (the URL parser has already
 * resolved the plain `..` segments, so these are attempts through encodings). Hidden files are
 * never served.
 */
function resolvePath(root: string, pathname: string): Resolved {
  const raw = pathname.split('/').slice(1)
  const segments: string[] = []
  for (const s of raw) {
    let d: string
    try {
      d = decodeURIComponent(s)
    } catch {
      return { kind: 'refused' }
    }
    if (d === '.' || d === '..' || /[/\\\0]/.test(d)) return { kind: 'refused' }
    if (d.startsWith('.')) return { kind: 'missing' }
    segments.push(d)
  }
  while (segments.length && segments[segments.length - 1] === '') segments.pop()
  if (segments.length === 0 || (segments.length === 1 && segments[0] === 'index.html')) return { kind: 'index' }
  if (segments.includes('')) return { kind: 'missing' }
  const path = join(root, ...segments)
  if (!path.startsWith(root + sep)) return { kind: 'refused' }
  return { kind: 'file', path, urlPath: '/' + segments.join('/') }
}

export interface StaticSite {
  /** Answers a GET or HEAD; other methods get 405. */
  handle(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void>
}

function plain(res: ServerResponse, status: number, text: string, head: boolean): void {
  res.statusCode = status
  res.setHeader('Content-Type', 'text/plain; charset=utf-8')
  res.setHeader('Cache-Control', 'no-store')
  res.end(head ? undefined : text + '\n')
}

/**
 * The site of one folder. index.html is read once per change of the file, and its relative
 * references (`./assets/…`, Vite's default for Electron's file:// page) are made absolute, so that
 * the page also loads its scripts when served for a deeper path (`/devices/abc`).
 */
export function staticSite(folder: string): StaticSite {
  let rootReal: Promise<string> | undefined
  let index: { mtimeMs: number; size: number; body: Buffer } | undefined

  const root = (): Promise<string> => (rootReal ??= realpath(folder).catch((err: unknown) => {
    rootReal = undefined
    throw err
  }))

  async function indexHtml(): Promise<{ body: Buffer; etag: string } | undefined> {
    const file = join(await root(), 'index.html')
    const st = await stat(file).catch(() => undefined)
    if (!st?.isFile()) return undefined
    if (!index || index.mtimeMs !== st.mtimeMs || index.size !== st.size) {
      const html = (await readFile(file, 'utf8')).replace(/(\s(?:src|href))="\.\//g, '$1="/')
      index = { mtimeMs: st.mtimeMs, size: st.size, body: Buffer.from(html, 'utf8') }
    }
    return { body: index.body, etag: `W/"i-${index.size.toString(36)}-${Math.round(index.mtimeMs).toString(36)}"` }
  }

  function notModified(req: IncomingMessage, etag: string): boolean {
    const inm = req.headers['if-none-match']
    return typeof inm === 'string' && inm.split(',').some((t) => t.trim() === etag)
  }

  async function sendIndex(req: IncomingMessage, res: ServerResponse, head: boolean): Promise<void> {
    const page = await indexHtml()
    if (!page) return plain(res, 503, NOT_BUILT, head)
    res.setHeader('Content-Type', 'text/html; charset=utf-8')
    res.setHeader('Cache-Control', REVALIDATE)
    res.setHeader('ETag', page.etag)
    if (notModified(req, page.etag)) {
      res.statusCode = 304
      return void res.end()
    }
    res.setHeader('Content-Length', page.body.length)
    res.end(head ? undefined : page.body)
  }

  return {
    async handle(req, res, pathname) {
      const head = req.method === 'HEAD'
      if (req.method !== 'GET' && !head) {
        res.setHeader('Allow', 'GET, HEAD')
        return plain(res, 405, 'Method not allowed', false)
      }
      let base: string
      try {
        base = await root()
      } catch {
        return plain(res, 503, NOT_BUILT, head)
      }
      const target = resolvePath(base, pathname)
      if (target.kind === 'refused') return plain(res, 400, 'Bad path', head)
      if (target.kind === 'missing') return plain(res, 404, 'Not found', head)
      if (target.kind === 'index') return sendIndex(req, res, head)

      const st = await stat(target.path).catch(() => undefined)
      if (!st?.isFile()) {
        // A path that names no file: the page's own (a view of the GUI), unless it looks like a file or an asset.
        const last = target.urlPath.slice(target.urlPath.lastIndexOf('/') + 1)
        if (!last.includes('.') && !target.urlPath.startsWith(IMMUTABLE_PREFIX)) return sendIndex(req, res, head)
        return plain(res, 404, 'Not found', head)
      }
      // A symbolic link inside the folder must not lead out of it.
      const real = await realpath(target.path).catch(() => undefined)
      if (!real || !real.startsWith(base + sep)) return plain(res, 404, 'Not found', head)

      const etag = `W/"${st.size.toString(36)}-${Math.round(st.mtimeMs).toString(36)}"`
      res.setHeader('Content-Type', contentType(target.path))
      res.setHeader('Cache-Control', target.urlPath.startsWith(IMMUTABLE_PREFIX) ? IMMUTABLE : REVALIDATE)
      res.setHeader('ETag', etag)
      res.setHeader('Last-Modified', st.mtime.toUTCString())
      if (notModified(req, etag)) {
        res.statusCode = 304
        return void res.end()
      }
      res.setHeader('Content-Length', st.size)
      if (head) return void res.end()
      await new Promise<void>((resolve) => {
        const stream = createReadStream(real)
        stream.on('error', () => {
          // Removed or unreadable between stat and read (a rebuild in progress): give up on this response.
          res.destroy()
          resolve()
        })
        res.on('close', () => {
          stream.destroy()
          resolve()
        })
        stream.pipe(res)
      })
    }
  }
}
