/**
 * Traces: the hops one inbound message or request took through the engine, as typed events with
 * times. The engine records them (electron/engine/trace/) and the GUI shows them; both use these
 * types.
 *
 * A measure: received → parsed → resolved → decoded → mapped → context-update → notification.
 * A command: request (the PATCH on the context broker) → registration → forwarded →
 * provider-request (the agent's `POST /v2/op/update`) → published (`/cmd`) → pending → reply
 * (`cmdexe`) → result (OK, ERROR or EXPIRED). Over HTTP: pending → device-request (push to the
 * device's endpoint) or delivered (fetched by a polling device) → result.
 */

import type { TutorialRouteDto } from './tutorial-hosts'

/** `measure`: an MQTT message on an agent topic; `command`: a command, from the NGSI request to its result; `request`: another NGSI write. */
export type TraceKind = 'measure' | 'command' | 'request'

/** An HTTP exchange as a hop shows it: the body is an excerpt, and no header carries a secret. */
export interface HttpFrameDto {
  method: string
  url: string
  headers: Record<string, string>
  /** The body, at most TRACE_EXCERPT_BYTES of it. */
  body?: string
  /** Bytes of the whole body (more than `body` when it was cut). */
  bodyBytes?: number
  status?: number
}

export type HopDto = { /** Milliseconds since the trace began (fractional). */ at: number } & HopData

export type HopData =
  // ---- measures
  | { step: 'received'; topic: string; clientId?: string; qos: 0 | 1 | 2; bytes: number; /** Payload excerpt (UTF-8). */ payload: string; truncated: boolean }
  | { step: 'parsed'; apikey: string; deviceId: string; kind: string; attribute?: string }
  | { step: 'resolved'; outcome: 'provisioned' | 'autoprovisioned' | 'rejected'; entityId?: string; entityType?: string; reason?: string; message?: string }
  | { step: 'decoded'; pairs: Array<{ key: string; value: unknown }>; timestamp?: string; groups: number }
  | { step: 'mapped'; entityId: string; entityType: string; attributes: Array<{ name: string; type: string; value: unknown }> }
  | { step: 'context-update'; mode: 'embedded'; entityId: string; changed: string[]; written: string[] }
  | {
      step: 'context-update'
      mode: 'external'
      /** The request the update went out in (a batch may carry the updates of several messages). */
      request: HttpFrameDto
      /** Updates in that request. */
      batch: number
      status?: number
      error?: string
      latencyMs: number
      /** Attempts before this one (the update was sent again after a failure). */
      retries: number
    }
  | { step: 'queued'; entities: number }
  | {
      step: 'notification'
      subscriptionId: string
      url: string
      status?: number
      error?: string
      /** The built-in receiver got it: `host` (a tutorials' host name) does not resolve on this computer. */
      receiver?: 'built-in'
      host?: string
      /** Sent to a built-in service instead: the URL's tutorial host name does not resolve on this computer. */
      routed?: TutorialRouteDto
    }
  | { step: 'rejected'; code: string; message: string }
  // ---- commands
  /** `from: 'gui'`: this program's command button sent it (the same request a client of the broker would send). */
  | { step: 'request'; request: HttpFrameDto; entityId?: string; attributes?: string[]; from?: 'gui' }
  | { step: 'registration'; registrationId: string; provider: string; entityId: string; attributes: string[] }
  | {
      step: 'forwarded'
      request: HttpFrameDto
      status?: number
      error?: string
      latencyMs: number
      /** Sent to a built-in service instead: the provider's tutorial host name does not resolve on this computer. */
      routed?: TutorialRouteDto
    }
  | { step: 'provider-request'; request: HttpFrameDto }
  | { step: 'published'; topic: string; payload: string; qos: 0 | 1 | 2; deviceId: string; command: string }
  | { step: 'pending'; entityId: string; command: string }
  /** HTTP push (a device with an `endpoint`): the agent's POST to the device and its answer. `via`: the built-in service a tutorial host name was routed to. */
  | { step: 'device-request'; deviceId: string; command: string; request: HttpFrameDto; status?: number; answer?: string; error?: string; latencyMs: number; via?: string }
  /** HTTP polling: the device fetched the queued command (`getCmd=1`). */
  | { step: 'delivered'; deviceId: string; command: string; payload: string }
  | { step: 'reply'; topic: string; payload: string; command: string; result: unknown }
  | { step: 'result'; status: 'OK' | 'ERROR' | 'EXPIRED'; command: string; info?: unknown; rttMs?: number }
  | { step: 'response'; status?: number; error?: string }

export type HopStep = HopData['step']

export interface TraceDto {
  id: number
  kind: TraceKind
  /** Milliseconds since the epoch. */
  startedAt: number
  /** For filtering and listing: the device and entity once known. */
  deviceId?: string
  entityId?: string
  hops: HopDto[]
}

/** Payload and body excerpts in hops are cut to this many bytes. */
export const TRACE_EXCERPT_BYTES = 2048
