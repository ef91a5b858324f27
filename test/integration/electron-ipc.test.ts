/**
 * The desktop transport without the Electron binary: the real preload (electron/preload) and the
 * real IPC wiring of main (electron/main/ipc.ts) in front of a real engine, joined by a stand-in
 * for Electron's IPC modules (the one thing that needs the binary). The page's requests and event
 * streams take exactly the path they take in the app: contextBridge object → ipcRenderer →
 * ipcMain → sender check → contract validation → engine API, and back.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createEngineApi } from '../../electron/engine/api'
import type { ApiErrorDto, EngineBridge, EventName, EventPayloads } from '../../shared/contract'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'
import { waitFor } from '../helpers/wait-for'

type Listener = (event: unknown, ...args: unknown[]) => void

/** Electron's IPC as the app uses it: one window, its web contents, and the frame that sends. */
const electron = vi.hoisted(() => {
  const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>()
  const mainListeners = new Map<string, Set<Listener>>()
  const pageListeners = new Map<string, Set<Listener>>()
  const add = (m: Map<string, Set<Listener>>, channel: string, fn: Listener): void => {
    m.set(channel, (m.get(channel) ?? new Set()).add(fn))
  }
  /** What main sent to the page, by channel (to see which streams are delivered). */
  const sent: Array<{ channel: string; args: unknown[] }> = []
  const webContents = {
    isDestroyed: () => false,
    send(channel: string, ...args: unknown[]) {
      sent.push({ channel, args })
      for (const fn of pageListeners.get(channel) ?? []) fn({ sender: 'the ipcRenderer, never handed to the page' }, ...args)
    },
    on() {},
    off() {}
  }
  const window = { isDestroyed: () => false, webContents }
  /** Who the next IPC message comes from; tests change it to play other senders. */
  const from = { sender: webContents as unknown, frame: { parent: null as unknown, url: '' } }
  const event = (): unknown => ({ sender: from.sender, senderFrame: { ...from.frame } })
  let exposed: Record<string, unknown> = {}
  return {
    window,
    from,
    sent,
    exposed: () => exposed,
    module: {
      app: { isPackaged: false, getName: () => 'UltraLight Control Center' },
      ipcMain: {
        handle: (channel: string, fn: (event: unknown, ...args: unknown[]) => unknown) => void handlers.set(channel, fn),
        removeHandler: (channel: string) => void handlers.delete(channel),
        on: (channel: string, fn: Listener) => add(mainListeners, channel, fn),
        off: (channel: string, fn: Listener) => void mainListeners.get(channel)?.delete(fn)
      },
      ipcRenderer: {
        invoke: async (channel: string, ...args: unknown[]) => {
          const h = handlers.get(channel)
          if (!h) throw new Error(`No handler registered for '${channel}'`)
          // Electron copies arguments and results with the structured clone algorithm.
          return structuredClone(await h(event(), ...structuredClone(args)))
        },
        send: (channel: string, ...args: unknown[]) => {
          for (const fn of mainListeners.get(channel) ?? []) fn(event(), ...structuredClone(args))
        },
        on: (channel: string, fn: Listener) => add(pageListeners, channel, fn),
        removeListener: (channel: string, fn: Listener) => void pageListeners.get(channel)?.delete(fn)
      },
      contextBridge: {
        exposeInMainWorld: (key: string, value: unknown) => {
          exposed = { ...exposed, [key]: value }
        }
      }
    }
  }
})
vi.mock('electron', () => electron.module)

const scope = { service: 'desk', servicePath: '/' }

