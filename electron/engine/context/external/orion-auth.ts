import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import type { ContextBrokerAuthConfig } from '../../config/types'
import { writeFileAtomic } from '../../persist/atomic-file'
import { HttpTransport, TransportError, type HttpAnswer } from './http-transport'

/**
 * The token an external Orion behind a PEP proxy asks for, obtained as iotagent-node-lib obtains
 * it (docs/compatibility/iot-agent-ul.md, "Authentication towards the context broker"):
 *
 * - `token`: a fixed token, sent as it is;
 * - `keystone`: `POST <url>/v3/auth/tokens` with the user's password (domain `Default`), scoped to
 *   the trust when one is given; Keystone answers 201 with the token in `X-Subject-Token`;
 * - `oauth2`: `POST <url><tokenPath>` with `grant_type=refresh_token`, the client id and secret and
 *   the refresh token (`trust`); the answer's `access_token` is sent as `Bearer <token>`, and a
 *   new `refresh_token` in it replaces the old one. With `permanentToken` the trust is the token.
 *
 * The token goes in `X-Auth-Token` unless `header` names another. It is kept and used until Orion
 * answers 401, then renewed once (OrionClient retries the request with the new one).
 * Tokens and secrets never appear in an error message.
 */

export const DEFAULT_AUTH_HEADER = 'X-Auth-Token'

/** Why no token: the service refused the credentials, gave no token, or the settings lack a field. */
export type AuthFailure = 'auth-failed' | 'token-service' | 'auth-incomplete'

/** No token could be had; no request went to Orion. */
export class AuthError extends TransportError {
  override name = 'AuthError'
  constructor(
    message: string,
    readonly reason: AuthFailure,
    /** The token service's HTTP status, when it answered. */
    readonly status?: number,
    /** The network error's code, when the token service did not answer. */
    readonly netCode?: string
  ) {
    super(message, 'EAUTH')
  }
}

/** Fields each type needs (iotagent-node-lib refuses to start without them). */
const REQUIRED: Record<ContextBrokerAuthConfig['type'], Array<keyof ContextBrokerAuthConfig>> = {
  token: ['token'],
  keystone: ['url', 'user', 'password'],
  oauth2: ['url', 'tokenPath', 'clientId', 'clientSecret', 'trust']
}

/** The settings a type needs and lacks, as `contextBroker.auth.<field>` (empty when complete). */
export function missingAuthFields(cfg: ContextBrokerAuthConfig): string[] {
  const need = cfg.type === 'oauth2' && cfg.permanentToken ? (['trust'] as const) : REQUIRED[cfg.type]
  return need.filter((f) => !cfg[f]).map((f) => `contextBroker.auth.${f}`)
}

/**
 * Where the refresh token an OAuth2 server renewed is kept between runs (iotagent-node-lib writes
 * it back into the group): an OAuth2 server may accept each refresh token once only. It applies
 * while the configured trust is the one it was renewed from.
 */
export interface TrustStore {
  load(configured: string): Promise<string | undefined>
  save(configured: string, current: string): Promise<void>
}

const digest = (text: string): string => createHash('sha256').update(text).digest('hex')

/** A TrustStore in one small JSON file, readable by its owner only. */
export function fileTrustStore(file: string): TrustStore {
  return {
    async load(configured) {
      try {
        const data = JSON.parse(await readFile(file, 'utf8')) as { for?: unknown; trust?: unknown }
        return data.for === digest(configured) && typeof data.trust === 'string' && data.trust ? data.trust : undefined
      } catch {
        return undefined
      }
    },
    save: (configured, current) => writeFileAtomic(file, JSON.stringify({ for: digest(configured), trust: current }) + '\n')
  }
}

/** A header value Node sends as given: visible ASCII only (a token is never echoed in an error). */
const HEADER_SAFE = /^[\x20-\x7e]+$/

export class OrionAuth {
  readonly header: string
  private current: string | undefined
  private pending: Promise<string> | null = null
  private trust: string | undefined
  private readonly service: HttpTransport | undefined
  private trustLoaded = false
  private readonly store: TrustStore | undefined
  private readonly onStoreError: (err: Error) => void

  constructor(
    private readonly cfg: ContextBrokerAuthConfig,
    opts: { timeoutMs: number; ca?: string | Buffer; trustStore?: TrustStore; onStoreError?: (err: Error) => void }
  ) {
    this.store = opts.trustStore
    this.onStoreError = opts.onStoreError ?? (() => {})
    this.header = cfg.header || DEFAULT_AUTH_HEADER
    this.trust = cfg.trust
    if ((cfg.type === 'keystone' || (cfg.type === 'oauth2' && !cfg.permanentToken)) && cfg.url) {
      this.service = new HttpTransport(cfg.url, { timeoutMs: opts.timeoutMs, maxSockets: 2, maxResponseBytes: 1024 * 1024, ca: opts.ca })
    }
  }

