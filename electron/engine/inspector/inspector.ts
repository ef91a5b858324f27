import type { EnginePublisher, MessageOrigin, MqttMessage } from '../broker/types'
import type { QoS } from '../config/types'
import type { AgentOutcome } from '../agent/southbound'

/** One message as the topic inspector keeps it. */
export interface InspectedMessage {
  seq: number
  time: number
  topic: string
  /** The payload, or its first `storedBytes` bytes when it is larger than the per-message cap. */
  payload: Buffer
  /** Size of the whole payload; larger than payload.length when only the head is kept. */
  size: number
  qos: QoS
  retain: boolean
  origin: MessageOrigin
  clientId?: string
  /** Origin 'engine': the part of the engine that published it. */
  publisher?: EnginePublisher
  /** What the agent did with it; null when the topic is not an agent topic. */
  outcome: AgentOutcome | null
}

export interface TopicStats {
  topic: string
  count: number
  bytes: number
  lastTime: number
  /** Messages per second over the last second. */
  rate: number
  /** Errors the agent reported on this topic. */
  errors: number
}

export interface InspectorStats {
  messages: number
  bytes: number
  /** Messages currently kept in the ring. */
  buffered: number
  bufferedBytes: number
  topics: number
  /** Topics whose statistics were dropped because the topic table was full. */
  evictedTopics: number
  /** Messages per second over the last second. */
  rate: number
}

export interface InspectorLimits {
  inspectorMessages: number
  inspectorBytes: number
  inspectorTopics: number
}

interface TopicEntry extends TopicStats {
  window: number
}

/**
 * The topic tap: a ring of recent messages bounded by count and by bytes, and per-topic counters
 * bounded by the number of topics. Recording is O(1) and copies only the (capped) payload, so it can
 * sit on the path of every message.
 */
export class Inspector {
  private ring: Array<InspectedMessage | undefined>
  private head = 0
  private size = 0
  private bufferedBytes = 0
  private seq = 0
  private totalBytes = 0
  private topics = new Map<string, TopicEntry>()
  private evictedTopics = 0
  private window = 0
  private rate = 0
  private readonly perMessageCap: number
  private timer: NodeJS.Timeout

  constructor(private readonly limits: InspectorLimits) {
    this.ring = new Array<InspectedMessage | undefined>(limits.inspectorMessages)
    // One message may use at most a sixteenth of the byte budget; larger ones keep their head, flagged.
    this.perMessageCap = Math.max(1024, Math.floor(limits.inspectorBytes / 16))
    this.timer = setInterval(() => this.tick(), 1000)
    this.timer.unref?.()
  }

  close(): void {
    clearInterval(this.timer)
  }

  record(msg: MqttMessage, outcome: AgentOutcome | null, time = Date.now()): InspectedMessage {
    const size = msg.payload.length
    // A copy: the payload is usually a slice of the socket's read buffer, and keeping the slice
    // would keep the whole buffer (tens of kB per message) alive for as long as the ring holds it.
    const payload = Buffer.from(size > this.perMessageCap ? msg.payload.subarray(0, this.perMessageCap) : msg.payload)
    const m: InspectedMessage = {
      seq: ++this.seq,
      time,
      topic: msg.topic,
      payload,
      size,
      qos: msg.qos,
      retain: msg.retain,
      origin: msg.origin,
      clientId: msg.clientId,
      publisher: msg.publisher,
      outcome
    }
    this.push(m)
    this.totalBytes += size
    this.window++
    this.count(m)
    return m
  }

  private push(m: InspectedMessage): void {
    const cap = this.ring.length
    if (this.size === cap) this.evictOldest()
    while (this.size > 0 && this.bufferedBytes + m.payload.length > this.limits.inspectorBytes) this.evictOldest()
    this.ring[(this.head + this.size) % cap] = m
    this.size++
    this.bufferedBytes += m.payload.length
  }

  private evictOldest(): void {
    const old = this.ring[this.head]
    if (old) this.bufferedBytes -= old.payload.length
    this.ring[this.head] = undefined
    this.head = (this.head + 1) % this.ring.length
    this.size--
  }

  private count(m: InspectedMessage): void {
    let t = this.topics.get(m.topic)
    if (!t) {
      if (this.topics.size >= this.limits.inspectorTopics) {
        // Drop the least recently used topic (Map keeps insertion order; refreshed on use below).
        const oldest = this.topics.keys().next().value as string
        this.topics.delete(oldest)
        this.evictedTopics++
      }
      t = { topic: m.topic, count: 0, bytes: 0, lastTime: 0, rate: 0, errors: 0, window: 0 }
    } else this.topics.delete(m.topic)
    this.topics.set(m.topic, t)
    t.count++
    t.bytes += m.size
    t.lastTime = m.time
    t.window++
    if (m.outcome?.error) t.errors++
  }

  private tick(): void {
    this.rate = this.window
    this.window = 0
    for (const t of this.topics.values()) {
      t.rate = t.window
      t.window = 0
    }
  }

  /** Messages after `afterSeq` (oldest first), at most `limit`, optionally filtered. */
  messages(opts: { afterSeq?: number; limit?: number; filter?: (m: InspectedMessage) => boolean } = {}): InspectedMessage[] {
    const out: InspectedMessage[] = []
    const limit = opts.limit ?? this.size
    const after = opts.afterSeq ?? 0
    // Walk from the newest backwards so that `limit` keeps the most recent ones.
    for (let i = this.size - 1; i >= 0 && out.length < limit; i--) {
      const m = this.ring[(this.head + i) % this.ring.length]!
      if (m.seq <= after) break
      if (!opts.filter || opts.filter(m)) out.push(m)
    }
    return out.reverse()
  }

  /**
   * Forward paging: the `limit` oldest messages with a sequence number above `afterSeq`, oldest
   * first. Sequence numbers are contiguous (one per recorded message) and the ring holds the
   * newest `buffered` of them, so the start is found by arithmetic, not by a scan.
   */
  after(afterSeq: number, limit: number): InspectedMessage[] {
    const oldest = this.seq - this.size + 1
    const from = Math.max(0, afterSeq + 1 - oldest)
    const to = Math.min(this.size, from + Math.max(0, limit))
    const out: InspectedMessage[] = []
    for (let i = from; i < to; i++) out.push(this.ring[(this.head + i) % this.ring.length]!)
    return out
  }

  /** Sequence number of the newest message (0 before the first). */
  get lastSeq(): number {
    return this.seq
  }

  topicStats(): TopicStats[] {
    return [...this.topics.values()].map(({ window: _w, ...t }) => t)
  }

  stats(): InspectorStats {
    return {
      messages: this.seq,
      bytes: this.totalBytes,
      buffered: this.size,
      bufferedBytes: this.bufferedBytes,
      topics: this.topics.size,
      evictedTopics: this.evictedTopics,
      rate: this.rate
    }
  }
}
