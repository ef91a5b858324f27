import { NO_TRACER, type Tracer } from '../trace/tracer'
import type { EmbeddedContextBroker } from './embedded/broker'
import type { EntityChange } from './embedded/entity-store'
import {
  NgsiError,
  type ContextBrokerClient,
  type ContextClientStats,
  type EntityUpdate,
  type NgsiAttribute,
  type RegistrationRequest,
  type Scope,
  type SubscriptionRequest
} from './types'

/** Orion refuses request bodies over 1 MiB (docs/compatibility/ngsi-v2.md §6.3), the agent's own requests included. */
export const MAX_REQUEST_BYTES = 1048576

/**
 * An upper bound of a value's size in JSON that costs next to nothing for the small values of
 * measures: a string counts 6 bytes per character (the longest escape), a scalar 32 bytes; a
 * structured value is measured.
 */
function jsonBound(value: unknown): number {
  if (typeof value === 'string') return value.length * 6 + 2
  if (value === null || typeof value !== 'object') return 32
  return Buffer.byteLength(JSON.stringify(value)) + 2
}

/** An upper bound of the size of the request iotagent-ul would send for these updates. */
function requestSizeBound(updates: EntityUpdate[]): number {
  let n = 64
  for (const u of updates) {
    n += 32 + jsonBound(u.id) + jsonBound(u.type)
    for (const name in u.attrs) {
      const a = u.attrs[name]!
      n += 64 + jsonBound(name) + jsonBound(a.type) + jsonBound(a.value)
      if (a.metadata) for (const m in a.metadata) n += 32 + jsonBound(m) + jsonBound(a.metadata[m]!.type) + jsonBound(a.metadata[m]!.value)
    }
  }
  return n
}

/** The exact size of that request: the entity for an upsert, `{"actionType":"append",…}` for a batch. */
function requestSize(updates: EntityUpdate[]): number {
  const entities = updates.map((u) => ({ id: u.id, type: u.type, ...u.attrs }))
  return Buffer.byteLength(JSON.stringify(entities.length === 1 ? entities[0] : { actionType: 'append', entities }))
}

/**
 * The IoT Agent's view of the embedded broker: the requests iotagent-ul would send over HTTP
 * (docs/compatibility/iot-agent-ul.md §4), made as direct calls into the domain layer. `upsert` is the measure
 * hot path: synchronous, no JSON, no await; durability is asked for with `whenDurable`.
 */
export class EmbeddedContextClient implements ContextBrokerClient {
  readonly kind = 'embedded' as const

  constructor(
    private readonly broker: EmbeddedContextBroker,
    private readonly tracer: Tracer = NO_TRACER
  ) {}

  /** One entity: `POST /v2/entities?options=upsert`; several: `POST /v2/op/update` append, in order. */
  upsert(scope: Scope, updates: EntityUpdate[], trace?: number): void {
    if (updates.length === 0) return
    // What Orion answers the agent's request when it is too large (measured only when it may be).
    if (requestSizeBound(updates) > MAX_REQUEST_BYTES) {
      const size = requestSize(updates)
      if (size > MAX_REQUEST_BYTES) throw new NgsiError(413, 'RequestEntityTooLarge', `payload size: ${size}, max size supported: ${MAX_REQUEST_BYTES}`)
    }
    if (trace === undefined) {
      this.broker.upsertSync(scope, updates)
      return
    }
    // A traced update: the store's change events of this synchronous call are its hops.
    const changes: EntityChange[] = []
    const off = this.broker.onChange((c) => changes.push(c))
    try {
      this.broker.upsertSync(scope, updates, trace)
    } finally {
      off()
    }
    for (const c of changes) this.tracer.hop(trace, { step: 'context-update', mode: 'embedded', entityId: c.id, changed: c.changed, written: c.attrs })
  }

  whenDurable(cb: (err?: Error) => void): void {
    this.broker.whenDurable(cb)
  }

  /** `POST /v2/registrations`, through the same validation as the HTTP API. */
  createRegistration(scope: Scope, registration: RegistrationRequest): Promise<string> {
    return this.broker.createRegistration(scope, registration)
  }

  async getRegistration(scope: Scope, id: string): Promise<RegistrationRequest | undefined> {
    try {
      return this.broker.getRegistration(scope, id)
    } catch (err) {
      if (err instanceof NgsiError && err.status === 404) return undefined
      throw err
    }
  }

  /** `DELETE /v2/registrations/{id}`; a registration that is already gone is fine. */
  async deleteRegistration(scope: Scope, id: string): Promise<void> {
    try {
      await this.broker.deleteRegistration(scope, id)
    } catch (err) {
      if (!(err instanceof NgsiError && err.status === 404)) throw err
    }
  }

  /** `POST /v2/subscriptions`, through the same validation as the HTTP API; its notifications are real HTTP requests. */
  createSubscription(scope: Scope, subscription: SubscriptionRequest): Promise<string> {
    return this.broker.createSubscription({ service: scope.service, servicePath: scope.servicePath || '/' }, subscription)
  }

  /** `POST /v2/entities/{id}/attrs?type=`. */
  async appendAttributes(scope: Scope, update: EntityUpdate): Promise<void> {
    await this.broker.appendAttributes(scope, { id: update.id, type: update.type }, update.attrs)
  }

  /** `GET /v2/entities/{id}/attrs?attrs=…&type=` (the service path is the device's). */
  getAttributes(scope: Scope, id: string, type: string, names: string[]): Promise<Record<string, NgsiAttribute>> {
    return this.broker.getAttributes({ service: scope.service, servicePaths: [scope.servicePath] }, { id, type }, names)
  }

  /** The broker counts the updates of its measure path (applied and rejected). */
  stats(): ContextClientStats {
    const { updates, failed } = this.broker.stats()
    return { updates, failed }
  }

  /** The broker belongs to the engine; closing the client only waits for pending writes. */
  close(): Promise<void> {
    return this.broker.durable()
  }
}
