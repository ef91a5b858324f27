/**
 * The browser GUI of `serve` mode: one HTTP server (on each configured host, like every other
 * service) that serves the built renderer and, at /ws, the WebSocket transport of the engine
 * contract. The page itself is public; the WebSocket needs this run's token, given to the user in
 * the printed URL (`http://localhost:8042/?token=…`), and a page of this server as its Origin.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { isIPv4 } from 'node:net'
import type { Duplex } from 'node:stream'
import type { EngineApi, EventSubscribe } from '../../../shared/contract'
import { headerCsp } from '../../../shared/csp'
import { isLoopbackHost, loopbackOnly } from '../../../shared/loopback'
import { TOKEN_PARAM, WS_PATH } from '../../../shared/ws-protocol'
import type { SourceLogger } from '../log/logger'
import { closeServers, formatHostPort, listenOnHosts, type BoundAddress } from '../net/listen'
import { newToken, originAllowed, tokenMatches } from './access'
import { staticSite } from './static-files'
import { createWsTransport, type WsTransport } from './ws-server'

export interface GuiServerOptions {
  api: EngineApi & { on: EventSubscribe }
  hosts: string[]
  /** 0 picks a free port. */
  port: number
  /** Folder of the built renderer (out/renderer). */
  root: string
  /** Hex token the WebSocket requires; a random one (32 bytes) when absent. */
  token?: string
  log?: SourceLogger
  /** See WsTransportOptions. */
  maxBufferedBytes?: number
  maxMessageBytes?: number
  heartbeatMs?: number
}

export interface GuiServer {
  token: string
  port: number
  bound: BoundAddress[]
  skipped: Array<{ host: string; reason: string }>
  /** The page, with the token: what the user opens. */
  url: string
  /** The WebSocket, with the token (for programs and tests). */
  wsUrl: string
  transport: WsTransport
  /** The line `serve` prints, in the style of the engine's endpoint lines. */
  describe(): string
  close(): Promise<void>
}

/** Headers of every response. The CSP is the desktop window's (shared/csp.ts), frame-ancestors included. */
export function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': headerCsp(),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin'
  }
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' }

/** Answers an upgrade request with a plain HTTP error and closes the connection: no WebSocket. */
function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  const body = `${text}\n`
  const headers = [
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}`,
    'Connection: close',
    'Content-Type: text/plain; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Cache-Control: no-store',
    ...Object.entries(securityHeaders()).map(([k, v]) => `${k}: ${v}`)
  ]
  socket.end(`${headers.join('\r\n')}\r\n\r\n${body}`)
}

function parseUrl(req: IncomingMessage): URL | undefined {
  const target = req.url ?? '/'
  try {
    // Only the path and query count. The base is prepended rather than passed as a base: `//x/y`
    // would otherwise be read as the host `x` and the path `/y`.
    return target.startsWith('/') ? new URL(`http://gui.invalid${target}`) : new URL(target)
  } catch {
    return undefined
  }
}

/**
 * The host to put in the printed URL: `localhost` when both loopback addresses are served (it
 * resolves to either), else an address that is really listened on.
 */
function urlHost(hosts: readonly string[]): string {
  const has = (h: string): boolean => hosts.includes(h)
  const loopbackV4 = (h: string): boolean => isIPv4(h) && isLoopbackHost(h)
  if (has('localhost') || has('::') || (has('::1') && hosts.some((h) => h === '0.0.0.0' || loopbackV4(h)))) return 'localhost'
  const v4 = hosts.find(loopbackV4)
  if (v4) return v4
  if (has('::1')) return '[::1]'
  if (has('0.0.0.0')) return '127.0.0.1'
  const h = hosts[0] ?? 'localhost'
  return h.includes(':') ? `[${h}]` : h
}

