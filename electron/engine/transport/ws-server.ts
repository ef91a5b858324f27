/**
 * The WebSocket transport of the engine contract (`serve` mode): one socket per page, JSON
 * messages (see shared/ws-protocol.ts). Requests go through the same validation as over IPC;
 * event batches reach a client only for the streams it subscribed to.
 *
 * A client that does not read fast enough (a throttled background tab, a Raspberry Pi on Wi-Fi)
 * must not make the server buffer without limit, nor slow the engine down: above a bound of
 * unsent bytes its event batches are skipped and counted, and it gets a `dropped` notice once its
 * connection has room again. Results of requests are always sent.
 */
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type RawData, type WebSocket } from 'ws'
import type { EngineApi, EventName, EventSubscribe } from '../../../shared/contract'
import { DROPPED_EVENT, MAX_CLIENT_MESSAGE_BYTES, type DroppedNotice, type RequestId, type ResultMessage } from '../../../shared/ws-protocol'
import { EventHub, isEventName, type EventConsumer } from '../api/events'
import type { SourceLogger } from '../log/logger'
import { badRequest, dispatchRequest, type RequestOutcome } from './validate-request'

export interface WsTransportOptions {
  api: EngineApi & { on: EventSubscribe }
  /** Unsent bytes on a client's connection above which its event batches are skipped (default 8 MiB). */
  maxBufferedBytes?: number
  /** Largest message accepted from a client; a larger one closes its connection with 1009 (default 32 MiB). */
  maxMessageBytes?: number
  /** Ping period; a client that missed a whole period is cut off (default 30 s). */
  heartbeatMs?: number
  log?: SourceLogger
}

/**
 * A page with its own view of the engine (a classroom trainee, docs/classroom.md): its own API,
 * the streams it may subscribe to, and what to do when the page goes.
 */
export interface WsSession {
  api: EngineApi & { on: EventSubscribe }
  streams: ReadonlySet<EventName>
  close(): void
  /** The session ends from the server's side (the engine restarts): the page is disconnected and connects again. */
  onEnd?(listener: () => void): () => void
}

export interface WsTransport {
  /** Takes over an HTTP upgrade request the caller has already authorized; with a session, the page gets that session's API. */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer, session?: WsSession): void
  clientCount(): number
  /** One line per open client: what it listens to and how far behind it is. */
  clientStats(): WsClientStats[]
  /** Streams the engine API is subscribed to right now (for tests and diagnostics). */
  activeStreams(): EventName[]
  /** Closes every client (1001, "going away") and stops listening to the engine. */
  close(): Promise<void>
}

export interface WsClientStats {
  peer: string
  streams: EventName[]
  /** Bytes queued for it and not yet taken by the network. */
  bufferedAmount: number
  /** Event batches skipped since its last `dropped` notice, and since it connected. */
  droppedPending: number
  droppedTotal: number
}

const DEFAULT_MAX_BUFFERED = 8 * 1024 * 1024
const DEFAULT_HEARTBEAT_MS = 30_000
/** How often a client with skipped batches is checked for room for the notice. */
const NOTICE_RETRY_MS = 250
/** How long clients get to answer a closing handshake before they are cut off. */
const CLOSE_GRACE_MS = 1000

function isRequestId(id: unknown): id is RequestId {
  return (typeof id === 'string' && id.length <= 128) || (typeof id === 'number' && Number.isFinite(id))
}

class Client {
  alive = true
  private readonly events: EventConsumer
  private dropped = 0
  private droppedTotal = 0
  private droppedBy: Partial<Record<EventName, number>> = {}
  private noticeTimer: NodeJS.Timeout | null = null
  private readingPaused = false

  constructor(
    readonly ws: WebSocket,
    readonly peer: string,
    hub: EventHub,
    private readonly api: EngineApi,
    private readonly maxBuffered: number,
    private readonly log: SourceLogger | undefined,
    private readonly allowed: ReadonlySet<EventName> | undefined
  ) {
    this.events = hub.consumer((event, _payload, json) => this.deliver(event, json))
    ws.on('message', (data, isBinary) => this.receive(data, isBinary))
    ws.on('pong', () => (this.alive = true))
  }

  stats(): WsClientStats {
    return {
      peer: this.peer,
      streams: this.events.streams(),
      bufferedAmount: this.ws.bufferedAmount,
      droppedPending: this.dropped,
      droppedTotal: this.droppedTotal
    }
  }

  close(): void {
    this.events.close()
    if (this.noticeTimer) clearTimeout(this.noticeTimer)
    this.noticeTimer = null
  }

  private full(): boolean {
    return this.ws.bufferedAmount > this.maxBuffered
  }

  private deliver(event: EventName, json: () => string): void {
    if (this.ws.readyState !== this.ws.OPEN) return
    if (this.full()) {
      this.dropped++
      this.droppedTotal++
      this.droppedBy[event] = (this.droppedBy[event] ?? 0) + 1
      this.noticeTimer ??= setTimeout(() => this.retryNotice(), NOTICE_RETRY_MS).unref()
      return
    }
    this.sendNotice()
    this.ws.send(json())
  }

  private retryNotice(): void {
    this.noticeTimer = null
    if (this.dropped === 0 || this.ws.readyState !== this.ws.OPEN) return
    if (this.full()) this.noticeTimer = setTimeout(() => this.retryNotice(), NOTICE_RETRY_MS).unref()
    else this.sendNotice()
  }

  /** Tells the client how many batches it missed since the last notice, if any. */
  private sendNotice(): void {
    if (this.dropped === 0) return
    const notice: DroppedNotice = { type: 'event', event: DROPPED_EVENT, payload: { count: this.dropped, streams: this.droppedBy } }
    this.log?.debug('GUI_EVENTS_DROPPED', `${this.dropped} event batch(es) skipped for a slow browser connection`, { streams: this.droppedBy })
    this.dropped = 0
    this.droppedBy = {}
    if (this.noticeTimer) clearTimeout(this.noticeTimer)
    this.noticeTimer = null
    this.ws.send(JSON.stringify(notice))
  }

