import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/**
 * The seed tutorial's own requests, read at run time from the Postman collection of the reference
 * material (folder "Tutorial 7 - Agent IoT Ultralight sobre MQTT"), and sent unchanged: same
 * method, headers and body; only `localhost:4042` / `localhost:1026` are mapped to the ports of
 * the engine under test.
 */

export const COLLECTION_PATH = fileURLToPath(new URL('../../../shared/fiware-tutorials/Tutoriais do Fiware.postman_collection.json', import.meta.url))
export const TUTORIAL_7 = 'Tutorial 7 - Agent IoT Ultralight sobre MQTT'

/** The seed tutorial's API key, service and entity. */
export const APIKEY = '4jggokgpepnvsb2uv4s40d59ov'
export const DEVICE_ID = 'device001'
export const ENTITY_ID = 'urn:ngsi-ld:Device:001'
export const ENTITY_TYPE = 'Device'
export const TENANT = { 'fiware-service': 'openiot', 'fiware-servicepath': '/' } as const
export const JSON_TENANT = { ...TENANT, 'content-type': 'application/json' } as const

export interface PostmanRequest {
  method: string
  header?: Array<{ key: string; value: string; disabled?: boolean }>
  url: { raw: string }
  body?: { mode?: string; raw?: string }
}

export interface PostmanStep {
  name: string
  request: PostmanRequest
}

interface PostmanItem {
  name: string
  item?: PostmanItem[]
  request?: PostmanRequest
}

/** The requests of the Tutorial 7 folder, in collection order. */
export function tutorial7Steps(): PostmanStep[] {
  const collection = JSON.parse(readFileSync(COLLECTION_PATH, 'utf8')) as { item: PostmanItem[] }
  const folder = collection.item.find((f) => f.name === TUTORIAL_7)
  if (!folder?.item) throw new Error(`folder "${TUTORIAL_7}" not found in ${COLLECTION_PATH}`)
  return folder.item.map((i) => ({ name: i.name, request: i.request! }))
}

/** Names of the steps, as in the collection. */
export const STEP = {
  about: 'Verificar saúde do Agente IoT',
  createService: 'Criar um serviço',
  provisionDevice: 'Provisionar um dispositivo',
  getEntity: 'Obter dispositivo',
  switchCommand: 'Enviar comando Switch pelo Orion Context Broker',
  intervalCommand: 'Enviar comando Intervalpelo Orion Context Broker'
} as const

export function tutorial7Step(name: string): PostmanStep {
  const step = tutorial7Steps().find((s) => s.name === name)
  if (!step) throw new Error(`request "${name}" not found in the folder "${TUTORIAL_7}"`)
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
export async function entityKeyValues(ngsiUrl: string, id = ENTITY_ID): Promise<Record<string, any> | undefined> {
  const r = await getEntity(ngsiUrl, id)
  return r.status === 200 ? (r.json as Record<string, any>) : undefined
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
