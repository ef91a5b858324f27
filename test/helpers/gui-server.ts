import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ApiErrorDto, EngineBridge, EventName } from '../../shared/contract'
import type { EngineConfig } from '../../electron/engine/config/types'
import { rendererCsp } from '../../shared/csp'
import { serveGui, type GuiServer, type GuiServerOptions } from '../../electron/engine/transport/gui-server'
import { ensureRendererBuilt, rendererOutDir } from '../../scripts/renderer-build'
import WebSocket from 'ws'
import type { ClassroomOptions } from '../../electron/engine/classroom/classroom'
import type { EngineHost } from '../../electron/engine/host'
import { startHostedEngine, type RunningEngine } from './engine-harness'
import { tempDir } from './temp-dir'
import { wsText } from './ws-text'

const root = join(import.meta.dirname, '..', '..')

export interface RunningGui {
  /** The page with its token: what a browser opens. */
  url: string
  /** The WebSocket with its token, for clients in the test itself. */
  wsUrl: string
  /** The page without token, e.g. to check the refusal. */
  origin: string
  token: string
  /** The first engine's addresses; `engine.host.engine` is the engine of the moment (restarts replace it). */
  engine: RunningEngine & { host: EngineHost }
  server: GuiServer
  /** Stops the GUI server (pages are told it is going away), then the engine, and removes its data. */
  stop(): Promise<void>
}

export type GuiServerTestOptions = Partial<Pick<GuiServerOptions, 'token' | 'maxBufferedBytes' | 'maxMessageBytes' | 'heartbeatMs' | 'root'>> & {
  /** Classroom mode, as `serve --classroom` runs it. */
  classroom?: ClassroomOptions
}

/**
 * A real engine in an EngineHost (engine-harness, ephemeral loopback ports) with the browser GUI server in front
 * of it, serving out/renderer. The renderer is built first when it is missing or older than its
 * sources, once for all test workers (a lock file keeps them from building together).
 */
export async function startGuiServer(configure?: (c: EngineConfig) => void, opts: GuiServerTestOptions = {}): Promise<RunningGui> {
  if (!opts.root) await ensureRendererBuilt(root)
  // Hosted, as serve runs it: the GUI's engine.restart works.
  const { classroom, ...serverOpts } = opts
  const engine = await startHostedEngine(configure, classroom ? { classroom } : {})
  const api = engine.host.api
  let server: GuiServer
  try {
    server = await serveGui({
      api,
      hosts: engine.engine.config.hosts,
      allowedHosts: engine.engine.config.allowedHosts,
      port: engine.engine.config.ports.gui,
      root: serverOpts.root ?? rendererOutDir(root),
      log: engine.engine.logger.child('gui'),
      ...serverOpts,
      ...(classroom ? { classroom: () => engine.host.classroom() } : {})
    })
  } catch (err) {
    await engine.dispose()
    throw err
  }
  return {
    url: server.url,
    wsUrl: server.wsUrl,
    origin: new URL(server.url).origin,
    token: server.token,
    engine,
    server,
    stop: async () => {
      await server.close()
      await engine.dispose()
    }
  }
}

/**
 * A small site standing in for out/renderer (so that transport tests do not depend on the GUI
 * being buildable at that moment): index.html with the app's CSP and relative asset references,
 * as Vite writes them, and one file of each kind the server must label.
 */
export function siteFixture(): { root: string; cleanup(): void } {
  const dir = tempDir('ulcc-gui-site-')
  const put = (path: string, content: string | Buffer): void => {
    mkdirSync(join(dir.path, path, '..'), { recursive: true })
    writeFileSync(join(dir.path, path), content)
  }
  put(
    'index.html',
    `<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <meta http-equiv="Content-Security-Policy" content="${rendererCsp()}" />
    <title>UltraLight Control Center</title>
    <script type="module" crossorigin src="./assets/index-Abc123.js"></script>
    <link rel="stylesheet" crossorigin href="./assets/index-Def456.css">
  </head>
  <body><div id="app"></div></body>
</html>
`
  )
  put('assets/index-Abc123.js', "document.getElementById('app').dataset.loaded = 'yes'\n")
  put('assets/index-Def456.css', 'body { margin: 0 }\n')
  put('assets/logo-1.svg', '<svg xmlns="http://www.w3.org/2000/svg"/>')
  put('assets/font-1.woff2', Buffer.from([0x77, 0x4f, 0x46, 0x32]))
  put('assets/data-1.bin', Buffer.from([0, 1, 2]))
  put('favicon.ico', Buffer.from([0, 0, 1, 0]))
  put('manifest.json', '{"name":"ULCC"}')
  put('.hidden', 'secret')
  return { root: dir.path, cleanup: dir.cleanup }
}

