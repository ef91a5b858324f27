/**
 * Recognises the engine's own publications when an external broker sends them back.
 *
 * With an external broker the engine is an ordinary client subscribed to the agent's topics, so a
 * message the engine publishes on one of them (a simulated device's measure) comes back from the
 * broker. It already went through the ingress with origin 'engine'; handing the copy to the
 * ingress again would make the agent ingest it twice. MQTT 3.1.1 has no "no local" option, so
 * each publication on a subscribed topic is remembered (topic and payload) until its copy comes
 * back, the connection closes, or `ttlMs` passes (a broker whose ACL forbids reading the topic
 * never sends it back).
 *
 * If a device publishes the same payload on the same topic while the engine's copy is on its
 * way, the first of the two to arrive is taken as the echo: the ingress still sees one message
 * per publication, only which one carries origin 'engine' may swap.
 */

interface Expected {
  topic: string
  payload: Buffer
  at: number
  live: boolean
}

export class EchoFilter {
  private byTopic = new Map<string, Expected[]>()
  /** Every record in arrival order, for expiry; `head` is the oldest not yet expired. */
  private queue: Expected[] = []
  private head = 0
  private live = 0

  constructor(
    private readonly ttlMs = 10_000,
    private readonly maxEntries = 10_000
  ) {}

  /** Remembers that a copy of this publication is expected back. */
  expect(topic: string, payload: Buffer, now = Date.now()): void {
    const e: Expected = { topic, payload, at: now, live: true }
    this.queue.push(e)
    const list = this.byTopic.get(topic)
    if (list) list.push(e)
    else this.byTopic.set(topic, [e])
    this.live++
    this.prune(now)
  }

  /** True (and forgets it) when this delivery is the copy of an engine publication. */
  consume(topic: string, payload: Buffer, now = Date.now()): boolean {
    if (this.live === 0) return false
    this.prune(now)
    const list = this.byTopic.get(topic)
    if (!list) return false
    for (let i = 0; i < list.length; i++) {
      const e = list[i]!
      if (e.payload.equals(payload)) {
        e.live = false
        this.live--
        list.splice(i, 1)
        if (list.length === 0) this.byTopic.delete(topic)
        return true
      }
    }
    return false
  }

  /** Forgets everything: after a disconnection no copy of an earlier publication can arrive. */
  clear(): void {
    this.byTopic.clear()
    this.queue = []
    this.head = 0
    this.live = 0
  }

  get size(): number {
    return this.live
  }

  private prune(now: number): void {
    while (this.head < this.queue.length) {
      const e = this.queue[this.head]!
      if (e.live && now - e.at <= this.ttlMs && this.live <= this.maxEntries) break
      this.head++
      if (!e.live) continue
      // The oldest live record is also the first live one of its topic's list.
      e.live = false
      this.live--
      const list = this.byTopic.get(e.topic)
      if (list) {
        list.shift()
        if (list.length === 0) this.byTopic.delete(e.topic)
      }
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head)
      this.head = 0
    }
  }
}
