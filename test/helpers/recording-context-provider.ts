import type { ContextProvider, ForwardedQuery, ForwardedUpdate, ProviderError } from '../../electron/engine/agent/context-provider'
import type { Scope } from '../../electron/engine/context/types'

/** A ContextProvider that records what the north API hands it and can be told to refuse. */
export class RecordingContextProvider implements ContextProvider {
  readonly updates: Array<{ scope: Scope; request: ForwardedUpdate }> = []
  readonly queries: Array<{ scope: Scope; request: ForwardedQuery }> = []
  /** Thrown by the next calls while set. */
  failure: ProviderError | undefined
  /** What `query` answers. */
  queryAnswer: Array<Record<string, unknown>> = []

  async update(scope: Scope, request: ForwardedUpdate): Promise<void> {
    this.updates.push({ scope, request })
    if (this.failure) throw this.failure
  }

  async query(scope: Scope, request: ForwardedQuery): Promise<Array<Record<string, unknown>>> {
    this.queries.push({ scope, request })
    if (this.failure) throw this.failure
    return this.queryAnswer
  }
}
