import { join } from 'node:path'
import { mkdir } from 'node:fs/promises'
import type { PersistenceConfig } from '../../config/types'
import type { Logger, SourceLogger } from '../../log/logger'
import type { TutorialHosts } from '../../net/tutorial-hosts'
import { CoalescedWriter } from '../../persist/coalesced-writer'
import { JournalStore } from '../../persist/journal-store'
import { NO_TRACER, type Tracer } from '../../trace/tracer'
import type { EntityUpdate, NgsiAttribute, RegistrationRequest } from '../types'
import type {
  AppendOptions,
  Attributes,
  EntityQuery,
  EntityQueryResult,
  EntityRef,
  QueryContext,
  ReadOptions,
  UpdateOptions,
  WriteContext
} from './api-types'
import { normalizeAttribute, type AttributeInput } from './attribute-input'
import type { BatchInput, EntityInput } from './entity-json'
import { queryEntities, resolveEntity, type ReadDeps } from './entity-reads'
import { EntityStore, type ChangeListener } from './entity-store'
import { getEntityType, listEntityTypes, type EntityTypeInfo, type TypesOptions } from './entity-types'
import { processElement, type Element, type ElementOptions } from './entity-updates'
import { badRequest, notFound, DESC } from './errors'
import { checkEntityId, checkEntityType, checkPathAttributeName, checkPathEntityId } from './identifiers'
import type { NormalizedAttribute, PersistedEntity } from './model'
import { RegistrationsApi, type RegistrationPage, type RegistrationScope } from './registrations-api'
import type { RegistrationView } from './registrations'
import { attributeView, entityView, type AttributeView, type EntityView } from './render'
import { RequestTargets } from './request-targets'
import type { WriteScope } from './scope'
import { BuiltinReceiver } from './subscriptions/builtin-receiver'
import type { NotifierStats } from './subscriptions/notifier'
import { SubscriptionService, type NotificationOptions } from './subscriptions/subscription-service'
import type { SubscriptionPage, SubscriptionScope } from './subscriptions/subscriptions-api'
import type { SubscriptionView } from './subscriptions/subscription-view'
import type { ActionType } from './update-outcome'
import {
  attributeNames,
  normalizeAttributes,
  normalizeOwnedAttributes,
  runWrite,
  type PipelineDeps
} from './write-pipeline'

export interface BrokerOptions {
  dataDir: string
  persistence: PersistenceConfig
  logger: Logger
  /** Timeout of requests to context providers (Orion's -httpTimeout, 5 s). */
  forwardTimeoutMs?: number
  /** Delivery of notifications: queue bound, concurrency, default timeout (5 s). */
  notifications?: NotificationOptions
  /** Records the hops of traced requests: forwards to context providers, notifications of traced updates. */
  tracer?: Tracer
  /**
   * Routes the tutorials' host names that do not resolve (provider and notification URLs) to the
   * engine's built-in services (net/tutorial-hosts.ts); without it, none are routed.
   */
  tutorialHosts?: TutorialHosts
}

export interface BrokerStats {
  entities: number
  updates: number
  failed: number
  writer: ReturnType<CoalescedWriter<PersistedEntity>['stats']>
  subscriptions: number
  notifications: NotifierStats
}

/**
 * The embedded NGSI-v2 context broker (Orion 4.x compatible): every operation of the HTTP API,
 * without HTTP, so that the GUI and the IoT Agent can call it directly. Entities live in memory
 * and are persisted with coalesced writes; every operation that changed something resolves only
 * once the change is durable (group commit), so an acknowledged write survives a kill -9.
 */
export class EmbeddedContextBroker {
  private readonly log: SourceLogger
  private readonly writeDeps: PipelineDeps
  private readonly readDeps: ReadDeps
  private readonly counters = { updates: 0, failed: 0 }
  private readonly targets = new RequestTargets()

  private constructor(
    private readonly store: EntityStore,
    private readonly writer: CoalescedWriter<PersistedEntity>,
    private readonly entityDocs: JournalStore<PersistedEntity>,
    private readonly registrations: RegistrationsApi,
    private readonly subscriptions: SubscriptionService,
    logger: Logger,
    forwardTimeoutMs: number,
    tracer: Tracer,
    /** Notifications to the tutorials' host names that do not resolve (subscriptions/builtin-receiver.ts). */
    readonly receiver: BuiltinReceiver,
    tutorialHosts: TutorialHosts | undefined
  ) {
    this.log = logger.child('ngsi')
    this.readDeps = { store, registrations: registrations.store, forwardTimeoutMs, log: this.log, ...(tutorialHosts ? { tutorialHosts } : {}) }
    // Subscriptions see which request the changes belong to (correlator, token of notifications).
    this.writeDeps = { ...this.readDeps, durable: () => writer.durable(), requests: subscriptions.trigger, tracer }
    subscriptions.trigger.tracer = tracer
  }

