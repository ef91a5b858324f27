import { Socket } from 'node:net'
import type { IConnackPacket, MqttClient } from 'mqtt'
import type { ConnectionTestReasonDto, ConnectionTestResultDto } from '../../../shared/contract'
import { newClientId, resolveTarget, type ExternalTarget } from '../broker/external-options'
import type { ContextBrokerAuthConfig, ExternalMqttConfig } from '../config/types'
import { HttpTransport, readCaFile, TransportError, type HttpAnswer } from '../context/external/http-transport'
import { AuthError, OrionAuth } from '../context/external/orion-auth'

/**
 * "Test connection" of the settings page: one bounded attempt to reach the external MQTT broker
 * or the external Orion with the values being edited, answered as a reason code the GUI puts in
 * words, plus the raw detail. Nothing is kept: the MQTT test connects with a fresh random client
 * id and a clean session, never subscribes or publishes, and closes at once; the Orion test asks
 * `GET /version` (as the agent probes Orion, docs/compatibility/iot-agent-ul.md) and closes its
 * connections.
 */

/** The external-broker settings being edited (as the engine would use them at start; TLS verification on unless turned off). */
export type MqttTestInput = Pick<ExternalMqttConfig, 'url' | 'username' | 'password' | 'caFile' | 'certFile' | 'keyFile'> & { rejectUnauthorized?: boolean }

/** The longest a test waits for an answer. */
export const CONNECTION_TEST_TIMEOUT_MS = 5000

/** Largest `/version` answer read (Orion's is well under 1 KiB). */
const MAX_VERSION_BYTES = 64 * 1024

type Failure = { reason: ConnectionTestReasonDto; detail: string }

const NET_REASONS: Record<string, ConnectionTestReasonDto> = {
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EAI_NONAME: 'dns',
  EAI_FAIL: 'dns',
  ECONNREFUSED: 'refused',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  ETIMEDOUT: 'timeout',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  EHOSTDOWN: 'unreachable'
}

const TLS_UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REJECTED'
])

/** Credentials written in a URL never go back in a detail. */
const withoutCredentials = (text: string): string => text.replace(/\/\/[^@/\s]*@/g, '//')

/** The reason of a failed connection (net, dns, tls, ws or mqtt.js error), with its text. */
export function classifyError(err: unknown): Failure {
  const e = err as (Error & { code?: string | number; errors?: unknown[] }) | undefined
  if (!e) return { reason: 'other', detail: 'unknown error' }
  // Several addresses of one host, each refused: the first says why.
  if (Array.isArray(e.errors) && e.errors.length > 0 && e.code === undefined) return classifyError(e.errors[0])
  const detail = withoutCredentials(e.message || String(e)).trim()
  // A CONNACK that refuses the connection (MQTT 3.1.1 §3.2.2.3), as mqtt.js reports it.
  if (typeof e.code === 'number') {
    if (e.code === 4) return { reason: 'auth', detail }
    if (e.code === 5) return { reason: 'not-authorized', detail }
    return { reason: 'mqtt-refused', detail }
  }
  const code = e.code ?? ''
  if (NET_REASONS[code]) return { reason: NET_REASONS[code], detail }
  if (TLS_UNTRUSTED.has(code)) return { reason: 'tls-untrusted', detail }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || code === 'HOSTNAME_MISMATCH') return { reason: 'tls-hostname', detail }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') return { reason: 'tls-expired', detail }
  // TLS to a port that answers in plain text (mqtts:// to 1883, https:// to 1026).
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG' || /wrong version number|packet length too long/i.test(e.message)) {
    return { reason: 'not-tls', detail }
  }
  if (/CERTIFICATE_REQUIRED|ALERT_HANDSHAKE_FAILURE|ALERT_BAD_CERTIFICATE|ALERT_UNKNOWN_CA|ALERT_CERTIFICATE_UNKNOWN/.test(code)) return { reason: 'tls-client-cert', detail }
  // Certificate or key files that are not usable PEM (or a key that does not match its certificate).
  if (/^ERR_OSSL_(PEM|X509|EVP|ASN1|DECODER)/.test(code) || code === 'ERR_OSSL_UNSUPPORTED') return { reason: 'file-invalid', detail }
  if (/^ERR_SSL|^ERR_TLS|^ERR_OSSL/.test(code) || /CERT/.test(code)) return { reason: 'tls-other', detail }
  if (e.message === 'connack timeout') return { reason: 'not-mqtt', detail }
  // ws: an HTTP answer where a WebSocket upgrade was expected; mqtt-packet: bytes that are not MQTT.
  if (/Unexpected server response|Invalid header|Invalid protocol|Invalid length|Invalid .* flag|Packet too short|Unknown command/i.test(e.message)) {
    return { reason: 'not-mqtt', detail }
  }
  return { reason: 'other', detail }
}

