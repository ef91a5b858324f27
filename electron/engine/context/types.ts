/**
 * NGSI-v2 data as the engine handles it, and the interface the IoT Agent uses to talk to a
 * context broker (embedded or an external Orion). The requests mirror those iotagent-ul sends
 * (docs/compatibility/iot-agent-ul.md §4–§5).
 */

/** Tenant (`Fiware-Service`, '' = default tenant) and service path (`Fiware-ServicePath`). */
export interface Scope {
  service: string
  servicePath: string
}

export interface NgsiMetadata {
  type: string
  value: unknown
}

/** An attribute in NGSI-v2 normalized form. */
export interface NgsiAttribute {
  type: string
  value: unknown
  metadata?: Record<string, NgsiMetadata>
}

/** An entity update: id, type and normalized attributes (attribute order is kept). */
export interface EntityUpdate {
  id: string
  type: string
  attrs: Record<string, NgsiAttribute>
}

/** `POST /v2/registrations` body the agent sends for devices with commands or lazy attributes. */
export interface RegistrationRequest {
  description?: string
  dataProvided: {
    entities: Array<{ id?: string; idPattern?: string; type?: string; typePattern?: string }>
    attrs?: string[]
  }
  provider: {
    http: { url: string }
    supportedForwardingMode?: 'all' | 'query' | 'update' | 'none'
    legacyForwarding?: boolean
  }
  expires?: string
  status?: 'active' | 'inactive'
}

/**
 * `POST /v2/subscriptions` body the agent sends when a device asks for configuration updates
 * (`subscription|a|b`, docs/compatibility/iot-agent-ul.md §3.5). Field order is the agent's.
 */
export interface SubscriptionRequest {
  description?: string
  subject: {
    entities: Array<{ id: string; type: string }>
    condition: { attrs: string[] }
  }
  notification: {
    http: { url: string }
    attrs: string[]
    attrsFormat?: 'normalized' | 'keyValues' | 'values'
    onlyChangedAttrs?: boolean
  }
}

export interface ContextClientStats {
  /** Updates accepted (for the embedded broker: applied; for an external one: queued). */
  updates: number
  /** Updates rejected or failed (counted, logged). */
  failed: number

  // The fields below are reported by the client of an external Orion only (its on-disk queue).

  /** Updates put in the queue since the start (same as `updates`). */
  queued?: number
  /** Updates the external broker accepted (answered 2xx). */
  sent?: number
  /** Updates sent again after a transport error, a 5xx or a timeout (counted per attempt). */
  retried?: number
  /** Updates dropped, oldest first, because the queue was full. */
  dropped?: number
  /** Updates waiting in the queue (on disk), in flight included. */
  backlog?: number
  /** Bytes of those updates (their JSON). */
  backlogBytes?: number
  /** Updates of the requests in flight. */
  inFlight?: number
  /** The last error met talking to the broker, and when (ms since the epoch). */
  lastError?: string
  lastErrorAt?: number
  /** When the broker last accepted a batch of updates (ms since the epoch). */
  lastSuccessAt?: number
  /** Whether the broker answered the last request (without a 5xx); undefined before the first one. */
  reachable?: boolean
  /** When `reachable` took its current value (ms since the epoch). */
  reachableSince?: number
  /** External: when the broker last answered a request without a 5xx (ms since the epoch). */
  lastAnswerAt?: number
  /** External: the version Orion gave to the last probe (`GET /version`). */
  version?: string
}

/**
 * What the IoT Agent needs from a context broker. `upsert` is on the measure hot path: it never
 * returns a promise and never waits; durability is asked for separately with `whenDurable`.
 */
export interface ContextBrokerClient {
  readonly kind: 'embedded' | 'external'

  /**
   * One entity → `POST /v2/entities?options=upsert`; several → `POST /v2/op/update` with
   * `actionType: append`, in the given order. Throws synchronously only for an update the broker
   * rejects outright (embedded: invalid id/type/attribute, a request over 1 MiB); never throws for
   * transport problems. `trace` is the id of the message's trace (trace/tracer.ts), when one is
   * recorded: the client adds the context-update hop to it (embedded: the attributes that changed;
   * external: the request, its status and latency). It is kept in memory only, never persisted.
   */
  upsert(scope: Scope, updates: EntityUpdate[], trace?: number): void

  /** Calls back once every update submitted before the call is durable (group commit). */
  whenDurable(cb: (err?: Error) => void): void

  /** `POST /v2/registrations`; resolves with the registration id. */
  createRegistration(scope: Scope, registration: RegistrationRequest): Promise<string>

  /** `GET /v2/registrations/{id}`; undefined when it does not exist. */
  getRegistration(scope: Scope, id: string): Promise<RegistrationRequest | undefined>

  /** `DELETE /v2/registrations/{id}`; a missing registration is not an error. */
  deleteRegistration(scope: Scope, id: string): Promise<void>

  /** `POST /v2/subscriptions`; resolves with the subscription id. */
  createSubscription(scope: Scope, subscription: SubscriptionRequest): Promise<string>

  /** `POST /v2/entities/{id}/attrs?type=` (used on device update, docs/compatibility/iot-agent-ul.md §4.8). */
  appendAttributes(scope: Scope, update: EntityUpdate): Promise<void>

  /** `GET /v2/entities/{id}/attrs?attrs=a,b&type=` (configuration retrieval, docs/compatibility/iot-agent-ul.md §3.5). */
  getAttributes(scope: Scope, id: string, type: string, names: string[]): Promise<Record<string, NgsiAttribute>>

  stats(): ContextClientStats

  close(): Promise<void>
}

/** An error answered by a context broker, in Orion's terms. */
export class NgsiError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string
  ) {
    super(description)
    this.name = 'NgsiError'
  }
}