  static async open(opts: BrokerOptions): Promise<EmbeddedContextBroker> {
    await mkdir(opts.dataDir, { recursive: true })
    const log = opts.logger.child('ngsi')
    const { flushIntervalMs, commitDelayMs, compactionIntervalMs } = opts.persistence
    const entityDocs = await JournalStore.open<PersistedEntity>(join(opts.dataDir, 'entities.db'))
    if (entityDocs.notice) log.warn('DATAFILE-REPAIRED', entityDocs.notice)
    const writer = new CoalescedWriter(entityDocs, {
      flushIntervalMs,
      commitDelayMs,
      onError: (err) => log.error('PERSIST-ENTITIES', `writing entities.db failed: ${err.message}`)
    })
    const store = new EntityStore(writer)
    store.load((await entityDocs.all()).map((r) => r.value))
    entityDocs.setSnapshotSource(() => store.persistedRecords())
    const registrations = await RegistrationsApi.open(join(opts.dataDir, 'registrations.db'), compactionIntervalMs)
    const receiver = opts.notifications?.receiver ?? new BuiltinReceiver()
    const hosts = opts.tutorialHosts ? { tutorialHosts: opts.tutorialHosts } : {}
    const notifications = { defaultTimeoutMs: opts.forwardTimeoutMs ?? 5000, receiver, ...hosts, ...opts.notifications }
    const subscriptions = await SubscriptionService.open(store, { dataDir: opts.dataDir, ...opts.persistence, log, notifications })
    log.info('NGSI-OPEN', `context broker data loaded: ${store.count()} entities, ${subscriptions.count()} subscriptions`, { dataDir: opts.dataDir })
    return new EmbeddedContextBroker(store, writer, entityDocs, registrations, subscriptions, opts.logger, opts.forwardTimeoutMs ?? 5000, opts.tracer ?? NO_TRACER, receiver, opts.tutorialHosts)
  }

  /** Writes what is pending and closes the data files; pending notifications are dropped. */
  async close(): Promise<void> {
    await this.subscriptions.close()
    await this.writer.close()
    await this.entityDocs.close()
    await this.registrations.close()
  }

  /** A synchronous event per entity change (creation, update, deletion). */
  onChange(listener: ChangeListener): () => void {
    return this.store.onChange(listener)
  }

  /** Calls back when a notification's delivery result changed its subscription's counters (tenant, the notified entity's service path). */
  onNotificationResult(listener: (service: string, servicePath: string) => void): () => void {
    const listeners = this.subscriptions.trigger.resultListeners
    const own = (service: string, servicePath: string): void => listener(service, servicePath)
    listeners.add(own)
    return () => listeners.delete(own)
  }

  /** Calls back once every change made before the call is on disk (group commit). */
  whenDurable(cb: (err?: Error) => void): void {
    this.writer.whenDurable(cb)
  }

  durable(): Promise<void> {
    return this.writer.durable()
  }

  stats(): BrokerStats {
    return {
      entities: this.store.count(),
      ...this.counters,
      writer: this.writer.stats(),
      subscriptions: this.subscriptions.count(),
      notifications: this.subscriptions.stats()
    }
  }

  /** Resolves once every notification queued so far has been delivered or has failed. */
  notificationsIdle(): Promise<void> {
    return this.subscriptions.idle()
  }

  // ---------------------------------------------------------------- entity writes

  /** `POST /v2/entities` (`upsert`: `?options=upsert`). Resolves with whether it was created. */
  async createEntity(ctx: WriteContext, input: EntityInput, opts: { upsert?: boolean; forcedUpdate?: boolean } = {}): Promise<{ created: boolean; id: string; type: string }> {
    const w = this.targets.write(ctx)
    const id = checkEntityId(input.id)
    const type = input.type === undefined ? 'Thing' : checkEntityType(input.type)
    const el: Element = { id, type, attrs: normalizeAttributes(input.attrs) }
    const [result] = await runWrite(this.writeDeps, w, [el], 'append', { mustNotExist: !opts.upsert, forcedUpdate: !!opts.forcedUpdate })
    return { created: result?.created ?? false, id, type }
  }

  /** `POST /v2/entities/{id}/attrs` (`strict`: `?options=append`). */
  async appendAttributes(ctx: WriteContext, ref: EntityRef, attrs: Attributes, opts: AppendOptions = {}): Promise<void> {
    await this.single(ctx, ref, normalizeAttributes(attrs), opts.strict ? 'appendStrict' : 'append', { ...opts, mustExist: true }, false)
  }

