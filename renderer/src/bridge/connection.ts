/**
 * The state of the page's connection to the engine, for the GUI to show ("reconnecting…",
 * "this link has expired"). Over Electron IPC the engine is in the same app: always connected.
 */
import type { EngineBridge, EventName } from '../../../shared/contract'

/**
 * - `connecting`: the first attempt, right after the page opened;
 * - `connected`: requests and events flow;
 * - `reconnecting`: the connection was lost or could not be made (server stopped, network);
 *   the bridge retries with growing pauses, and requests made meanwhile wait for it;
 * - `unauthorized`: the server refuses this page's token (a URL from an earlier run of
 *   `npm run serve`, or none): the bridge gives up; the user must open the URL `serve` printed;
 * - `closed`: the page closed the bridge (`close()`).
 */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'unauthorized' | 'closed'

export interface ConnectionInfo {
  state: ConnectionState
  transport: 'ipc' | 'websocket'
  /** While reconnecting: when the next attempt is due (milliseconds since the epoch). */
  nextAttemptAt?: number
  /** Why the connection is not open, in a few words (English), when the bridge knows. */
  detail?: string
  /**
   * Event batches the server skipped for this page because it read them too slowly, since the page
   * opened, by stream. Views fed by those streams should reload (inspector.messages, lists).
   */
  droppedEvents: number
  droppedByStream: Partial<Record<EventName, number>>
}

export interface Connection {
  readonly current: ConnectionInfo
  /** Calls `listener` at once with the current state, then on every change; returns the unsubscribe function. */
  subscribe(listener: (info: ConnectionInfo) => void): () => void
  /** Tries to reconnect now instead of waiting for the next attempt (a "retry" button). */
  retryNow(): void
}

/** The engine as the GUI uses it: the contract's requests and events, and the connection's state. */
export interface GuiBridge extends EngineBridge {
  readonly connection: Connection
  /** Closes the connection for good (tests, page unload). */
  close(): void
}

/** A connection state holder: the WebSocket bridge changes it, the GUI listens. */
export class ConnectionCell implements Connection {
  private info: ConnectionInfo
  private readonly listeners = new Set<(info: ConnectionInfo) => void>()

  constructor(
    initial: ConnectionInfo,
    private readonly retry: () => void = () => undefined
  ) {
    this.info = initial
  }

  get current(): ConnectionInfo {
    return this.info
  }

  subscribe(listener: (info: ConnectionInfo) => void): () => void {
    const entry = (info: ConnectionInfo): void => listener(info)
    this.listeners.add(entry)
    entry(this.info)
    return () => {
      this.listeners.delete(entry)
    }
  }

  retryNow(): void {
    this.retry()
  }

  set(change: Partial<ConnectionInfo>): void {
    const next = { ...this.info, ...change }
    if (change.state !== undefined && change.state !== 'reconnecting') delete next.nextAttemptAt
    if (change.state === 'connected') delete next.detail
    this.info = next
    for (const l of [...this.listeners]) {
      try {
        l(next)
      } catch (err) {
        reportLater(err)
      }
    }
  }
}

/** The state of the Electron bridge: the engine runs in the app itself. */
export function alwaysConnected(): Connection {
  return new ConnectionCell({ state: 'connected', transport: 'ipc', droppedEvents: 0, droppedByStream: {} })
}

/** Reports an exception of a listener without interrupting the others (it reaches the console / window.onerror). */
export function reportLater(err: unknown): void {
  setTimeout(() => {
    throw err
  }, 0)
}