/** What the tests use of the browser bridge (renderer/src/bridge). */
export interface TestBridge extends EngineBridge {
  readonly connection: {
    readonly current: { state: string; detail?: string; nextAttemptAt?: number; droppedEvents: number; droppedByStream: Partial<Record<EventName, number>> }
    subscribe(listener: (info: { state: string; detail?: string; droppedEvents: number }) => void): () => void
    retryNow(): void
  }
  close(): void
}

export interface BridgeModule {
  createWebSocketBridge(opts: {
    url: string
    token: string | null
    createSocket?: (url: string) => unknown
    fetch?: (url: string) => Promise<{ status: number }>
    requestTimeoutMs?: number
    reconnectInitialMs?: number
    reconnectMaxMs?: number
  }): TestBridge
  createBridge(): TestBridge
  fromPreload(ulcc: EngineBridge): TestBridge
  takeToken(env: {
    location: { href: string }
    history: { state: unknown; replaceState(state: unknown, unused: string, url?: string): void }
    sessionStorage?: { getItem(key: string): string | null; setItem(key: string, value: string): void }
  }): string | null
  TOKEN_STORAGE_KEY: string
}

/**
 * The browser bridge, loaded the way Vitest loads any TypeScript module. Not a static import: the
 * bridge belongs to the web TypeScript project, which this (node) project may not include.
 */
export async function loadBridge(): Promise<BridgeModule> {
  return (await import(pathToFileURL(join(root, 'renderer', 'src', 'bridge', 'index.ts')).href)) as BridgeModule
}

/** Rejection values of the bridge are plain error objects. */
export type BridgeError = ApiErrorDto

/** A message from the server, loosely typed for assertions. */
export type WireMessage = { type: string; id?: unknown; ok?: boolean; result?: unknown; error?: ApiErrorDto; event?: string; payload?: unknown }

/**
 * A raw client of the GUI's WebSocket: sends protocol messages, keeps every message received,
 * and waits for the ones a test expects.
 */
export class WsTestClient {
  readonly received: WireMessage[] = []
  private waiters: Array<{ match: (m: WireMessage) => boolean; resolve: (m: WireMessage) => void }> = []
  private nextId = 1
  readonly closed: Promise<{ code: number; reason: string }>

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const m = JSON.parse(wsText(data)) as WireMessage
      this.received.push(m)
      this.waiters = this.waiters.filter((w) => (w.match(m) ? (w.resolve(m), false) : true))
    })
    this.closed = new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: String(reason) })))
  }

  static connect(url: string, headers: Record<string, string> = {}): Promise<WsTestClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers })
      ws.once('open', () => resolve(new WsTestClient(ws)))
      ws.on('error', reject)
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused with HTTP ${res.statusCode}`)))
    })
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message))
  }

  /** The next message (already received or to come) that matches. */
  next(match: (m: WireMessage) => boolean, timeoutMs = 10_000): Promise<WireMessage> {
    const seen = this.received.find(match)
    if (seen) {
      this.received.splice(this.received.indexOf(seen), 1)
      return Promise.resolve(seen)
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for a WebSocket message')), timeoutMs)
      this.waiters.push({
        match,
        resolve: (m) => {
          clearTimeout(timer)
          this.received.splice(this.received.indexOf(m), 1)
          resolve(m)
        }
      })
    })
  }

  /** Sends a request and resolves with its result message. */
  request(name: string, args: unknown): Promise<WireMessage> {
    const id = this.nextId++
    this.send({ type: 'request', id, name, args })
    return this.next((m) => m.type === 'result' && m.id === id)
  }

  /** Subscribes or unsubscribes, and waits for the acknowledgement. */
  async stream(type: 'subscribe' | 'unsubscribe', event: string): Promise<WireMessage> {
    const id = `s${this.nextId++}`
    this.send({ type, event, id })
    return this.next((m) => m.type === 'result' && m.id === id)
  }

  async close(): Promise<void> {
    if (this.ws.readyState !== WebSocket.CLOSED) this.ws.close()
    await this.closed
  }
}

/** The HTTP status a WebSocket upgrade gets: 101 when accepted (the socket is then closed). */
export function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers })
    ws.once('open', () => {
      ws.close()
      resolve(101)
    })
    ws.once('unexpected-response', (_req, res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
      ws.terminate()
    })
    ws.on('error', (err) => reject(err))
  })
}
