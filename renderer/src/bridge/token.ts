/**
 * The token of the browser GUI: it comes in the URL `npm run serve` printed
 * (`http://localhost:8042/?token=…`), is kept in sessionStorage (so a reload keeps working, and it
 * stays with this tab only) and is removed from the address bar, so that it does not end up in
 * the history, a bookmark or a screenshot.
 */
import { TOKEN_PARAM } from '../../../shared/ws-protocol'

export const TOKEN_STORAGE_KEY = 'ulcc.guiToken'

/** The few browser objects this needs, so that it can be tested without a browser. */
export interface PageEnvironment {
  location: { href: string }
  history: { state: unknown; replaceState(state: unknown, unused: string, url?: string): void }
  sessionStorage?: { getItem(key: string): string | null; setItem(key: string, value: string): void }
}

/** Reads the token (URL first, else sessionStorage) and takes it out of the address bar. */
export function takeToken(env: PageEnvironment): string | null {
  const url = new URL(env.location.href)
  const fromUrl = url.searchParams.get(TOKEN_PARAM)
  if (fromUrl) {
    try {
      env.sessionStorage?.setItem(TOKEN_STORAGE_KEY, fromUrl)
    } catch {
      // Storage disabled: the token lives as long as the page.
    }
    url.searchParams.delete(TOKEN_PARAM)
    env.history.replaceState(env.history.state, '', `${url.pathname}${url.search}${url.hash}`)
    return fromUrl
  }
  try {
    return env.sessionStorage?.getItem(TOKEN_STORAGE_KEY) ?? null
  } catch {
    return null
  }
}
