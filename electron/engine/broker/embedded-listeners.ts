import { createServer as createTcpServer, type Server, type Socket } from 'node:net'
import { createServer as createHttpServer, type IncomingMessage, type RequestListener } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { createServer as createTlsServer, type TlsOptions } from 'node:tls'
import type { Duplex } from 'node:stream'
import { WebSocketServer, createWebSocketStream, type WebSocket } from 'ws'
import type { HostGuard } from '../net/host-guard'
import { listenOnHosts } from '../net/listen'
import type { SourceLogger } from '../log/logger'
import type { ListenerTls } from './embedded-tls'
import type { BrokerListener } from './types'

/** Hands a connection (TCP socket or WebSocket stream) to the broker. */
export type ConnectionHandler = (stream: Duplex, req?: IncomingMessage) => void

/** Largest MQTT packet (256 MB), also Mosquitto's default message size limit. */
const MAX_WS_MESSAGE = 268_435_455 + 5

/**
 * Sub-protocols an MQTT WebSocket client offers: `mqtt` (3.1.1 and 5) and `mqttv3.1` (3.1), the
 * two Mosquitto's websockets listener accepts. A client that offers neither is not an MQTT client.
 */
function chooseProtocol(offered: Set<string>): string | false {
  if (offered.has('mqtt')) return 'mqtt'
  if (offered.has('mqttv3.1')) return 'mqttv3.1'
  return false
}

export interface MqttListeners {
  listeners: BrokerListener[]
  skipped: Array<{ host: string; reason: string }>
  /** Stops accepting connections; open connections stay until closeConnections(). */
  stopAccepting(): void
  /** Destroys every remaining connection and resolves when every server is closed. */
  closeConnections(): Promise<void>
}

/**
 * Binds MQTT over TCP on `mqttPort` and MQTT over WebSocket (any path, as Mosquitto's websockets
 * listener) on `wsPort`, on every host; with `tls`, also MQTT over TLS (mqtts) and over secure
 * WebSocket (wss) on their ports, with Mosquitto's certfile/keyfile/cafile/require_certificate. Raw sockets are tracked here because Aedes only knows the
 * clients that completed CONNECT: a socket that never sends it would otherwise hold server.close()
 * open until Aedes' connect timeout.
 */
