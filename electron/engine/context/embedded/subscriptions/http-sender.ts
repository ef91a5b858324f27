import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOneOptions } from 'node:dns'
import { Agent as HttpAgent, request as httpRequest } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import type { TutorialHosts, TutorialRoute } from '../../../net/tutorial-hosts'
import { isBuiltinReceiverHost, type BuiltinReceiver } from './builtin-receiver'
import type { OutgoingNotification } from './notification-request'

/**
 * Sends notification requests. Any HTTP answer, even 4xx/5xx, is a success for Orion (only
 * transport failures count); failures are reported with curl's texts, which trainees see in
 * `lastFailureReason`.
 *
 * Receivers that do not exist must fail fast and stay cheap: the tutorials point at hosts such as
 * `cygnus` or `context-provider` that do not resolve offline. A failed name resolution is
 * remembered for a while (the lookups run on libuv's small thread pool, which the data files
 * need too), and a destination that refused or could not be resolved is not tried again for a
 * short while: its notifications fail at once with the same reason, without a socket.
 *
 * With a built-in receiver, a notification to `context-provider` that does not resolve goes to
 * that receiver and counts as answered 200 (docs/compatibility/ngsi-v2.md, "Notifications to the
 * tutorials' host names"). Notifications to the other tutorial host names that do not resolve
 * (`http://cygnus:5050/notify`) go to the built-in service they stand for, on loopback
 * (net/tutorial-hosts.ts, docs/compatibility/tutorial-services.md §2). Both stop when routing
 * is off (`tutorialHosts: false`): the notification then fails as in Orion.
 */

export type SendOutcome =
  | {
      ok: true
      status: number
      /** Delivered to the built-in receiver, and why (e.g. `context-provider does not resolve on this computer`). */
      receiver?: { host: string; via: string }
      /** Sent to a built-in service instead of a tutorial host name that does not resolve. */
      routed?: TutorialRoute['routed']
    }
  | { ok: false; reason: string; routed?: TutorialRoute['routed'] }

export interface SenderOptions {
  /** How long a failed name resolution is remembered. */
  dnsNegativeTtlMs?: number
  /** How long a destination that refused connections (or does not resolve) is failed at once. */
  downForMs?: number
  /** Sockets kept per destination. */
  maxSockets?: number
  /** Takes the notifications to the tutorials' host names that do not resolve (builtin-receiver.ts). */
  receiver?: BuiltinReceiver
  /** Routes the tutorials' host names that do not resolve to the built-in services; without it, none are. */
  tutorialHosts?: TutorialHosts
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void

const CONNECT_FAILURES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL'])
const DNS_FAILURES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'EAI_NONAME'])

function reasonOf(err: NodeJS.ErrnoException): string {
  const code = err.code ?? ''
  if (code === 'TIMEOUT') return 'Timeout was reached'
  if (DNS_FAILURES.has(code)) return 'Could not resolve host name'
  if (CONNECT_FAILURES.has(code)) return 'Could not connect to server'
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'Failure when receiving data from the peer'
  if (code.startsWith('ERR_TLS') || code.includes('CERT')) return 'SSL peer certificate or SSH remote key was not OK'
  return code || err.message
}

export class HttpSender {
  private readonly dnsFailures = new Map<string, { until: number; err: NodeJS.ErrnoException }>()
  private readonly down = new Map<string, { until: number; reason: string; dns: boolean }>()
  private readonly httpAgent: HttpAgent
  private readonly httpsAgent: HttpsAgent
  private readonly dnsTtl: number
  private readonly downFor: number
  private readonly receiver: BuiltinReceiver | undefined
  private readonly hosts: TutorialHosts | undefined

  constructor(opts: SenderOptions = {}) {
    this.dnsTtl = opts.dnsNegativeTtlMs ?? 10_000
    this.downFor = opts.downForMs ?? 1_000
    this.receiver = opts.receiver
    this.hosts = opts.tutorialHosts
    const agentOpts = { keepAlive: true, maxSockets: opts.maxSockets ?? 8, maxFreeSockets: 4 }
    this.httpAgent = new HttpAgent(agentOpts)
    this.httpsAgent = new HttpsAgent(agentOpts)
  }

