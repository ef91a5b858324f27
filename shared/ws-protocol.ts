/**
 * The JSON messages of the browser transport (one WebSocket per page, `serve` mode). They carry
 * the contract of shared/contract.ts unchanged: a request names one of its requests, a result
 * answers it by id, an event carries one batch of one of its streams.
 *
 * Written once for both ends: the GUI server (electron/engine/transport/ws-server.ts,
 * gui-server.ts) and the browser bridge (renderer/src/bridge/ws-bridge.ts) import it. Types and
 * constants only, so that it costs the page's bundle nothing but the constants.
 */
import type { ApiErrorDto, EventName, EventPayloads, RequestName } from './contract'

/** Path of the WebSocket on the GUI server; the token goes in the query (`/ws?token=…`). */
export const WS_PATH = '/ws'
/** Query parameter carrying the token, on the page's URL and on the WebSocket's. */
export const TOKEN_PARAM = 'token'
/** Largest message the server accepts from a client. The contract lets mqtt.publish carry 16 MiB of text, plus JSON escaping. */
export const MAX_CLIENT_MESSAGE_BYTES = 32 * 1024 * 1024
/** Name of the notice a client gets after the server skipped events it could not take in time. */
export const DROPPED_EVENT = 'dropped'

/** Ids are chosen by the client and echoed in the result. */
export type RequestId = string | number

export type ClientMessage =
  | { type: 'request'; id: RequestId; name: RequestName; args: unknown }
  | { type: 'subscribe' | 'unsubscribe'; event: EventName }

/**
 * `id` is null when the message could not be read far enough to know it (not JSON, no id).
 * `result` is absent for requests that return nothing.
 */
export type ResultMessage = { type: 'result'; id: RequestId | null; ok: true; result?: unknown } | { type: 'result'; id: RequestId | null; ok: false; error: ApiErrorDto }

export type EventMessage = { [E in EventName]: { type: 'event'; event: E; payload: EventPayloads[E] } }[EventName]

/** Sent when the server skipped event batches for this client because its connection was full. */
export interface DroppedNotice {
  type: 'event'
  event: typeof DROPPED_EVENT
  payload: DroppedPayload
}

export interface DroppedPayload {
  /** Batches skipped since the previous notice. */
  count: number
  /** The same, by stream. */
  streams: Partial<Record<EventName, number>>
}

export type ServerMessage = ResultMessage | EventMessage | DroppedNotice
