/**
 * The preload exposes exactly one object to the page, `window.ulcc` (an EngineBridge), and
 * nothing of Electron itself: the page can make the contract's requests and listen to its event
 * streams, and that is all. It runs sandboxed, so it is bundled into one CommonJS file.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { IPC_EVENT_CHANNEL, IPC_REQUEST_CHANNEL, type ApiErrorDto, type EngineBridge, type EventName, type EventPayloads } from '../../shared/contract'
import { IPC_SUBSCRIBE_CHANNEL, type IpcReply } from '../../shared/ipc'

/** Listeners per stream: main sends a stream only while the page listens to it. */
const listening = new Map<EventName, number>()

/**
 * A failed request rejects with a plain `{ name, message, status? }` (ApiErrorDto), not an Error:
 * the contextBridge copies an Error into the page with its message only, dropping `name` and
 * `status`, while a plain object crosses whole and reads the same (`err.name`, `err.message`).
 */
const bridge: EngineBridge = {
  async request(name, args) {
    let reply: IpcReply
    try {
      reply = (await ipcRenderer.invoke(IPC_REQUEST_CHANNEL, name, args)) as IpcReply
    } catch (err) {
      // Only when the IPC itself fails (the window is closing, a result could not be copied).
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- a plain object crosses the contextBridge whole (above)
      throw { name: 'IPC_ERROR', message: err instanceof Error ? err.message : String(err) } satisfies ApiErrorDto
    }
    if (reply.ok) return reply.result as never
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- as above: the contract's error, as data
    throw reply.error
  },

  on(event, listener) {
    // The IpcRendererEvent stays here: handing it to the page would hand over `sender`, an ipcRenderer.
    const forward = (_e: IpcRendererEvent, stream: EventName, payload: unknown): void => {
      if (stream === event) listener(payload as EventPayloads[typeof event])
    }
    ipcRenderer.on(IPC_EVENT_CHANNEL, forward)
    const n = listening.get(event) ?? 0
    listening.set(event, n + 1)
    if (n === 0) ipcRenderer.send(IPC_SUBSCRIBE_CHANNEL, event, true)
    let removed = false
    return () => {
      if (removed) return
      removed = true
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, forward)
      const left = (listening.get(event) ?? 1) - 1
      listening.set(event, left)
      if (left === 0) ipcRenderer.send(IPC_SUBSCRIBE_CHANNEL, event, false)
    }
  }
}

contextBridge.exposeInMainWorld('ulcc', bridge)
