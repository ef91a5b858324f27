/**
 * Authentication towards an external Orion behind a PEP proxy (docs/compatibility/iot-agent-ul.md,
 * "Authentication towards the context broker"): a fixed token, a Keystone password grant and an
 * OAuth2 refresh-token grant, a 401 answered by one renewal and one retry, credentials refused
 * reported in the status and by "Test connection", and an https Orion verified with a CA file.
 * The PEP proxy, Keystone and the OAuth2 server are stand-ins on ephemeral loopback ports
 * (test/helpers/auth-doubles.ts); the engine and its clients are the real ones.
 */
import { readFileSync } from 'node:fs'
import { connectAsync } from 'mqtt'
import { afterEach, describe, expect, it } from 'vitest'
import { createEngineApi } from '../../electron/engine/api'
import { loadConfig } from '../../electron/engine/config/load'
import { ExternalContextClient } from '../../electron/engine/context/external/external-client'
import { OrionClient } from '../../electron/engine/context/external/orion-client'
import { silentLogger } from '../../electron/engine/log/logger'
import { testContextBroker } from '../../electron/engine/net/connection-test'
import { dispatchRequest } from '../../electron/engine/transport/validate-request'
import { startKeystone, startOAuth2, startPepOrion, type PepOrion, type TokenService } from '../helpers/auth-doubles'
import { startEngine } from '../helpers/engine-harness'
import { OPENSSL } from '../helpers/mosquitto'
import { makePki } from '../helpers/mosquitto-secure'
import { tempDir } from '../helpers/temp-dir'
import { waitFor } from '../helpers/wait-for'

const scope = { service: 'secure', servicePath: '/' }
const update = (n: number): { id: string; type: string; attrs: Record<string, { type: string; value: number }> } => ({
  id: 'urn:ngsi-ld:Sensor:001',
  type: 'Sensor',
  attrs: { seq: { type: 'Number', value: n } }
})

