/**
 * The only module of the GUI that knows how the engine is reached (renderer/src/bridge: the
 * Electron preload in the desktop app, a WebSocket in a browser). Everything else imports
 * `request`, `on`, `connection` and `onResync` from here.
 */
import { shallowRef, type Ref } from 'vue'
import type { ApiErrorDto, EventName, EventPayloads, RequestArgs, RequestName, RequestResults } from '../../../shared/contract'
import { createBridge, currentAccess, dropTraineeSession, type ConnectionState, type TraineeSession } from '../bridge'

export type { ConnectionState } from '../bridge'

/** Made as early as possible: in a browser this also takes the access token out of the address bar. */
const bridge = createBridge()

const access = currentAccess()
/**
 * In classroom mode, the trainee this page is (its tenant and API key), known before the engine
 * answers: the views that a trainee may not use are never mounted. null for anyone else.
 */
export const traineeSession: TraineeSession | null = access.kind === 'trainee' ? access.session : null

/** Connection state of the bridge, as the banner shows it. */
export const connection: Ref<ConnectionState> = shallowRef(bridge.connection.current.state)
/** Why the connection is not open, in the bridge's words (for the banner's detail line). */
export const connectionDetail: Ref<string> = shallowRef('')
/** When the bridge tries again (ms since the epoch), while reconnecting. */
export const nextAttemptAt: Ref<number | undefined> = shallowRef(undefined)

const resyncListeners = new Set<(streams: ReadonlySet<EventName> | 'all') => void>()
let wasDown = false
let dropped: Partial<Record<EventName, number>> = {}

bridge.connection.subscribe((info) => {
  // The server no longer knows this trainee (the class was started again): back to the join page.
  if (info.state === 'unauthorized' && traineeSession) {
    dropTraineeSession(globalThis, traineeSession)
    location.reload()
    return
  }
  connection.value = info.state
  connectionDetail.value = info.detail ?? ''
  nextAttemptAt.value = info.nextAttemptAt
  if (info.state === 'reconnecting') wasDown = true
  if (info.state === 'connected' && wasDown) {
    wasDown = false
    for (const l of resyncListeners) l('all')
  }
  // Event batches the server could not deliver to this page: the views fed by them reload.
  const changed = new Set<EventName>()
  for (const [stream, n] of Object.entries(info.droppedByStream) as Array<[EventName, number]>) {
    if ((dropped[stream] ?? 0) !== n) changed.add(stream)
  }
  dropped = { ...info.droppedByStream }
  if (changed.size) for (const l of resyncListeners) l(changed)
})

/** Retries the connection now instead of waiting (the banner's button). */
export function retryNow(): void {
  bridge.connection.retryNow()
}

/**
 * Called after events may have been missed: `'all'` after a reconnection, else the streams whose
 * batches the server dropped. Stores reload what those streams keep up to date.
 */
export function onResync(listener: (streams: ReadonlySet<EventName> | 'all') => void): () => void {
  resyncListeners.add(listener)
  return () => resyncListeners.delete(listener)
}

export function missed(streams: ReadonlySet<EventName> | 'all', stream: EventName): boolean {
  return streams === 'all' || streams.has(stream)
}

/** Normalises whatever a transport rejects with into the contract's error shape. */
export function toApiError(err: unknown): ApiErrorDto {
  if (err && typeof err === 'object') {
    const e = err as { name?: unknown; message?: unknown; status?: unknown }
    return {
      name: typeof e.name === 'string' ? e.name : 'Error',
      message: typeof e.message === 'string' ? e.message : 'the engine reported an error without a message',
      ...(typeof e.status === 'number' ? { status: e.status } : {})
    }
  }
  return { name: 'Error', message: String(err) }
}

/** One request to the engine; rejects with an ApiErrorDto. */
export async function request<K extends RequestName>(name: K, args: RequestArgs<K>): Promise<RequestResults[K]> {
  try {
    return await bridge.request(name, args)
  } catch (err) {
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- the contract's error as data (name, message, status), as both bridges reject
    throw toApiError(err)
  }
}

/** Subscribes to one of the engine's batched event streams; returns the unsubscribe function. */
export function on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void {
  return bridge.on(event, listener)
}
