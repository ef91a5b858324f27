/**
 * "Test connection" of the settings page (`connection.test`) through the engine API and the
 * transports' request gate, against real servers on ephemeral loopback ports: Debian's Mosquitto
 * (plain, with passwords, over TLS, requiring a client certificate), plain HTTP servers that are
 * not MQTT, and stand-ins of Orion's `GET /version`.
 */
import { createServer as createHttpServer } from 'node:http'
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConnectionTestResultDto, RequestArgs } from '../../shared/contract'
import { createEngineApi, type EngineApiHandle } from '../../electron/engine/api'
import { dispatchRequest } from '../../electron/engine/transport/validate-request'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'
import { listenLocal } from '../helpers/local-server'
import { freePort, MOSQUITTO, MOSQUITTO_PASSWD, OPENSSL, requirePrograms, startMosquitto, type Mosquitto } from '../helpers/mosquitto'
import { makePki, startTlsMosquitto, type TestPki } from '../helpers/mosquitto-secure'

const programs = requirePrograms({ mosquitto: MOSQUITTO, mosquitto_passwd: MOSQUITTO_PASSWD, openssl: OPENSSL })

describe.skipIf(programs.skip)(`connection.test ${programs.reason}`, () => {
  let run: RunningEngine
  let api: EngineApiHandle
  let plain: Mosquitto
  let secured: Mosquitto
  let tls: Mosquitto
  let mutualTls: Mosquitto
  let pki: TestPki
  const closers: Array<() => Promise<void>> = []

  beforeAll(async () => {
    pki = makePki()
    ;[run, plain, secured, tls, mutualTls] = await Promise.all([
      startEngine(),
      startMosquitto(),
      startMosquitto({ users: { ana: 's3cret' } }),
      startTlsMosquitto(pki),
      startTlsMosquitto(pki, { requireCertificate: true })
    ])
    api = createEngineApi(run.engine, { settings: { env: {} } })
  }, 60_000)

  afterAll(async () => {
    api?.close()
    for (const close of closers.splice(0)) await close()
    await Promise.all([run?.dispose(), plain?.stop(), secured?.stop(), tls?.stop(), mutualTls?.stop()])
    pki?.cleanup()
  })

  async function test(args: RequestArgs<'connection.test'>): Promise<ConnectionTestResultDto> {
    const r = await dispatchRequest(api, 'connection.test', args)
    if (!r.ok) throw new Error(`connection.test refused: ${r.error.message}`)
    return r.result as ConnectionTestResultDto
  }
  const mqtt = (m: Extract<RequestArgs<'connection.test'>, { target: 'mqtt' }>['mqtt']): Promise<ConnectionTestResultDto> => test({ target: 'mqtt', mqtt: m })
  const orion = (url: string): Promise<ConnectionTestResultDto> => test({ target: 'contextBroker', url })

  /** A server that takes connections and never answers (closed after the test); `sockets` are its connections. */
async function silentServer(closers: Array<() => Promise<void>>): Promise<{ silent: NetServer; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>()
  const silent: NetServer = createNetServer((s) => {
    sockets.add(s)
    // Reading (and dropping) what comes lets the socket see the client's close.
    s.resume()
  })
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        silent.close(() => resolve())
      })
  )
  return { silent, sockets }
}

