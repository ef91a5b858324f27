import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { pushCommand } from '../../electron/engine/agent/http-command-push'
import { createEngineApi } from '../../electron/engine/api'
import type { TraceDto } from '../../shared/trace'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'
import { freePort } from '../helpers/free-port'
import { listenLocal } from '../helpers/local-server'
import { APIKEY, JSON_TENANT, provisionSeed, sendCommand, TENANT } from '../helpers/postman-tutorial7'
import { waitFor } from '../helpers/wait-for'

/**
 * Commands to HTTP devices (docs/compatibility/iot-agent-ul.md §5.7), sent the way clients send
 * them (PATCH on the context broker, forwarded to the agent): queued for a polling device until its
 * `getCmd=1` request, or POSTed to the device's endpoint — a real HTTP server in the test.
 */

const ENTITY = 'urn:ngsi-ld:Bell:001'
const TYPE = 'Bell'

interface Received {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: string
}

async function provisionHttpDevice(run: RunningEngine, deviceId: string, endpoint?: string): Promise<void> {
  const device = {
    device_id: deviceId,
    entity_name: ENTITY,
    entity_type: TYPE,
    apikey: APIKEY,
    transport: 'HTTP',
    ...(endpoint && { endpoint }),
    commands: [
      { name: 'ring', type: 'command' },
      { name: 'volume', type: 'command' }
    ]
  }
  const r = await fetch(`${run.northUrl}/iot/devices`, { method: 'POST', headers: JSON_TENANT, body: JSON.stringify({ devices: [device] }), signal: AbortSignal.timeout(10_000) })
  expect(r.status).toBe(201)
}

async function bell(run: RunningEngine): Promise<Record<string, unknown>> {
  const r = await fetch(`${run.ngsiUrl}/v2/entities/${encodeURIComponent(ENTITY)}?options=keyValues`, { headers: TENANT, signal: AbortSignal.timeout(10_000) })
  return r.status === 200 ? ((await r.json()) as Record<string, unknown>) : {}
}

function southUrl(run: RunningEngine): string {
  const ep = run.engine.endpoints().find((e) => e.role === 'iota-south')
  return `http://127.0.0.1:${ep!.addresses[0]!.port}`
}

async function south(run: RunningEngine, query: string, body?: string): Promise<{ status: number; text: string }> {
  const init: RequestInit = body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'text/plain' }, body }
  const res = await fetch(`${southUrl(run)}/iot/d?k=${APIKEY}&${query}`, { ...init, signal: AbortSignal.timeout(10_000) })
  return { status: res.status, text: await res.text() }
}

const ring = (value: unknown): Promise<{ status: number }> => sendCommand(runRef!.ngsiUrl, { ring: { type: 'command', value } }, { id: ENTITY, type: TYPE })
let runRef: RunningEngine | undefined

describe('UltraLight over HTTP: polling commands', () => {
  let run: RunningEngine
  afterEach(async () => {
    await run.dispose()
  })

  const start = async (commandTimeoutMs = 0): Promise<void> => {
    run = await startEngine((c) => {
      c.iota.commandTimeoutMs = commandTimeoutMs
    })
    runRef = run
    await provisionSeed(run)
    await provisionHttpDevice(run, 'bell1')
  }

  it('PATCH → queued (PENDING) → getCmd=1 returns it (DELIVERED) → the result sets OK', async () => {
    await start()
    expect((await ring('now')).status).toBe(204)
    expect(await bell(run)).toMatchObject({ ring_status: 'PENDING' })
    expect(run.engine.commands.stats().queued).toBe(1)

    const poll = await south(run, 'i=bell1&getCmd=1')
    expect(poll).toEqual({ status: 200, text: 'bell1@ring|now' })
    expect(await bell(run)).toMatchObject({ ring_status: 'DELIVERED', ring_info: ' ' })
    // Taken once: the next poll gets nothing.
    expect(await south(run, 'i=bell1&getCmd=1')).toEqual({ status: 200, text: '' })

    // The device answers with a POST whose body is the command result.
    expect(await south(run, 'i=bell1', 'bell1@ring|rang')).toEqual({ status: 200, text: '' })
    expect(await bell(run)).toMatchObject({ ring_status: 'OK', ring_info: 'rang' })
    expect(run.engine.commands.stats()).toMatchObject({ pending: 0, queued: 0 })
  })

  it('several queued commands come in one answer joined with "|", a second value of the same command replaces the first', async () => {
    await start()
    expect((await ring('once')).status).toBe(204)
    expect((await sendCommand(run.ngsiUrl, { volume: { type: 'command', value: 3 } }, { id: ENTITY, type: TYPE })).status).toBe(204)
    expect((await ring('twice')).status).toBe(204)
    // A measure POST may fetch the commands too.
    const r = await south(run, 'i=bell1&getCmd=1', 't|20')
    expect(r).toEqual({ status: 200, text: 'bell1@ring|twice|bell1@volume|3' })
  })

  it('an unfetched command expires like an MQTT one: ERROR / EXPIRED, and is no longer handed out', async () => {
    await start(300)
    expect((await ring('late')).status).toBe(204)
    await waitFor(async () => (await bell(run)).ring_status === 'ERROR', 'the command expired')
    expect((await bell(run)).ring_info).toBe('EXPIRED')
    expect(await south(run, 'i=bell1&getCmd=1')).toEqual({ status: 200, text: '' })
  })
})

