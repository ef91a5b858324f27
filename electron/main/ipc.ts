import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron'
import {
  IPC_EVENT_CHANNEL,
  IPC_REQUEST_CHANNEL,
  RequestSchemas,
  type EngineApi,
  type EventName,
  type EventSubscribe,
  type RequestName
} from '../../shared/contract'
import { bodyChecker } from '../engine/north/iota/request'
import { isAppUrl } from './app-url'
import { toApiError, type IpcReply } from './ipc-reply'

export type DesktopApi = EngineApi & { on: EventSubscribe }

class RefusedRequest extends Error {
  constructor(
    override readonly name: string,
    message: string,
    readonly status: number
  ) {
    super(message)
  }
}

/** One compiled checker per request, built once: they run on every request. */
const checkers = Object.fromEntries(
  Object.entries(RequestSchemas).map(([name, schema]) => [name, bodyChecker(schema, (detail) => new RefusedRequest('BAD_REQUEST', detail, 400))])
) as Record<RequestName, (args: unknown) => unknown>

/** Every event stream of the contract; typed as a record so that a new stream cannot be forgotten here. */
const EVENT_STREAMS: Record<EventName, true> = { status: true, commands: true, logs: true }

function isRequestName(name: unknown): name is RequestName {
  return typeof name === 'string' && Object.hasOwn(RequestSchemas, name)
}

/**
 * Only our page, in the main frame of our window, may call the engine: not another window, not an
 * iframe, not a page the window was somehow navigated to.
 */
function isTrustedSender(window: BrowserWindow, event: IpcMainInvokeEvent): boolean {
  if (window.isDestroyed() || event.sender !== window.webContents) return false
  const frame = event.senderFrame
  return frame !== null && frame.parent === null && isAppUrl(frame.url)
}

async function answer(api: DesktopApi, window: BrowserWindow, event: IpcMainInvokeEvent, name: unknown, args: unknown): Promise<IpcReply> {
  try {
    if (!isTrustedSender(window, event)) throw new RefusedRequest('FORBIDDEN', 'request from a page that is not the app', 403)
    if (!isRequestName(name)) throw new RefusedRequest('BAD_REQUEST', `unknown request ${JSON.stringify(String(name).slice(0, 64))}`, 400)
    checkers[name](args)
    const call = api[name] as (args: unknown) => Promise<unknown>
    return { ok: true, result: await call.call(api, args) }
  } catch (err) {
    return { ok: false, error: toApiError(err) }
  }
}

/**
 * Connects one window to the engine API: the request channel (sender check, name check, schema
 * check, then the API call) and the event streams, which the engine already batches. Returns the
 * function that undoes it, for when the window closes.
 */
export function wireIpc(window: BrowserWindow, api: DesktopApi): () => void {
  ipcMain.handle(IPC_REQUEST_CHANNEL, (event, name: unknown, args: unknown) => answer(api, window, event, name, args))
  const contents = window.webContents
  const unsubscribe = (Object.keys(EVENT_STREAMS) as EventName[]).map((stream) =>
    api.on(stream, (payload) => {
      if (!contents.isDestroyed()) contents.send(IPC_EVENT_CHANNEL, stream, payload)
    })
  )
  return () => {
    ipcMain.removeHandler(IPC_REQUEST_CHANNEL)
    for (const off of unsubscribe) off()
  }
}
