import type { AttributeInput } from './attribute-input'
import type { EntitySelector } from './query/entity-filter'
import type { Selection } from './render'

/**
 * Inputs and options of the broker's operations (the GUI calls them directly; the HTTP layer
 * translates requests into them). Scopes are validated by the broker.
 */

/** Where a write happens, plus what a forwarded request must carry. */
export interface WriteContext {
  /** Tenant (`Fiware-Service`); '' = default tenant. Lower-cased by the broker. */
  service: string
  /** Exactly one service path; '' or '/' = root. */
  servicePath: string
  /** `Fiware-Correlator` of the client request (a new one is made when absent). */
  correlator?: string
  /** `X-Auth-Token` of the client request, passed through to context providers. */
  authToken?: string
}

/** What a query sees. */
export interface QueryContext {
  service: string
  /** Service paths; [] = all (`/#`). */
  servicePaths: string[]
  correlator?: string
  authToken?: string
}

/** An entity named by id, and by type when the client gave one. */
export interface EntityRef {
  id: string
  type?: string
}

export interface UpdateOptions {
  /** `options=overrideMetadata`: the request's metadata replace the stored set. */
  overrideMetadata?: boolean
  /** `options=forcedUpdate`: subscriptions see every written attribute as changed. */
  forcedUpdate?: boolean
}

export interface AppendOptions extends UpdateOptions {
  /** `options=append`: fail (422) for attributes that already exist. */
  strict?: boolean
}

export interface ReadOptions extends Selection {
  /** `options=skipForwarding`: local data only. */
  skipForwarding?: boolean
}

export interface EntityQuery extends ReadOptions {
  selector: EntitySelector
  /** 0–1000, default 20. */
  limit?: number
  offset?: number
  orderBy?: string
}

export interface EntityQueryResult<T> {
  entities: T[]
  /** Total number of matches (what `Fiware-Total-Count` reports). */
  count: number
}

export type Attributes = Record<string, AttributeInput>

