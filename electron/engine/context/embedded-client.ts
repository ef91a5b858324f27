import type { EmbeddedContextBroker } from './embedded/broker'
import {
  NgsiError,
  type ContextBrokerClient,
  type ContextClientStats,
  type EntityUpdate,
  type NgsiAttribute,
  type RegistrationRequest,
  type Scope
} from './types'

/**
 * The IoT Agent's view of the embedded broker: the requests iotagent-ul would send over HTTP
 * (spec iot-agent-ul.md §4), made as direct calls into the domain layer. `upsert` is the measure
 * hot path: synchronous, no JSON, no await; durability is asked for with `whenDurable`.
 */
export class EmbeddedContextClient implements ContextBrokerClient {
  readonly kind = 'embedded' as const

  constructor(private readonly broker: EmbeddedContextBroker) {}

  /** One entity: `POST /v2/entities?options=upsert`; several: `POST /v2/op/update` append, in order. */
  upsert(scope: Scope, updates: EntityUpdate[]): void {
    if (updates.length > 0) this.broker.upsertSync(scope, updates)
  }

  whenDurable(cb: (err?: Error) => void): void {
    this.broker.whenDurable(cb)
  }

  /** `POST /v2/registrations`, through the same validation as the HTTP API. */
  createRegistration(scope: Scope, registration: RegistrationRequest): Promise<string> {
    return this.broker.createRegistration(scope, registration)
  }

  /** `DELETE /v2/registrations/{id}`; a registration that is already gone is fine. */
  async deleteRegistration(scope: Scope, id: string): Promise<void> {
    try {
      await this.broker.deleteRegistration(scope, id)
    } catch (err) {
      if (!(err instanceof NgsiError && err.status === 404)) throw err
    }
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
