/**
 * Acknowledgements held while the ingress makes a message's effects durable. Both broker
 * implementations wrap the library's "send the PUBACK now" callback with `hold()`, and `stop()`
 * waits a short while for the ingress to finish before connections are closed, so that a message
 * whose effects became durable is acknowledged rather than redelivered.
 */
export class PendingAcks {
  private count = 0
  private waiters: Array<() => void> = []

  /** Acknowledgements not released yet. */
  get size(): number {
    return this.count
  }

  /**
   * Returns the `done` handed to the ingress: it runs `release` once (later calls are ignored,
   * so an ingress that calls done twice cannot acknowledge someone else's message).
   */
  hold(release: (err?: Error) => void): (err?: Error) => void {
    this.count++
    let called = false
    return (err?: Error) => {
      if (called) return
      called = true
      this.count--
      release(err)
      if (this.count === 0 && this.waiters.length > 0) {
        const waiters = this.waiters
        this.waiters = []
        for (const w of waiters) w()
      }
    }
  }

  /** Resolves true once nothing is held, or false after `timeoutMs`. */
  whenIdle(timeoutMs: number): Promise<boolean> {
    if (this.count === 0) return Promise.resolve(true)
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== onIdle)
        resolve(false)
      }, timeoutMs)
      const onIdle = (): void => {
        clearTimeout(timer)
        resolve(true)
      }
      this.waiters.push(onIdle)
    })
  }
}
