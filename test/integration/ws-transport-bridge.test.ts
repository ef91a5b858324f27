import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import WebSocket, { WebSocketServer } from 'ws'
import { createEngineApi } from '../../electron/engine/api'
import { serveGui, type GuiServer } from '../../electron/engine/transport/gui-server'
import type { ApiErrorDto, EngineBridge } from '../../shared/contract'
import { loadBridge, siteFixture, startGuiServer, type BridgeModule, type RunningGui, type TestBridge } from '../helpers/gui-server'
import { waitFor } from '../helpers/wait-for'
import { wsText } from '../helpers/ws-text'

/**
 * The browser bridge (renderer/src/bridge) in Node, with `ws` as its WebSocket, against the real
 * GUI server and engine: what a page does, without the browser.
 */

const scope = { service: 'openiot', servicePath: '/' }

let bridgeModule: BridgeModule
let site: ReturnType<typeof siteFixture>
let gui: RunningGui
const bridges: TestBridge[] = []

function wsUrl(server: { wsUrl: string }): string {
  const u = new URL(server.wsUrl)
  u.search = ''
  return u.href
}

function bridge(opts: Partial<Parameters<BridgeModule['createWebSocketBridge']>[0]> = {}): TestBridge {
  const b = bridgeModule.createWebSocketBridge({
    url: wsUrl(gui),
    token: gui.token,
    createSocket: (url) => new WebSocket(url),
    reconnectInitialMs: 20,
    reconnectMaxMs: 200,
    ...opts
  })
  bridges.push(b)
  return b
}

function states(b: TestBridge): string[] {
  const seen: string[] = []
  b.connection.subscribe((info) => {
    if (seen[seen.length - 1] !== info.state) seen.push(info.state)
  })
  return seen
}

/** Closes a raw test server: its clients first (ws's close() would wait for them). */
async function closeRaw(wss: WebSocketServer): Promise<void> {
  for (const c of wss.clients) c.terminate()
  await new Promise((r) => wss.close(r))
}

async function rejection(p: Promise<unknown>): Promise<ApiErrorDto> {
  try {
    await p
  } catch (err) {
    return err as ApiErrorDto
  }
  throw new Error('expected a rejection')
}

beforeAll(async () => {
  bridgeModule = await loadBridge()
  site = siteFixture()
  gui = await startGuiServer(undefined, { root: site.root })
})

afterEach(() => {
  for (const b of bridges.splice(0)) b.close()
})

afterAll(async () => {
  await gui?.stop()
  site?.cleanup()
})

