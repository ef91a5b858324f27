import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { siteFixture, startGuiServer, upgradeStatus, WsTestClient, type RunningGui } from '../helpers/gui-server'
import { waitFor } from '../helpers/wait-for'

/**
 * The WebSocket transport of `serve` mode against a real engine: JSON requests and results,
 * validation, FIWARE errors, event streams, access control and a client that reads too slowly.
 */

const scope = { service: 'openiot', servicePath: '/' }
const group = { apikey: '4jggokgpepnvsb2uv4s40d59ov', cbroker: 'http://orion:1026', entity_type: 'Thing', resource: '' }

let site: ReturnType<typeof siteFixture>
let gui: RunningGui
const clients: WsTestClient[] = []

async function connect(url = gui.wsUrl, headers: Record<string, string> = {}): Promise<WsTestClient> {
  const c = await WsTestClient.connect(url, headers)
  clients.push(c)
  return c
}

beforeAll(async () => {
  site = siteFixture()
  gui = await startGuiServer(undefined, { root: site.root })
})

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()))
})

afterAll(async () => {
  await gui?.stop()
  site?.cleanup()
})

describe('requests', () => {
  it('answers a request with its id and the engine result', async () => {
    const c = await connect()
    const r = await c.request('engine.status', {})
    expect(r).toMatchObject({ type: 'result', ok: true })
    expect((r.result as { version: string }).version).toMatch(/^\d+\.\d+\.\d+/)
  })

  it('provisions through the same rules as the north API, and lists what it created', async () => {
    const c = await connect()
    const created = await c.request('groups.create', { scope, group })
    // A request that returns nothing carries no result.
    expect(created).toEqual({ type: 'result', id: created.id, ok: true })
    const list = await c.request('groups.list', { scope })
    expect(list.result).toMatchObject({ count: 1, groups: [{ apikey: group.apikey, entity_type: 'Thing' }] })
  })

  it('reports engine errors with their FIWARE name and HTTP status', async () => {
    const c = await connect()
    const missing = await c.request('devices.get', { scope, deviceId: 'motion999' })
    expect(missing).toMatchObject({ ok: false, error: { name: 'DEVICE_NOT_FOUND', status: 404 } })
    expect(missing.error?.message).toContain('motion999')

    const duplicate = await c.request('groups.create', { scope, group })
    expect(duplicate).toMatchObject({ ok: false, error: { name: 'DUPLICATE_GROUP', status: 409 } })

    const badDevice = await c.request('devices.create', { scope, device: { entity_name: 'x' } })
    expect(badDevice).toMatchObject({ ok: false, error: { name: 'MISSING_ATTRIBUTES', status: 400 } })
  })

  it('refuses arguments that do not match the contract, naming where (JSON pointer) and why', async () => {
    const c = await connect()
    const r = await c.request('devices.get', { scope: { service: 'open-iot', servicePath: 'no-slash' }, extra: true })
    expect(r.ok).toBe(false)
    expect(r.error).toMatchObject({ name: 'BAD_REQUEST', status: 400 })
    expect(r.error?.message).toContain('devices.get')
    expect(r.error?.message).toContain('deviceId')
    expect(r.error?.message).toContain('(extra)')
    expect(r.error?.message).toContain('/scope/service must match pattern')

    const noArgs = await c.request('inspector.topics', undefined)
    expect(noArgs.error).toMatchObject({ name: 'BAD_REQUEST', message: 'invalid arguments for inspector.topics: / must be object' })
  })

  it('refuses unknown requests, including names inherited by every object', async () => {
    const c = await connect()
    for (const name of ['devices.drop', 'toString', '__proto__', 42]) {
      const r = await c.request(name as string, {})
      expect(r.error).toMatchObject({ name: 'BAD_REQUEST', status: 400 })
    }
  })

  it('answers malformed messages with an error result and keeps the connection', async () => {
    const c = await connect()
    c.send('{"type":"request",')
    const notJson = await c.next((m) => m.type === 'result' && m.id === null)
    expect(notJson.error).toMatchObject({ name: 'BAD_REQUEST', status: 400 })
    expect(notJson.error?.message).toContain('not JSON')

    c.send('[1,2]')
    expect((await c.next((m) => m.id === null)).error?.message).toContain('JSON object')
    c.send({ type: 'request', name: 'engine.status', args: {} })
    expect((await c.next((m) => m.id === null)).error?.message).toContain('needs an "id"')
    c.send({ type: 'launch', id: 'x1' })
    expect((await c.next((m) => m.id === 'x1')).error?.message).toContain('unknown message type')
    c.ws.send(Buffer.from([1, 2, 3]), { binary: true })
    expect((await c.next((m) => m.id === null)).error?.message).toContain('binary')

    expect((await c.request('engine.status', {})).ok).toBe(true)
  })

  it('closes the connection of a client whose message exceeds the size limit', async () => {
    const small = await startGuiServer(undefined, { root: site.root, maxMessageBytes: 64 * 1024 })
    try {
      const c = await WsTestClient.connect(small.wsUrl)
      c.send({ type: 'request', id: 1, name: 'mqtt.publish', args: { topic: 't', payload: 'x'.repeat(100_000), qos: 0, retain: false } })
      expect((await c.closed).code).toBe(1009)
    } finally {
      await small.stop()
    }
  })
})