describe('authentication towards an external Orion', () => {
  const closers: Array<() => Promise<void> | void> = []
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c()
  })

  async function pep(opts: Parameters<typeof startPepOrion>[0]): Promise<PepOrion> {
    const p = await startPepOrion(opts)
    closers.push(() => p.close())
    return p
  }

  async function service<T extends TokenService>(s: Promise<T>): Promise<T> {
    const v = await s
    closers.push(() => v.close())
    return v
  }

  async function client(opts: Omit<Parameters<typeof ExternalContextClient.open>[0], 'dataDir' | 'logger'>, dataDir?: string): Promise<ExternalContextClient> {
    let path = dataDir
    if (!path) {
      const dir = tempDir('ulcc-auth-')
      closers.push(dir.cleanup)
      path = dir.path
    }
    const c = await ExternalContextClient.open({ dataDir: path, logger: silentLogger(), probeIntervalMs: 0, retryMinMs: 20, retryMaxMs: 100, ...opts })
    closers.push(() => c.close())
    return c
  }

  it('sends a fixed token with every request of the agent (measures, registrations) and never shows it in the settings', async () => {
    const orion = await pep({ accepted: ['static-token-1'] })
    const run = await startEngine((c) => (c.contextBroker = { mode: 'external', url: orion.url, retryMaxMs: 200, auth: { type: 'token', token: 'static-token-1' } }))
    closers.push(() => run.dispose())
    const api = createEngineApi(run.engine, { settings: { env: {} } })
    closers.push(() => api.close())
    await api['groups.create']({ scope, group: { apikey: 'authkey', resource: '', entity_type: 'Lamp', commands: [{ name: 'switch', type: 'command' }] } })
    await api['devices.create']({ scope, device: { device_id: 'lamp1', entity_name: 'urn:ngsi-ld:Lamp:001', entity_type: 'Lamp' } })
    const mqtt = await connectAsync(run.mqttUrl, { reconnectPeriod: 0 })
    closers.push(() => mqtt.endAsync())
    await mqtt.publishAsync('/authkey/lamp1/attrs', 'l|300', { qos: 1 })
    await waitFor(() => orion.requests.find((r) => r.method === 'POST' && r.url.startsWith('/v2/entities') && r.text.includes('300')), 'the measure at Orion')

    expect(orion.requests.some((r) => r.url === '/v2/registrations')).toBe(true)
    for (const r of orion.requests) expect(r.headers['x-auth-token'], `${r.method} ${r.url}`).toBe('static-token-1')
    expect(orion.requests.every((r) => r.status < 400)).toBe(true)

    const settings = await api['settings.get']({})
    expect(settings.values.contextBroker).toEqual({ mode: 'external', url: orion.url, retryMaxMs: 200, auth: { type: 'token' } })
    expect(JSON.stringify(settings)).not.toContain('static-token-1')
  })

  it('gets a token from Keystone, and on a 401 gets a new one and sends the request once more', async () => {
    const orion = await pep({})
    const keystone = await service(startKeystone('iotagent', 'pa55'))
    keystone.onIssue = (t) => orion.accepted.add(t)
    const c = await client({ url: orion.url, auth: { type: 'keystone', url: keystone.url, user: 'iotagent', password: 'pa55', trust: 'trust-1' } })

    c.upsert(scope, [update(1)])
    await waitFor(() => c.stats().sent === 1, 'the first update sent')
    expect(keystone.requests).toHaveLength(1)
    // The request iotagent-node-lib sends (securityServiceKeystone.js): password method, domain Default, trust scope.
    expect(JSON.parse(keystone.requests[0]!.text)).toEqual({
      auth: {
        identity: { methods: ['password'], password: { user: { domain: { name: 'Default' }, name: 'iotagent', password: 'pa55' } } },
        scope: { 'OS-TRUST:trust': { id: 'trust-1' } }
      }
    })
    expect(orion.requests.map((r) => [r.headers['x-auth-token'], r.status])).toEqual([['ks-1', 204]])

    // The token expires at the proxy: 401, a new token, the same request again.
    orion.accepted.clear()
    c.upsert(scope, [update(2)])
    await waitFor(() => c.stats().sent === 2, 'the second update sent')
    expect(keystone.issued).toEqual(['ks-1', 'ks-2'])
    const second = orion.requests.slice(1)
    expect(second.map((r) => [r.headers['x-auth-token'], r.status])).toEqual([
      ['ks-1', 401],
      ['ks-2', 204]
    ])
    expect(second[0]!.text).toBe(second[1]!.text)
    expect(c.stats().retried).toBe(0)
  })

  it('retries only once: a token refused again is Orion’s answer, and the update stays queued', async () => {
    const orion = await pep({})
    const keystone = await service(startKeystone('iotagent', 'pa55'))
    const c = await client({ url: orion.url, retryMinMs: 60_000, retryMaxMs: 60_000, auth: { type: 'keystone', url: keystone.url, user: 'iotagent', password: 'pa55' } })
    c.upsert(scope, [update(1)])
    await waitFor(() => c.stats().retried === 1, 'the update put back in the queue')
    expect(orion.requests.map((r) => [r.headers['x-auth-token'], r.status])).toEqual([
      ['ks-1', 401],
      ['ks-2', 401]
    ])
    expect(c.stats()).toMatchObject({ sent: 0, backlog: 1, lastError: expect.stringMatching(/HTTP 401.*refused the token/) })
  })

  it('reports a password Keystone refuses: in the status (the update kept) and in "Test connection"', async () => {
    const orion = await pep({ accepted: ['ks-1'] })
    const keystone = await service(startKeystone('iotagent', 'right'))
    const auth = { type: 'keystone' as const, url: keystone.url, user: 'iotagent', password: 'expired' }
    const c = await client({ url: orion.url, retryMinMs: 60_000, retryMaxMs: 60_000, auth })
    c.upsert(scope, [update(1)])
    await waitFor(() => c.stats().lastError, 'the error in the status')
    expect(c.stats().lastError).toMatch(/Keystone refused the credentials of user "iotagent" \(HTTP 401\)/)
    expect(c.stats().lastError).not.toContain('expired')
    expect(c.stats()).toMatchObject({ sent: 0, backlog: 1 })
    expect(orion.requests).toHaveLength(0)

    const r = await testContextBroker(orion.url, 5000, { auth })
    expect(r).toMatchObject({ target: 'contextBroker', ok: false, reason: 'credentials-refused' })
    expect(r.detail).not.toContain('expired')
    expect(await testContextBroker(orion.url, 5000, { auth: { ...auth, password: 'right' } })).toMatchObject({ ok: true, version: '4.1.0' })
  })

  it('"Test connection" tells a token Orion refuses, a token service that does not answer, and a missing setting', async () => {
    const orion = await pep({ accepted: ['good'] })
    expect(await testContextBroker(orion.url, 5000, { auth: { type: 'token', token: 'bad' } })).toMatchObject({ ok: false, status: 401, reason: 'auth-failed' })
    expect(await testContextBroker(orion.url, 5000)).toMatchObject({ ok: false, status: 401, reason: 'auth' })
    expect(await testContextBroker(orion.url, 5000, { auth: { type: 'token', token: 'good' } })).toMatchObject({ ok: true })
    const gone = await service(startKeystone('u', 'p'))
    await gone.close()
    expect(await testContextBroker(orion.url, 5000, { auth: { type: 'keystone', url: gone.url, user: 'u', password: 'p' } })).toMatchObject({ ok: false, reason: 'token-service' })
    expect(await testContextBroker(orion.url, 5000, { auth: { type: 'oauth2', url: gone.url, clientId: 'c' } })).toMatchObject({ ok: false, reason: 'auth-incomplete' })
  })

  it('uses the saved secret when "Test connection" is sent without it (the GUI never has it)', async () => {
    const orion = await pep({ accepted: ['saved-token'] })
    const run = await startEngine((c) => (c.contextBroker = { mode: 'external', url: orion.url, auth: { type: 'token', token: 'saved-token' } }))
    closers.push(() => run.dispose())
    const api = createEngineApi(run.engine, { settings: { env: {} } })
    closers.push(() => api.close())
    const r = await dispatchRequest(api, 'connection.test', { target: 'contextBroker', url: orion.url, auth: { type: 'token' } })
    expect(r).toMatchObject({ ok: true, result: { ok: true, version: '4.1.0' } })
    // A token typed in the form is the one tested.
    const typed = await dispatchRequest(api, 'connection.test', { target: 'contextBroker', url: orion.url, auth: { type: 'token', token: 'typed' } })
    expect(typed).toMatchObject({ ok: true, result: { ok: false, reason: 'auth-failed' } })
  })

  it('refreshes an OAuth2 token with the refresh token, sends it as Bearer, and renews it on a 401', async () => {
    const orion = await pep({ header: 'Authorization' })
    const oauth = await service(startOAuth2('/oauth2/token', { id: 'cid', secret: 'csecret' }, 'rt-0'))
    oauth.onIssue = (t) => orion.accepted.add('Bearer ' + t)
    const dir = tempDir('ulcc-auth-')
    closers.push(dir.cleanup)
    const auth = { type: 'oauth2' as const, header: 'Authorization', url: oauth.url, tokenPath: '/oauth2/token', clientId: 'cid', clientSecret: 'csecret', trust: 'rt-0' }
    const c = await client({ url: orion.url, auth }, dir.path)
    c.upsert(scope, [update(1)])
    await waitFor(() => c.stats().sent === 1, 'the first update sent')
    expect(Object.fromEntries(new URLSearchParams(oauth.requests[0]!.text))).toEqual({ grant_type: 'refresh_token', client_id: 'cid', client_secret: 'csecret', refresh_token: 'rt-0' })
    expect(oauth.requests[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded')

    orion.accepted.clear()
    c.upsert(scope, [update(2)])
    await waitFor(() => c.stats().sent === 2, 'the second update sent')
    // The second grant uses the refresh token the first answer gave (the old one works only once).
    expect(new URLSearchParams(oauth.requests[1]!.text).get('refresh_token')).toBe('rt-1')
    expect(orion.requests.map((r) => [r.headers.authorization, r.status])).toEqual([
      ['Bearer at-1', 204],
      ['Bearer at-1', 401],
      ['Bearer at-2', 204]
    ])

    // After a restart the last refresh token is used: the configured one was used up.
    await c.close()
    const again = await client({ url: orion.url, auth }, dir.path)
    again.upsert(scope, [update(3)])
    await waitFor(() => again.stats().sent === 1, 'the update after the restart sent')
    expect(new URLSearchParams(oauth.requests[2]!.text).get('refresh_token')).toBe('rt-2')
    expect(oauth.requests.map((r) => r.status)).toEqual([200, 200, 200])
  })

  it('reads the IOTA_AUTH_* variables as iotagent-node-lib does, and the --cb-token and --cb-ca flags', () => {
    const dir = tempDir('ulcc-auth-config-')
    closers.push(dir.cleanup)
    const env = {
      IOTA_CB_URL: 'http://orion:1026',
      IOTA_AUTH_ENABLED: 'true',
      IOTA_AUTH_TYPE: 'oauth2',
      IOTA_AUTH_HOST: 'keyrock',
      IOTA_AUTH_PORT: '3000',
      IOTA_AUTH_TOKEN_PATH: '/oauth2/token',
      IOTA_AUTH_CLIENT_ID: 'cid',
      IOTA_AUTH_CLIENT_SECRET: 'cs',
      IOTA_AUTH_HEADER: 'Authorization',
      IOTA_AUTH_PERMANENT_TOKEN: 'false',
      ULCC_CB_AUTH_TRUST: 'rt'
    }
    expect(loadConfig({ dataDir: dir.path, env }).config.contextBroker).toEqual({
      mode: 'external',
      url: 'http://orion:1026',
      auth: { type: 'oauth2', url: 'http://keyrock:3000', tokenPath: '/oauth2/token', clientId: 'cid', clientSecret: 'cs', header: 'Authorization', permanentToken: false, trust: 'rt' }
    })
    expect(loadConfig({ dataDir: dir.path, env: { IOTA_CB_URL: 'http://orion:1026', IOTA_AUTH_ENABLED: 'true', IOTA_AUTH_USER: 'u', IOTA_AUTH_PASSWORD: 'p' } }).config.contextBroker).toMatchObject({
      auth: { type: 'keystone', user: 'u', password: 'p' }
    })
    expect(loadConfig({ dataDir: dir.path, env, flags: { 'cb-token': 'tok', 'cb-ca': '/etc/ca.pem' } }).config.contextBroker).toEqual({
      mode: 'external',
      url: 'http://orion:1026',
      caFile: '/etc/ca.pem',
      auth: { type: 'token', token: 'tok' }
    })
    expect(() => loadConfig({ dataDir: dir.path, env: { ...env, IOTA_AUTH_TYPE: 'kerberos' } })).toThrow(/IOTA_AUTH_TYPE/)
  })

  it.skipIf(!OPENSSL)('verifies an https Orion with the CA file, and refuses it without', async () => {
    const pki = makePki()
    closers.push(() => pki.cleanup())
    const orion = await pep({ accepted: ['t'], tls: { cert: pki.serverCert, key: pki.serverKey } })
    const auth = { type: 'token' as const, token: 't' }
    expect(await testContextBroker(orion.url, 5000, { caFile: pki.caFile, auth })).toMatchObject({ ok: true, version: '4.1.0' })
    expect(await testContextBroker(orion.url, 5000, { auth })).toMatchObject({ ok: false, reason: 'tls-untrusted' })
    expect(await testContextBroker(orion.url, 5000, { caFile: pki.otherCaFile, auth })).toMatchObject({ ok: false, reason: 'tls-untrusted' })
    expect(await testContextBroker(orion.url, 5000, { caFile: '/nonexistent/ca.pem', auth })).toMatchObject({ ok: false, reason: 'file-unreadable' })

    const trusted = new OrionClient(orion.url, { timeoutMs: 5000, auth, ca: readFileSync(pki.caFile) })
    closers.push(() => trusted.close())
    expect(await trusted.version()).toEqual({ orion: { version: '4.1.0' } })
  })
})