const elapsed = (since: number): number => Math.round((performance.now() - since) * 10) / 10

/** The MQTT settings being edited, resolved as the engine would at start (its TLS files read now). */
async function mqttTarget(input: MqttTestInput): Promise<ExternalTarget | Failure> {
  try {
    return await resolveTarget({
      mode: 'external',
      url: input.url,
      username: input.username || undefined,
      password: input.password || undefined,
      caFile: input.caFile || undefined,
      certFile: input.certFile || undefined,
      keyFile: input.keyFile || undefined,
      rejectUnauthorized: input.rejectUnauthorized !== false,
      clientId: 'ulcc-test',
      keepalive: 30
    })
  } catch (err) {
    // resolveTarget names an unreadable file with its cause; every other refusal is about the URL.
    const e = err as Error
    return { reason: e.cause ? 'file-unreadable' : 'bad-url', detail: withoutCredentials(e.message) }
  }
}

/**
 * Connects to the broker once: CONNECT with a fresh client id and a clean session, waits for the
 * CONNACK, and closes. Never rejects.
 */
export async function testMqtt(input: MqttTestInput, timeoutMs = CONNECTION_TEST_TIMEOUT_MS): Promise<ConnectionTestResultDto> {
  const target = await mqttTarget(input)
  if ('reason' in target) return { target: 'mqtt', ok: false, ...target }
  // Loaded on demand, before the clock starts: the MQTT client library is not part of the usual start (broker/index.ts).
  const { connect } = await import('mqtt')
  const started = performance.now()
  let client: MqttClient
  try {
    client = connect(target.url, {
      ...target.options,
      clientId: newClientId('ulcc-test'),
      clean: true,
      protocolVersion: 4,
      reconnectPeriod: 0,
      resubscribe: false,
      queueQoSZero: false,
      // Our own timer decides; mqtt.js' CONNACK timer is only a backstop.
      connectTimeout: timeoutMs + 1000
    })
  } catch (err) {
    // A certificate or key the TLS layer cannot use fails here, before any connection.
    return { target: 'mqtt', ok: false, ...classifyError(err) }
  }
  return new Promise<ConnectionTestResultDto>((resolve) => {
    const secure = target.url.startsWith('mqtts:')
    /** TCP connected; for mqtts, TLS handshake done. */
    let tcpUp = false
    let transportUp = false
    let settled = false
    const stream = client.stream as unknown
    if (stream instanceof Socket) {
      // A TLSSocket is a Socket too: 'connect' when TCP is up, 'secureConnect' after the handshake.
      stream.once('connect', () => (tcpUp = true))
      stream.once(secure ? 'secureConnect' : 'connect', () => (transportUp = true))
    }
    // A server that drops the connection in the middle of the TLS handshake does not speak TLS there (mqtts:// to a plain port).
    const plainPort = (f: Failure): Failure =>
      secure && tcpUp && !transportUp && (f.reason === 'reset' || f.reason === 'other') ? { reason: 'not-tls', detail: `the server closed the connection during the TLS handshake (${f.detail})` } : f
    const finish = (r: ConnectionTestResultDto): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      client.removeAllListeners('connect')
      // Errors after the outcome (the forced close) are of no interest but must not be unhandled.
      client.removeAllListeners('error')
      client.on('error', () => {})
      client.end(true)
      resolve(r)
    }
    const fail = (f: Failure): void => finish({ target: 'mqtt', ok: false, latencyMs: elapsed(started), ...plainPort(f) })
    const timer = setTimeout(() => {
      // A server that took the connection but never answered CONNECT is not an MQTT broker (or is stalled).
      if (transportUp) fail({ reason: 'not-mqtt', detail: `no CONNACK in ${timeoutMs} ms after the connection was made` })
      else fail({ reason: 'timeout', detail: `no connection in ${timeoutMs} ms` })
    }, timeoutMs)
    client.once('connect', (packet: IConnackPacket) => {
      finish({ target: 'mqtt', ok: true, latencyMs: elapsed(started), connack: { returnCode: packet.returnCode ?? 0, sessionPresent: !!packet.sessionPresent } })
    })
    client.on('error', (err) => {
      const f = classifyError(err)
      fail(f.reason === 'not-mqtt' && !transportUp && err.message === 'connack timeout' ? { reason: 'timeout', detail: f.detail } : f)
    })
    client.once('close', () => {
      if (transportUp) fail({ reason: 'not-mqtt', detail: 'the server closed the connection without answering CONNECT' })
      else fail({ reason: 'reset', detail: 'the connection closed before it was established' })
    })
  })
}