  /** `PATCH /v2/entities/{id}/attrs`: every attribute must exist (or be provided). */
  async updateAttributes(ctx: WriteContext, ref: EntityRef, attrs: Attributes, opts: UpdateOptions = {}): Promise<void> {
    await this.single(ctx, ref, normalizeAttributes(attrs), 'update', opts, false)
  }

  /** `PUT /v2/entities/{id}/attrs`: the attribute set is replaced. */
  async replaceAttributes(ctx: WriteContext, ref: EntityRef, attrs: Attributes, opts: UpdateOptions = {}): Promise<void> {
    await this.single(ctx, ref, normalizeAttributes(attrs), 'replace', opts, false)
  }

  /** `PUT /v2/entities/{id}/attrs/{name}`. */
  async updateAttribute(ctx: WriteContext, ref: EntityRef, name: string, attr: AttributeInput, opts: UpdateOptions = {}): Promise<void> {
    await this.single(ctx, ref, [normalizeAttribute(name, attr)], 'update', opts, true)
  }

  /** `PUT /v2/entities/{id}/attrs/{name}/value`: type and metadata are kept. */
  async updateAttributeValue(ctx: WriteContext, ref: EntityRef, name: string, value: unknown): Promise<void> {
    const attr = normalizeAttribute(name, { value })
    await this.single(ctx, ref, [{ ...attr, typeGiven: false }], 'update', { onlyValue: true }, true)
  }

  /** `DELETE /v2/entities/{id}/attrs/{name}`. */
  async deleteAttribute(ctx: WriteContext, ref: EntityRef, name: string): Promise<void> {
    await this.single(ctx, ref, attributeNames([name]), 'delete', {}, true)
  }

  /** `DELETE /v2/entities/{id}`. */
  async deleteEntity(ctx: WriteContext, ref: EntityRef): Promise<void> {
    await this.single(ctx, ref, [], 'delete', {}, true)
  }

  /** `POST /v2/op/update`. */
  async batchUpdate(ctx: WriteContext, batch: BatchInput, opts: UpdateOptions = {}): Promise<void> {
    const w = this.targets.write(ctx)
    if (batch.entities.length === 0) throw badRequest('empty entities vector')
    const elements = batch.entities.map((e) => ({
      id: checkEntityId(e.id),
      ...(e.type === undefined ? {} : { type: checkEntityType(e.type) }),
      attrs: batch.actionType === 'delete' ? attributeNames(e.attrs) : normalizeAttributes(e.attrs)
    }))
    await runWrite(this.writeDeps, w, elements, batch.actionType, opts)
  }

  /**
   * The IoT Agent's measure path, without await: one update is `POST /v2/entities?options=upsert`,
   * several are `POST /v2/op/update` with `append`, in order. Everything is validated before
   * anything changes; invalid input throws NgsiError synchronously.
   */
  upsertSync(scope: WriteScope, updates: EntityUpdate[], trace?: number): void {
    try {
      const s = this.targets.scope(scope)
      const elements: Element[] = updates.map((u) => ({ id: checkEntityId(u.id), type: checkEntityType(u.type), attrs: normalizeOwnedAttributes(u.attrs) }))
      const now = Date.now()
      const trigger = this.subscriptions.trigger
      if (trigger.active) trigger.begin(trace === undefined ? { notified: 0 } : { notified: 0, trace })
      try {
        for (const el of elements) processElement(this.writeDeps, s.service, s.servicePath, el, 'append', {}, now)
      } finally {
        if (trigger.active) trigger.end()
      }
      this.counters.updates += updates.length
    } catch (err) {
      this.counters.failed += updates.length
      throw err
    }
  }

  // ---------------------------------------------------------------- entity reads

  /** `GET /v2/entities/{id}` (and `/attrs`): local data completed by context providers. */
  async getEntity(ctx: QueryContext, ref: EntityRef, opts: ReadOptions = {}): Promise<EntityView> {
    const { tenant, paths, origin } = this.targets.query(ctx)
    checkPathEntityId(ref.id)
    const resolved = await resolveEntity(this.readDeps, tenant, paths, ref, !!opts.skipForwarding, origin)
    return entityView(resolved, opts)
  }

  /** `GET /v2/entities/{id}/attrs/{name}` (and `/value`). */
  async getAttribute(ctx: QueryContext, ref: EntityRef, name: string, opts: ReadOptions = {}): Promise<AttributeView> {
    const { tenant, paths, origin } = this.targets.query(ctx)
    checkPathEntityId(ref.id)
    checkPathAttributeName(name)
    const resolved = await resolveEntity(this.readDeps, tenant, paths, ref, !!opts.skipForwarding, origin)
    const a = resolved.attrs.get(name)
    if (!a) throw notFound(DESC.attributeNotFound)
    return attributeView(name, a, opts.metadata)
  }

