import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { app } from 'electron'

/** Where the window's page comes from: the built renderer on disk, or Vite's dev server. */
export type RendererLocation = { kind: 'file'; path: string; url: string } | { kind: 'dev'; url: string; origin: string }

let cached: RendererLocation | undefined

/**
 * `electron-vite dev` sets ELECTRON_RENDERER_URL. A packaged app ignores it, so that an
 * environment variable can never make the installed app load a page from elsewhere.
 */
export function rendererLocation(): RendererLocation {
  if (cached) return cached
  const devUrl = process.env.ELECTRON_RENDERER_URL
  if (devUrl && !app.isPackaged) {
    cached = { kind: 'dev', url: devUrl, origin: new URL(devUrl).origin }
  } else {
    // Main is bundled into one file, out/main/index.js; the renderer is built into out/renderer.
    const path = join(import.meta.dirname, '..', 'renderer', 'index.html')
    cached = { kind: 'file', path, url: pathToFileURL(path).href }
  }
  return cached
}

export function isDevServer(): boolean {
  return rendererLocation().kind === 'dev'
}

/**
 * True when `raw` is our own page: the same index.html file (query and fragment aside), or a page
 * of the dev server's origin. Parsed with URL, never compared by prefix.
 */
export function isAppUrl(raw: string): boolean {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return false
  }
  const loc = rendererLocation()
  if (loc.kind === 'dev') return url.origin === loc.origin
  if (url.protocol !== 'file:') return false
  url.search = ''
  url.hash = ''
  return url.href === loc.url
}
