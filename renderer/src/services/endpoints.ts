/** Picks the engine's endpoints by role from `engine.status`. */
import type { EngineStatus, ServiceEndpoint } from '../../../shared/contract'

export type EndpointRole = 'north' | 'ngsi' | 'mqtt' | 'mqttWs' | 'gui'

export function endpointRole(e: ServiceEndpoint): EndpointRole | null {
  const name = e.name.toLowerCase()
  if (name.includes('north') || name.includes('iot agent')) return 'north'
  if (name.includes('ngsi') || name.includes('context')) return 'ngsi'
  if (name.includes('websocket') || e.protocol === 'ws') return 'mqttWs'
  if (name.includes('mqtt') || e.protocol === 'mqtt') return 'mqtt'
  if (name.includes('gui')) return 'gui'
  return null
}

export function endpointUrl(status: EngineStatus | null, role: EndpointRole, fallback: string): string {
  const e = status?.endpoints.find((x) => endpointRole(x) === role)
  return e?.urls[0] ?? fallback
}
