/** How many QoS 1 deliveries of one connection may wait for their effects to be durable at once. */
export const ACK_WINDOW = 1000

interface Entry {
  messageId: number
  done: boolean
  /** What runs right before its PUBACK goes out (or would, if the connection is gone). */
  onRelease: () => void
}

/**
 * The QoS 1 deliveries of one connection that were handed to the ingress and are not acknowledged
 * yet, in the order they arrived. Many can wait at once, so one group commit of the ingress covers
 * many of them; their PUBACKs still go out in that order, as MQTT 3.1.1 and 5 §4.6 require of a
 * receiver ([MQTT-4.6.0-2]): a delivery whose effects are durable waits for the earlier ones.
 *
 * `sendAck` sends the PUBACK of a message id; it decides whether the connection can still carry
 * it. When `limit` deliveries wait, `whenRoom` holds the reading of the next packet until one is
 * acknowledged, which bounds the memory used by a broker that sends without flow control.
 */
export class AckWindow {
  private readonly entries: Entry[] = []
  private head = 0
  private resume: (() => void) | undefined

  constructor(
    private readonly sendAck: (messageId: number) => void,
    private readonly limit = ACK_WINDOW
  ) {}

  /** Deliveries waiting for their PUBACK. */
  get size(): number {
    return this.entries.length - this.head
  }

  /** Adds a delivery; the function returned marks it durable (later calls are ignored). */
  add(messageId: number, onRelease: () => void): () => void {
    const entry: Entry = { messageId, done: false, onRelease }
    this.entries.push(entry)
    return () => {
      if (entry.done) return
      entry.done = true
      this.flush()
    }
  }

  /** Runs `next` now if fewer than `limit` deliveries wait, else once one of them is acknowledged. */
  whenRoom(next: () => void): void {
    if (this.size < this.limit) next()
    else this.resume = next
  }

  private flush(): void {
    while (this.head < this.entries.length && this.entries[this.head]!.done) {
      const entry = this.entries[this.head++]!
      entry.onRelease()
      this.sendAck(entry.messageId)
    }
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries.splice(0, this.head)
      this.head = 0
    }
    if (this.resume && this.size < this.limit) {
      const resume = this.resume
      this.resume = undefined
      resume()
    }
  }
}