describe('browser bridge over the WebSocket', () => {
  it('makes requests and reports connected', async () => {
    const b = bridge()
    const seen = states(b)
    const status = await b.request('engine.status', {})
    expect(status.version).toMatch(/^\d/)
    expect(seen).toEqual(['connecting', 'connected'])
    expect(b.connection.current).toMatchObject({ state: 'connected', transport: 'websocket', droppedEvents: 0 })
  })

  it('rejects with plain error objects, as the preload bridge does', async () => {
    const b = bridge()
    const missing = await rejection(b.request('devices.get', { scope, deviceId: 'nobody' }))
    expect(missing).not.toBeInstanceOf(Error)
    expect(missing).toEqual({ name: 'DEVICE_NOT_FOUND', message: expect.stringContaining('nobody'), status: 404 })
    const bad = await rejection(b.request('devices.get', { scope, deviceId: '' }))
    expect(bad).toEqual({ name: 'BAD_REQUEST', message: expect.stringContaining('/deviceId'), status: 400 })
  })

  it('subscribes a stream on the first listener and unsubscribes on the last', async () => {
    const b = bridge()
    await b.request('engine.status', {})
    const transport = gui.server.transport
    const first: unknown[] = []
    const second: unknown[] = []
    const offFirst = b.on('status', (s) => first.push(s))
    const offSecond = b.on('status', (s) => second.push(s))
    await waitFor(() => transport.activeStreams().includes('status'), 'the status stream to be subscribed')
    await waitFor(() => first.length > 0 && second.length > 0, 'a status batch for both listeners')
    offFirst()
    offFirst()
    expect(transport.clientStats()[0]?.streams).toEqual(['status'])
    offSecond()
    await waitFor(() => transport.activeStreams().length === 0, 'the status stream to be unsubscribed')
  })

  it('reconnects after the server restarts, subscribes again and sends requests made meanwhile', async () => {
    const own = await startGuiServer(undefined, { root: site.root })
    let second: GuiServer | undefined
    const api = createEngineApi(own.engine.engine)
    try {
      const b = bridge({ url: wsUrl(own), token: own.token })
      const seen = states(b)
      const logs: unknown[][] = []
      b.on('logs', (batch) => logs.push(batch))
      await b.request('engine.status', {})
      await waitFor(() => own.server.transport.activeStreams().includes('logs'), 'logs to be subscribed')

      await own.server.close()
      await waitFor(() => b.connection.current.state === 'reconnecting', 'the bridge to notice')
      expect(b.connection.current.detail).toBeTruthy()
      // Made while the server is away: sent once it is back.
      const meanwhile = b.request('groups.list', { scope })

      second = await serveGui({ api, hosts: ['127.0.0.1'], port: own.server.port, root: site.root, token: own.token })
      b.connection.retryNow()
      expect(await meanwhile).toEqual({ count: 0, groups: [] })
      expect(seen.slice(0, 4)).toEqual(['connecting', 'connected', 'reconnecting', 'connected'])
      await waitFor(() => second!.transport.activeStreams().includes('logs'), 'logs to be subscribed again')
      own.engine.engine.logger.write('WARN', 'test', 'AFTER_RESTART', 'after the restart')
      await waitFor(() => logs.flat().some((e) => (e as { code: string }).code === 'AFTER_RESTART'), 'a logs batch after the restart')
    } finally {
      await second?.close()
      api.close()
      await own.stop()
    }
  })

  it('fails requests in flight when the connection drops, without sending them again', async () => {
    // A server that accepts requests and never answers: the only way to hold one in flight.
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 })
    await new Promise((r) => wss.once('listening', r))
    const received: string[] = []
    wss.on('connection', (ws) => ws.on('message', (d) => received.push(wsText(d))))
    try {
      const port = (wss.address() as { port: number }).port
      const b = bridge({ url: `ws://127.0.0.1:${port}/ws`, token: 'ab'.repeat(32), fetch: async () => ({ status: 426 }) })
      const inFlight = b.request('engine.status', {})
      await waitFor(() => received.length === 1, 'the request to reach the server')
      for (const c of wss.clients) c.terminate()
      const err = await rejection(inFlight)
      expect(err.name).toBe('CONNECTION_LOST')
      await waitFor(() => wss.clients.size === 1 && b.connection.current.state === 'connected', 'the reconnection')
      expect(received).toHaveLength(1)
    } finally {
      await closeRaw(wss)
    }
  })

  it('times out a request without an answer', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 })
    await new Promise((r) => wss.once('listening', r))
    try {
      const b = bridge({ url: `ws://127.0.0.1:${(wss.address() as { port: number }).port}/ws`, token: 'ab'.repeat(32), requestTimeoutMs: 100 })
      expect(await rejection(b.request('engine.status', {}))).toMatchObject({ name: 'TIMEOUT' })
    } finally {
      await closeRaw(wss)
    }
  })

  it('counts the batches the server reports as skipped', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 })
    await new Promise((r) => wss.once('listening', r))
    wss.on('connection', (ws) => ws.send(JSON.stringify({ type: 'event', event: 'dropped', payload: { count: 3, streams: { inspector: 2, logs: 1 } } })))
    try {
      const b = bridge({ url: `ws://127.0.0.1:${(wss.address() as { port: number }).port}/ws`, token: 'ab'.repeat(32) })
      await waitFor(() => b.connection.current.droppedEvents === 3, 'the dropped notice')
      expect(b.connection.current.droppedByStream).toEqual({ inspector: 2, logs: 1 })
    } finally {
      await closeRaw(wss)
    }
  })

  it('becomes unauthorized with a wrong token, and stops trying', async () => {
    const b = bridge({ token: 'ab'.repeat(32) })
    const seen = states(b)
    const err = await rejection(b.request('engine.status', {}))
    expect(err).toMatchObject({ name: 'UNAUTHORIZED', status: 401 })
    expect(b.connection.current.state).toBe('unauthorized')
    expect(seen).toEqual(['connecting', 'unauthorized'])
    expect(await rejection(b.request('engine.status', {}))).toMatchObject({ name: 'UNAUTHORIZED' })
  })

  it('is unauthorized at once without a token', async () => {
    const b = bridge({ token: null })
    expect(b.connection.current.state).toBe('unauthorized')
    expect(b.connection.current.detail).toBe('the page has no token')
  })

  it('keeps retrying while the server cannot be reached', async () => {
    const b = bridge({ url: 'ws://127.0.0.1:9/ws' })
    const request = b.request('engine.status', {})
    await waitFor(() => b.connection.current.state === 'reconnecting', 'reconnecting')
    expect(b.connection.current.nextAttemptAt).toBeGreaterThan(0)
    b.close()
    expect(await rejection(request)).toMatchObject({ name: 'BRIDGE_CLOSED' })
    expect(b.connection.current.state).toBe('closed')
  })

  it('refuses a request larger than the server accepts without sending it', async () => {
    const b = bridge()
    const err = await rejection(b.request('mqtt.publish', { topic: 't', payload: '\u00e9'.repeat(17 * 1024 * 1024), qos: 0, retain: false }))
    expect(err).toMatchObject({ name: 'REQUEST_TOO_LARGE', status: 413 })
    expect((await b.request('engine.status', {})).version).toBeTruthy()
  })
})

