import type { SourceLogger } from '../log/logger'
import type { BrokerStatus, IngressHandler, MqttMessage, SubscriptionHandler } from './types'

/** Used until setIngress() is called: accepts everything at once. */
export const acceptAll: IngressHandler = (_msg, done) => done()

/**
 * Hands a message to the ingress. A handler that throws must not take the broker down nor leave
 * the client waiting for its acknowledgement forever: the error is logged and counts as done(err).
 */
export function callIngress(ingress: IngressHandler, msg: MqttMessage, done: (err?: Error) => void, log: SourceLogger): void {
  try {
    ingress(msg, done)
  } catch (err) {
    log.error('INGRESS_ERROR', `the ingress handler failed on ${msg.topic}: ${(err as Error).message}`)
    done(err as Error)
  }
}

/** Calls an internal subscription handler; its failure is logged, never propagated to the broker. */
export function callSubscriber(handler: SubscriptionHandler, topic: string, payload: Buffer, log: SourceLogger): void {
  try {
    handler(topic, payload)
  } catch (err) {
    log.error('SUBSCRIBER_ERROR', `an internal subscriber failed on ${topic}: ${(err as Error).message}`)
  }
}

export function toBuffer(payload: string | Buffer): Buffer {
  return typeof payload === 'string' ? Buffer.from(payload) : payload
}

/** The status listeners of one broker. A listener that throws does not stop the others. */
export class StatusListeners {
  private listeners = new Set<(status: BrokerStatus) => void>()

  add(listener: (status: BrokerStatus) => void): () => void {
    this.listeners.add(listener)
    return () => {
      this.listeners.delete(listener)
    }
  }

  emit(status: BrokerStatus): void {
    for (const l of this.listeners) {
      try {
        l(status)
      } catch {
        // A GUI listener's bug must not break the broker's state machine.
      }
    }
  }
}

/** Resolves when `promise` settles or after `ms`, whichever comes first; true if it settled. */
export function settledWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms)
    promise.then(
      () => {
        clearTimeout(timer)
        resolve(true)
      },
      () => {
        clearTimeout(timer)
        resolve(true)
      }
    )
  })
}
