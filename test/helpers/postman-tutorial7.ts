import { ENTITY_ID, ENTITY_TYPE, JSON_TENANT, STEP, TENANT, TUTORIAL_7_STEPS, type PostmanRequest, type PostmanStep } from '../fixtures/tutorial7'

/**
 * The seed tutorial's requests (test/fixtures/tutorial7.ts), sent as Postman sends them: same
 * method, headers and body; only `localhost:4042` / `localhost:1026` are mapped to the ports of
 * the engine under test.
 */

export { APIKEY, DEVICE_ID, ENTITY_ID, ENTITY_TYPE, JSON_TENANT, STEP, TENANT, type PostmanRequest, type PostmanStep } from '../fixtures/tutorial7'

/** The requests of the tutorial, in order. */
export function tutorial7Steps(): PostmanStep[] {
  return [...TUTORIAL_7_STEPS]
}

export function tutorial7Step(name: string): PostmanStep {
  const step = TUTORIAL_7_STEPS.find((s) => s.name === name)
  if (!step) throw new Error(`request "${name}" is not a step of the tutorial`)
  return step
}

export interface EngineUrls {
  northUrl: string
  ngsiUrl: string
}

export interface Reply {
  status: number
  headers: Headers
  text: string
  /** Parsed JSON body, or undefined when empty or not JSON. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the answer's JSON is untyped by nature: the tests' assertions are what check its shape
  json: any
}

export async function reply(res: Response): Promise<Reply> {
  const text = await res.text()
  let json: unknown
  try {
    json = text ? JSON.parse(text) : undefined
  } catch {
    json = undefined
  }
  return { status: res.status, headers: res.headers, text, json }
}

/** The request's URL with the tutorial's ports replaced by the engine's. */
export function mapUrl(raw: string, urls: EngineUrls): string {
  const mapped = raw.replace(/^http:\/\/localhost:4042(?=\/|$)/, urls.northUrl).replace(/^http:\/\/localhost:1026(?=\/|$)/, urls.ngsiUrl)
  if (mapped === raw) throw new Error(`request URL ${raw} is neither for localhost:4042 nor for localhost:1026`)
  return mapped
}

/** Sends one Postman request as Postman would: its method, enabled headers and raw body. */
export async function replay(request: PostmanRequest, urls: EngineUrls): Promise<Reply> {
  const headers: Record<string, string> = {}
  for (const h of request.header ?? []) if (!h.disabled) headers[h.key] = h.value
  const body = request.body?.raw
  const init: RequestInit = { method: request.method, headers, signal: AbortSignal.timeout(10_000) }
  if (body !== undefined && request.method !== 'GET') init.body = body
  return reply(await fetch(mapUrl(request.url.raw, urls), init))
}

/** Replays a step by name. */
export function replayStep(name: string, urls: EngineUrls): Promise<Reply> {
  return replay(tutorial7Step(name).request, urls)
}

/**
 * The seed tutorial's provisioning, as the trainee does it: the collection's "create a service"
 * and "provision a device" requests. Throws unless both answer 201.
 */
export async function provisionSeed(urls: EngineUrls): Promise<void> {
  for (const name of [STEP.createService, STEP.provisionDevice]) {
    const r = await replayStep(name, urls)
    if (r.status !== 201) throw new Error(`${name}: ${r.status} ${r.text}`)
  }
}

/** `GET /v2/entities/{id}` in the seed's tenant; keyValues unless `normalized`. */
export async function getEntity(ngsiUrl: string, id = ENTITY_ID, opts: { normalized?: boolean; type?: string } = {}): Promise<Reply> {
  const q = new URLSearchParams()
  if (opts.type !== undefined) q.set('type', opts.type)
  if (!opts.normalized) q.set('options', 'keyValues')
  const qs = q.toString()
  return reply(await fetch(`${ngsiUrl}/v2/entities/${encodeURIComponent(id)}${qs ? `?${qs}` : ''}`, { headers: TENANT, signal: AbortSignal.timeout(10_000) }))
}

/** The entity's keyValues body, or undefined while it is not found. */
export async function entityKeyValues(ngsiUrl: string, id = ENTITY_ID): Promise<Record<string, unknown> | undefined> {
  const r = await getEntity(ngsiUrl, id)
  return r.status === 200 ? (r.json as Record<string, unknown>) : undefined
}

/** A command as clients send it: `PATCH /v2/entities/{id}/attrs?type=…` on the context broker. */
export async function sendCommand(ngsiUrl: string, attrs: Record<string, unknown>, opts: { id?: string; type?: string | null; timeoutMs?: number } = {}): Promise<Reply> {
  const id = opts.id ?? ENTITY_ID
  const type = opts.type === undefined ? ENTITY_TYPE : opts.type
  const res = await fetch(`${ngsiUrl}/v2/entities/${encodeURIComponent(id)}/attrs${type === null ? '' : `?type=${encodeURIComponent(type)}`}`, {
    method: 'PATCH',
    headers: JSON_TENANT,
    body: JSON.stringify(attrs),
    signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000)
  })
  return reply(res)
}

/** `GET` on the north API with the seed's tenant headers. */
export async function northGet(northUrl: string, path: string): Promise<Reply> {
  return reply(await fetch(`${northUrl}${path}`, { headers: TENANT, signal: AbortSignal.timeout(10_000) }))
}