/** The external-Orion settings being edited besides its URL: a CA for https, the authentication. */
export interface OrionTestOptions {
  caFile?: string
  auth?: ContextBrokerAuthConfig
}

/** No token: the token service refused the credentials, gave none, or a needed setting is empty. */
function authFailure(e: AuthError): Failure {
  if (e.reason === 'auth-incomplete') return { reason: 'auth-incomplete', detail: e.message }
  if (e.reason === 'auth-failed') return { reason: 'credentials-refused', detail: e.message }
  // A token service over https that cannot be trusted is a TLS problem, said as such.
  const net = e.netCode ? classifyError(Object.assign(new Error(e.message), { code: e.netCode })) : undefined
  if (net && net.reason.startsWith('tls-')) return net
  return { reason: 'token-service', detail: e.message }
}

/**
 * `GET /version` with the token when authentication is set: a 401 renews the token and asks once
 * more, as the agent does (docs/compatibility/iot-agent-ul.md, "Authentication towards the context broker").
 */
async function askVersion(transport: HttpTransport, auth: OrionAuth | undefined): Promise<HttpAnswer> {
  const call = { method: 'GET' as const, path: '/version', headers: { Accept: 'application/json' } }
  if (!auth) return transport.send(call)
  const token = await auth.value()
  const a = await transport.send({ ...call, headers: { ...call.headers, [auth.header]: token } })
  if (a.status !== 401 || !auth.renewable) return a
  auth.renew(token)
  const fresh = await auth.value()
  return transport.send({ ...call, headers: { ...call.headers, [auth.header]: fresh } })
}

/** `GET <url>/version` once: Orion answers `{"orion":{"version":…}}`. Never rejects. */
export async function testContextBroker(url: string, timeoutMs = CONNECTION_TEST_TIMEOUT_MS, opts: OrionTestOptions = {}): Promise<ConnectionTestResultDto> {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return { target: 'contextBroker', ok: false, reason: 'bad-url', detail: `invalid URL "${withoutCredentials(url)}" (expected e.g. http://orion:1026)` }
  }
  if ((parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || !parsed.hostname) {
    return { target: 'contextBroker', ok: false, reason: 'bad-url', detail: `"${withoutCredentials(url)}" is not an http:// or https:// URL with a host` }
  }
  let ca: Buffer | undefined
  try {
    ca = await readCaFile(opts.caFile)
  } catch (err) {
    return { target: 'contextBroker', ok: false, reason: 'file-unreadable', detail: (err as Error).message }
  }
  const transport = new HttpTransport(url, { timeoutMs, maxSockets: 1, maxResponseBytes: MAX_VERSION_BYTES, ca })
  const auth = opts.auth ? new OrionAuth(opts.auth, { timeoutMs, ca }) : undefined
  const started = performance.now()
  try {
    const a = await askVersion(transport, auth)
    const latencyMs = elapsed(started)
    const base = { target: 'contextBroker' as const, latencyMs, status: a.status }
    const snippet = a.body.trim().slice(0, 200)
    // With a token sent, a 401 (after one renewal) means Orion's PEP proxy refused it.
    if (a.status === 401) return { ...base, ok: false, reason: auth ? 'auth-failed' : 'auth', detail: `HTTP 401 ${snippet}`.trim() }
    if (a.status === 403) return { ...base, ok: false, reason: 'not-authorized', detail: `HTTP 403 ${snippet}`.trim() }
    if (a.status === 404) return { ...base, ok: false, reason: 'not-orion', detail: `HTTP 404 for GET /version ${snippet}`.trim() }
    if (a.status !== 200) return { ...base, ok: false, reason: 'http-status', detail: `HTTP ${a.status} ${snippet}`.trim() }
    let version: unknown
    try {
      version = (JSON.parse(a.body) as { orion?: { version?: unknown } } | null)?.orion?.version
    } catch {
      version = undefined
    }
    if (typeof version !== 'string') return { ...base, ok: false, reason: 'not-orion', detail: `GET /version answered 200 without orion.version: ${snippet}` }
    return { ...base, ok: true, version }
  } catch (err) {
    if (err instanceof AuthError) return { target: 'contextBroker', ok: false, latencyMs: elapsed(started), ...authFailure(err) }
    const e = err as TransportError
    if (e instanceof TransportError && e.code === 'ETOOBIG') return { target: 'contextBroker', ok: false, latencyMs: elapsed(started), reason: 'not-orion', detail: e.message }
    return { target: 'contextBroker', ok: false, latencyMs: elapsed(started), ...classifyError(err) }
  } finally {
    transport.close()
    auth?.close()
  }
}