  /** dns.lookup with a memory of failures (both the one-address and the all-addresses forms). */
  private readonly lookup = (hostname: string, options: LookupOneOptions | LookupAllOptions, callback: LookupCallback): void => {
    const failed = this.dnsFailures.get(hostname)
    if (failed && failed.until > Date.now()) {
      process.nextTick(() => callback(failed.err, ''))
      return
    }
    const done = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number): void => {
      if (err && DNS_FAILURES.has(err.code ?? '')) {
        if (this.dnsFailures.size > 1000) this.dnsFailures.clear()
        this.dnsFailures.set(hostname, { until: Date.now() + this.dnsTtl, err })
      }
      callback(err, address, family)
    }
    dnsLookup(hostname, options as LookupAllOptions, done as never)
  }

  send(n: OutgoingNotification): Promise<SendOutcome> {
    let url: URL
    try {
      url = new URL(n.url)
    } catch {
      return Promise.resolve({ ok: false, reason: 'URL using bad/illegal format or missing URL' })
    }
    // A tutorial host name other than the receiver's: the built-in service when the name does not resolve.
    if (this.hosts?.candidate(url.hostname) && !this.takesHost(url)) return this.sendRouted(url, n)
    return this.sendTo(url, n)
  }

  private async sendRouted(url: URL, n: OutgoingNotification): Promise<SendOutcome> {
    const route = await this.hosts!.route(url)
    if (!route.routed) return this.sendTo(url, n)
    const outcome = await this.sendTo(new URL(route.url), n)
    return { ...outcome, routed: route.routed }
  }

  private sendTo(url: URL, n: OutgoingNotification): Promise<SendOutcome> {
    const destination = url.host
    const down = this.down.get(destination)
    if (down && down.until > Date.now()) {
      if (down.dns && this.takesHost(url)) return Promise.resolve(this.toReceiver(url, n))
      return Promise.resolve({ ok: false, reason: down.reason })
    }
    const headers: Record<string, string> = {}
    for (const [k, v] of n.headers) headers[k] = v
    if (n.body !== null) headers['Content-Length'] = String(Buffer.byteLength(n.body))
    return this.attempt(url, n, headers, true)
  }

  /**
   * One request. A kept-alive connection the receiver closed meanwhile fails on reuse: that
   * request is sent once more on a fresh connection, as curl does — a transport detail, not a
   * retry of the notification.
   */
  private attempt(url: URL, n: OutgoingNotification, headers: Record<string, string>, mayRetry: boolean): Promise<SendOutcome> {
    const https = url.protocol === 'https:'
    const destination = url.host
    return new Promise((resolve) => {
      let settled = false
      const finish = (outcome: SendOutcome | Promise<SendOutcome>): void => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        resolve(outcome)
      }
      const req = (https ? httpsRequest : httpRequest)(url, {
        method: n.method,
        headers,
        agent: https ? this.httpsAgent : this.httpAgent,
        lookup: this.lookup
      })
      const timer = setTimeout(() => {
        // On a busy event loop timers may run before the I/O that already carries the answer:
        // give that I/O its turn (setImmediate runs after the poll phase) before giving up.
        setImmediate(() => {
          if (settled) return
          const err: NodeJS.ErrnoException = new Error('timeout')
          err.code = 'TIMEOUT'
          req.destroy(err)
        })
      }, n.timeoutMs)
      req.on('response', (res) => {
        // The answer's content does not matter; read it so the socket can be reused.
        res.resume()
        res.on('end', () => finish({ ok: true, status: res.statusCode ?? 0 }))
        res.on('error', () => finish({ ok: true, status: res.statusCode ?? 0 }))
      })
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (mayRetry && req.reusedSocket && (err.code === 'ECONNRESET' || err.code === 'EPIPE')) {
          finish(this.attempt(url, n, headers, false))
          return
        }
        const reason = reasonOf(err)
        const dns = DNS_FAILURES.has(err.code ?? '')
        if (CONNECT_FAILURES.has(err.code ?? '') || dns) {
          if (this.down.size > 1000) this.down.clear()
          this.down.set(destination, { until: Date.now() + this.downFor, reason, dns })
        }
        finish(dns && this.takesHost(url) ? this.toReceiver(url, n) : { ok: false, reason })
      })
      req.end(n.body ?? undefined)
    })
  }

  /** Whether the built-in receiver takes this URL's notifications when its host does not resolve (not when routing is off). */
  private takesHost(url: URL): boolean {
    return this.receiver !== undefined && isBuiltinReceiverHost(url.hostname) && (this.hosts?.enabled() ?? true)
  }

  private toReceiver(url: URL, n: OutgoingNotification): SendOutcome {
    const host = url.hostname.toLowerCase()
    const kept = this.receiver!.accept(n, n.origin ?? { subscriptionId: '', service: '', servicePath: '/' }, host)
    return { ok: true, status: 200, receiver: { host, via: kept.via } }
  }

  close(): void {
    this.httpAgent.destroy()
    this.httpsAgent.destroy()
  }
}
