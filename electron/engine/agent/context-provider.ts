import type { Scope } from '../context/types'

/**
 * The agent's side of NGSI-v2 context-provider forwarding (docs/compatibility/iot-agent-ul.md §1.4): the
 * context broker forwards updates of command attributes and queries of command/lazy attributes
 * to the URL the agent registered, and the north HTTP API hands them to this interface.
 */

/** Body of a forwarded `POST /v2/op/update` (normalized entities). */
export interface ForwardedUpdate {
  actionType?: string
  entities: Array<Record<string, unknown>>
}

/** Body of a forwarded `POST /v2/op/query`. */
export interface ForwardedQuery {
  entities?: Array<{ id?: string; idPattern?: string; type?: string; typePattern?: string }>
  attrs?: string[]
}

/**
 * An error answered to the context broker in NGSI form `{error, description}`; the real agent
 * answers this shape on its provider endpoints (e.g. 404 DEVICE_NOT_FOUND).
 */
export class ProviderError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string
  ) {
    super(description)
    this.name = 'ProviderError'
  }
}

export interface ContextProvider {
  /**
   * Resolves once the commands are accepted (answered 204); rejects with ProviderError. `trace` is
   * the command's trace (trace/tracer.ts) when one is recorded.
   */
  update(scope: Scope, request: ForwardedUpdate, trace?: number): Promise<void>
  /** Resolves with normalized entities holding the requested attributes. */
  query(scope: Scope, request: ForwardedQuery): Promise<Array<Record<string, unknown>>>
}
