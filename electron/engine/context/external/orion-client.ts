import { NgsiError, type EntityUpdate, type NgsiAttribute, type RegistrationRequest, type Scope, type SubscriptionRequest } from '../types'
import type { ContextBrokerAuthConfig } from '../../config/types'
import { HttpTransport, TransportError, type HttpAnswer, type HttpCall } from './http-transport'
import { AuthError, OrionAuth, type TrustStore } from './orion-auth'

/**
 * The NGSI-v2 requests the engine sends an external Orion, one method each, as iotagent-ul sends
 * them (docs/compatibility/iot-agent-ul.md §4–§5): the agent's own (registrations, device-update attributes,
 * configuration lookups, measures) and the GUI's (entity reads, commands through Orion).
 * An answer Orion gives as an error becomes NgsiError with its status and name; no answer at
 * all is a TransportError, which provisioning reports as FIWARE does a failed request (500).
 */

/** What a request taught about the broker, for the client's health counters. */
export interface RequestOutcome {
  /** An HTTP answer without a 5xx. */
  reachable: boolean
  /** The error, when the request failed. */
  error?: string
  /** No token could be had (AuthError): nothing is known of Orion's reachability. */
  auth?: boolean
}

/**
 * The tenant headers of every request. As the agent does, `fiware-service` is left out for the
 * default tenant (Orion then uses its default database) and `fiware-servicepath` is always sent.
 */
export function tenantHeaders(scope: Scope): Record<string, string> {
  const h: Record<string, string> = { 'fiware-servicepath': scope.servicePath || '/' }
  if (scope.service) h['fiware-service'] = scope.service
  return h
}

const JSON_BODY = { 'Content-Type': 'application/json', Accept: 'application/json' }
const NO_BODY = { Accept: 'application/json' }

/** Orion's error answer as NgsiError (its `{error, description}` body when there is one). */
export function answerError(a: HttpAnswer, what: string): NgsiError {
  let error = a.status >= 500 ? 'InternalServerError' : a.status === 404 ? 'NotFound' : 'BadRequest'
  let description = a.body.trim() || `${what}: HTTP ${a.status}`
  try {
    const parsed = JSON.parse(a.body) as { error?: unknown; description?: unknown }
    if (typeof parsed.error === 'string') error = parsed.error
    if (typeof parsed.description === 'string') description = parsed.description
  } catch {
    // Not Orion's JSON (a proxy's page, for instance): the text is the description.
  }
  return new NgsiError(a.status, error, description)
}

const enc = encodeURIComponent

/** The request of `postUpdates` (also what a trace shows of it). */
export function updateCall(scope: Scope, texts: string[]): HttpCall {
  const headers = { ...JSON_BODY, ...tenantHeaders(scope) }
  if (texts.length === 1) return { method: 'POST', path: '/v2/entities?options=upsert', headers, body: texts[0]! }
  return { method: 'POST', path: '/v2/op/update', headers, body: '{"actionType":"append","entities":[' + texts.join(',') + ']}' }
}

/** `{"id":…,"type":…,<attr>:{…},…}`: the entity body of an update, built without an intermediate object. */
export function entityText(u: EntityUpdate): string {
  let s = '{"id":' + JSON.stringify(u.id) + ',"type":' + JSON.stringify(u.type)
  for (const name in u.attrs) s += ',' + JSON.stringify(name) + ':' + JSON.stringify(u.attrs[name])
  return s + '}'
}

/** Size of the `POST /v2/op/update` body holding these entities (`{"actionType":"append","entities":[…]}`). */
export const BATCH_ENVELOPE_BYTES = '{"actionType":"append","entities":[]}'.length

/** Options of the client: the timeout of one request, the authentication and the CA of an https Orion. */
export interface OrionClientOptions {
  timeoutMs: number
  auth?: ContextBrokerAuthConfig
  /** PEM certificate authorities for an https Orion (and token service). */
  ca?: string | Buffer
  /** Keeps a renewed OAuth2 refresh token between runs. */
  trustStore?: TrustStore
  onStoreError?: (err: Error) => void
}

export class OrionClient {
  readonly transport: HttpTransport
  /** The token Orion's PEP proxy asks for; undefined without authentication. */
  readonly auth: OrionAuth | undefined
  /** The version Orion gave in its last answer to `GET /version`. */
  lastVersion: string | undefined