describe('UltraLight over HTTP: push commands to the device endpoint', () => {
  let run: RunningEngine
  let server: { url: string; close: () => Promise<void> } | undefined
  afterEach(async () => {
    await run.dispose()
    await server?.close()
    server = undefined
  })

  const start = async (endpoint: string, commandTimeoutMs = 0): Promise<void> => {
    run = await startEngine((c) => {
      c.iota.commandTimeoutMs = commandTimeoutMs
    })
    runRef = run
    await provisionSeed(run)
    await provisionHttpDevice(run, 'bell2', endpoint)
  }

  const device = async (answer: (req: Received, res: ServerResponse) => void): Promise<Received[]> => {
    const received: Received[] = []
    const s = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        const r = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString() }
        received.push(r)
        answer(r, res)
      })
    })
    server = await listenLocal(s)
    return received
  }

  it('POSTs `device@cmd|value` as text/plain with the tenant headers; the answer sets OK and _info', async () => {
    const received = await device((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('bell2@ring|rung'))
    await start(`${server!.url}/bell`)
    expect((await ring('now')).status).toBe(204)
    await waitFor(async () => (await bell(run)).ring_status === 'OK', 'the command answered')
    expect((await bell(run)).ring_info).toBe('rung')
    expect(received).toHaveLength(1)
    expect(received[0]).toMatchObject({ method: 'POST', url: '/bell', body: 'bell2@ring|now' })
    expect(received[0]!.headers).toMatchObject({ 'content-type': 'text/plain', 'fiware-service': TENANT['fiware-service'], 'fiware-servicepath': TENANT['fiware-servicepath'] })
    expect(run.engine.commands.stats()).toMatchObject({ pending: 0, ok: 1 })
  })

  it('an answer other than 2xx: ERROR with the status and the answer in _info', async () => {
    await device((_req, res) => res.writeHead(500).end('boom'))
    await start(`${server!.url}/bell`)
    expect((await ring('now')).status).toBe(204)
    await waitFor(async () => (await bell(run)).ring_status === 'ERROR', 'the command failed')
    expect((await bell(run)).ring_info).toBe('There was an error in the response of a device to a command [500]:boom')
  })

  it('a 200 whose body is not a command result: ERROR saying so', async () => {
    await device((_req, res) => res.writeHead(200).end('<html>ok</html>'))
    await start(`${server!.url}/bell`)
    expect((await ring('now')).status).toBe(204)
    await waitFor(async () => (await bell(run)).ring_status === 'ERROR', 'the command failed')
    expect((await bell(run)).ring_info).toBe('There was an error in the response of a device to a command [200]:the answer htmlok/html is not a command result')
  })

  it('a refused connection: ERROR with the reason', async () => {
    await start(`http://127.0.0.1:${await freePort()}/bell`)
    expect((await ring('now')).status).toBe(204)
    await waitFor(async () => (await bell(run)).ring_status === 'ERROR', 'the command failed')
    expect(String((await bell(run)).ring_info)).toMatch(/^There was an error in the response of a device to a command \[\]:Error: connect ECONNREFUSED 127\.0\.0\.1:\d+$/)
  })

  it('a device that does not answer in commandTimeoutMs: ERROR with the timeout', async () => {
    // Never answers; the server's close drops the connection.
    await device(() => {})
    await start(`${server!.url}/bell`, 300)
    expect((await ring('now')).status).toBe(204)
    await waitFor(async () => (await bell(run)).ring_status === 'ERROR', 'the command timed out')
    // The reference's text without the quotes the context broker refuses in values.
    expect((await bell(run)).ring_info).toBe('There was an error in the response of a device to a command []:TimeoutError: Timeout awaiting request for 300ms')
  })
})

