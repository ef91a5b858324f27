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
import { JOIN_PATH, TRAINEE_PARAM, type ClassroomJoinAnswer, type ClassroomJoinRequest } from '../../../shared/classroom'
import { TOKEN_PARAM, WS_PATH } from '../../../shared/ws-protocol'
import type { ClassroomGate } from '../api/classroom'
import { peerAddress } from '../north/request-observer'
import type { SourceLogger } from '../log/logger'
import { createHostGuard, hostOfHeader } from '../net/host-guard'
import { closeServers, formatHostPort, listenOnHosts, type BoundAddress } from '../net/listen'
import { newToken, originAllowed, tokenMatches } from './access'
import { staticSite } from './static-files'
import { createWsTransport, type WsTransport } from './ws-server'
import { labelled } from '../endpoint-label'

export interface GuiServerOptions {
  api: EngineApi & { on: EventSubscribe }
  hosts: string[]
  /** Host names accepted besides loopback and `hosts` (--allowed-host): any other Host header is refused (net/host-guard.ts). */
  allowedHosts?: string[]
  /** 0 picks a free port. */
  port: number
  /** Folder of the built renderer (out/renderer). */
  root: string
  /** Hex token the WebSocket requires; a random one (32 bytes) when absent. */
  token?: string
  /**
   * Classroom mode (docs/classroom.md): the gate of the running engine's class. Trainees join at
   * JOIN_PATH with the class's code and connect with their own token (`/ws?trainee=…`).
   */
  classroom?: () => ClassroomGate | undefined
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

/** A join request's body is a name and a code: a few hundred bytes. */
const MAX_JOIN_BYTES = 4096

const JOIN_STATUS: Record<Extract<ClassroomJoinAnswer, { ok: false }>['error']['name'], number> = {
  BAD_REQUEST: 400,
  WRONG_CODE: 403,
  NAME_TAKEN: 409,
  CLASSROOM_FULL: 409,
  NO_CLASSROOM: 404
}

/** Reads a small JSON body; undefined when too large or not JSON. */
function readJson(req: IncomingMessage, max: number): Promise<unknown> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > max) {
        resolve(undefined)
        req.destroy()
      } else chunks.push(c)
    })
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')))
      } catch {
        resolve(undefined)
      }
    })
    req.on('error', () => resolve(undefined))
  })
}

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
  const hostGuard = createHostGuard({ hosts: opts.hosts, allowedHosts: opts.allowedHosts, log })
  const NOT_ALLOWED = 'This server does not answer to this Host name: open it through localhost or a listening address (or allow the name with --allowed-host).'

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v)
    const url = parseUrl(req)
    const plain = (status: number, text: string): void => {
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' })
      res.end(req.method === 'HEAD' ? undefined : `${text}\n`)
    }
    if (!hostGuard.admit(req.headers.host, 'GUI', req.socket.remoteAddress)) return plain(403, NOT_ALLOWED)
    if (!url) return plain(400, 'Bad request')
    if (url.pathname === JOIN_PATH) return void join(req, res)
    if (url.pathname === WS_PATH) {
      // Without an upgrade: the page asks whether its token is still good (it cannot read the
      // status of a refused WebSocket), so that it can tell "wrong token" from "server away".
      if (req.method !== 'GET' && req.method !== 'HEAD') return plain(405, 'Method not allowed')
      const traineeToken = url.searchParams.get(TRAINEE_PARAM)
      if (traineeToken !== null) {
        if (!opts.classroom?.()?.knows(traineeToken)) return plain(401, 'This class does not know this trainee: join again.')
        res.setHeader('Upgrade', 'websocket')
        return plain(426, 'This path serves the WebSocket of the GUI.')
      }
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
    if (!hostGuard.admit(req.headers.host, 'GUI', req.socket.remoteAddress)) return refuseUpgrade(socket, 403, NOT_ALLOWED)
    if (!url || url.pathname !== WS_PATH) return refuseUpgrade(socket, 404, `No WebSocket here: the GUI's is at ${WS_PATH}.`)
    const traineeToken = url.searchParams.get(TRAINEE_PARAM)
    if (traineeToken !== null) {
      const gate = opts.classroom?.()
      if (!originAllowed(req.headers.origin, req.headers.host, req.socket.localPort ?? 0, onlyLoopback)) {
        log?.warn('GUI_REFUSED', `trainee WebSocket from ${peer} refused: page of another origin (${String(req.headers.origin).slice(0, 100)})`)
        return refuseUpgrade(socket, 403, 'This WebSocket only serves pages of the GUI server itself.')
      }
      const session = gate?.session(traineeToken, peerAddress(req.socket.remoteAddress), req.headers.host === undefined ? undefined : hostOfHeader(req.headers.host))
      if (!gate || !session) {
        log?.warn('GUI_REFUSED', `trainee WebSocket from ${peer} refused: unknown trainee token`)
        return refuseUpgrade(socket, 401, 'This class does not know this trainee: join again.')
      }
      return transport.accept(req, socket, head, { api: session.api, streams: session.streams, close: () => session.close(), onEnd: (listener) => gate.onClose(listener) })
    }
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

  /** POST JOIN_PATH `{code, name}`: a trainee joins the class (JSON in, JSON out). */
  const join = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const answer = (a: ClassroomJoinAnswer): void => {
      res.writeHead(a.ok ? 200 : JOIN_STATUS[a.error.name], { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' })
      res.end(JSON.stringify(a))
    }
    const fail = (name: keyof typeof JOIN_STATUS, message: string): void => answer({ ok: false, error: { name, message } })
    const gate = opts.classroom?.()
    if (!gate) return fail('NO_CLASSROOM', 'this server is not in classroom mode')
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST')
      res.writeHead(405, { 'Content-Type': 'text/plain; charset=utf-8' })
      return void res.end('Method not allowed\n')
    }
    // A page of another site must not fill the class: only this server's pages (or programs, without Origin) may join.
    if (!originAllowed(req.headers.origin, req.headers.host, req.socket.localPort ?? 0, onlyLoopback)) return fail('BAD_REQUEST', 'only pages of this server may join the class')
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) return fail('BAD_REQUEST', 'send JSON (Content-Type: application/json)')
    const body = (await readJson(req, MAX_JOIN_BYTES)) as Partial<ClassroomJoinRequest> | undefined
    if (!body || typeof body !== 'object' || typeof body.code !== 'string' || typeof body.name !== 'string') return fail('BAD_REQUEST', 'send {"code": "…", "name": "…"}')
    if (!tokenMatches(gate.code, body.code.trim())) return fail('WRONG_CODE', 'this is not the code of this class')
    try {
      const joined = await gate.join(body.name)
      if (joined.ok) log?.info('GUI_JOINED', `trainee "${joined.trainee.name}" joined from ${req.socket.remoteAddress ?? '?'}`)
      answer(joined)
    } catch (err) {
      log?.error('GUI_JOIN_FAILED', `a trainee could not join: ${(err as Error).message}`)
      if (!res.headersSent) fail('BAD_REQUEST', `the class could not be saved: ${(err as Error).message}`)
    }
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
    describe: () => labelled('GUI', `${url}  (listening on ${bound.map((b) => formatHostPort(b.host, b.port)).join(', ')})`),
    close: () =>
      (closing ??= (async () => {
        // Stop accepting first, then say goodbye to the open pages.
        const stopped = closeServers(servers)
        await transport.close()
        await stopped
      })())
  }
}
