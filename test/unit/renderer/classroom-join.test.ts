import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket, { WebSocketServer } from 'ws'
import { JOIN_PATH, MAX_TRAINEE_NAME, TRAINEE_PARAM } from '../../../shared/classroom'
import { TOKEN_PARAM } from '../../../shared/ws-protocol'
import { joinClassroom, readJoinAnswer, traineeName } from '../../../renderer/src/bridge/classroom-join'
import { createWebSocketBridge, type SocketLike } from '../../../renderer/src/bridge/ws-bridge'

// (test/helpers is type-checked with the engine; these two are the renderer tests' own.)
async function listenLocal(http: Server): Promise<{ url: string; close: () => Promise<void> }> {
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections()
        http.close(() => resolve())
      })
  }
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

const socket = (url: string): SocketLike => new WebSocket(url) as unknown as SocketLike

const trainee = { id: 'a1b2c3d4', name: 'Ana', service: 'ana', apikey: 'ana_key', joinedAt: 1_765_000_000_000 }

/**
 * A stand-in for the GUI server's classroom side, on a real socket: it answers the join request
 * by the name posted, and accepts the WebSocket of one trainee token (`good`) only.
 */
const received: Array<{ method?: string; url?: string; type?: string; body: string }> = []
const upgrades: string[] = []
const probes: string[] = []
let server: Awaited<ReturnType<typeof listenLocal>>

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = ''
    req.on('data', (c: Buffer) => (text += c.toString('utf8')))
    req.on('end', () => resolve(text))
  })
}

beforeAll(async () => {
  const wss = new WebSocketServer({ noServer: true })
  const http = createServer((req, res) => {
    void body(req).then((text) => {
      if (req.url?.startsWith('/ws')) {
        probes.push(req.url)
        const token = new URL(req.url, 'http://x').searchParams.get(TRAINEE_PARAM)
        res.writeHead(token === 'good' ? 426 : 401).end()
        return
      }
      received.push({ method: req.method, url: req.url, type: req.headers['content-type'], body: text })
      const name = (JSON.parse(text) as { name: string }).name
      const answers: Record<string, [number, string]> = {
        Ana: [200, JSON.stringify({ ok: true, token: 'good', trainee })],
        Bia: [409, JSON.stringify({ ok: false, error: { name: 'NAME_TAKEN', message: 'Bia is in the class already' } })],
        Caio: [403, JSON.stringify({ ok: false, error: { name: 'WRONG_CODE', message: 'wrong join code' } })],
        Davi: [500, 'oops'],
        Eva: [200, JSON.stringify({ ok: true, token: 'good', trainee: { ...trainee, service: 42 } })]
      }
      const [status, answer] = answers[name] ?? [400, JSON.stringify({ ok: false, error: { name: 'BAD_REQUEST', message: 'bad name' } })]
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(answer)
    })
  })
  http.on('upgrade', (req, socket, head) => {
    upgrades.push(req.url ?? '')
    if (new URL(req.url ?? '', 'http://x').searchParams.get(TRAINEE_PARAM) !== 'good') {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n')
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => ws.on('message', () => undefined))
  })
  server = await listenLocal(http)
})

afterAll(async () => {
  await server.close()
})

describe('a trainee name', () => {
  it('is trimmed and has 1 to MAX_TRAINEE_NAME characters (not UTF-16 units)', () => {
    expect(traineeName('  Ana  ')).toBe('Ana')
    expect(traineeName('   ')).toBeNull()
    expect(traineeName('x'.repeat(MAX_TRAINEE_NAME))).toBe('x'.repeat(MAX_TRAINEE_NAME))
    expect(traineeName('x'.repeat(MAX_TRAINEE_NAME + 1))).toBeNull()
    expect(traineeName('😀'.repeat(MAX_TRAINEE_NAME))).toBe('😀'.repeat(MAX_TRAINEE_NAME))
  })
})

