/**
 * Content-Security-Policy of the renderer, wherever the page is served from: the desktop window
 * (electron/main/security.ts sends it as a response header) and the browser GUI of `serve` mode
 * (electron/engine/transport/gui-server.ts). No 'unsafe-eval' (Vue templates are compiled at build
 * time, ECharts needs no eval) and no remote origin: everything the page loads comes with the app.
 * 'unsafe-inline' is allowed for styles only, because Vue and Vite inject <style> in development.
 *
 * renderer/index.html carries the same text as a <meta>, because pages loaded from file:// get no
 * response headers; electron.vite.config.ts fails the build if the two differ.
 */
export function rendererCsp(): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'"
  ].join('; ')
}

/**
 * The policy sent as a response header. With the Vite dev server the page's own origin is the
 * dev server, so 'self' already means "the dev server only"; its WebSocket (hot reload) is named
 * explicitly. frame-ancestors only works as a header, never in a <meta>.
 */
export function headerCsp(devServerUrl?: string): string {
  let policy = `${rendererCsp()}; frame-ancestors 'none'`
  if (devServerUrl) {
    const dev = new URL(devServerUrl)
    const ws = `${dev.protocol === 'https:' ? 'wss' : 'ws'}://${dev.host}`
    policy = policy.replace("connect-src 'self'", `connect-src 'self' ${ws}`)
  }
  return policy
}