describe('UltraLight over HTTP: traces', () => {
  let run: RunningEngine
  let api: ReturnType<typeof createEngineApi> | undefined
  let server: { url: string; close: () => Promise<void> } | undefined
  afterEach(async () => {
    api?.close()
    await run.dispose()
    await server?.close()
    api = server = undefined
  })

  const watch = (): Map<number, TraceDto> => {
    api = createEngineApi(run.engine, { settings: { env: {} } })
    const traces = new Map<number, TraceDto>()
    api.on('trace', (batch) => {
      for (const t of batch) traces.set(t.id, t)
    })
    return traces
  }
  const steps = (t: TraceDto | undefined): string[] => (t ? t.hops.map((h) => h.step) : [])

  it('a pushed command: pending → device-request (URL, status, answer) → result OK', async () => {
    server = await listenLocal(createServer((_req, res) => res.end('bell3@ring|rung')))
    run = await startEngine()
    runRef = run
    await provisionSeed(run)
    await provisionHttpDevice(run, 'bell3', `${server.url}/bell`)
    const traces = watch()
    expect((await ring('now')).status).toBe(204)
    const t = await waitFor(() => [...traces.values()].find((x) => x.kind === 'command' && steps(x).includes('result')), 'the command trace with its result')
    expect(steps(t)).toEqual(expect.arrayContaining(['pending', 'device-request', 'result']))
    const dr = t.hops.find((h) => h.step === 'device-request')
    expect(dr).toMatchObject({ deviceId: 'bell3', command: 'ring', status: 200, answer: 'bell3@ring|rung', request: { method: 'POST', url: `${server.url}/bell`, body: 'bell3@ring|now' } })
    expect(t.hops.find((h) => h.step === 'result')).toMatchObject({ status: 'OK', info: 'rung' })
  })

  it('a polled command: delivered when fetched; the HTTP measure has its own trace', async () => {
    run = await startEngine()
    runRef = run
    await provisionSeed(run)
    await provisionHttpDevice(run, 'bell4')
    const traces = watch()
    expect((await ring('now')).status).toBe(204)
    expect((await south(run, 'i=bell4&getCmd=1', 't|1')).text).toBe('bell4@ring|now')
    const cmd = await waitFor(() => [...traces.values()].find((x) => x.kind === 'command' && steps(x).includes('delivered')), 'the delivered hop')
    expect(cmd.hops.find((h) => h.step === 'delivered')).toMatchObject({ deviceId: 'bell4', command: 'ring', payload: 'bell4@ring|now' })
    const m = await waitFor(() => [...traces.values()].find((x) => x.kind === 'measure' && steps(x).includes('mapped')), 'the measure trace')
    expect(steps(m).slice(0, 4)).toEqual(['received', 'parsed', 'resolved', 'decoded'])
    expect(m.hops[0]).toMatchObject({ step: 'received', topic: `POST /iot/d?k=${APIKEY}&i=bell4&getCmd=1`, payload: 't|1' })
  })
})

describe('pushCommand: the URL rewriting hook', () => {
  it('sends to the URL the hook returns and reports its `via`', async () => {
    const received: string[] = []
    const srv = await listenLocal(createServer((req, res) => {
      received.push(req.url!)
      res.end('dev@ping|pong')
    }))
    try {
      const target = new URL(srv.url)
      const r = await pushCommand(
        { endpoint: 'http://dummy-device:80/dht22', body: 'dev@ping|1', headers: { 'content-type': 'text/plain' }, timeoutMs: 5000, signal: new AbortController().signal },
        async (url) => ({ url: new URL(`${url.pathname}${url.search}`, target), via: 'routed to the test server' })
      )
      expect(r).toMatchObject({ url: `${srv.url}/dht22`, via: 'routed to the test server', status: 200, body: 'dev@ping|pong' })
      expect(received).toEqual(['/dht22'])
    } finally {
      await srv.close()
    }
  })
})
