/**
 * The JSON messages of the WebSocket transport, as the browser bridge sends and reads them.
 *
 * The server's side is electron/engine/transport/protocol.ts; the two TypeScript projects (node
 * and web) cannot import each other's files, so the few definitions are written twice, and
 * test/integration/ws-transport-bridge.test.ts checks that the constants agree and that the two
 * sides talk to each other.
 */
import type { ApiErrorDto, EventName, RequestName } from '../../../shared/contract'

export const WS_PATH = '/ws'
export const TOKEN_PARAM = 'token'
export const MAX_CLIENT_MESSAGE_BYTES = 32 * 1024 * 1024
export const DROPPED_EVENT = 'dropped'

export type RequestId = string | number

export type ClientMessage = { type: 'request'; id: RequestId; name: RequestName; args: unknown } | { type: 'subscribe' | 'unsubscribe'; event: EventName }

export type ResultMessage = { type: 'result'; id: RequestId | null; ok: true; result?: unknown } | { type: 'result'; id: RequestId | null; ok: false; error: ApiErrorDto }

export interface DroppedPayload {
  count: number
  streams: Partial<Record<EventName, number>>
}
