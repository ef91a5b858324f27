import type { EndpointRole } from '../../shared/status'
import type { RunningEngine } from './engine-harness'
import { JSON_TENANT, reply, TENANT, type Reply } from './postman-tutorial7'

/**
 * The IoT Agent JSON of a started engine (docs/compatibility/iot-agent-json.md): its north API and
 * the shared HTTP south port, addressed as a client would.
 */

function url(run: RunningEngine, role: EndpointRole): string {
  const ep = run.engine.endpoints().find((e) => e.role === role)
  return `http://127.0.0.1:${ep!.addresses[0]!.port}`
}

export const jsonNorthUrl = (run: RunningEngine): string => url(run, 'iota-json-north')
export const southUrl = (run: RunningEngine): string => url(run, 'iota-south')

/** `POST` of a JSON body with the seed's tenant headers. */
export async function postJson(target: string, body: unknown, headers: Record<string, string> = JSON_TENANT): Promise<Reply> {
  return reply(await fetch(target, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) }))
}

/** The entity as `?options=keyValues` gives it, or undefined when there is none. */
export async function keyValues(run: RunningEngine, id: string): Promise<Record<string, unknown> | undefined> {
  const r = await fetch(`${run.ngsiUrl}/v2/entities/${encodeURIComponent(id)}?options=keyValues`, { headers: TENANT, signal: AbortSignal.timeout(10_000) })
  return r.status === 200 ? ((await r.json()) as Record<string, unknown>) : undefined
}
