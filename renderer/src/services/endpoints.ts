/** Picks the engine's endpoints by role from `engine.status`. */
import type { EndpointRole, EngineStatus } from '../../../shared/contract'

/** The context broker a client talks to: the embedded NGSI-v2 API, or the external Orion. */
export const CONTEXT_BROKER: readonly EndpointRole[] = ['ngsi', 'ngsi-external']
/** The MQTT broker devices connect to: the embedded one (TCP), or the external one. */
export const MQTT_BROKER: readonly EndpointRole[] = ['mqtt', 'mqtt-external']

/** The first URL of the first endpoint with one of `roles` (in the engine's order), else `fallback`. */
export function endpointUrl(status: EngineStatus | null, roles: EndpointRole | readonly EndpointRole[], fallback: string): string {
  const wanted: readonly EndpointRole[] = typeof roles === 'string' ? [roles] : roles
  const e = status?.endpoints.find((x) => wanted.includes(x.role))
  return e?.urls[0] ?? fallback
}
