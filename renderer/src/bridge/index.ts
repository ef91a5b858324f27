/**
 * How the GUI reaches the engine, wherever it runs:
 * - in the desktop app, through the preload bridge (`window.ulcc`, Electron IPC);
 * - in a browser (`npm run serve`), through the WebSocket of the GUI server, with the token from
 *   the page's URL, or, in classroom mode, with a trainee's own token (classroom-session.ts).
 *
 * ```ts
 * const engine = createBridge()
 * const status = await engine.request('engine.status', {})
 * const off = engine.on('logs', (batch) => …)
 * engine.connection.subscribe(({ state, detail }) => …) // 'connecting' | 'connected' | 'reconnecting' | 'unauthorized' | 'closed'
 * ```
 */
import type { EngineBridge } from '../../../shared/contract'
import { TRAINEE_PARAM } from '../../../shared/classroom'
import { WS_PATH } from '../../../shared/ws-protocol'
import { pageAccess, type ClassroomPageEnvironment, type PageAccess, type TraineeSession } from './classroom-session'
import { alwaysConnected, type GuiBridge } from './connection'
import { createWebSocketBridge } from './ws-bridge'

export type { Connection, ConnectionInfo, ConnectionState, GuiBridge } from './connection'
export { alwaysConnected } from './connection'
export { takeToken, TOKEN_STORAGE_KEY } from './token'
export { pageAccess, saveTraineeSession, dropTraineeSession, type PageAccess, type TraineeSession } from './classroom-session'
export { joinClassroom, traineeName, type JoinResult, type JoinErrorName } from './classroom-join'
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

type Page = ClassroomPageEnvironment & { ulcc?: EngineBridge; location: { href: string; protocol: string; host: string } }

let bridge: GuiBridge | undefined
let access: PageAccess | { kind: 'ipc' } | undefined

/**
 * Who this page is (the desktop app, the GUI's token, a trainee, a trainee still to join), decided
 * on the first call: in a browser that call takes the token or join code out of the address bar.
 */
export function currentAccess(): PageAccess | { kind: 'ipc' } {
  if (access) return access
  const page = globalThis as unknown as Page
  access = page.ulcc ? { kind: 'ipc' } : pageAccess(page)
  return access
}

/** After joining: this page is that trainee from now on (before the bridge is made). */
export function becomeTrainee(session: TraineeSession): void {
  if (bridge) throw new Error('the bridge to the engine is already made')
  access = { kind: 'trainee', session }
}

/**
 * The page's bridge to the engine, made on the first call and the same on every later one. In
 * a browser, the first call also takes the token out of the address bar: call it early (main.ts).
 */
export function createBridge(): GuiBridge {
  if (bridge) return bridge
  const page = globalThis as unknown as Page
  const who = currentAccess()
  if (page.ulcc) {
    bridge = fromPreload(page.ulcc)
  } else {
    const scheme = page.location.protocol === 'https:' ? 'wss:' : 'ws:'
    const url = `${scheme}//${page.location.host}${WS_PATH}`
    // A page still to join has no token: `unauthorized` (the join page is shown instead of the GUI).
    bridge =
      who.kind === 'trainee'
        ? createWebSocketBridge({ url, token: who.session.token, tokenParam: TRAINEE_PARAM })
        : createWebSocketBridge({ url, token: who.kind === 'gui' ? who.token : null })
  }
  return bridge
}
