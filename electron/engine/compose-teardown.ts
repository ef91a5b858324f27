/**
 * What an engine has opened, closed in the reverse order: the composition root puts each
 * component's close here as soon as it is open, so that a start failing half-way closes what it
 * opened (the registry, the context broker, the HTTP services, the MQTT broker), and a full stop
 * is the same walk. Every step is attempted; the errors are collected.
 */
export class Teardown {
  private readonly steps: Array<{ what: string; close: () => unknown }> = []
  private readonly tasks = new Set<Promise<unknown>>()
  private closing: Promise<Error[]> | null = null

  /** Adds a step, run before every step added earlier. */
  defer(what: string, close: () => unknown): void {
    if (this.closing) throw new Error(`cannot add "${what}": the engine is stopping`)
    this.steps.push({ what, close })
  }

  /**
   * Background work on a component (a registration resync on the context broker): the step of
   * that component waits for it with `settleTasks`, once the component is closed.
   */
  track(task: Promise<unknown>): void {
    const t = task.catch(() => undefined).finally(() => this.tasks.delete(t))
    this.tasks.add(t)
  }

  /** Resolves once every tracked task has ended. */
  async settleTasks(): Promise<void> {
    while (this.tasks.size) await Promise.all([...this.tasks])
  }

  /** Runs every step, newest first; resolves with the errors (each named by its step). Idempotent. */
  close(): Promise<Error[]> {
    this.closing ??= (async () => {
      const errors: Error[] = []
      for (const step of this.steps.reverse()) {
        try {
          await step.close()
        } catch (err) {
          const e = err instanceof Error ? err : new Error(String(err))
          errors.push(new Error(`${step.what}: ${e.message}`, { cause: e }))
        }
      }
      this.steps.length = 0
      return errors
    })()
    return this.closing
  }

  get closed(): boolean {
    return this.closing !== null
  }
}
