/**
 * What the desktop app's two sides of Electron IPC agree on beyond shared/contract.ts: the shape
 * of a reply on the request channel and the channel of stream subscriptions. Main
 * (electron/main/ipc.ts) and the preload (electron/preload/index.ts) both import it; the preload is
 * bundled, so this file holds types and constants only.
 */
import type { ApiErrorDto } from './contract'

/**
 * What main answers on the request channel. Errors travel as data: an exception thrown in a
 * handler would reach the renderer as a bare "Error invoking remote method" string, without the
 * FIWARE name or HTTP status the GUI shows.
 */
export type IpcReply = { ok: true; result: unknown } | { ok: false; error: ApiErrorDto }

/**
 * Channel on which the preload says which event streams the page listens to:
 * `ipcRenderer.send(IPC_SUBSCRIBE_CHANNEL, event, true | false)`, sent when the first listener of a
 * stream is added and when its last one is removed. Until the first such message main sends every
 * stream (what a preload that never sends it expects).
 */
export const IPC_SUBSCRIBE_CHANNEL = 'ulcc:subscribe'