describe('event streams', () => {
  it('sends a stream only to the clients that subscribed to it, and subscribes the engine only while one does', async () => {
    const transport = gui.server.transport
    expect(transport.activeStreams()).toEqual([])
    const a = await connect()
    const b = await connect()

    expect(await a.stream('subscribe', 'status')).toMatchObject({ ok: true })
    expect(await a.stream('subscribe', 'logs')).toMatchObject({ ok: true })
    expect(await b.stream('subscribe', 'logs')).toMatchObject({ ok: true })
    expect(transport.activeStreams().sort()).toEqual(['logs', 'status'])

    await a.next((m) => m.type === 'event' && m.event === 'status')
    await a.next((m) => m.type === 'event' && m.event === 'status')
    gui.engine.engine.logger.write('WARN', 'test', 'WS_TEST', 'for both clients')
    const logA = await a.next((m) => m.event === 'logs')
    const logB = await b.next((m) => m.event === 'logs')
    expect(logA.payload).toEqual(logB.payload)
    expect(logB.payload).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'WS_TEST', message: 'for both clients' })]))
    // Anything sent to b before this result has arrived by now: no status batch among it.
    await b.request('engine.status', {})
    expect(b.received.filter((m) => m.event === 'status')).toEqual([])

    await a.stream('unsubscribe', 'status')
    expect(transport.activeStreams()).toEqual(['logs'])
    await b.stream('unsubscribe', 'logs')
    expect(transport.activeStreams()).toEqual(['logs'])
    // A client that goes away unsubscribes too.
    await a.close()
    await waitFor(() => transport.activeStreams().length === 0, 'the engine API to be unsubscribed')
  })

  it('refuses unknown streams', async () => {
    const c = await connect()
    for (const event of ['dropped', 'everything', 'constructor']) {
      const r = await c.stream('subscribe', event)
      expect(r.error).toMatchObject({ name: 'BAD_REQUEST', status: 400 })
    }
    expect(gui.server.transport.activeStreams()).toEqual([])
  })

  it('skips batches for a client that does not read, tells it how many later, and keeps serving the others', async () => {
    const bound = 128 * 1024
    const small = await startGuiServer(undefined, { root: site.root, maxBufferedBytes: bound })
    try {
      const slow = await WsTestClient.connect(small.wsUrl)
      const other = await WsTestClient.connect(small.wsUrl)
      await slow.stream('subscribe', 'logs')
      await other.stream('subscribe', 'logs')
      slow.ws.pause()

      // Log batches of about 1 MB until the server has had to skip some for the stalled client.
      const logger = small.engine.engine.logger
      const line = 'x'.repeat(10_000)
      let burst = 0
      let largestBacklog = 0
      await waitFor(
        async () => {
          for (let i = 0; i < 100; i++) logger.write('WARN', 'test', 'BIG', `${burst}:${i} ${line}`)
          burst++
          // The other client goes on: its batches arrive and its requests are answered.
          await other.next((m) => m.event === 'logs')
          expect((await other.request('engine.status', {})).ok).toBe(true)
          const stats = small.server.transport.clientStats().find((s) => s.droppedPending > 0)
          for (const s of small.server.transport.clientStats()) largestBacklog = Math.max(largestBacklog, s.bufferedAmount)
          return stats
        },
        'batches to be skipped for the stalled client',
        60_000,
        0
      )
      // Never more than the bound plus the one batch that crossed it.
      expect(largestBacklog).toBeLessThan(bound + 3 * 1024 * 1024)

      slow.ws.resume()
      const notice = await slow.next((m) => m.event === 'dropped', 30_000)
      const payload = notice.payload as { count: number; streams: Record<string, number> }
      expect(payload.count).toBeGreaterThan(0)
      expect(payload.streams).toEqual({ logs: payload.count })
      // And it gets batches again.
      logger.write('WARN', 'test', 'AFTER', 'after the stall')
      await slow.next((m) => m.event === 'logs' && JSON.stringify(m.payload).includes('after the stall'), 30_000)
      await slow.close()
      await other.close()
    } finally {
      await small.stop()
    }
  }, 120_000)
})

