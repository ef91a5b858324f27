import { lookup as dnsLookup } from 'node:dns'
import type { TutorialRouteDto, TutorialService } from '../../../shared/tutorial-hosts'
import type { BoundAddress } from './listen'

export type { TutorialRouteDto, TutorialService } from '../../../shared/tutorial-hosts'

/**
 * The tutorials' Docker host names and the built-in services they stand for
 * (docs/compatibility/tutorial-services.md §2). The tutorials' request bodies name the services of
 * their Docker Compose network (`http://context-provider:5000`, `http://cygnus:5050/notify`,
 * `http://dummy-device:80/dht22`); on a trainee's computer these names do not resolve. When one
 * does not resolve and routing is on (`tutorialHosts`), the engine's outgoing request goes to its
 * own service on loopback instead, same path and query. A name that resolves (a real service of
 * that name on the network) is used as usual.
 */

export interface TutorialHostEntry {
  /** The host name, lower case, as the tutorials spell it. */
  readonly name: string
  /** The tutorials' ports of this host and the service behind each. */
  readonly ports: Readonly<Record<number, TutorialService>>
  /** The service a port not in `ports` goes to: the one the name stands for. */
  readonly byName: TutorialService
}

/** The one table of tutorial host names. */
export const TUTORIAL_HOSTS: readonly TutorialHostEntry[] = [
  { name: 'orion', ports: { 1026: 'ngsi' }, byName: 'ngsi' },
  { name: 'iot-agent', ports: { 4041: 'jsonNorth', 4042: 'north', 4061: 'north', 7896: 'south' }, byName: 'jsonNorth' },
  { name: 'context-provider', ports: { 5000: 'contextProvider', 3000: 'contextProvider', 3001: 'devices' }, byName: 'contextProvider' },
  { name: 'cygnus', ports: { 5050: 'cygnus', 5080: 'cygnusApi' }, byName: 'cygnus' },
  { name: 'sth-comet', ports: { 8666: 'sth' }, byName: 'sth' },
  { name: 'dummy-device', ports: { 80: 'devices', 3001: 'devices' }, byName: 'devices' },
  { name: 'iot-sensors', ports: { 3001: 'devices', 3000: 'contextProvider' }, byName: 'devices' }
]

const BY_NAME = new Map(TUTORIAL_HOSTS.map((e) => [e.name, e]))

/** What each service is called in the `via` sentences (the GUI has its own translated names). */
const SERVICE_NAMES: Readonly<Record<TutorialService, string>> = {
  ngsi: 'NGSI-v2 context broker',
  north: 'IoT Agent UltraLight north API',
  jsonNorth: 'IoT Agent JSON north API',
  south: 'IoT Agents HTTP south port',
  contextProvider: 'context provider',
  devices: 'HTTP devices',
  cygnus: 'Cygnus notification sink',
  cygnusApi: 'Cygnus API',
  sth: 'STH-Comet API'
}

/** The table's entry of a host name (case-insensitive), if it is one of the tutorials'. */
export function tutorialHostEntry(hostname: string): TutorialHostEntry | undefined {
  return BY_NAME.get(hostname.toLowerCase())
}

/** The built-in service a tutorial host and port stand for: the port's service, else the name's. */
export function tutorialServiceOf(hostname: string, port: number): TutorialService | undefined {
  const entry = tutorialHostEntry(hostname)
  return entry ? (entry.ports[port] ?? entry.byName) : undefined
}

/** `dummy-device does not resolve on this computer: sent to the built-in HTTP devices`. */
export function viaSentence(host: string, service: TutorialService): string {
  return `${host} does not resolve on this computer: sent to the built-in ${SERVICE_NAMES[service]}`
}

/** Where a URL goes: unchanged, or routed to a built-in service. */
export interface TutorialRoute {
  url: string
  /** Set when the request goes to a built-in service instead of the URL's host. */
  routed?: TutorialRouteDto & { via: string }
}

/** Whether a host name resolves; `false` only for a name resolution failure. */
export type HostResolves = (hostname: string) => Promise<boolean>

const DNS_FAILURES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'EAI_NONAME'])

/** dns.lookup as `HostResolves`: any other error (none expected) counts as resolving, so the URL is left alone. */
export const systemResolves: HostResolves = (hostname) =>
  new Promise((resolve) => {
    dnsLookup(hostname, (err) => resolve(!(err && DNS_FAILURES.has(err.code ?? ''))))
  })