describe('the page side', () => {
  function page(href: string, stored: Record<string, string> = {}) {
    const storage = new Map(Object.entries(stored))
    const env = {
      location: { href },
      history: {
        state: { kept: true } as unknown,
        replaceState(state: unknown, _unused: string, url?: string) {
          env.history.state = state
          env.location.href = new URL(url ?? '', env.location.href).href
        }
      },
      sessionStorage: { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => void storage.set(k, v) }
    }
    return { env, storage }
  }

  it('takes the token from the URL, keeps it in sessionStorage and removes it from the address bar', () => {
    const { env, storage } = page('http://localhost:8042/devices?lang=pt&token=abc123#x')
    expect(bridgeModule.takeToken(env)).toBe('abc123')
    expect(env.location.href).toBe('http://localhost:8042/devices?lang=pt#x')
    expect(env.history.state).toEqual({ kept: true })
    expect(storage.get(bridgeModule.TOKEN_STORAGE_KEY)).toBe('abc123')
    // A reload: the URL has no token any more, sessionStorage has it.
    expect(bridgeModule.takeToken(env)).toBe('abc123')
    // A new URL (a new run of serve) wins over the stored token.
    env.location.href = 'http://localhost:8042/?token=def456'
    expect(bridgeModule.takeToken(env)).toBe('def456')
  })

  it('has no token when neither the URL nor the storage has one', () => {
    expect(bridgeModule.takeToken(page('http://localhost:8042/').env)).toBeNull()
  })

  it('wraps the preload bridge, always connected', async () => {
    const calls: unknown[] = []
    const ulcc: EngineBridge = {
      request: async (name, args) => {
        calls.push([name, args])
        return { version: 'x' } as never
      },
      on: () => () => undefined
    }
    const b = bridgeModule.fromPreload(ulcc)
    expect(await b.request('engine.status', {})).toEqual({ version: 'x' })
    expect(calls).toEqual([['engine.status', {}]])
    expect(b.connection.current).toMatchObject({ state: 'connected', transport: 'ipc' })
  })
})