describe('access', () => {
  const wsUrl = (token: string | null): string => {
    const u = new URL(gui.wsUrl)
    if (token === null) u.searchParams.delete('token')
    else u.searchParams.set('token', token)
    return u.href
  }

  it('uses a random 32-byte hex token', () => {
    expect(gui.token).toMatch(/^[0-9a-f]{64}$/)
    expect(gui.url).toBe(`${gui.origin}/?token=${gui.token}`)
  })

  it('refuses the upgrade with 401 without the right token', async () => {
    expect(await upgradeStatus(wsUrl(null))).toBe(401)
    expect(await upgradeStatus(wsUrl(''))).toBe(401)
    expect(await upgradeStatus(wsUrl('0'.repeat(64)))).toBe(401)
    expect(await upgradeStatus(wsUrl(gui.token.slice(0, 63)))).toBe(401)
    expect(await upgradeStatus(wsUrl(gui.token + '0'))).toBe(401)
    expect(await upgradeStatus(wsUrl(gui.token))).toBe(101)
    // Hex is case-insensitive.
    expect(await upgradeStatus(wsUrl(gui.token.toUpperCase()))).toBe(101)
  })

  it('accepts pages of the GUI server itself and programs without Origin, nothing else', async () => {
    const host = new URL(gui.origin).host
    const port = new URL(gui.origin).port
    expect(await upgradeStatus(gui.wsUrl, { Origin: gui.origin })).toBe(101)
    expect(await upgradeStatus(gui.wsUrl.replace('127.0.0.1', 'localhost'), { Origin: `http://localhost:${port}` })).toBe(101)
    expect(await upgradeStatus(gui.wsUrl)).toBe(101)
    for (const origin of ['http://evil.example', `http://evil.example:${port}`, `http://127.0.0.1:${Number(port) + 1}`, `https://${host}`, 'null', 'file://', `ftp://${host}`]) {
      expect(await upgradeStatus(gui.wsUrl, { Origin: origin }), origin).toBe(403)
    }
    // DNS rebinding: a page of another name that resolves to this computer, Host and Origin agreeing.
    expect(await upgradeStatus(gui.wsUrl, { Origin: `http://rebind.example:${port}`, Host: `rebind.example:${port}` })).toBe(403)
  })

  it('serves the WebSocket only at /ws', async () => {
    expect(await upgradeStatus(gui.wsUrl.replace('/ws?', '/other?'))).toBe(404)
  })

  it('tells a page over plain HTTP whether its token is valid', async () => {
    const probe = (token: string | null): Promise<number> => fetch(wsUrl(token).replace(/^ws/, 'http')).then((r) => r.status)
    expect(await probe(gui.token)).toBe(426)
    expect(await probe(null)).toBe(401)
    expect(await probe('ab'.repeat(32))).toBe(401)
  })

  it('closes its clients with 1001 when it stops', async () => {
    const own = await startGuiServer(undefined, { root: site.root })
    const c = await WsTestClient.connect(own.wsUrl)
    await own.stop()
    expect(await c.closed).toEqual({ code: 1001, reason: 'server shutting down' })
  })
})
