import {
  NgsiError,
  type ContextBrokerClient,
  type ContextClientStats,
  type EntityUpdate,
  type NgsiAttribute,
  type RegistrationRequest,
  type Scope,
  type SubscriptionRequest
} from '../../electron/engine/context/types'

type Op = 'createRegistration' | 'deleteRegistration' | 'appendAttributes' | 'createSubscription'

export interface RecordedCall {
  op: Op | 'upsert'
  scope: Scope
  body?: unknown
  id?: string
}

/**
 * A ContextBrokerClient for tests of the provisioning side: it records every request, keeps the
 * registrations it was asked to create, and can be told to refuse an operation with a status
 * (500 → Orion's InternalServerError, anything else → BadRequest-like NgsiError).
 */
export class RecordingContextBroker implements ContextBrokerClient {
  readonly kind = 'embedded' as const
  readonly calls: RecordedCall[] = []
  readonly registrations = new Map<string, { scope: Scope; body: RegistrationRequest }>()
  private readonly failures = new Map<Op, number>()
  private nextId = 1

  /** Makes every later `op` fail with `status` until `heal(op)`. */
  fail(op: Op, status: number): void {
    this.failures.set(op, status)
  }

  heal(op: Op): void {
    this.failures.delete(op)
  }

  callsOf(op: RecordedCall['op']): RecordedCall[] {
    return this.calls.filter((c) => c.op === op)
  }

  upsert(scope: Scope, updates: EntityUpdate[]): void {
    this.calls.push({ op: 'upsert', scope, body: updates })
  }

  whenDurable(cb: (err?: Error) => void): void {
    cb()
  }

  async createRegistration(scope: Scope, registration: RegistrationRequest): Promise<string> {
    this.calls.push({ op: 'createRegistration', scope, body: structuredClone(registration) })
    this.maybeFail('createRegistration')
    const id = (this.nextId++).toString(16).padStart(24, '0')
    this.registrations.set(id, { scope, body: structuredClone(registration) })
    return id
  }

  async getRegistration(_scope: Scope, id: string): Promise<RegistrationRequest | undefined> {
    return this.registrations.get(id)?.body
  }

  async deleteRegistration(scope: Scope, id: string): Promise<void> {
    this.calls.push({ op: 'deleteRegistration', scope, id })
    this.maybeFail('deleteRegistration')
    this.registrations.delete(id)
  }

  async createSubscription(scope: Scope, subscription: SubscriptionRequest): Promise<string> {
    this.calls.push({ op: 'createSubscription', scope, body: structuredClone(subscription) })
    this.maybeFail('createSubscription')
    return (this.nextId++).toString(16).padStart(24, '0')
  }

  async appendAttributes(scope: Scope, update: EntityUpdate): Promise<void> {
    this.calls.push({ op: 'appendAttributes', scope, body: structuredClone(update) })
    this.maybeFail('appendAttributes')
  }

  async getAttributes(): Promise<Record<string, NgsiAttribute>> {
    return {}
  }

  stats(): ContextClientStats {
    return { updates: this.callsOf('upsert').length, failed: 0 }
  }

  async close(): Promise<void> {}

  private maybeFail(op: Op): void {
    const status = this.failures.get(op)
    if (status === undefined) return
    if (status === 404) throw new NgsiError(404, 'NotFound', 'The requested entity has not been found. Check type and id')
    if (status >= 500) throw new NgsiError(status, 'InternalServerError', 'the context broker failed')
    throw new NgsiError(status, 'BadRequest', 'the context broker refused the request')
  }
}
