import type { EntityIdSpec } from '../entities-vector'

/**
 * Subscriptions as the broker keeps them (docs/compatibility/ngsi-v2.md §4): what the client asked for (`SubscriptionSpec`,
 * replaced piecewise by PATCH), the counters Orion reports in GET, and where the subscription
 * lives (tenant, service path). Everything here is plain JSON: it is what subscriptions.db holds.
 */

export type AlterationType = 'entityCreate' | 'entityChange' | 'entityUpdate' | 'entityDelete'
export type AttrsFormat = 'normalized' | 'keyValues' | 'values' | 'simplifiedNormalized' | 'simplifiedKeyValues'
export type SubscriptionStatus = 'active' | 'inactive' | 'oneshot'

export interface SubscriptionExpression {
  q?: string
  mq?: string
  geometry?: string
  coords?: string
  georel?: string
}

export interface HttpTarget {
  url: string
  /** Milliseconds; 0 = the broker's default (Orion's -httpTimeout). */
  timeout: number
}

/** `httpCustom`: the fields Orion templatizes with `${...}` macros. */
export interface HttpCustomTarget extends HttpTarget {
  method?: string
  headers?: Record<string, string>
  qs?: Record<string, string>
  /** undefined: the NGSI payload; null: no payload at all; a string: text template. */
  payload?: string | null
  /** A JSON template (object or array). */
  json?: unknown
  /** An entity fragment patching the notified entity. */
  ngsi?: Record<string, unknown>
}

export interface NotificationSpec {
  http?: HttpTarget
  httpCustom?: HttpCustomTarget
  /** Attribute names to notify (or to leave out when `exceptAttrs`); [] = all. */
  attrs: string[]
  exceptAttrs: boolean
  attrsFormat: AttrsFormat
  metadata: string[]
  onlyChangedAttrs: boolean
  covered: boolean
  /** 0 = no limit. */
  maxFailsLimit: number
}

export interface SubscriptionSpec {
  description?: string
  entities: EntityIdSpec[]
  /** `condition.attrs`; [] = any attribute. */
  conditionAttrs: string[]
  expression: SubscriptionExpression
  /** [] = the default pair entityCreate + entityChange. */
  alterationTypes: AlterationType[]
  notifyOnMetadataChange: boolean
  notification: NotificationSpec
  /** Milliseconds since the epoch (second precision, as Orion); absent = permanent. */
  expires?: number
  status: SubscriptionStatus
  /** Seconds; 0 = none. */
  throttling: number
}

/** What GET reports about deliveries; times in milliseconds (rendered with second precision). */
export interface SubscriptionCounters {
  timesSent: number
  lastNotification?: number
  lastSuccess?: number
  lastSuccessCode?: number
  lastFailure?: number
  lastFailureReason?: string
  /** Consecutive failures (reset by a success). */
  failsCounter: number
}

/** The record of subscriptions.db. */
export interface PersistedSubscription {
  id: string
  tenant: string
  /** The path of the creating (or last patching) request; `/#` when it had none. */
  servicePath: string
  spec: SubscriptionSpec
  counters: SubscriptionCounters
}

export function newCounters(): SubscriptionCounters {
  return { timesSent: 0, failsCounter: 0 }
}

/** Whether the subscription is past its expiration date. */
export function isExpired(spec: SubscriptionSpec, now: number): boolean {
  return spec.expires !== undefined && spec.expires < now
}