  constructor(
    readonly url: string,
    opts: OrionClientOptions,
    private readonly observe: (o: RequestOutcome) => void = () => {}
  ) {
    this.transport = new HttpTransport(url, { timeoutMs: opts.timeoutMs, ca: opts.ca })
    this.auth = opts.auth ? new OrionAuth(opts.auth, { timeoutMs: opts.timeoutMs, ca: opts.ca, trustStore: opts.trustStore, onStoreError: opts.onStoreError }) : undefined
  }

  /** One request; the health counters hear of its outcome. Rejects with TransportError (AuthError included) only. */
  async call(call: HttpCall, timeoutMs?: number): Promise<HttpAnswer> {
    let a: HttpAnswer
    try {
      a = await this.authorized(call, timeoutMs)
    } catch (err) {
      if (err instanceof AuthError) this.observe({ reachable: true, auth: true, error: err.message })
      else if (!(err instanceof TransportError && err.code === 'CLOSED')) this.observe({ reachable: false, error: (err as Error).message })
      throw err
    }
    const what = `${call.method} ${call.path.split('?')[0]}: HTTP ${a.status}`
    if (a.status >= 500) this.observe({ reachable: false, error: `${what} ${a.body.slice(0, 200)}` })
    else if (a.status === 401 || a.status === 403) this.observe({ reachable: true, error: `${what}: the context broker refused ${this.auth ? 'the token' : 'the request without a token'} ${a.body.slice(0, 200)}`.trim() })
    else this.observe({ reachable: true })
    return a
  }

  /**
   * The request with the token in its header; a 401 renews the token and sends the request once
   * more (docs/compatibility/iot-agent-ul.md, "Authentication towards the context broker").
   */
  private async authorized(call: HttpCall, timeoutMs?: number): Promise<HttpAnswer> {
    const auth = this.auth
    if (!auth) return this.transport.send(call, timeoutMs)
    const token = await auth.value()
    const a = await this.transport.send({ ...call, headers: { ...call.headers, [auth.header]: token } }, timeoutMs)
    if (a.status !== 401 || !auth.renewable) return a
    auth.renew(token)
    const fresh = await auth.value()
    return this.transport.send({ ...call, headers: { ...call.headers, [auth.header]: fresh } }, timeoutMs)
  }

  /**
   * Measures and command statuses: one entity as `POST /v2/entities?options=upsert` (the agent's
   * request), several as `POST /v2/op/update` with `actionType: append`, in the given order.
   * Resolves with Orion's answer whatever its status: the queue decides what to do with it.
   */
  postUpdates(scope: Scope, texts: string[]): Promise<HttpAnswer> {
    return this.call(updateCall(scope, texts))
  }

  /** `POST /v2/registrations`: 201 and `Location: /v2/registrations/<id>` → id. */
  async createRegistration(scope: Scope, registration: RegistrationRequest): Promise<string> {
    const a = await this.call({ method: 'POST', path: '/v2/registrations', headers: { ...JSON_BODY, ...tenantHeaders(scope) }, body: JSON.stringify(registration) })
    if (a.status !== 201) throw answerError(a, 'registration')
    const location = String(a.headers.location ?? '')
    const id = location.split('/').filter(Boolean).pop()
    if (!location.includes('/v2/registrations/') || !id) throw new NgsiError(500, 'InternalServerError', `the context broker answered 201 without a registration Location (${location || 'none'})`)
    return id
  }

  /** `GET /v2/registrations/{id}`; undefined on 404. */
  async getRegistration(scope: Scope, id: string): Promise<RegistrationRequest | undefined> {
    const a = await this.call({ method: 'GET', path: `/v2/registrations/${enc(id)}`, headers: { ...NO_BODY, ...tenantHeaders(scope) } })
    if (a.status === 404) return undefined
    if (a.status !== 200) throw answerError(a, 'registration')
    return JSON.parse(a.body) as RegistrationRequest
  }

  /** `DELETE /v2/registrations/{id}`; a registration already gone is fine. */
  async deleteRegistration(scope: Scope, id: string): Promise<void> {
    const a = await this.call({ method: 'DELETE', path: `/v2/registrations/${enc(id)}`, headers: { ...NO_BODY, ...tenantHeaders(scope) } })
    if (a.status !== 204 && a.status !== 200 && a.status !== 404) throw answerError(a, 'registration removal')
  }

  /** `POST /v2/subscriptions`: 201 and `Location: /v2/subscriptions/<id>` → id. */
  async createSubscription(scope: Scope, subscription: SubscriptionRequest): Promise<string> {
    const a = await this.call({ method: 'POST', path: '/v2/subscriptions', headers: { ...JSON_BODY, ...tenantHeaders(scope) }, body: JSON.stringify(subscription) })
    if (a.status !== 201) throw answerError(a, 'subscription')
    const location = String(a.headers.location ?? '')
    const id = location.split('/').filter(Boolean).pop()
    if (!location.includes('/v2/subscriptions/') || !id) throw new NgsiError(500, 'InternalServerError', `the context broker answered 201 without a subscription Location (${location || 'none'})`)
    return id
  }

