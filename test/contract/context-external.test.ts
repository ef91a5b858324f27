import { spawn } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { ExternalContextClient, QUEUE_DIR, type ExternalClientOptions } from '../../electron/engine/context/external/external-client'
import type { Scope } from '../../electron/engine/context/types'
import { silentLogger } from '../../electron/engine/log/logger'
import { startFlakyProxy } from '../helpers/flaky-http-proxy'
import { freePort } from '../helpers/free-port'
import { startRemoteNgsi, type RemoteChange, type RemoteNgsi } from '../helpers/ngsi-remote-process'
import { tempDir } from '../helpers/temp-dir'
import { waitFor } from '../helpers/wait-for'
import { contextClientContract, measure, type ContextHarness } from './context-client.contract'

/**
 * The client of an external Orion against the embedded NGSI-v2 server running in a separate
 * process (test/helpers/ngsi-remote.ts), which records what it receives: first the contract both
 * clients pass, then what only a remote broker can show — the requests and headers on the wire,
 * batching, retries through outages, 5xx and timeouts, the bounded queue, and the queue on disk
 * across a restart and a kill -9.
 */

const FAST_RETRY = { retryMinMs: 20, retryMaxMs: 200 }

async function entityAt(url: string, scope: Scope, id: string, type: string): Promise<Record<string, unknown> | undefined> {
  const headers: Record<string, string> = { 'fiware-servicepath': scope.servicePath }
  if (scope.service) headers['fiware-service'] = scope.service
  const r = await fetch(`${url}/v2/entities/${encodeURIComponent(id)}?type=${encodeURIComponent(type)}`, { headers })
  if (r.status === 404) {
    await r.text()
    return undefined
  }
  if (r.status !== 200) throw new Error(`GET entity ${id}: ${r.status} ${await r.text()}`)
  return (await r.json()) as Record<string, unknown>
}

interface ExternalHarness extends ContextHarness {
  client: ExternalContextClient
  remote: RemoteNgsi
  clientDir: string
}

async function externalHarness(opts: Partial<ExternalClientOptions> = {}): Promise<ExternalHarness> {
  const remoteDir = tempDir('ulcc-remote-')
  const clientDir = tempDir('ulcc-ctx-external-')
  const remote = await startRemoteNgsi({ dataDir: remoteDir.path })
  const client = await ExternalContextClient.open({ url: remote.url, dataDir: clientDir.path, logger: silentLogger(), ...FAST_RETRY, ...opts })
  return {
    client,
    remote,
    clientDir: clientDir.path,
    entity: (scope, id, type) => entityAt(remote.url, scope, id, type),
    changes: () => remote.changes(),
    settled: async () => {
      await waitFor(() => client.stats().backlog === 0, 'the queue to empty', 15_000)
    },
    teardown: async () => {
      await client.close()
      await remote.stop()
      remoteDir.cleanup()
      clientDir.cleanup()
    }
  }
}

contextClientContract('external (NGSI-v2 server in another process)', () => externalHarness())

const S: Scope = { service: 'ext', servicePath: '/' }
const seqsOf = (changes: RemoteChange[], id: string): number[] => changes.filter((c) => c.id === id && 'seq' in c.attrs).map((c) => c.attrs.seq as number)
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i)