export async function serveGui(opts: GuiServerOptions): Promise<GuiServer> {
  const token = (opts.token ?? newToken()).toLowerCase()
  const log = opts.log
  const site = staticSite(opts.root)
  const onlyLoopback = loopbackOnly(opts.hosts)
  const transport = createWsTransport({
    api: opts.api,
    maxBufferedBytes: opts.maxBufferedBytes,
    maxMessageBytes: opts.maxMessageBytes,
    heartbeatMs: opts.heartbeatMs,
    log
  })
  const headers = securityHeaders()

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v)
    const url = parseUrl(req)
    const plain = (status: number, text: string): void => {
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' })
      res.end(req.method === 'HEAD' ? undefined : `${text}\n`)
    }
    if (!url) return plain(400, 'Bad request')
    if (url.pathname === WS_PATH) {
      // Without an upgrade: the page asks whether its token is still good (it cannot read the
      // status of a refused WebSocket), so that it can tell "wrong token" from "server away".
      if (req.method !== 'GET' && req.method !== 'HEAD') return plain(405, 'Method not allowed')
      if (!tokenMatches(token, url.searchParams.get(TOKEN_PARAM))) return plain(401, 'Wrong or missing token: open the URL that `npm run serve` printed.')
      res.setHeader('Upgrade', 'websocket')
      return plain(426, 'This path serves the WebSocket of the GUI.')
    }
    site.handle(req, res, url.pathname).catch((err: unknown) => {
      log?.error('GUI_HTTP_FAILED', `${req.method} ${url.pathname}: ${(err as Error).message}`)
      if (!res.headersSent) plain(500, 'Internal error')
      else res.destroy()
    })
  }

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => undefined)
    const url = parseUrl(req)
    const peer = req.socket.remoteAddress ?? '?'
    if (!url || url.pathname !== WS_PATH) return refuseUpgrade(socket, 404, `No WebSocket here: the GUI's is at ${WS_PATH}.`)
    if (!tokenMatches(token, url.searchParams.get(TOKEN_PARAM))) {
      log?.warn('GUI_REFUSED', `WebSocket from ${peer} refused: wrong or missing token`)
      return refuseUpgrade(socket, 401, 'Wrong or missing token: open the URL that `npm run serve` printed.')
    }
    if (!originAllowed(req.headers.origin, req.headers.host, req.socket.localPort ?? 0, onlyLoopback)) {
      log?.warn('GUI_REFUSED', `WebSocket from ${peer} refused: page of another origin (${String(req.headers.origin).slice(0, 100)})`)
      return refuseUpgrade(socket, 403, 'This WebSocket only serves pages of the GUI server itself.')
    }
    transport.accept(req, socket, head)
  }

  const make = (): Server => {
    const server = createServer(onRequest)
    server.on('upgrade', onUpgrade)
    server.keepAliveTimeout = 5000
    return server
  }

  let listening: Awaited<ReturnType<typeof listenOnHosts>>
  try {
    listening = await listenOnHosts(make, opts.hosts, opts.port, 'GUI')
  } catch (err) {
    await transport.close()
    throw err
  }
  const { servers, bound, skipped } = listening
  const port = bound[0]!.port
  for (const s of skipped) log?.info('LISTEN_SKIPPED', `GUI not listening on ${s.host}: ${s.reason}`)
  const base = `http://${urlHost(bound.map((b) => b.host))}:${port}`
  const url = `${base}/?${TOKEN_PARAM}=${token}`
  const wsUrl = `${base.replace(/^http/, 'ws')}${WS_PATH}?${TOKEN_PARAM}=${token}`

  let closing: Promise<void> | undefined
  return {
    token,
    port,
    bound,
    skipped,
    url,
    wsUrl,
    transport,
    describe: () => `${'GUI'.padEnd(26)} ${url}  (listening on ${bound.map((b) => formatHostPort(b.host, b.port)).join(', ')})`,
    close: () =>
      (closing ??= (async () => {
        // Stop accepting first, then say goodbye to the open pages.
        const stopped = closeServers(servers)
        await transport.close()
        await stopped
      })())
  }
}