  /** `GET /v2/entities`. */
  async queryEntities(ctx: QueryContext, query: EntityQuery): Promise<EntityQueryResult<EntityView>> {
    const { tenant, paths, origin } = this.targets.query(ctx)
    return queryEntities(this.readDeps, tenant, paths, query, origin)
  }

  /** Attributes of one entity as NgsiAttribute records (the IoT Agent's configuration lookups). */
  async getAttributes(ctx: QueryContext, ref: EntityRef, names: string[]): Promise<Record<string, NgsiAttribute>> {
    const view = await this.getEntity(ctx, ref, { attrs: names })
    const out: Record<string, NgsiAttribute> = {}
    for (const a of view.attrs) {
      const attr: NgsiAttribute = { type: a.type, value: a.value }
      if (a.metadata.length > 0) attr.metadata = Object.fromEntries(a.metadata.map((m) => [m.name, { type: m.type, value: m.value }]))
      out[a.name] = attr
    }
    return out
  }

  // ---------------------------------------------------------------- registrations

  /**
   * `POST /v2/registrations`: resolves with the new 24-hex id once it is on disk. The request is
   * validated as an HTTP payload would be (it may come from JSON of any shape).
   */
  createRegistration(scope: RegistrationScope, registration: RegistrationRequest): Promise<string> {
    return this.registrations.create(scope, registration)
  }

  /** `GET /v2/registrations`. */
  listRegistrations(scope: RegistrationScope, page?: RegistrationPage): { registrations: RegistrationView[]; count: number } {
    return this.registrations.list(scope, page)
  }

  /** `GET /v2/registrations/{id}`. */
  getRegistration(scope: RegistrationScope, id: string): RegistrationView {
    return this.registrations.get(scope, id)
  }

  /** `DELETE /v2/registrations/{id}`. */
  deleteRegistration(scope: RegistrationScope, id: string): Promise<void> {
    return this.registrations.delete(scope, id)
  }

  // ---------------------------------------------------------------- subscriptions (docs/compatibility/ngsi-v2.md §4)

  /** `POST /v2/subscriptions`: validates the body (any JSON) and resolves with the 24-hex id once it is on disk. */
  createSubscription(scope: SubscriptionScope, body: unknown): Promise<string> {
    return this.subscriptions.api.create(scope, body)
  }

  /** `GET /v2/subscriptions`, filtered by exact service path. */
  listSubscriptions(scope: SubscriptionScope, page?: SubscriptionPage): { subscriptions: SubscriptionView[]; count: number } {
    return this.subscriptions.api.list(scope, page)
  }

  /** `GET /v2/subscriptions/{id}`. */
  getSubscription(scope: SubscriptionScope, id: string): SubscriptionView {
    return this.subscriptions.api.get(scope, id)
  }

  /** `PATCH /v2/subscriptions/{id}`. */
  updateSubscription(scope: SubscriptionScope, id: string, body: unknown): Promise<void> {
    return this.subscriptions.api.update(scope, id, body)
  }

  /** The tenant's subscriptions that notify changes in `servicePath`, those made for `/#` included (lessons). */
  subscriptionsCovering(service: string, servicePath: string): SubscriptionView[] {
    return this.subscriptions.api.covering(service, servicePath)
  }

  /** `DELETE /v2/subscriptions/{id}`. */
  deleteSubscription(scope: SubscriptionScope, id: string): Promise<void> {
    return this.subscriptions.api.delete(scope, id)
  }

  // ---------------------------------------------------------------- entity types (docs/compatibility/ngsi-v2.md §2.4)

  /** `GET /v2/types`. */
  listEntityTypes(ctx: QueryContext, opts?: TypesOptions): { types: EntityTypeInfo[]; count: number } {
    const { tenant, paths } = this.targets.query(ctx)
    return listEntityTypes(this.store, tenant, paths, opts)
  }

  /** `GET /v2/types/{type}`: 404 `Entity type not found` when no entity has it. */
  getEntityType(ctx: QueryContext, type: string, opts?: TypesOptions): EntityTypeInfo {
    const { tenant, paths } = this.targets.query(ctx)
    return getEntityType(this.store, tenant, paths, type, opts)
  }

  // ---------------------------------------------------------------- internals

  private async single(
    ctx: WriteContext,
    ref: EntityRef,
    attrs: NormalizedAttribute[],
    action: ActionType,
    opts: ElementOptions,
    attributeUrl: boolean
  ): Promise<void> {
    const w = this.targets.write(ctx)
    checkPathEntityId(ref.id)
    for (const a of attrs) checkPathAttributeName(a.name)
    const el: Element = ref.type === undefined ? { id: ref.id, attrs } : { id: ref.id, type: checkEntityType(ref.type), attrs }
    await runWrite(this.writeDeps, w, [el], action, opts, attributeUrl)
  }
}
