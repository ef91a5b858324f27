/**
 * The engine contract over the WebSocket of `serve` mode: the browser's counterpart of the
 * Electron preload bridge (same `EngineBridge`, same errors as plain `{ name, message, status }`
 * objects). Plain TypeScript, no Vue: the socket and the probe are injectable, so it runs in Node
 * against the real server too.
 *
 * - Requests carry ids; each waits for its result or its timeout. Requests made while the
 *   connection is down wait for it (within the same timeout); requests already sent when it
 *   drops fail with CONNECTION_LOST: they are never sent twice (devices.create is not idempotent).
 * - A stream is subscribed on the server when its first listener is added and unsubscribed when
 *   its last one goes; after a reconnection every stream with listeners is subscribed again.
 * - A lost connection is retried with growing pauses. When a connection attempt fails, the bridge
 *   asks the server over plain HTTP whether its token is still valid (a browser cannot read why a
 *   WebSocket was refused): if not, the state becomes `unauthorized` and the bridge stops.
 */
import type { ApiErrorDto, EventName, EventSubscribe, RequestArgs, RequestName, RequestResults } from '../../../shared/contract'
import { DROPPED_EVENT, MAX_CLIENT_MESSAGE_BYTES, TOKEN_PARAM, WS_PATH, type ClientMessage, type DroppedPayload } from '../../../shared/ws-protocol'
import { ConnectionCell, reportLater, type GuiBridge } from './connection'

/** What the bridge needs of a WebSocket: the browser's, or `ws`'s in Node. */
export interface SocketLike {
  readonly readyState: number
  send(data: string): void
  close(code?: number, reason?: string): void
  onopen: ((ev: never) => void) | null
  onmessage: ((ev: { data: unknown }) => void) | null
  onclose: ((ev: { code: number; reason: string }) => void) | null
  onerror: ((ev: never) => void) | null
}

export type SocketFactory = (url: string) => SocketLike
/** An HTTP GET resolving with the status (the token probe). */
export type ProbeFetch = (url: string) => Promise<{ status: number }>

export interface WebSocketBridgeOptions {
  /** The WebSocket's URL without the token, e.g. `ws://localhost:8042/ws`. */
  url: string
  /** null: none was given, the state is `unauthorized` from the start. */
  token: string | null
  /**
   * The query parameter carrying the token: `token` (TOKEN_PARAM, the GUI's token, default) or
   * `trainee` (TRAINEE_PARAM, a trainee's own token in classroom mode, shared/classroom.ts).
   */
  tokenParam?: string
  createSocket?: SocketFactory
  fetch?: ProbeFetch
  /** A request fails with TIMEOUT after this long without a result, waiting for a connection included (default 30 s). */
  requestTimeoutMs?: number
  /** First pause before reconnecting, doubled on each failure up to `reconnectMaxMs` (defaults 250 ms, 10 s). */
  reconnectInitialMs?: number
  reconnectMaxMs?: number
}

const OPEN = 1
const DEFAULT_TIMEOUT_MS = 30_000
/** Requests waiting for a connection; more fail at once rather than pile up. */
const MAX_QUEUED = 1000

type Timer = ReturnType<typeof setTimeout>

interface Pending {
  text: string
  sent: boolean
  resolve(value: unknown): void
  reject(error: ApiErrorDto): void
  timer: Timer
}

function transportError(name: string, message: string, status?: number): ApiErrorDto {
  return status === undefined ? { name, message } : { name, message, status }
}

/** The server's error, as a plain object with exactly the contract's fields. */
function asApiError(raw: unknown): ApiErrorDto {
  const e = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>
  const name = typeof e.name === 'string' ? e.name : 'INTERNAL_ERROR'
  const message = typeof e.message === 'string' ? e.message : 'the server reported an error without a message'
  return typeof e.status === 'number' ? { name, message, status: e.status } : { name, message }
}

function defaultSocket(url: string): SocketLike {
  const WS = (globalThis as unknown as { WebSocket?: new (url: string) => SocketLike }).WebSocket
  if (!WS) throw new Error('no WebSocket in this environment: pass createSocket')
  return new WS(url)
}

function defaultFetch(url: string): Promise<{ status: number }> {
  const f = (globalThis as unknown as { fetch?: (url: string, init: object) => Promise<{ status: number }> }).fetch
  if (!f) return Promise.reject(new Error('no fetch in this environment'))
  return f(url, { cache: 'no-store', credentials: 'omit' })
}

