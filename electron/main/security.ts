import { app, session, shell, type WebContents } from 'electron'
import { isAppUrl, rendererLocation } from './app-url'
import { headerCsp } from '../../shared/csp'

/** Links to web pages (a service's URL, FIWARE docs) open in the system browser, nothing else does. */
function openInBrowser(raw: string): void {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return
  }
  if (url.protocol === 'http:' || url.protocol === 'https:') void shell.openExternal(url.href)
}

/**
 * Rules for every web page the app ever creates: no navigation away from the app, no new windows,
 * no <webview>. Registered before any window exists, so no page escapes them.
 */
function hardenContents(contents: WebContents): void {
  contents.on('will-frame-navigate', (event) => {
    if (isAppUrl(event.url)) return
    event.preventDefault()
    if (event.isMainFrame) openInBrowser(event.url)
  })
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault()
  })
  contents.setWindowOpenHandler(({ url }) => {
    openInBrowser(url)
    return { action: 'deny' }
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
}

/**
 * Session-wide policies of the default session: the Content-Security-Policy header on every
 * response, and no permission (camera, notifications, geolocation, clipboard reading…) for anyone.
 */
function hardenSession(): void {
  const ses = session.defaultSession
  const loc = rendererLocation()
  const policy = headerCsp(loc.kind === 'dev' ? loc.url : undefined)
  ses.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders }
    for (const name of Object.keys(headers)) if (name.toLowerCase() === 'content-security-policy') delete headers[name]
    headers['Content-Security-Policy'] = [policy]
    callback({ responseHeaders: headers })
  })
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  ses.setPermissionCheckHandler(() => false)
  ses.setDevicePermissionHandler(() => false)
}

/** Call once, before the first window (hardenSession needs the app to be ready). */
export function applySecurityPolicies(): void {
  app.on('web-contents-created', (_event, contents) => hardenContents(contents))
  hardenSession()
}
