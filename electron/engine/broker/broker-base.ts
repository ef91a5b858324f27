import type { Logger, SourceLogger } from '../log/logger'
import { PendingAcks } from './pending-acks'
import { acceptAll, StatusListeners } from './support'
import type { BrokerStatus, IngressHandler } from './types'

/**
 * What both brokers keep the same way: the ingress, the held acknowledgements, the counters of the
 * status, its listeners, and a lifecycle where start() and stop() each run once (a stopped broker
 * is not started again: the engine makes a new one).
 */
export abstract class BrokerBase {
  protected readonly log: SourceLogger
  protected ingress: IngressHandler = acceptAll
  protected readonly pending = new PendingAcks()
  private readonly statusListeners = new StatusListeners()
  protected up = false
  protected messagesIn = 0
  protected messagesOut = 0
  protected lastError: string | undefined
  /** Bumped when the messages received so far must no longer touch the transport (see subclasses). */
  protected generation = 0
  protected starting: Promise<void> | undefined
  private stopping: Promise<void> | undefined

  constructor(
    logger: Logger,
    /** The error of a start() after stop(). */
    private readonly stoppedMessage: string
  ) {
    this.log = logger.child('broker')
  }

  setIngress(handler: IngressHandler): void {
    this.ingress = handler
  }

  start(): Promise<void> {
    if (this.stopping) return Promise.reject(new Error(this.stoppedMessage))
    this.starting ??= this.doStart()
    return this.starting
  }

  stop(): Promise<void> {
    this.stopping ??= this.doStop()
    return this.stopping
  }

  abstract status(): BrokerStatus

  onStatus(listener: (status: BrokerStatus) => void): () => void {
    return this.statusListeners.add(listener)
  }

  protected emitStatus(): void {
    this.statusListeners.emit(this.status())
  }

  protected abstract doStart(): Promise<void>
  protected abstract doStop(): Promise<void>
}
