import type { TutorialHosts, TutorialRoute } from '../../../net/tutorial-hosts'

/**
 * HTTP requests to context providers (httpRequestSend.cpp): `POST <provider path>/op/update` and
 * `…/op/query?limit=…&offset=…&options=count`. A provider URL without path gives `//op/update`,
 * exactly as Orion builds it, which is why the IoT Agent listens on `//op/update` too. A provider
 * URL with a tutorial host name that does not resolve (`http://context-provider:5000`) goes to the
 * built-in service it stands for (net/tutorial-hosts.ts, docs/compatibility/tutorial-services.md §2).
 */

/** The client request a forward belongs to. */
export interface ForwardOrigin {
  /** Tenant; '' (default tenant) sends no Fiware-Service header. */
  service: string
  /** Value of Fiware-ServicePath for the provider ('/' when the client sent none). */
  servicePath: string
  correlator: string
  authToken?: string
}

/** Sent to a built-in service instead of the provider URL's host. */
type Routed = { routed?: TutorialRoute['routed'] }

export type ProviderAnswer = ({ ok: true; status: number; body: string; totalCount?: number } | { ok: false; reason: string }) & Routed

export const ORION_VERSION = '4.1.0'

/** The URL Orion would call: provider URL path (`/` when empty) + operation. */
export function providerTarget(providerUrl: string, op: '/op/update' | '/op/query', query = ''): string {
  const u = new URL(providerUrl)
  return `${u.protocol}//${u.host}${u.pathname || '/'}${op}${query}`
}

/** The headers of a forward, without the client's token (`withToken` adds it: only for the request itself). */
export function forwardHeaders(origin: ForwardOrigin, forwardIndex: number, withToken = false): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    Accept: 'application/json',
    'Fiware-ServicePath': origin.servicePath,
    'Fiware-Correlator': `${origin.correlator}; cbfwd=${forwardIndex}`,
    'User-Agent': `orion/${ORION_VERSION} ultralight-control-center`
  }
  if (origin.service) headers['Fiware-Service'] = origin.service
  if (withToken && origin.authToken) headers['X-Auth-Token'] = origin.authToken
  return headers
}

export async function postToProvider(
  url: string,
  body: string,
  origin: ForwardOrigin,
  forwardIndex: number,
  timeoutMs: number,
  tutorialHosts?: TutorialHosts
): Promise<ProviderAnswer> {
  const route = tutorialHosts ? await tutorialHosts.route(url) : { url }
  const answer = await post(route.url, body, forwardHeaders(origin, forwardIndex, true), timeoutMs)
  return route.routed ? { ...answer, routed: route.routed } : answer
}

async function post(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<ProviderAnswer> {
  try {
    const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' })
    const text = await res.text()
    const count = res.headers.get('fiware-total-count')
    const totalCount = count !== null && /^\d+$/.test(count) ? Number(count) : undefined
    return totalCount === undefined ? { ok: true, status: res.status, body: text } : { ok: true, status: res.status, body: text, totalCount }
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } }
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return { ok: false, reason: 'Timeout was reached' }
    if (e.cause?.code === 'ECONNREFUSED') return { ok: false, reason: 'Could not connect to server' }
    if (e.cause?.code === 'ENOTFOUND' || e.cause?.code === 'EAI_AGAIN') return { ok: false, reason: 'Could not resolve host name' }
    return { ok: false, reason: e.cause?.code ?? e.cause?.message ?? e.message }
  }
}