  private reply(id: RequestId | null, outcome: RequestOutcome): void {
    if (this.ws.readyState !== this.ws.OPEN) return
    let text: string
    try {
      const message: ResultMessage = outcome.ok ? { type: 'result', id, ok: true, result: outcome.result } : { type: 'result', id, ok: false, error: outcome.error }
      text = JSON.stringify(message)
    } catch (err) {
      const error = { name: 'INTERNAL_ERROR', message: `the result could not be encoded: ${(err as Error).message}`, status: 500 }
      text = JSON.stringify({ type: 'result', id, ok: false, error } satisfies ResultMessage)
    }
    // Results are never skipped. A client that keeps asking without reading them is read no
    // further until they have left: TCP then slows it down, not the server's memory.
    const pause = !this.readingPaused && this.full()
    if (pause) {
      this.readingPaused = true
      this.ws.pause()
    }
    this.ws.send(text, () => {
      if (pause) {
        this.readingPaused = false
        if (this.ws.readyState === this.ws.OPEN) this.ws.resume()
      }
    })
  }

  private refuse(id: RequestId | null, message: string): void {
    this.reply(id, { ok: false, error: badRequest(message) })
  }

  private receive(data: RawData, isBinary: boolean): void {
    if (isBinary) return this.refuse(null, 'binary messages are not accepted: send JSON text')
    let msg: unknown
    try {
      msg = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]).toString('utf8'))
    } catch (err) {
      return this.refuse(null, `the message is not JSON (${(err as Error).message})`)
    }
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return this.refuse(null, 'the message must be a JSON object')
    const m = msg as Record<string, unknown>
    const id = isRequestId(m.id) ? m.id : null
    switch (m.type) {
      case 'request':
        if (id === null) return this.refuse(null, 'a request needs an "id" (a string of at most 128 characters or a number)')
        void dispatchRequest(this.api, m.name, m.args).then((outcome) => this.reply(id, outcome))
        return
      case 'subscribe':
      case 'unsubscribe':
        if (!isEventName(m.event)) return this.refuse(id, `unknown event stream ${JSON.stringify(String(m.event).slice(0, 64))}`)
        if (this.allowed && !this.allowed.has(m.event)) {
          return this.reply(id, { ok: false, error: { name: 'FORBIDDEN', message: `the ${m.event} stream is not available to this page`, status: 403 } })
        }
        if (m.type === 'subscribe') this.events.subscribe(m.event)
        else this.events.unsubscribe(m.event)
        // An acknowledgement only for a client that asked for one (with an id).
        if (id !== null) this.reply(id, { ok: true, result: undefined })
        return
      default:
        return this.refuse(id, `unknown message type ${JSON.stringify(String(m.type).slice(0, 32))} (expected request, subscribe or unsubscribe)`)
    }
  }
}

export function createWsTransport(opts: WsTransportOptions): WsTransport {
  const log = opts.log
  const maxBuffered = opts.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED
  const hub = EventHub.relay((event, listener) => opts.api.on(event, listener), (err) => log?.error('GUI_EVENT_FAILED', `an event could not be sent: ${(err as Error).message}`))
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: opts.maxMessageBytes ?? MAX_CLIENT_MESSAGE_BYTES, clientTracking: false })
  const clients = new Map<WebSocket, Client>()
  let closed = false

  const heartbeat = setInterval(() => {
    for (const c of clients.values()) {
      if (!c.alive) {
        c.ws.terminate()
        continue
      }
      c.alive = false
      c.ws.ping()
    }
  }, opts.heartbeatMs ?? DEFAULT_HEARTBEAT_MS)
  heartbeat.unref()

  return {
    accept(req, socket, head, session) {
      if (closed) {
        session?.close()
        return void socket.destroy()
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        const peer = `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`
        // A session has its own hub: its streams are its API's (filtered), relayed only while its page listens.
        const ownHub = session ? EventHub.relay(session.api.on, (err) => log?.error('GUI_EVENT_FAILED', `an event could not be sent: ${(err as Error).message}`)) : undefined
        const client = new Client(ws, peer, ownHub ?? hub, session?.api ?? opts.api, maxBuffered, log, session?.streams)
        const offEnd = session?.onEnd?.(() => ws.close(1012, 'the engine restarts'))
        clients.set(ws, client)
        log?.debug('GUI_CLIENT_CONNECTED', `browser GUI connected from ${peer} (${clients.size} open)`)
        ws.on('error', () => undefined)
        ws.on('close', (code) => {
          client.close()
          offEnd?.()
          ownHub?.close()
          session?.close()
          clients.delete(ws)
          log?.debug('GUI_CLIENT_CLOSED', `browser GUI from ${peer} disconnected (${code}; ${clients.size} open)`)
        })
      })
    },
    clientCount: () => clients.size,
    clientStats: () => [...clients.values()].map((c) => c.stats()),
    activeStreams: () => hub.activeStreams(),
    async close() {
      closed = true
      clearInterval(heartbeat)
      const closing = [...clients.keys()].map(
        (ws) =>
          new Promise<void>((resolve) => {
            if (ws.readyState === ws.CLOSED) return resolve()
            ws.once('close', () => resolve())
            ws.close(1001, 'server shutting down')
            setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref()
          })
      )
      await Promise.all(closing)
      for (const c of clients.values()) c.close()
      clients.clear()
      hub.close()
      await new Promise<void>((resolve) => wss.close(() => resolve()))
    }
  }
}