describe('Electron IPC: preload and main in front of a real engine', () => {
  let run: RunningEngine
  let api: ReturnType<typeof createEngineApi>
  let unwire: () => void
  let bridge: EngineBridge
  let appUrl: string

  beforeAll(async () => {
    delete process.env.ELECTRON_RENDERER_URL
    run = await startEngine()
    api = createEngineApi(run.engine, { settings: { env: {} } })
    const { wireIpc } = await import('../../electron/main/ipc')
    const { rendererLocation } = await import('../../electron/main/app-url')
    appUrl = rendererLocation().url
    unwire = wireIpc(electron.window as never, api)
    await import('../../electron/preload/index')
    bridge = electron.exposed().ulcc as EngineBridge
  })
  afterAll(async () => {
    unwire()
    api.close()
    await run.dispose()
  })
  afterEach(() => {
    electron.from.sender = electron.window.webContents
    electron.from.frame = { parent: null, url: appUrl }
  })

  it('exposes one object to the page, with request and on only', () => {
    expect(Object.keys(electron.exposed())).toEqual(['ulcc'])
    expect(Object.keys(bridge).sort()).toEqual(['on', 'request'])
  })

  it("answers the app page's requests from the engine", async () => {
    electron.from.frame = { parent: null, url: appUrl }
    const status = await bridge.request('engine.status', {})
    expect(status.mqtt).toMatchObject({ kind: 'embedded', up: true })
    await bridge.request('groups.create', { scope, group: { apikey: 'deskkey', resource: '', entity_type: 'Thing' } })
    expect(await bridge.request('groups.list', { scope })).toMatchObject({ count: 1, groups: [{ apikey: 'deskkey', entity_type: 'Thing' }] })
    // The app's page with a query or a fragment is still the app's page.
    electron.from.frame = { parent: null, url: `${appUrl}?x=1#/device` }
    expect((await bridge.request('groups.list', { scope })).count).toBe(1)
  })

  it('rejects bad requests with the error as plain data, and keeps serving', async () => {
    electron.from.frame = { parent: null, url: appUrl }
    const bad = await bridge.request('groups.list', { scope: { service: 'desk' } } as never).catch((e: ApiErrorDto) => e)
    expect(bad).toMatchObject({ status: 400 })
    expect(bad).not.toBeInstanceOf(Error)
    expect(typeof (bad as ApiErrorDto).message).toBe('string')
    const unknown = await bridge.request('fs.readFile' as never, { path: '/etc/passwd' } as never).catch((e: ApiErrorDto) => e)
    expect(unknown).toMatchObject({ status: 400 })
    // A duplicate is the engine's own error, with its FIWARE name.
    const dup = await bridge.request('groups.create', { scope, group: { apikey: 'deskkey', resource: '', entity_type: 'Thing' } }).catch((e: ApiErrorDto) => e)
    expect(dup).toMatchObject({ name: 'DUPLICATE_GROUP', status: 409 })
    expect((await bridge.request('engine.status', {})).mqtt.up).toBe(true)
  })

  it('refuses requests from anything but the main frame of the app page in its window', async () => {
    const forbidden = { name: 'FORBIDDEN', status: 403 }
    electron.from.frame = { parent: null, url: 'https://example.com/' }
    await expect(bridge.request('engine.status', {})).rejects.toMatchObject(forbidden)
    electron.from.frame = { parent: null, url: new URL('other.html', appUrl).href }
    await expect(bridge.request('engine.status', {})).rejects.toMatchObject(forbidden)
    electron.from.frame = { parent: { url: appUrl }, url: appUrl }
    await expect(bridge.request('engine.status', {})).rejects.toMatchObject(forbidden)
    electron.from.frame = { parent: null, url: appUrl }
    electron.from.sender = { isDestroyed: () => false }
    await expect(bridge.request('engine.status', {})).rejects.toMatchObject(forbidden)
  })

  it('sends a stream only while the page listens to it, and ignores subscriptions from other senders', async () => {
    const streamsSent = (): Set<unknown> => new Set(electron.sent.splice(0).map((m) => m.args[0]))
    /**
     * Barrier: listens to `stream` on the engine API itself until it has delivered once after
     * `action`. The API hands each emission to all its listeners in the same call, so a window still
     * subscribed to that stream has been sent the same emission by then. The status stream ticks
     * every second, and any periodic stream armed before it ticks first.
     */
    const apiDelivered = async (stream: EventName, action: () => Promise<unknown> = async () => undefined): Promise<void> => {
      let delivered = 0
      const offApi = api.on(stream, () => delivered++)
      try {
        await action()
        await waitFor(() => delivered > 0, `a ${stream} emission of the engine API`)
      } finally {
        offApi()
      }
    }
    const batches: Array<EventPayloads['provisioning']> = []
    const off = bridge.on('provisioning', (b) => batches.push(b))
    await bridge.request('groups.create', { scope, group: { apikey: 'deskkey2', resource: '/x', entity_type: 'Thing' } })
    await waitFor(() => batches.length > 0, 'a provisioning batch')
    // Once the page said what it wants, main sends nothing else (the status stream ticks on its own).
    electron.sent.splice(0)
    await apiDelivered('status')
    expect([...streamsSent()].filter((s) => s !== 'provisioning')).toEqual([])

    // Another sender cannot turn a stream on for this window.
    electron.from.frame = { parent: null, url: 'https://example.com/' }
    electron.module.ipcRenderer.send('ulcc:subscribe', 'status', true)
    electron.from.frame = { parent: null, url: appUrl }
    await apiDelivered('status')
    expect(streamsSent().has('status')).toBe(false)

    // The page's own listener does.
    const statuses: unknown[] = []
    const offStatus = bridge.on('status', (s) => statuses.push(s))
    await waitFor(() => statuses.length > 0, 'a status event')
    offStatus()
    off()
    electron.sent.splice(0)
    await apiDelivered('provisioning', () => bridge.request('groups.create', { scope, group: { apikey: 'deskkey3', resource: '/y', entity_type: 'Thing' } }))
    await apiDelivered('status')
    expect(streamsSent().size).toBe(0)
    expect((await bridge.request('groups.list', { scope })).groups.map((g) => g.apikey)).toContain('deskkey3')
  })
})