export async function openListeners(
  handle: ConnectionHandler,
  hosts: string[],
  mqttPort: number,
  wsPort: number,
  log: SourceLogger,
  /** The Host allowlist of the WebSocket port (DNS rebinding: a web page must not reach the broker through its own name). */
  hostGuard?: HostGuard,
  tls?: ListenerTls
): Promise<MqttListeners> {
  const sockets = new Set<Socket>()
  const track = (socket: Socket): void => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  }

  const makeTcp = (): Server =>
    createTcpServer({ noDelay: true }, (socket) => {
      track(socket)
      // Aedes reports protocol errors through its own events; an unhandled 'error' on a reset
      // socket must not reach the process.
      socket.on('error', () => undefined)
      handle(socket)
    })

  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: MAX_WS_MESSAGE,
    handleProtocols: (offered) => chooseProtocol(offered)
  })
  wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    const stream = createWebSocketStream(ws)
    stream.on('error', () => undefined)
    handle(stream, req)
  })

  const tlsOptions: TlsOptions | undefined = tls && {
    cert: tls.cert,
    key: tls.key,
    ...(tls.ca ? { ca: tls.ca } : {}),
    // Mosquitto's require_certificate: a client without a certificate the CA signed is refused in the handshake.
    requestCert: tls.requireCertificate,
    rejectUnauthorized: tls.requireCertificate
  }

  const makeTls = (): Server => {
    const server = createTlsServer(tlsOptions!, (socket) => {
      socket.on('error', () => undefined)
      handle(socket)
    })
    server.on('connection', track)
    // A failed handshake (no or a bad client certificate, plain MQTT on the TLS port) only concerns that client.
    server.on('tlsClientError', (err) => log.debug('TLS_CLIENT_ERROR', `MQTT over TLS: handshake failed: ${err.message}`))
    return server
  }

  const makeWs = (secure = false): Server => {
    const answer: RequestListener = (req, res) => {
      if (hostGuard && !hostGuard.admit(req.headers.host, 'MQTT broker (WebSocket)', req.socket.remoteAddress)) {
        res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' })
        return void res.end('This Host name is not allowed here.\n')
      }
      // Not an upgrade: a browser or curl pointed at the WebSocket port.
      res.writeHead(426, { 'Content-Type': 'text/plain; charset=utf-8', Upgrade: 'websocket', Connection: 'close' })
      res.end('This port serves MQTT over WebSocket (sub-protocol "mqtt").\n')
    }
    const server = secure ? createHttpsServer(tlsOptions!, answer) : createHttpServer(answer)
    server.on('connection', track)
    if (secure) server.on('tlsClientError', (err: Error) => log.debug('TLS_CLIENT_ERROR', `MQTT over secure WebSocket: handshake failed: ${err.message}`))
    // Any path is accepted (/, /mqtt, /ws...), as Mosquitto does.
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      socket.on('error', () => undefined)
      if (hostGuard && !hostGuard.admit(req.headers.host, 'MQTT broker (WebSocket)', req.socket.remoteAddress)) {
        const body = 'This Host name is not allowed here.\n'
        return void socket.end(`HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`)
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
    })
    return server
  }

  const tcp = await listenOnHosts(makeTcp, hosts, mqttPort, 'MQTT broker (TCP)')
  const opened = [tcp]
  let ws: Awaited<ReturnType<typeof listenOnHosts>>
  let mqtts: Awaited<ReturnType<typeof listenOnHosts>> | undefined
  let wssSecure: Awaited<ReturnType<typeof listenOnHosts>> | undefined
  try {
    ws = await listenOnHosts(() => makeWs(), hosts, wsPort, 'MQTT broker (WebSocket)')
    opened.push(ws)
    if (tls?.tlsPort !== undefined) opened.push((mqtts = await listenOnHosts(makeTls, hosts, tls.tlsPort, 'MQTT broker (TLS)')))
    if (tls?.wssPort !== undefined) opened.push((wssSecure = await listenOnHosts(() => makeWs(true), hosts, tls.wssPort, 'MQTT broker (secure WebSocket)')))
  } catch (err) {
    for (const o of opened) for (const s of o.servers) s.close()
    wss.close()
    throw err
  }

  const servers = opened.flatMap((o) => o.servers)
  const closed = servers.map((s) => new Promise<void>((resolve) => s.once('close', () => resolve())))
  const listeners: BrokerListener[] = [
    ...tcp.bound.map((b) => ({ protocol: 'mqtt' as const, host: b.host, port: b.port })),
    ...ws.bound.map((b) => ({ protocol: 'ws' as const, host: b.host, port: b.port })),
    ...(mqtts?.bound ?? []).map((b) => ({ protocol: 'mqtts' as const, host: b.host, port: b.port })),
    ...(wssSecure?.bound ?? []).map((b) => ({ protocol: 'wss' as const, host: b.host, port: b.port }))
  ]
  // The same host is skipped by both listeners; report it once.
  const skipped = [...tcp.skipped, ...opened.slice(1).flatMap((o) => o.skipped).filter((s) => !tcp.skipped.some((t) => t.host === s.host))].filter(
    (s, i, all) => all.findIndex((o) => o.host === s.host) === i
  )
  for (const s of skipped) log.info('LISTEN_SKIPPED', `MQTT broker not listening on ${s.host}: ${s.reason}`)

  let accepting = true
  const stopAccepting = (): void => {
    if (!accepting) return
    accepting = false
    for (const s of servers) s.close()
  }

  return {
    listeners,
    skipped,
    stopAccepting,
    closeConnections: async () => {
      stopAccepting()
      for (const client of wss.clients) client.terminate()
      for (const socket of sockets) socket.destroy()
      wss.close()
      await Promise.all(closed)
    }
  }
}