  /** `POST /v2/entities/{id}/attrs?type=` (device update, docs/compatibility/iot-agent-ul.md §4.8). */
  async appendAttributes(scope: Scope, update: EntityUpdate): Promise<void> {
    const path = `/v2/entities/${enc(update.id)}/attrs?type=${enc(update.type)}`
    const a = await this.call({ method: 'POST', path, headers: { ...JSON_BODY, ...tenantHeaders(scope) }, body: JSON.stringify(update.attrs) })
    if (a.status !== 204) throw answerError(a, 'attribute append')
  }

  /** `GET /v2/entities/{id}/attrs?attrs=a,b&type=` (configuration retrieval, docs/compatibility/iot-agent-ul.md §3.5). */
  async getAttributes(scope: Scope, id: string, type: string, names: string[]): Promise<Record<string, NgsiAttribute>> {
    const attrs = names.length ? `attrs=${names.map(enc).join(',')}&` : ''
    const a = await this.call({ method: 'GET', path: `/v2/entities/${enc(id)}/attrs?${attrs}type=${enc(type)}`, headers: { ...NO_BODY, ...tenantHeaders(scope) } })
    if (a.status !== 200) throw answerError(a, 'attributes')
    return JSON.parse(a.body) as Record<string, NgsiAttribute>
  }

  /** `GET /v2/entities?options=count` (normalized), for the GUI. */
  async listEntities(scope: Scope, q: { type?: string; limit?: number; offset?: number } = {}): Promise<{ count: number; entities: Array<Record<string, unknown>> }> {
    const params = ['options=count', `limit=${q.limit ?? 100}`]
    if (q.offset) params.push(`offset=${q.offset}`)
    if (q.type) params.push(`type=${enc(q.type)}`)
    const a = await this.call({ method: 'GET', path: `/v2/entities?${params.join('&')}`, headers: { ...NO_BODY, ...tenantHeaders(scope) } })
    if (a.status !== 200) throw answerError(a, 'entities')
    const entities = JSON.parse(a.body) as Array<Record<string, unknown>>
    const total = Number(a.headers['fiware-total-count'])
    return { count: Number.isFinite(total) ? total : entities.length, entities }
  }

  /** `GET /v2/entities/{id}[?type=]` (normalized), for the GUI. */
  async getEntity(scope: Scope, id: string, type?: string): Promise<Record<string, unknown>> {
    const a = await this.call({ method: 'GET', path: `/v2/entities/${enc(id)}${type ? `?type=${enc(type)}` : ''}`, headers: { ...NO_BODY, ...tenantHeaders(scope) } })
    if (a.status !== 200) throw answerError(a, 'entity')
    return JSON.parse(a.body) as Record<string, unknown>
  }

  /**
   * `PATCH /v2/entities/{id}/attrs[?type=]`: how a client sends a command through Orion, which
   * forwards it to the agent that registered it (docs/compatibility/iot-agent-ul.md §5 step 1).
   */
  async updateAttributes(scope: Scope, id: string, type: string | undefined, attrs: Record<string, { type?: string; value: unknown }>, correlator?: string): Promise<void> {
    const path = `/v2/entities/${enc(id)}/attrs${type ? `?type=${enc(type)}` : ''}`
    // Orion forwards the correlator to the context provider (`<correlator>; cbfwd=<n>`), which links the agent's hops to this request.
    const headers: Record<string, string> = { ...JSON_BODY, ...tenantHeaders(scope) }
    if (correlator) headers['Fiware-Correlator'] = correlator
    const a = await this.call({ method: 'PATCH', path, headers, body: JSON.stringify(attrs) })
    if (a.status !== 204) throw answerError(a, 'attribute update')
  }

  /** `GET /version`: Orion's version document. */
  async version(timeoutMs?: number): Promise<{ orion?: { version?: string } }> {
    const a = await this.call({ method: 'GET', path: '/version', headers: NO_BODY }, timeoutMs)
    if (a.status !== 200) throw answerError(a, 'version')
    const doc = JSON.parse(a.body) as { orion?: { version?: string } }
    if (typeof doc.orion?.version === 'string') this.lastVersion = doc.orion.version
    return doc
  }

  close(): void {
    this.transport.close()
    this.auth?.close()
  }
}