describe('joining a classroom', () => {
  it('posts {code, name} as JSON to the join path and returns the token and the trainee', async () => {
    const answer = await joinClassroom(server.url, 'k7mpq2xz', 'Ana')
    expect(answer).toEqual({ ok: true, token: 'good', trainee })
    expect(received.at(-1)).toEqual({ method: 'POST', url: JOIN_PATH, type: 'application/json', body: JSON.stringify({ code: 'k7mpq2xz', name: 'Ana' }) })
  })

  it("returns the server's refusals by name, with the status", async () => {
    expect(await joinClassroom(server.url, 'k7mpq2xz', 'Bia')).toEqual({ ok: false, error: { name: 'NAME_TAKEN', message: 'Bia is in the class already', status: 409 } })
    expect(await joinClassroom(server.url, 'k7mpq2xz', 'Caio')).toEqual({ ok: false, error: { name: 'WRONG_CODE', message: 'wrong join code', status: 403 } })
    expect(await joinClassroom(server.url, 'k7mpq2xz', 'Zoe')).toMatchObject({ ok: false, error: { name: 'BAD_REQUEST', status: 400 } })
  })

  it('does not take an answer of another shape', async () => {
    expect(await joinClassroom(server.url, 'k7mpq2xz', 'Davi')).toMatchObject({ ok: false, error: { name: 'BAD_ANSWER', status: 500 } })
    expect(await joinClassroom(server.url, 'k7mpq2xz', 'Eva')).toMatchObject({ ok: false, error: { name: 'BAD_ANSWER', status: 200 } })
    expect(readJoinAnswer(404, { ok: false, error: { name: 'SOMETHING_ELSE', message: 'x' } })).toMatchObject({ ok: false, error: { name: 'BAD_ANSWER' } })
    expect(readJoinAnswer(404, { ok: false, error: { name: 'NO_CLASSROOM', message: 'no class' } })).toEqual({ ok: false, error: { name: 'NO_CLASSROOM', message: 'no class', status: 404 } })
  })

  it('says NETWORK when the server cannot be reached', async () => {
    const gone = await listenLocal(createServer())
    await gone.close()
    expect(await joinClassroom(gone.url, 'k7mpq2xz', 'Ana')).toMatchObject({ ok: false, error: { name: 'NETWORK' } })
  })
})

describe("the bridge's token parameter", () => {
  const wsUrl = (): string => `${server.url.replace(/^http/, 'ws')}/ws`

  it('carries a trainee token as ?trainee= and connects', async () => {
    const b = createWebSocketBridge({ url: wsUrl(), token: 'good', tokenParam: TRAINEE_PARAM, createSocket: socket })
    try {
      await waitFor(() => b.connection.current.state === 'connected', 'the trainee bridge to connect')
      expect(upgrades.at(-1)).toBe(`/ws?${TRAINEE_PARAM}=good`)
    } finally {
      b.close()
    }
  })

  it('is unauthorized when the probe with ?trainee= answers 401 (a trainee the server no longer knows)', async () => {
    const b = createWebSocketBridge({ url: wsUrl(), token: 'stale', tokenParam: TRAINEE_PARAM, createSocket: socket, reconnectInitialMs: 20 })
    try {
      await waitFor(() => b.connection.current.state === 'unauthorized', 'the bridge to give up')
      expect(upgrades.at(-1)).toBe(`/ws?${TRAINEE_PARAM}=stale`)
      expect(probes.at(-1)).toBe(`/ws?${TRAINEE_PARAM}=stale`)
    } finally {
      b.close()
    }
  })

  it('is ?token= by default', async () => {
    const b = createWebSocketBridge({ url: wsUrl(), token: 'good', createSocket: socket, reconnectInitialMs: 20 })
    try {
      await waitFor(() => b.connection.current.state === 'unauthorized', 'the GUI token to be refused here')
      expect(upgrades.at(-1)).toBe(`/ws?${TOKEN_PARAM}=good`)
    } finally {
      b.close()
    }
  })
})