  /** Whether a 401 from Orion can be answered with a new token. */
  get renewable(): boolean {
    return this.cfg.type === 'keystone' || (this.cfg.type === 'oauth2' && !this.cfg.permanentToken)
  }

  /** The header value to send: the token in hand, or a new one (one request to the service at a time). */
  value(): Promise<string> {
    if (this.current !== undefined) return Promise.resolve(this.current)
    this.pending ??= this.obtain().finally(() => (this.pending = null))
    return this.pending
  }

  /** Orion refused `used` (401): the next `value()` asks the service for a new token. */
  renew(used: string): void {
    if (this.renewable && this.current === used) this.current = undefined
  }

  close(): void {
    this.service?.close()
  }

  private async obtain(): Promise<string> {
    const missing = missingAuthFields(this.cfg)
    if (missing.length) throw new AuthError(`authentication towards the context broker is not complete: ${missing.join(', ')} not set`, 'auth-incomplete')
    let token: string
    if (this.cfg.type === 'token') token = this.cfg.token!
    else if (this.cfg.type === 'keystone') token = await this.keystone()
    else token = this.cfg.permanentToken ? 'Bearer ' + this.trust! : await this.oauth2()
    if (!HEADER_SAFE.test(token)) throw new AuthError('the token service gave a token that cannot be sent in an HTTP header', 'token-service')
    this.current = token
    return token
  }

  private async ask(what: string, path: string, headers: Record<string, string>, body: string): Promise<HttpAnswer> {
    try {
      return await this.service!.send({ method: 'POST', path, headers, body })
    } catch (err) {
      const e = err as TransportError
      throw new AuthError(`${what} at ${this.cfg.url} does not answer: ${e.message}`, 'token-service', undefined, e.code)
    }
  }

  private async keystone(): Promise<string> {
    const identity = { methods: ['password'], password: { user: { domain: { name: 'Default' }, name: this.cfg.user, password: this.cfg.password } } }
    const auth = this.trust ? { identity, scope: { 'OS-TRUST:trust': { id: this.trust } } } : { identity }
    const a = await this.ask('Keystone', '/v3/auth/tokens', { 'Content-Type': 'application/json', Accept: 'application/json' }, JSON.stringify({ auth }))
    if (a.status === 401) throw new AuthError(`Keystone refused the credentials of user "${this.cfg.user}" (HTTP 401)`, 'auth-failed', 401)
    if (a.status !== 201) throw new AuthError(`Keystone answered HTTP ${a.status} to the token request: ${a.body.trim().slice(0, 200)}`.trim(), 'token-service', a.status)
    const token = a.headers['x-subject-token']
    if (typeof token !== 'string' || !token) throw new AuthError('Keystone answered 201 without an X-Subject-Token header', 'token-service', a.status)
    return token
  }

  private async oauth2(): Promise<string> {
    if (!this.trustLoaded) {
      this.trustLoaded = true
      this.trust = (await this.store?.load(this.cfg.trust!)) ?? this.trust
    }
    const form = new URLSearchParams({ grant_type: 'refresh_token', client_id: this.cfg.clientId!, client_secret: this.cfg.clientSecret!, refresh_token: this.trust! })
    const path = this.cfg.tokenPath!.startsWith('/') ? this.cfg.tokenPath! : '/' + this.cfg.tokenPath!
    const a = await this.ask('the OAuth2 server', path, { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' }, form.toString())
    let body: { access_token?: unknown; refresh_token?: unknown; error?: unknown; error_description?: unknown } = {}
    try {
      const parsed: unknown = JSON.parse(a.body)
      if (parsed && typeof parsed === 'object') body = parsed
    } catch {
      // Not JSON: judged by the status alone.
    }
    // Refusals as iotagent-node-lib reads them (Keyrock answers 400 with an OAuth2 error name).
    const refused = a.status === 401 || (a.status === 400 && (body.error_description === 'Invalid refresh token' || body.error === 'invalid_client' || body.error === 'invalid_grant'))
    if (refused) throw new AuthError(`the OAuth2 server refused the client or the refresh token (HTTP ${a.status}${typeof body.error === 'string' ? ' ' + body.error : ''})`, 'auth-failed', a.status)
    if (a.status !== 200 && a.status !== 201) throw new AuthError(`the OAuth2 server answered HTTP ${a.status} to the token request`, 'token-service', a.status)
    if (typeof body.access_token !== 'string' || !body.access_token) throw new AuthError('the OAuth2 server answered without an access_token', 'token-service', a.status)
    if (typeof body.refresh_token === 'string' && body.refresh_token && body.refresh_token !== this.trust) {
      this.trust = body.refresh_token
      await this.store?.save(this.cfg.trust!, this.trust).catch((err: Error) => this.onStoreError(err))
    }
    return 'Bearer ' + body.access_token
  }
}
