/**
 * Which `Host` header values the HTTP ports accept (NGSI, north API, GUI, MQTT over WebSocket): the
 * one guard against DNS rebinding, where a web page of some other site gets its own name resolved
 * to this computer and then reads our answers as same-origin (docs/compatibility/ngsi-v2.md §1.1).
 *
 * Accepted: loopback names and addresses (`localhost`, `*.localhost`, 127.x.x.x, ::1); each
 * listening address that is not a wildcard; with a wildcard (0.0.0.0, ::) this computer's network
 * addresses and its host name (also `<name>.local`), as they are at the time of the request (a
 * classroom reaches the trainer's `http://192.168.x.y:1026`); and the names given with
 * --allowed-host. The port in the
 * header does not count, nor does case; IPv6 addresses come in brackets. A request without any
 * Host header (HTTP/1.0) is accepted: a browser always sends one, so it cannot be a rebinding.
 */
import { hostname, networkInterfaces } from 'node:os'
import { isLoopbackHost } from '../../../shared/loopback'
import type { SourceLogger } from '../log/logger'

/** Distinct refused hosts that get a log line of their own; later ones are only counted. */
const MAX_LOGGED_HOSTS = 100

/**
 * A host name or address in the form a URL's host takes once parsed (lower case, IPv6 without its
 * brackets and compressed, IPv4 in dotted decimal), without a trailing dot; undefined when it is
 * not one. A port is not allowed here (see hostOfHeader).
 */
export function normalizeHost(raw: string): string | undefined {
  let h = raw.trim().toLowerCase()
  if (h === '' || /[/?#@\s\\]/.test(h)) return undefined
  if (h.includes(':') && !h.startsWith('[')) h = `[${h}]`
  let url: URL
  try {
    url = new URL(`http://${h}`)
  } catch {
    return undefined
  }
  if (url.port !== '' || url.host !== url.hostname) return undefined
  const name = url.hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '')
  return name === '' ? undefined : name
}

/** The host of a Host header value (`example.com:1026` → `example.com`, `[::1]:8042` → `::1`); undefined when it is none. */
export function hostOfHeader(value: string): string | undefined {
  const v = value.trim()
  if (v === '' || /[/?#@\s\\]/.test(v)) return undefined
  let url: URL
  try {
    url = new URL(`http://${v}`)
  } catch {
    return undefined
  }
  return normalizeHost(url.hostname)
}

const WILDCARDS: ReadonlySet<string> = new Set(['0.0.0.0', '::'])

/** This computer's addresses and name (also as its mDNS `.local` name), as they are now (networks come and go). */
function ownAddresses(): string[] {
  const name = hostname()
  const out = name.includes('.') ? [name] : [name, `${name}.local`]
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) out.push(a.address)
  return out
}

export interface HostGuardOptions {
  /** The listening addresses (--host). */
  hosts: readonly string[]
  /** Further names and addresses (--allowed-host, ULCC_ALLOWED_HOSTS, settings.json `allowedHosts`). */
  allowedHosts?: readonly string[]
  /** Where refusals are logged (once per host). */
  log?: SourceLogger
  /** This computer's addresses and name; os.networkInterfaces() and os.hostname() by default. */
  ownAddresses?: () => string[]
}

export interface HostGuard {
  /** Whether a request with this Host header (undefined: none) may be answered; a refusal is counted and logged. */
  admit(hostHeader: string | undefined, where: string, peer: string | undefined): boolean
  /** Requests refused so far. */
  readonly refused: number
}

export function createHostGuard(opts: HostGuardOptions): HostGuard {
  const fixed = new Set<string>()
  let wildcard = false
  for (const h of [...opts.hosts, ...(opts.allowedHosts ?? [])]) {
    const n = normalizeHost(h)
    if (n === undefined) continue
    if (WILDCARDS.has(n)) wildcard = true
    else fixed.add(n)
  }
  const own = opts.ownAddresses ?? ownAddresses
  const logged = new Set<string>()
  let refused = 0

  const allowed = (name: string): boolean => {
    if (isLoopbackHost(name) || fixed.has(name)) return true
    return wildcard && own().some((a) => normalizeHost(a.replace(/%.*$/, '')) === name)
  }

  return {
    get refused() {
      return refused
    },
    admit(hostHeader, where, peer) {
      if (hostHeader === undefined) return true
      const name = hostOfHeader(hostHeader)
      if (name !== undefined && allowed(name)) return true
      refused++
      const shown = (name ?? hostHeader).slice(0, 100)
      if (opts.log && !logged.has(shown) && logged.size <= MAX_LOGGED_HOSTS) {
        logged.add(shown)
        if (logged.size > MAX_LOGGED_HOSTS) {
          opts.log.warn('HOST_REFUSED', `${MAX_LOGGED_HOSTS} different refused Host names logged; further ones are only counted`)
        } else {
          opts.log.warn(
            'HOST_REFUSED',
            `${where}: refused a request from ${peer ?? '?'} for Host "${shown}" (not this computer; allow a name with --allowed-host). Logged once per name.`
          )
        }
      }
      return false
    }
  }
}

/** Validates a name for --allowed-host: a host name or address, without port. */
export function parseAllowedHost(raw: string): string | undefined {
  const n = normalizeHost(raw)
  return n !== undefined && !WILDCARDS.has(n) ? n : undefined
}
