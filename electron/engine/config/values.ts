/**
 * The values of flags, variables and settings as text, checked and converted: each refusal is a
 * ConfigError naming the flag or variable and what it expects.
 */
import { LOG_LEVELS } from '../../../shared/settings'
import { parseAllowedHost } from '../net/host-guard'
import type { LogLevel, QoS } from './types'

export class ConfigError extends Error {
  override name = 'ConfigError'
}

export function port(name: string, raw: string): number {
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name}: "${raw}" is not a port number`)
  const n = Number(raw)
  if (n > 65535) throw new ConfigError(`${name}: ${n} is not a port number (0-65535)`)
  return n
}

export function bool(name: string, raw: string): boolean {
  const v = raw.trim().toLowerCase()
  if (v === 'true' || v === '1' || v === 'yes') return true
  if (v === 'false' || v === '0' || v === 'no' || v === '') return false
  throw new ConfigError(`${name}: "${raw}" is not true or false`)
}

export function qos(name: string, raw: string): QoS {
  if (raw === '0' || raw === '1' || raw === '2') return Number(raw) as QoS
  throw new ConfigError(`${name}: "${raw}" is not an MQTT QoS (0, 1 or 2)`)
}

/** `3.1.1` (or 4, its protocol level) and `5`, as mosquitto_pub's -V mqttv311 and mqttv5. */
export function mqttProtocolVersion(name: string, raw: string): 4 | 5 {
  const v = raw.trim().toLowerCase().replace(/^mqttv/, '')
  if (v === '3.1.1' || v === '311' || v === '4') return 4
  if (v === '5') return 5
  throw new ConfigError(`${name}: "${raw}" is not an MQTT protocol version (3.1.1 or 5)`)
}

export function positiveInt(name: string, raw: string): number {
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name}: "${raw}" is not a whole number`)
  return Number(raw)
}

export function atLeast(name: string, raw: string, min: number): number {
  const n = positiveInt(name, raw)
  if (n < min) throw new ConfigError(`${name}: ${n} is below the minimum (${min})`)
  return n
}

export function between(name: string, raw: string, min: number, max: number): number {
  const n = atLeast(name, raw, min)
  if (n > max) throw new ConfigError(`${name}: ${n} is above the maximum (${max})`)
  return n
}

/** Names for --allowed-host / ULCC_ALLOWED_HOSTS: comma separated, each a host name or address without port. */
export function allowedHosts(name: string, raw: string[]): string[] {
  return raw.flatMap((h) => h.split(',')).map((h) => h.trim()).filter(Boolean).map((h) => {
    const n = parseAllowedHost(h)
    if (n === undefined) throw new ConfigError(`${name}: "${h}" is not a host name or address (give it without port or scheme)`)
    return n
  })
}

/** Orion's -corsOrigin: `__ALL`, one origin (`http://host[:port]`), or empty for none. */
export function corsOrigin(name: string, raw: string): string {
  const v = raw.trim()
  if (v === '' || v === '__ALL') return v
  let u: URL | undefined
  try {
    u = new URL(v)
  } catch {
    u = undefined
  }
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:') || u.origin !== v.replace(/\/$/, '')) throw new ConfigError(`${name}: "${raw}" is not __ALL nor an origin such as http://localhost:3000`)
  return u.origin
}

/** A log level as FIWARE spells it, in any case; `WARNING` is `WARN`. Undefined when it is none. */
export function parseLogLevel(raw: string): LogLevel | undefined {
  const v = raw.trim().toUpperCase()
  const name = v === 'WARNING' ? 'WARN' : v
  return LOG_LEVELS.find((l) => l === name)
}

export function logLevel(name: string, raw: string): LogLevel {
  const level = parseLogLevel(raw)
  if (!level) throw new ConfigError(`${name}: "${raw}" is not one of ${LOG_LEVELS.join(', ')}`)
  return level
}

export function url(name: string, raw: string, schemes: string[]): string {
  let parsed: URL
  try {
    parsed = new URL(raw)
  } catch {
    throw new ConfigError(`${name}: "${raw}" is not a URL`)
  }
  const scheme = parsed.protocol.replace(/:$/, '')
  if (!schemes.includes(scheme)) throw new ConfigError(`${name}: "${raw}" must start with ${schemes.map((s) => s + '://').join(', ')}`)
  return raw.replace(/\/+$/, '')
}

/** A token or trust goes in an HTTP header: visible ASCII only. */
export function headerText(name: string, raw: string): string {
  if (!/^[\x21-\x7e]*$/.test(raw)) throw new ConfigError(`${name}: only visible ASCII characters can be sent in an HTTP header`)
  return raw
}
