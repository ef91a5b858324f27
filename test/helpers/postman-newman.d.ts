/**
 * The part of newman's Node API (newman 6, which ships no type declarations) that the Postman
 * collection tests use: `newman.run(options, callback)` and its `request` event.
 */
declare module 'newman' {
  export interface NewmanHeader {
    key: string
    value: string
  }

  export interface NewmanResponse {
    /** HTTP status code. */
    code: number
    /** Reason phrase. */
    status: string
    headers: { all(): NewmanHeader[] }
    /** The body decoded as text. */
    text(): string
    responseTime: number
  }

  export interface NewmanRequest {
    method: string
    url: { toString(): string }
  }

  export interface NewmanRequestEventArgs {
    /** Undefined when the request failed at the transport level (then the event's error is set). */
    response?: NewmanResponse
    request: NewmanRequest
    item: { name: string }
  }

  export interface NewmanRunOptions {
    /** A path to a collection file or the collection as a JSON object. */
    collection: string | object
    /** Folder (or request) names/ids to run; all items when omitted. */
    folder?: string | string[]
    /** Reporters; none when an empty list is given. */
    reporters?: string | string[]
    /** Timeout of one request, in ms (0 = none). */
    timeoutRequest?: number
    /** Pause between requests, in ms. */
    delayRequest?: number
    /** Stop at the first failure. */
    bail?: boolean | string[]
  }

  export interface NewmanRunSummary {
    run: {
      failures: unknown[]
      error?: unknown
    }
  }

  export interface NewmanRun {
    on(event: 'request', listener: (err: Error | null | undefined, args: NewmanRequestEventArgs) => void): NewmanRun
    on(event: string, listener: (...args: never[]) => void): NewmanRun
  }

  const newman: {
    run(options: NewmanRunOptions, callback?: (err: Error | null, summary: NewmanRunSummary) => void): NewmanRun
  }

  export default newman
}
