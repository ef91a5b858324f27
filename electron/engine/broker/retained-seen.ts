import type { QoS } from '../config/types'
import { RETAINED_MAX, RETAINED_PREVIEW_BYTES, type RetainedMessage, type RetainedSnapshot } from './types'

/**
 * The retained messages the engine's client of an external broker has seen: deliveries with the
 * retain flag (a broker sets it only when it sends a stored message to a new subscription, MQTT
 * 3.1.1 §3.3.1.3) and the engine's own retained publications. Bounded: at most `max` topics, the
 * oldest forgotten first, each with the first RETAINED_PREVIEW_BYTES of its payload. An empty
 * retained payload removes the topic, as it does on the broker.
 */
export class RetainedSeen {
  private readonly byTopic = new Map<string, RetainedMessage>()
  /** Whether a topic was ever forgotten to respect `max`. */
  private forgot = false

  constructor(private readonly max = RETAINED_MAX) {}

  record(topic: string, payload: Buffer, qos: QoS, now = Date.now()): void {
    this.byTopic.delete(topic)
    if (payload.length === 0) return
    // Copied: a subarray would keep the whole (possibly large) packet buffer alive.
    const kept = Buffer.from(payload.subarray(0, RETAINED_PREVIEW_BYTES))
    this.byTopic.set(topic, { topic, payload: kept, size: payload.length, qos, seenAt: now })
    if (this.byTopic.size > this.max) {
      this.byTopic.delete(this.byTopic.keys().next().value!)
      this.forgot = true
    }
  }

  snapshot(limit: number): RetainedSnapshot {
    const messages: RetainedMessage[] = []
    for (const m of this.byTopic.values()) {
      if (messages.length >= limit) break
      messages.push({ ...m })
    }
    return { source: 'seen', messages, more: this.forgot || this.byTopic.size > messages.length }
  }

  clear(): void {
    this.byTopic.clear()
    this.forgot = false
  }
}
