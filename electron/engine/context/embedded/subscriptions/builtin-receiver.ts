import type { ReceivedNotificationDto } from '../../../../../shared/notifications'
import { tutorialHostEntry } from '../../../net/tutorial-hosts'
import type { OutgoingNotification } from './notification-request'

/**
 * The built-in notification receiver (docs/compatibility/ngsi-v2.md, "Notifications to the
 * tutorials' host names"). The tutorials subscribe with URLs of their Docker Compose services
 * (`http://context-provider:5000/priceChange`), which do not resolve on a trainee's computer. A
 * notification to one of these host names that does not resolve is kept here, in memory, instead
 * of failing, and counts as answered 200, as the tutorial's service would have answered. A name
 * that resolves (a real service of that name on the network) gets its notifications as usual.
 *
 * Bounded: at most `maxItems` notifications and `maxBytes` of bodies together (the oldest go
 * first), each body cut at `maxBodyBytes`. Nothing is written to disk.
 */

/**
 * Whether the built-in receiver takes the notifications to this host name: the tutorial host names
 * that stand for the context provider (the one table: net/tutorial-hosts.ts).
 */
export function isBuiltinReceiverHost(hostname: string): boolean {
  return tutorialHostEntry(hostname)?.byName === 'contextProvider'
}

export interface ReceiverOptions {
  /** Notifications kept (default 500). */
  maxItems?: number
  /** Bytes of one body kept (default 64 KiB); the rest is cut (`truncated`). */
  maxBodyBytes?: number
  /** Bytes of all kept bodies together (default 4 MiB). */
  maxBytes?: number
}

/** Where a notification comes from: filled by the notifier from the job. */
export interface NotificationOrigin {
  subscriptionId: string
  service: string
  servicePath: string
  trace?: number
}

export type ReceiverListener = (n: ReceivedNotificationDto) => void

/** Cuts `text` to at most `max` UTF-8 bytes without splitting a character. */
export function cutUtf8(text: string, max: number): { text: string; bytes: number; truncated: boolean } {
  const bytes = Buffer.byteLength(text)
  if (bytes <= max) return { text, bytes, truncated: false }
  const buf = Buffer.from(text).subarray(0, max)
  // A cut inside a multi-byte character leaves U+FFFD at the end: drop it.
  return { text: buf.toString('utf8').replace(/\uFFFD$/, ''), bytes, truncated: true }
}

export class BuiltinReceiver {
  private items: ReceivedNotificationDto[] = []
  private keptBytes = 0
  private seq = 0
  private readonly listeners = new Set<ReceiverListener>()
  private readonly maxItems: number
  private readonly maxBodyBytes: number
  private readonly maxBytes: number

  constructor(opts: ReceiverOptions = {}) {
    this.maxItems = opts.maxItems ?? 500
    this.maxBodyBytes = opts.maxBodyBytes ?? 64 * 1024
    this.maxBytes = opts.maxBytes ?? 4 * 1024 * 1024
  }

  /** Keeps one notification and tells the listeners; returns what was kept. */
  accept(n: OutgoingNotification, origin: NotificationOrigin, host: string): ReceivedNotificationDto {
    const body = cutUtf8(n.body ?? '', this.maxBodyBytes)
    const received: ReceivedNotificationDto = {
      id: ++this.seq,
      at: Date.now(),
      service: origin.service,
      servicePath: origin.servicePath,
      subscriptionId: origin.subscriptionId,
      method: n.method,
      url: n.url,
      via: `${host} does not resolve on this computer`,
      host,
      headers: Object.fromEntries(n.headers),
      body: body.text,
      bytes: body.bytes,
      truncated: body.truncated,
      ...(origin.trace === undefined ? {} : { traceId: origin.trace })
    }
    this.items.push(received)
    this.keptBytes += this.keptOf(received)
    let drop = 0
    while (this.items.length - drop > this.maxItems || (this.keptBytes > this.maxBytes && this.items.length - drop > 1)) {
      this.keptBytes -= this.keptOf(this.items[drop]!)
      drop++
    }
    if (drop > 0) this.items = this.items.slice(drop)
    for (const l of [...this.listeners]) {
      try {
        l(received)
      } catch {
        // A listener's failure is its own; the notification is kept.
      }
    }
    return received
  }

  /** Bytes of the kept part of a body. */
  private keptOf(n: ReceivedNotificationDto): number {
    return n.truncated ? this.maxBodyBytes : n.bytes
  }

  /** Newest first, optionally of one tenant (`''` is the default tenant). */
  recent(filter: { service?: string; limit?: number } = {}): ReceivedNotificationDto[] {
    const limit = filter.limit ?? this.maxItems
    const service = filter.service?.toLowerCase()
    const out: ReceivedNotificationDto[] = []
    for (let i = this.items.length - 1; i >= 0 && out.length < limit; i--) {
      const n = this.items[i]!
      if (service === undefined || n.service === service) out.push(n)
    }
    return out
  }

  /** Notifications and body bytes kept now. */
  size(): { items: number; bytes: number } {
    return { items: this.items.length, bytes: this.keptBytes }
  }

  onReceive(listener: ReceiverListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  clear(): void {
    this.items = []
    this.keptBytes = 0
  }
}