describe('MQTT broker', () => {
    it('connects, reports the CONNACK and the latency, and leaves no client behind', async () => {
      const r = await mqtt({ url: plain.url })
      expect(r).toMatchObject({ target: 'mqtt', ok: true, connack: { returnCode: 0, sessionPresent: false } })
      expect(r.latencyMs).toBeGreaterThan(0)
      expect(r.latencyMs).toBeLessThan(5000)
      expect(r.reason).toBeUndefined()
      // Mosquitto saw one client (a fresh random id), which is gone: it never subscribed or published.
      const log = plain.log()
      const ids = [...log.matchAll(/New client connected from \S+ as (\S+)/g)].map((m) => m[1])
      expect(ids).toHaveLength(1)
      expect(ids[0]).toMatch(/^ulcc-test_[0-9a-f]{8}$/)
      await expect.poll(() => plain.log()).toMatch(new RegExp(`Client ${ids[0]} (closed its connection|disconnected)`))
      expect(log).not.toMatch(/SUBSCRIBE|PUBLISH/)
      // A second test gets a new id.
      await mqtt({ url: plain.url })
      // Mosquitto writes its log line a moment after the CONNACK: read it until it is there.
      const ids2 = (): number => new Set([...plain.log().matchAll(/New client connected from \S+ as (\S+)/g)].map((m) => m[1])).size
      await expect.poll(ids2).toBe(2)
    })

    it('says a closed port refuses, and an unknown host is not found', async () => {
      const port = await freePort()
      expect(await mqtt({ url: `mqtt://127.0.0.1:${port}` })).toMatchObject({ ok: false, reason: 'refused', detail: expect.stringMatching(/ECONNREFUSED/) })
      expect(await mqtt({ url: 'mqtt://broker.ulcc-test.invalid:1883' })).toMatchObject({ ok: false, reason: 'dns', detail: expect.stringMatching(/ENOTFOUND|EAI_AGAIN/) })
    })

    it('refuses a URL it cannot use and TLS files it cannot read, before connecting', async () => {
      expect(await mqtt({ url: 'http://127.0.0.1:1883' })).toMatchObject({ ok: false, reason: 'bad-url', detail: expect.stringMatching(/scheme/) })
      expect(await mqtt({ url: 'not a url' })).toMatchObject({ ok: false, reason: 'bad-url' })
      expect(await mqtt({ url: tls.url, caFile: `${pki.dir}/missing.pem` })).toMatchObject({ ok: false, reason: 'file-unreadable', detail: expect.stringMatching(/missing\.pem/) })
      expect(await mqtt({ url: tls.url, caFile: pki.caFile, certFile: pki.caFile, keyFile: pki.clientCert })).toMatchObject({ ok: false, reason: 'file-invalid' })
    })

    it('tells a wrong password from a right one, and uses the saved password when the form leaves it empty', async () => {
      const wrong = await mqtt({ url: secured.url, username: 'ana', password: 'wrong' })
      expect(wrong.ok).toBe(false)
      expect(['auth', 'not-authorized']).toContain(wrong.reason)
      expect(wrong.detail).toMatch(/refused/i)
      expect(await mqtt({ url: secured.url, username: 'ana' })).toMatchObject({ ok: false, reason: wrong.reason })
      expect(await mqtt({ url: secured.url, username: 'ana', password: 's3cret' })).toMatchObject({ ok: true, connack: { returnCode: 0 } })

      // Saved (for the next start): the test of the form without a password uses it, for that user only.
      await api['settings.update']({ patch: { mqtt: { mode: 'external', url: secured.url, username: 'ana', password: 's3cret' } } })
      expect(await mqtt({ url: secured.url, username: 'ana', password: '' })).toMatchObject({ ok: true })
      expect(await mqtt({ url: secured.url, username: 'bob' })).toMatchObject({ ok: false, reason: wrong.reason })
      // And the password still never comes back.
      expect(JSON.stringify(await api['settings.get']({}))).not.toContain('s3cret')
    })

    it('over TLS: an unknown authority is untrusted, the right CA connects, a wrong host name is named', async () => {
      expect(await mqtt({ url: tls.url })).toMatchObject({ ok: false, reason: 'tls-untrusted' })
      expect(await mqtt({ url: tls.url, caFile: pki.otherCaFile })).toMatchObject({ ok: false, reason: 'tls-untrusted' })
      expect(await mqtt({ url: tls.url, caFile: pki.caFile })).toMatchObject({ ok: true, connack: { returnCode: 0 } })
      // Without verification, any certificate is taken.
      expect(await mqtt({ url: tls.url, rejectUnauthorized: false })).toMatchObject({ ok: true })
      // The certificate is for 127.0.0.1 only.
      expect(await mqtt({ url: `mqtts://localhost:${tls.port}`, caFile: pki.caFile })).toMatchObject({ ok: false, reason: 'tls-hostname', detail: expect.stringMatching(/localhost/) })
      // TLS to a port that speaks plain MQTT.
      expect(await mqtt({ url: `mqtts://127.0.0.1:${plain.port}`, caFile: pki.caFile })).toMatchObject({ ok: false, reason: 'not-tls' })
    })

    it('with a client certificate required: refused without one, connected with the certificate and key', async () => {
      expect(await mqtt({ url: mutualTls.url, caFile: pki.caFile })).toMatchObject({ ok: false, reason: 'tls-client-cert', detail: expect.stringMatching(/certificate required/) })
      expect(await mqtt({ url: mutualTls.url, caFile: pki.caFile, certFile: pki.clientCert, keyFile: pki.clientKey })).toMatchObject({ ok: true, connack: { returnCode: 0 } })
    })

    it('says an HTTP server is not an MQTT broker, and a silent server does not answer', async () => {
      const http = await listenLocal(createHttpServer((_req, res) => res.end('hello')))
      closers.push(http.close)
      expect(await mqtt({ url: http.url.replace('http:', 'mqtt:') })).toMatchObject({ ok: false, reason: 'not-mqtt' })

      // A server that takes the connection and never answers: bounded by the test's timeout.
      const { silent, sockets } = await silentServer(closers)
      const started = Date.now()
      const r = await mqtt({ url: `mqtt://127.0.0.1:${(silent.address() as { port: number }).port}` })
      expect(r).toMatchObject({ ok: false, reason: 'not-mqtt' })
      expect(Date.now() - started).toBeLessThan(7000)
      // The test closed its connection.
      await expect.poll(() => [...sockets].filter((s) => !s.destroyed && !s.closed).length).toBe(0)
    })

    it('runs one test per target at a time', async () => {
      const { silent } = await silentServer(closers)
      const slow = mqtt({ url: `mqtt://127.0.0.1:${(silent.address() as { port: number }).port}` })
      expect(await mqtt({ url: plain.url })).toMatchObject({ ok: false, reason: 'busy' })
      // The other target is free.
      expect(await orion('http://orion.ulcc-test.invalid:1026')).toMatchObject({ reason: 'dns' })
      await slow
      expect(await mqtt({ url: plain.url })).toMatchObject({ ok: true })
    })
  })

  describe('context broker', () => {
    async function httpServer(handler: Parameters<typeof createHttpServer>[1]): Promise<string> {
      const s = await listenLocal(createHttpServer(handler))
      closers.push(s.close)
      return s.url
    }

    it('reads the version of an Orion, also behind a path prefix', async () => {
      const paths: string[] = []
      const url = await httpServer((req, res) => {
        paths.push(req.url ?? '')
        res.writeHead(200, { 'Content-Type': 'application/json' })
        res.end(JSON.stringify({ orion: { version: '3.10.1', uptime: '0 d, 0 h, 1 m, 2 s', git_hash: 'x', compile_time: 'y', compiled_by: 'z', compiled_in: 'w', release_date: 'v', machine: 'x86_64', doc: 'https://fiware-orion.rtfd.io/' } }))
      })
      const r = await orion(url)
      expect(r).toMatchObject({ target: 'contextBroker', ok: true, version: '3.10.1', status: 200 })
      expect(r.latencyMs).toBeGreaterThan(0)
      expect(await orion(`${url}/orion/`)).toMatchObject({ ok: true, version: '3.10.1' })
      expect(paths).toEqual(['/version', '/orion/version'])
    })

    it('says 401 is an authentication problem, 404 or a web page is not Orion, 500 is an HTTP error', async () => {
      const unauthorized = await httpServer((_req, res) => {
        res.writeHead(401, { 'Content-Type': 'text/plain' })
        res.end('Auth-token not found in request header')
      })
      expect(await orion(unauthorized)).toMatchObject({ ok: false, reason: 'auth', status: 401, detail: expect.stringMatching(/Auth-token/) })
      const missing = await httpServer((_req, res) => {
        res.writeHead(404, { 'Content-Type': 'text/html' })
        res.end('<html><body>Not Found</body></html>')
      })
      expect(await orion(missing)).toMatchObject({ ok: false, reason: 'not-orion', status: 404 })
      const page = await httpServer((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/html' })
        res.end('<html><body>Welcome</body></html>')
      })
      expect(await orion(page)).toMatchObject({ ok: false, reason: 'not-orion', status: 200 })
      const broken = await httpServer((_req, res) => {
        res.writeHead(503)
        res.end()
      })
      expect(await orion(broken)).toMatchObject({ ok: false, reason: 'http-status', status: 503 })
    })

    it('says a closed port refuses, an unknown host is not found, and a bad URL is refused', async () => {
      const port = await freePort()
      expect(await orion(`http://127.0.0.1:${port}`)).toMatchObject({ ok: false, reason: 'refused' })
      expect(await orion('http://orion.ulcc-test.invalid:1026')).toMatchObject({ ok: false, reason: 'dns' })
      expect(await orion('orion:1026')).toMatchObject({ ok: false, reason: 'bad-url' })
      // An MQTT broker is not an HTTP server.
      expect(await orion(`http://127.0.0.1:${plain.port}`)).toMatchObject({ ok: false, reason: 'reset' })
    })

    it('is refused by the request gate when the arguments do not match the contract', async () => {
      const r = await dispatchRequest(api, 'connection.test', { target: 'contextBroker', url: 'http://x', extra: 1 })
      expect(r).toMatchObject({ ok: false, error: { name: 'BAD_REQUEST' } })
      const r2 = await dispatchRequest(api, 'connection.test', { target: 'ftp', url: 'http://x' })
      expect(r2).toMatchObject({ ok: false, error: { name: 'BAD_REQUEST' } })
    })
  })
})
