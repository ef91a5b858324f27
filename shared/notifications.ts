/**
 * The built-in notification receiver (docs/compatibility/ngsi-v2.md, "Notifications to the
 * tutorials' host names"): what the context broker's subscriptions delivered to it, as the GUI
 * shows it. Types only.
 */
export interface ReceivedNotificationDto {
  /** Increasing per engine run. */
  id: number
  at: number
  service: string
  servicePath: string
  subscriptionId: string
  method: string
  /** The URL as the subscription gives it (e.g. `http://context-provider:5000/priceChange`). */
  url: string
  /** Why it reached the built-in receiver, e.g. `context-provider does not resolve on this computer`. */
  via: string
  /** The URL's host name that did not resolve (the GUI says `via` in the trainee's language with it). */
  host?: string
  headers: Record<string, string>
  /** The body as text, cut at 64 KiB (`truncated`). */
  body: string
  bytes: number
  truncated: boolean
  /** The trace of the update that caused it, when traced. */
  traceId?: number
}