describe('ExternalContextClient', () => {
  const cleanups: Array<() => unknown> = []
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c()
  })
  const harness = async (opts: Partial<ExternalClientOptions> = {}): Promise<ExternalHarness> => {
    const h = await externalHarness(opts)
    cleanups.push(() => h.teardown())
    return h
  }
  const dir = (prefix: string): string => {
    const d = tempDir(prefix)
    cleanups.push(d.cleanup)
    return d.path
  }
  const remoteOn = async (dataDir: string, port?: number, changeLog?: string): Promise<RemoteNgsi> => {
    const r = await startRemoteNgsi({ dataDir, port, changeLog })
    cleanups.push(() => r.stop())
    return r
  }
  const client = async (opts: ExternalClientOptions): Promise<ExternalContextClient> => {
    const c = await ExternalContextClient.open(opts)
    cleanups.push(() => c.close())
    return c
  }

  it('sends the agent requests with the tenant headers: no fiware-service for the default tenant, fiware-servicepath always', async () => {
    const h = await harness()
    const def: Scope = { service: '', servicePath: '/' }
    const ten: Scope = { service: 'tenanta', servicePath: '/a' }
    for (const scope of [def, ten]) {
      const id = await h.client.createRegistration(scope, { dataProvided: { entities: [{ id: 'urn:D', type: 'Device' }], attrs: ['ping'] }, provider: { http: { url: 'http://agent:4041' } } })
      await h.client.getRegistration(scope, id)
      // Alone in the queue, one update is the agent's own request; what accumulates goes in a batch.
      h.client.upsert(scope, [measure('urn:D', { seq: 1 }, 'Device')])
      await h.settled()
      h.client.upsert(scope, [measure('urn:D', { seq: 2 }, 'Device'), measure('urn:D', { seq: 3 }, 'Device')])
      await h.settled()
      await h.client.appendAttributes(scope, { id: 'urn:D', type: 'Device', attrs: { ping_status: { type: 'commandStatus', value: 'UNKNOWN' } } })
      await h.client.getAttributes(scope, 'urn:D', 'Device', ['seq'])
      await h.client.deleteRegistration(scope, id)
    }
    const reqs = await h.remote.requests()
    const kinds = (rs: typeof reqs): string[] => rs.map((r) => `${r.method} ${r.url.replace(/[0-9a-f]{24}/, '<id>')}`)
    const expected = [
      'POST /v2/registrations',
      'GET /v2/registrations/<id>',
      'POST /v2/entities?options=upsert',
      'POST /v2/op/update',
      'POST /v2/entities/urn%3AD/attrs?type=Device',
      'GET /v2/entities/urn%3AD/attrs?attrs=seq&type=Device',
      'DELETE /v2/registrations/<id>'
    ]
    const forDefault = reqs.filter((r) => r.service === null)
    const forTenant = reqs.filter((r) => r.service === 'tenanta')
    expect(kinds(forDefault)).toEqual(expected)
    expect(kinds(forTenant)).toEqual(expected)
    expect(forDefault.every((r) => r.servicePath === '/')).toBe(true)
    expect(forTenant.every((r) => r.servicePath === '/a')).toBe(true)
    expect(reqs.every((r) => r.status! < 300)).toBe(true)
  })

  it('batches what accumulates into op/update requests bounded by entities and bytes, order kept', async () => {
    const h = await harness({ maxBatchUpdates: 20, maxBatchBytes: 50_000 })
    const filler = 'x'.repeat(3000)
    for (let i = 1; i <= 100; i++) h.client.upsert(S, [measure('urn:E:big', { seq: i, filler })])
    await h.settled()
    const updates = (await h.remote.requests()).filter((r) => r.url === '/v2/op/update')
    expect(updates.length).toBeGreaterThanOrEqual(7)
    for (const r of updates) {
      expect(r.entities).toBeLessThanOrEqual(20)
      expect(r.bytes).toBeLessThanOrEqual(50_000)
    }
    expect(seqsOf(await h.remote.changes(), 'urn:E:big')).toEqual(range(1, 100))
    expect(h.client.stats()).toMatchObject({ queued: 100, sent: 100, failed: 0, dropped: 0, backlog: 0, backlogBytes: 0, reachable: true })
  })

  it('a refused update inside a batch is isolated by halving and dropped alone; the others arrive in order', async () => {
    const h = await harness()
    // Queued in one turn of the event loop: they leave in one request.
    for (let i = 1; i <= 100; i++) h.client.upsert(S, [measure(i === 50 ? 'bad id' : 'urn:E:mixed', { seq: i })])
    await h.settled()
    expect(seqsOf(await h.remote.changes(), 'urn:E:mixed')).toEqual(range(1, 100).filter((i) => i !== 50))
    const updates = (await h.remote.requests()).filter((r) => r.method === 'POST')
    expect(updates[0]).toMatchObject({ url: '/v2/op/update', entities: 100, status: 400 })
    expect(updates.filter((r) => r.status === 400).length).toBeLessThanOrEqual(8)
    expect(h.client.stats()).toMatchObject({ sent: 99, failed: 1, dropped: 0, backlog: 0 })
    expect(h.client.stats().lastError).toMatch(/Invalid characters in entity id/)
  })

  it('retries through 503s, a 401 and a request that never gets an answer, losing and repeating nothing', async () => {
    const remote = await remoteOn(dir('ulcc-remote-'))
    const proxy = await startFlakyProxy(remote.url)
    cleanups.push(() => proxy.close())
    const script: Array<'pass' | 'hang' | { status: number }> = [{ status: 503 }, { status: 503 }, { status: 401 }, 'hang', { status: 500 }]
    let updateRequests = 0
    proxy.decide = ({ method }) => (method === 'POST' ? (script[updateRequests++] ?? 'pass') : 'pass')
    const c = await client({ url: proxy.url, dataDir: dir('ulcc-ctx-'), logger: silentLogger(), ...FAST_RETRY, timeoutMs: 300 })
    for (let i = 1; i <= 60; i++) {
      c.upsert(S, [measure('urn:E:flaky', { seq: i })])
      if (i % 10 === 0) await new Promise((r) => setTimeout(r, 5))
    }
    await waitFor(() => c.stats().backlog === 0, 'the queue to empty', 15_000)
    expect(seqsOf(await remote.changes(), 'urn:E:flaky')).toEqual(range(1, 60))
    expect(proxy.log.filter((r) => r.method === 'POST').map((r) => r.action).slice(0, 5)).toEqual([503, 503, 401, 'hang', 500])
    const st = c.stats()
    expect(st).toMatchObject({ sent: 60, failed: 0, dropped: 0, reachable: true })
    expect(st.retried).toBeGreaterThanOrEqual(5)
  })

  it('keeps queueing while the broker is down (SIGKILL) and delivers everything once it is back on the same port and data', async () => {
    const remoteDir = dir('ulcc-remote-')
    const changeLog = join(dir('ulcc-log-'), 'changes.jsonl')
    let remote = await remoteOn(remoteDir, undefined, changeLog)
    const c = await client({ url: remote.url, dataDir: dir('ulcc-ctx-'), logger: silentLogger(), ...FAST_RETRY })
    let i = 0
    const pushSome = async (n: number): Promise<void> => {
      for (const end = i + n; i < end; ) {
        c.upsert(S, [measure('urn:E:outage', { seq: ++i })])
        if (i % 5 === 0) await new Promise((r) => setTimeout(r, 1))
      }
    }
    await pushSome(150)
    await remote.kill9()
    await pushSome(150)
    await waitFor(() => c.stats().reachable === false && c.stats().retried! > 0, 'the outage to be noticed')
    remote = await remoteOn(remoteDir, remote.port, changeLog)
    await pushSome(100)
    await waitFor(() => c.stats().backlog === 0, 'the queue to empty', 15_000)
    expect(await entityAt(remote.url, S, 'urn:E:outage', 'Sensor')).toMatchObject({ seq: { value: 400 } })
    const seen = new Set(readFileSync(changeLog, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as RemoteChange).attrs.seq))
    expect(range(1, 400).filter((s) => !seen.has(s))).toEqual([])
    expect(c.stats()).toMatchObject({ queued: 400, failed: 0, dropped: 0, reachable: true })
  })

  it('is bounded: when full, the oldest updates are dropped and counted, and the newest are delivered', async () => {
    const port = await freePort()
    const c = await client({ url: `http://127.0.0.1:${port}`, dataDir: dir('ulcc-ctx-'), logger: silentLogger(), ...FAST_RETRY, queueMaxUpdates: 10 })
    for (let i = 1; i <= 25; i++) c.upsert(S, [measure('urn:E:bounded', { seq: i })])
    await waitFor(() => c.stats().retried! > 0, 'a failed attempt')
    expect(c.stats()).toMatchObject({ queued: 25, backlog: 10, dropped: 15, reachable: false })
    const remote = await remoteOn(dir('ulcc-remote-'), port)
    await waitFor(() => c.stats().backlog === 0, 'the queue to empty', 15_000)
    expect(seqsOf(await remote.changes(), 'urn:E:bounded')).toEqual(range(16, 25))
    expect(c.stats()).toMatchObject({ sent: 10, dropped: 15, failed: 0 })
  })

  it('keeps its queue across a restart and sends it when the broker answers; done segments are deleted', async () => {
    const port = await freePort()
    const dataDir = dir('ulcc-ctx-')
    const opts = { url: `http://127.0.0.1:${port}`, dataDir, logger: silentLogger(), ...FAST_RETRY, flushIntervalMs: 20 }
    const first = await ExternalContextClient.open(opts)
    const filler = 'y'.repeat(300)
    for (let i = 1; i <= 20_000; i++) first.upsert(S, [measure('urn:E:restart', { seq: i, filler })])
    await first.close()
    const queueDir = join(dataDir, QUEUE_DIR)
    const size = (): number => readdirSync(queueDir).reduce((n, f) => n + statSync(join(queueDir, f)).size, 0)
    expect(size()).toBeGreaterThan(20_000 * 300)

    const second = await client(opts)
    expect(second.stats()).toMatchObject({ backlog: 20_000, queued: 0 })
    const remote = await remoteOn(dir('ulcc-remote-'), port)
    await waitFor(() => second.stats().backlog === 0, 'the queue to empty', 30_000)
    expect(seqsOf(await remote.changes(), 'urn:E:restart')).toEqual(range(1, 20_000))
    // The done marks reach the disk with the next commit; then only a small tail is left.
    second.upsert(S, [measure('urn:E:restart', { seq: 20_001, filler })])
    await waitFor(() => second.stats().backlog === 0, 'the last update')
    await waitFor(() => size() < 64 * 1024, 'the done segments to be deleted')
  })

  it('whenDurable means on disk: updates queued before it survive a kill -9 of the process', async () => {
    const port = await freePort()
    const dataDir = dir('ulcc-ctx-')
    const script = fileURLToPath(new URL('../helpers/external-client-child.ts', import.meta.url))
    const child = spawn(process.execPath, ['--import', 'tsx', script, dataDir, `http://127.0.0.1:${port}`, '500'], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'inherit']
    })
    const exited = new Promise((resolve) => child.once('exit', resolve))
    cleanups.push(async () => {
      child.kill('SIGKILL')
      await exited
    })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    await waitFor(() => out.includes('\n') && out, 'the child to report', 20_000)
    expect(out.trim()).toBe('durable')
    child.kill('SIGKILL')
    await exited

    const c = await client({ url: `http://127.0.0.1:${port}`, dataDir, logger: silentLogger(), ...FAST_RETRY })
    expect(c.stats().backlog).toBe(500)
    const remote = await remoteOn(dir('ulcc-remote-'), port)
    await waitFor(() => c.stats().backlog === 0, 'the queue to empty', 15_000)
    expect(seqsOf(await remote.changes(), 'urn:E:crash')).toEqual(range(1, 500))
  })

  it('refuses at once an update whose request would be over 1 MiB, as Orion would (413)', async () => {
    const h = await harness()
    expect(() => h.client.upsert(S, [measure('urn:E:huge', { blob: 'z'.repeat(1_100_000) })])).toThrow(/payload size/)
    expect(h.client.stats()).toMatchObject({ failed: 1, queued: 0 })
  })
})
