import { ipcMain, type BrowserWindow, type IpcMainEvent, type IpcMainInvokeEvent } from 'electron'
import { IPC_EVENT_CHANNEL, IPC_REQUEST_CHANNEL, type EngineApi, type EventSubscribe } from '../../shared/contract'
import { EVENT_NAMES, EventHub, isEventName } from '../engine/api/events'
import { dispatchRequest } from '../engine/transport/validate-request'
import { isAppUrl } from './app-url'
import { IPC_SUBSCRIBE_CHANNEL, type IpcReply } from '../../shared/ipc'

export type DesktopApi = EngineApi & { on: EventSubscribe }

/**
 * Only our page, in the main frame of our window, may call the engine: not another window, not an
 * iframe, not a page the window was somehow navigated to.
 */
function isTrustedSender(window: BrowserWindow, event: IpcMainInvokeEvent | IpcMainEvent): boolean {
  if (window.isDestroyed() || event.sender !== window.webContents) return false
  const frame = event.senderFrame
  return frame !== null && frame.parent === null && isAppUrl(frame.url)
}

async function answer(api: DesktopApi, window: BrowserWindow, event: IpcMainInvokeEvent, name: unknown, args: unknown): Promise<IpcReply> {
  if (!isTrustedSender(window, event)) return { ok: false, error: { name: 'FORBIDDEN', message: 'request from a page that is not the app', status: 403 } }
  // Name and arguments are checked against the contract's schemas, as on the WebSocket of `serve` mode.
  return dispatchRequest(api, name, args)
}

/**
 * Connects one window to the engine API: the request channel (sender check, then the shared
 * validation and the API call) and the event streams, which the engine already batches. The API
 * is subscribed to a stream only while the page listens to it; until the page says which streams
 * it wants (IPC_SUBSCRIBE_CHANNEL), it gets them all. Returns the function that undoes it, for
 * when the window closes.
 */
export function wireIpc(window: BrowserWindow, api: DesktopApi): () => void {
  ipcMain.handle(IPC_REQUEST_CHANNEL, (event, name: unknown, args: unknown) => answer(api, window, event, name, args))

  const contents = window.webContents
  const hub = EventHub.relay((event, listener) => api.on(event, listener), (err) => console.error(`event not delivered to the window: ${(err as Error).message}`))
  const streams = hub.consumer((stream, payload) => {
    if (!contents.isDestroyed()) contents.send(IPC_EVENT_CHANNEL, stream, payload)
  })
  let explicit = false
  const subscribeAll = (): void => {
    explicit = false
    // Not `trace`: listening to it switches trace recording on (electron/engine/trace/tracer.ts), so only a page that asks for it gets it.
    for (const stream of EVENT_NAMES) if (stream !== 'trace') streams.subscribe(stream)
  }
  subscribeAll()
  // A new page (a reload) starts over: everything until it says what it wants.
  contents.on('did-navigate', subscribeAll)
  const onSubscribe = (event: IpcMainEvent, stream: unknown, wanted: unknown): void => {
    if (!isTrustedSender(window, event) || !isEventName(stream) || typeof wanted !== 'boolean') return
    if (!explicit) {
      explicit = true
      for (const s of EVENT_NAMES) if (s !== stream) streams.unsubscribe(s)
    }
    if (wanted) streams.subscribe(stream)
    else streams.unsubscribe(stream)
  }
  ipcMain.on(IPC_SUBSCRIBE_CHANNEL, onSubscribe)

  return () => {
    ipcMain.removeHandler(IPC_REQUEST_CHANNEL)
    ipcMain.off(IPC_SUBSCRIBE_CHANNEL, onSubscribe)
    if (!contents.isDestroyed()) contents.off('did-navigate', subscribeAll)
    streams.close()
    hub.close()
  }
}