/** UTF-8 size of a string, without allocating it (lone surrogates counted as 3 bytes, like their replacement). */
function utf8Bytes(s: string): number {
  let n = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x80) n += 1
    else if (c < 0x800) n += 2
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4
      i++
    } else n += 3
  }
  return n
}

export function createWebSocketBridge(opts: WebSocketBridgeOptions): GuiBridge {
  const createSocket = opts.createSocket ?? defaultSocket
  const probe = opts.fetch ?? defaultFetch
  const timeoutMs = opts.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS
  const initialPause = opts.reconnectInitialMs ?? 250
  const maxPause = opts.reconnectMaxMs ?? 10_000
  const query = opts.token === null ? '' : `?${opts.tokenParam ?? TOKEN_PARAM}=${encodeURIComponent(opts.token)}`
  const socketUrl = `${opts.url}${query}`
  const probeUrl = `${opts.url.replace(/^ws/i, 'http')}${query}`

  const connection = new ConnectionCell({ state: 'connecting', transport: 'websocket', droppedEvents: 0, droppedByStream: {} }, () => retryNow())
  const pending = new Map<number, Pending>()
  const listeners = new Map<EventName, Set<{ fn: (payload: never) => void }>>()
  let socket: SocketLike | null = null
  let nextId = 1
  let failures = 0
  let retryTimer: Timer | null = null
  let closed = false

  const state = (): string => connection.current.state
  const isOpen = (): boolean => socket !== null && socket.readyState === OPEN && state() === 'connected'

  function settle(id: number): Pending | undefined {
    const p = pending.get(id)
    if (!p) return undefined
    pending.delete(id)
    clearTimeout(p.timer)
    return p
  }

  function failAll(error: ApiErrorDto, which: (p: Pending) => boolean = () => true): void {
    for (const [id, p] of [...pending]) if (which(p)) settle(id)?.reject(error)
  }

  function send(message: ClientMessage | string): void {
    socket?.send(typeof message === 'string' ? message : JSON.stringify(message))
  }

  function connect(): void {
    if (closed || state() === 'unauthorized') return
    if (opts.token === null) return unauthorized()
    let s: SocketLike
    try {
      s = createSocket(socketUrl)
    } catch (err) {
      return scheduleRetry(`cannot open a WebSocket: ${(err as Error).message}`)
    }
    socket = s
    let opened = false
    s.onopen = () => {
      if (socket !== s) return
      opened = true
      failures = 0
      connection.set({ state: 'connected' })
      for (const event of listeners.keys()) send({ type: 'subscribe', event })
      for (const p of pending.values()) {
        if (p.sent) continue
        p.sent = true
        send(p.text)
      }
    }
    s.onmessage = (ev) => {
      if (socket === s) receive(ev.data)
    }
    s.onerror = () => undefined
    s.onclose = (ev) => {
      if (socket !== s) return
      socket = null
      failAll(transportError('CONNECTION_LOST', 'the connection to the engine was lost before the result arrived; the request may or may not have been carried out'), (p) => p.sent)
      if (closed) return
      if (opened) return scheduleRetry(ev.reason ? `connection closed by the server: ${ev.reason}` : `connection lost (code ${ev.code})`)
      // Refused or unreachable: a refused token is final, anything else is worth retrying.
      probe(probeUrl).then(
        (r) =>
          r.status === 401
            ? unauthorized()
            : scheduleRetry(
                r.status === 426
                  ? 'the server refused the WebSocket although the token is valid (was the page opened from another address?)'
                  : `the server answered HTTP ${r.status} on ${WS_PATH}`
              ),
        () => scheduleRetry('the server cannot be reached (is `npm run serve` still running?)')
      )
    }
  }

  function scheduleRetry(detail: string): void {
    if (closed || state() === 'unauthorized' || retryTimer) return
    const pause = Math.min(maxPause, initialPause * 2 ** Math.min(failures, 16)) * (0.8 + Math.random() * 0.4)
    failures++
    connection.set({ state: 'reconnecting', nextAttemptAt: Date.now() + pause, detail })
    retryTimer = setTimeout(() => {
      retryTimer = null
      connect()
    }, pause)
  }

  function retryNow(): void {
    if (closed || !retryTimer) return
    clearTimeout(retryTimer)
    retryTimer = null
    connect()
  }

  function unauthorized(): void {
    if (closed) return
    if (retryTimer) clearTimeout(retryTimer)
    retryTimer = null
    connection.set({ state: 'unauthorized', detail: opts.token === null ? 'the page has no token' : "the server refused this page's token" })
    failAll(unauthorizedError())
  }

  const unauthorizedError = (): ApiErrorDto =>
    transportError('UNAUTHORIZED', 'the engine refused this page: open the URL with the token that `npm run serve` printed', 401)

  function receive(data: unknown): void {
    if (typeof data !== 'string') return
    let msg: Record<string, unknown>
    try {
      msg = JSON.parse(data) as Record<string, unknown>
    } catch {
      return
    }
    if (msg.type === 'result') {
      if (typeof msg.id !== 'number') return
      const p = settle(msg.id)
      if (!p) return
      if (msg.ok === true) p.resolve(msg.result)
      else p.reject(asApiError(msg.error))
    } else if (msg.type === 'event') {
      if (msg.event === DROPPED_EVENT) {
        const d = msg.payload as DroppedPayload
        const byStream = { ...connection.current.droppedByStream }
        for (const [k, n] of Object.entries(d.streams ?? {})) byStream[k as EventName] = (byStream[k as EventName] ?? 0) + (n ?? 0)
        connection.set({ droppedEvents: connection.current.droppedEvents + (d.count ?? 0), droppedByStream: byStream })
        return
      }
      for (const entry of [...(listeners.get(msg.event as EventName) ?? [])]) {
        try {
          entry.fn(msg.payload as never)
        } catch (err) {
          reportLater(err)
        }
      }
    }
  }

  function request<K extends RequestName>(name: K, args: RequestArgs<K>): Promise<RequestResults[K]> {
    return new Promise((resolve, rejectPromise) => {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the contract's error as data, as the preload bridge rejects (see the header)
      const reject = (error: ApiErrorDto): void => rejectPromise(error)
      if (closed) return reject(transportError('BRIDGE_CLOSED', 'the connection to the engine was closed'))
      if (state() === 'unauthorized') return reject(unauthorizedError())
      const id = nextId++
      let text: string
      try {
        text = JSON.stringify({ type: 'request', id, name, args } satisfies ClientMessage)
      } catch (err) {
        return reject(transportError('BAD_REQUEST', `the arguments cannot be sent as JSON: ${(err as Error).message}`, 400))
      }
      if (text.length > MAX_CLIENT_MESSAGE_BYTES / 3 && utf8Bytes(text) > MAX_CLIENT_MESSAGE_BYTES) {
        return reject(transportError('REQUEST_TOO_LARGE', `the request is larger than ${MAX_CLIENT_MESSAGE_BYTES / 1024 / 1024} MiB`, 413))
      }
      const open = isOpen()
      if (!open && [...pending.values()].filter((p) => !p.sent).length >= MAX_QUEUED) {
        return reject(transportError('NOT_CONNECTED', 'too many requests are waiting for the connection to the engine'))
      }
      const timer = setTimeout(() => {
        settle(id)?.reject(transportError('TIMEOUT', `no answer to ${name} within ${Math.round(timeoutMs / 1000)} s`))
      }, timeoutMs)
      pending.set(id, { text, sent: open, resolve, reject, timer })
      if (open) send(text)
    })
  }

  const on: EventSubscribe = (event, listener) => {
    let set = listeners.get(event)
    if (!set) {
      listeners.set(event, (set = new Set()))
      if (isOpen()) send({ type: 'subscribe', event })
    }
    const entry = { fn: listener as (payload: never) => void }
    set.add(entry)
    let subscribed = true
    return () => {
      if (!subscribed) return
      subscribed = false
      set.delete(entry)
      if (set.size === 0 && listeners.get(event) === set) {
        listeners.delete(event)
        if (isOpen()) send({ type: 'unsubscribe', event })
      }
    }
  }

  connect()

  return {
    request,
    on,
    connection,
    close() {
      if (closed) return
      closed = true
      if (retryTimer) clearTimeout(retryTimer)
      retryTimer = null
      failAll(transportError('BRIDGE_CLOSED', 'the connection to the engine was closed'))
      const s = socket
      socket = null
      s?.close(1000, 'closed by the page')
      connection.set({ state: 'closed', detail: 'closed by the page' })
    }
  }
}
