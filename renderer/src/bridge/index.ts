/**
 * How the GUI reaches the engine, wherever it runs:
 * - in the desktop app, through the preload bridge (`window.ulcc`, Electron IPC);
 * - in a browser (`npm run serve`), through the WebSocket of the GUI server, with the token from
 *   the page's URL.
 *
 * ```ts
 * const engine = createBridge()
 * const status = await engine.request('engine.status', {})
 * const off = engine.on('logs', (batch) => …)
 * engine.connection.subscribe(({ state, detail }) => …) // 'connecting' | 'connected' | 'reconnecting' | 'unauthorized' | 'closed'
 * ```
 */
import type { EngineBridge } from '../../../shared/contract'
import { WS_PATH } from '../../../shared/ws-protocol'
import { alwaysConnected, type GuiBridge } from './connection'
import { takeToken, type PageEnvironment } from './token'
import { createWebSocketBridge } from './ws-bridge'

export type { Connection, ConnectionInfo, ConnectionState, GuiBridge } from './connection'
export { alwaysConnected } from './connection'
export { takeToken, TOKEN_STORAGE_KEY } from './token'
export { createWebSocketBridge, type WebSocketBridgeOptions, type SocketLike } from './ws-bridge'

/** The preload's bridge with the connection state of the desktop app (always connected). */
export function fromPreload(ulcc: EngineBridge): GuiBridge {
  return {
    request: (name, args) => ulcc.request(name, args),
    on: (event, listener) => ulcc.on(event, listener),
    connection: alwaysConnected(),
    close: () => undefined
  }
}

type Page = PageEnvironment & { ulcc?: EngineBridge; location: { href: string; protocol: string; host: string } }

let bridge: GuiBridge | undefined

/**
 * The page's bridge to the engine, made on the first call and the same on every later one. In
 * a browser, the first call also takes the token out of the address bar: call it early (main.ts).
 */
export function createBridge(): GuiBridge {
  if (bridge) return bridge
  const page = globalThis as unknown as Page
  if (page.ulcc) {
    bridge = fromPreload(page.ulcc)
  } else {
    const token = takeToken(page)
    const scheme = page.location.protocol === 'https:' ? 'wss:' : 'ws:'
    bridge = createWebSocketBridge({ url: `${scheme}//${page.location.host}${WS_PATH}`, token })
  }
  return bridge
}