export interface TutorialHostsOptions {
  /** Whether routing is on (config.tutorialHosts), read at each request. */
  enabled: () => boolean
  /** The address a built-in service is bound to now; undefined while it is not served. */
  address: (service: TutorialService) => BoundAddress | undefined
  /** The DNS check (default: dns.lookup); tests give their own. */
  resolves?: HostResolves
  /** How long "does not resolve" is remembered (default 10 s). */
  negativeTtlMs?: number
  /** How long "resolves" is remembered (default 60 s). */
  positiveTtlMs?: number
}

interface Known {
  resolves: boolean
  until: number
}

/**
 * The resolver. One DNS check per tutorial host name and period, shared by the requests that
 * arrive meanwhile, so that a stream of requests (notifications, device commands) never costs a
 * lookup each; the memory holds at most the table's names.
 */
export class TutorialHosts {
  private readonly known = new Map<string, Known>()
  private readonly checking = new Map<string, Promise<boolean>>()
  private readonly resolves: HostResolves
  private readonly negativeTtl: number
  private readonly positiveTtl: number

  constructor(private readonly opts: TutorialHostsOptions) {
    this.resolves = opts.resolves ?? systemResolves
    this.negativeTtl = opts.negativeTtlMs ?? 10_000
    this.positiveTtl = opts.positiveTtlMs ?? 60_000
  }

  enabled(): boolean {
    return this.opts.enabled()
  }

  /** Whether requests to this host name may be routed (a tutorial name, routing on). No DNS check. */
  candidate(hostname: string): boolean {
    return this.opts.enabled() && tutorialHostEntry(hostname) !== undefined
  }

  /**
   * Where a request to `url` goes. Unchanged unless routing is on, the URL is `http:` with a
   * tutorial host name that does not resolve, and the service it stands for is served here; then
   * `http://<loopback>:<bound port><same path and query>` and a `via` sentence.
   */
  async route(url: string | URL): Promise<TutorialRoute> {
    const original = typeof url === 'string' ? url : url.href
    let u: URL
    try {
      u = typeof url === 'string' ? new URL(url) : url
    } catch {
      return { url: original }
    }
    if (u.protocol !== 'http:' || !this.candidate(u.hostname)) return { url: original }
    const host = u.hostname.toLowerCase()
    const service = tutorialServiceOf(host, u.port === '' ? 80 : Number(u.port))!
    const bound = this.opts.address(service)
    if (!bound || (await this.hostResolves(host))) return { url: original }
    const to = `http://${hostPart(bound.host)}:${bound.port}${u.pathname}${u.search}`
    return { url: to, routed: { host, service, url: to, via: viaSentence(host, service) } }
  }

  /** The last DNS answer for a name, while remembered: true (resolves), false (does not), undefined (not asked). */
  lastKnown(hostname: string): boolean | undefined {
    const k = this.known.get(hostname.toLowerCase())
    return k && k.until > Date.now() ? k.resolves : undefined
  }

  private hostResolves(host: string): Promise<boolean> | boolean {
    const known = this.known.get(host)
    if (known && known.until > Date.now()) return known.resolves
    let pending = this.checking.get(host)
    if (!pending) {
      pending = this.resolves(host)
        .catch(() => true)
        .then((resolves) => {
          this.known.set(host, { resolves, until: Date.now() + (resolves ? this.positiveTtl : this.negativeTtl) })
          this.checking.delete(host)
          return resolves
        })
      this.checking.set(host, pending)
    }
    return pending
  }
}

/** The address to connect to for a bound address: a wildcard address means loopback; IPv6 in brackets. */
function hostPart(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1'
  if (host === '::') return '[::1]'
  return host.includes(':') ? `[${host}]` : host
}

/**
 * The addresses the built-in services are bound to, filled in as the engine serves them (a port 0
 * binds any free port, so the configured port is not where a service is). A loopback address is
 * preferred, then a wildcard one, then the first.
 */
export class BoundServices {
  private readonly bound = new Map<TutorialService, readonly BoundAddress[]>()

  set(service: TutorialService, addresses: readonly BoundAddress[]): void {
    if (addresses.length === 0) this.bound.delete(service)
    else this.bound.set(service, addresses)
  }

  delete(service: TutorialService): void {
    this.bound.delete(service)
  }

  readonly address = (service: TutorialService): BoundAddress | undefined => {
    const all = this.bound.get(service)
    if (!all) return undefined
    return (
      all.find((a) => a.host === '127.0.0.1') ??
      all.find((a) => a.host === '::1') ??
      all.find((a) => a.host === '0.0.0.0' || a.host === '::' || a.host === '') ??
      all[0]
    )
  }
}
