import { readFile } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import type { IClientOptions } from 'mqtt'
import type { ExternalMqttConfig } from '../config/types'

/** What mqtt.js needs to connect, resolved once at start (TLS files are read then). */
export interface ExternalTarget {
  /** URL handed to mqtt.js: scheme normalised, credentials removed. */
  url: string
  /** The same URL for status and messages. */
  display: string
  options: IClientOptions
}

/** iotagent-ul accepts these schemes (docs/compatibility/iot-agent-ul.md §3.6); tcp and tls are aliases of mqtt and mqtts. */
const SCHEMES: Record<string, string> = { 'mqtt:': 'mqtt:', 'tcp:': 'mqtt:', 'mqtts:': 'mqtts:', 'tls:': 'mqtts:', 'ws:': 'ws:', 'wss:': 'wss:' }

async function readPem(path: string | undefined, what: string): Promise<Buffer | undefined> {
  if (!path) return undefined
  try {
    return await readFile(path)
  } catch (err) {
    throw new Error(`cannot read the MQTT ${what} file ${path}: ${(err as Error).message}`, { cause: err })
  }
}

export async function resolveTarget(config: ExternalMqttConfig): Promise<ExternalTarget> {
  let parsed: URL
  try {
    parsed = new URL(config.url)
  } catch {
    throw new Error(`invalid MQTT broker URL "${config.url}" (expected e.g. mqtt://host:1883)`)
  }
  const scheme = SCHEMES[parsed.protocol]
  if (!scheme) {
    throw new Error(`unsupported MQTT broker URL scheme "${parsed.protocol}" in ${config.url}: use mqtt://, mqtts://, tcp://, tls://, ws:// or wss://`)
  }
  if (!parsed.hostname) throw new Error(`the MQTT broker URL ${config.url} has no host`)
  // Credentials in the URL are honoured (as mqtt.js does) unless the settings give them.
  const urlUser = parsed.username ? decodeURIComponent(parsed.username) : undefined
  const urlPassword = parsed.password ? decodeURIComponent(parsed.password) : undefined
  const isWs = scheme === 'ws:' || scheme === 'wss:'
  const path = isWs ? parsed.pathname + parsed.search : ''
  const hostPort = parsed.port ? `${parsed.hostname}:${parsed.port}` : parsed.hostname
  const url = `${scheme}//${hostPort}${path}`

  // One after the other, so that with several unreadable files the error always names the first.
  const ca = await readPem(config.caFile, 'CA')
  const cert = await readPem(config.certFile, 'client certificate')
  const key = await readPem(config.keyFile, 'client key')
  const options: IClientOptions = {
    keepalive: config.keepalive,
    rejectUnauthorized: config.rejectUnauthorized,
    // 3.1.1 unless the settings ask for 5 (mqtt.js then sends MQTT 5 CONNECT, SUBSCRIBE and PUBLISH).
    protocolVersion: config.protocolVersion ?? 4
  }
  const username = config.username ?? urlUser
  const password = config.password ?? urlPassword
  if (username !== undefined) options.username = username
  if (password !== undefined) options.password = password
  // mqtt.js rebuilds a ws URL from the host name without brackets, which breaks IPv6 literals
  // (ws://::1:9001); hand it the URL as given.
  if (isWs) options.transformWsUrl = () => url
  if (ca) options.ca = ca
  if (cert) options.cert = cert
  if (key) options.key = key
  return { url, display: url, options }
}

/** `<prefix>_<8 hex>`, a new one for every connection, as iotagent-ul does. */
export function newClientId(prefix: string): string {
  return `${prefix || 'iotaul'}_${randomBytes(4).toString('hex')}`
}

const NET_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the broker',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed by the broker'
}

/** A short, human-readable cause for a connection error of mqtt.js, ws, net or tls. */
export function describeConnectError(err: unknown): string {
  const e = err as (Error & { code?: string | number }) | undefined
  if (!e) return 'unknown error'
  if (typeof e.code === 'string' && NET_ERRORS[e.code]) return NET_ERRORS[e.code]!
  // CONNACK refusals come from mqtt.js as "Connection refused: Not authorized" with a number code.
  if (typeof e.code === 'number') return e.message.replace(/^Connection refused: /, 'refused by the broker: ').toLowerCase()
  if (e.message === 'connack timeout') return 'no answer to CONNECT (is it an MQTT broker?)'
  // AggregateError (every address of a host refused) carries the per-address errors.
  const inner = (e as Error & { errors?: unknown[] }).errors
  if (Array.isArray(inner) && inner.length > 0) return describeConnectError(inner[0])
  if (typeof e.code === 'string' && /CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY/.test(e.code)) return `TLS: ${e.message}`
  return e.message || String(e)
}

/** The URL without credentials, for status before it could be parsed at start. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url)
    u.username = ''
    u.password = ''
    return u.toString()
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//')
  }
}
