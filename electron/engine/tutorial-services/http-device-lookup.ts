import type { AttributeDef, Device, ServiceGroup } from '../registry/types'

/**
 * Which provisioned devices a built-in HTTP device stands for (docs/compatibility/tutorial-services.md §4.2).
 * The tutorials' dummy device knows its device id and API key by heart; the built-in one reads
 * them from the agents' registries: the devices of the request's tenant whose `endpoint` has the
 * request's path. Each agent plugs in its own registry through `agentDeviceLookup`, and compose
 * joins them with `joinLookups`, so this module knows no agent.
 */

export type HttpDeviceProtocol = 'ul' | 'json'

/** A provisioned device the built-in HTTP device posts measures for. */
export interface HttpDeviceTarget {
  /** The agent that owns the device, and so the payload it reads on the south port. */
  protocol: HttpDeviceProtocol
  service: string
  servicePath: string
  deviceId: string
  apikey: string
  /** The agent's measure path on the south port (`/iot/d`, `/iot/json`). */
  measurePath: string
  /** The measure keys (object_ids) of the two attributes the device measures. */
  temperatureKey: string
  humidityKey: string
}

/** The devices of a tenant whose endpoint has this path (`/dht22`), in registry order. */
export type HttpDeviceLookup = (service: string, servicePath: string, path: string) => HttpDeviceTarget[]

/** The part of an agent's registry the lookup reads (Registry has it). */
export interface AgentDeviceSource {
  devicesOf(service: string, subservice: string): readonly Device[]
  groupsOf(service: string, subservice: string): readonly ServiceGroup[]
}

export interface AgentLookupOptions {
  protocol: HttpDeviceProtocol
  /** The agent's measure path on the south port, read at each lookup (a setting may change it). */
  measurePath: () => string
  /** The key of a device provisioned without one and without a group (IOTA_DEFAULT_KEY). */
  defaultKey: () => string
}

/** The path of an endpoint URL, or undefined when it is not an http(s) URL. */
export function endpointPath(endpoint: string | undefined): string | undefined {
  if (!endpoint) return undefined
  try {
    const u = new URL(endpoint)
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.pathname : undefined
  } catch {
    return undefined
  }
}

const TEMPERATURE = /^(t|temp|temperature)$/i
const HUMIDITY = /^(h|rh|hum|humidity|relativehumidity)$/i

/** The measure key of the first attribute whose object_id or name matches. */
function keyOf(attributes: readonly AttributeDef[], pattern: RegExp): string | undefined {
  const a = attributes.find((x) => pattern.test(x.object_id ?? x.name) || pattern.test(x.name))
  return a ? (a.object_id ?? a.name) : undefined
}

/**
 * The lookup over one agent's registry. The API key is the device's, else that of a group of its
 * tenant (of its entity type first), as the agent itself picks it for commands; the measure keys
 * are the object_ids of its temperature and humidity attributes (`temperature`/`humidity` in
 * tutorial 6, `t`/`rh` in tutorial 8), else the tutorial 6 names.
 */
export function agentDeviceLookup(source: AgentDeviceSource, opts: AgentLookupOptions): HttpDeviceLookup {
  return (service, servicePath, path) => {
    const devices = source.devicesOf(service, servicePath)
    if (devices.length === 0) return []
    const groups = source.groupsOf(service, servicePath)
    const out: HttpDeviceTarget[] = []
    for (const d of devices) {
      const group =
        (d.apikey !== undefined ? groups.find((g) => g.apikey === d.apikey) : undefined) ??
        groups.find((g) => g.entity_type === d.entity_type) ??
        (d.apikey === undefined ? groups[0] : undefined)
      if (endpointPath(d.endpoint || group?.endpoint) !== path) continue
      const attributes = [...(d.attributes ?? []), ...(group?.attributes ?? [])]
      out.push({
        protocol: opts.protocol,
        service: d.service,
        servicePath: d.service_path,
        deviceId: d.device_id,
        apikey: d.apikey ?? group?.apikey ?? opts.defaultKey(),
        measurePath: opts.measurePath(),
        temperatureKey: keyOf(attributes, TEMPERATURE) ?? 'temperature',
        humidityKey: keyOf(attributes, HUMIDITY) ?? 'humidity'
      })
    }
    return out
  }
}

/** Several agents' lookups as one: the devices of each, in the order given. */
export function joinLookups(...lookups: ReadonlyArray<HttpDeviceLookup | undefined>): HttpDeviceLookup {
  const present = lookups.filter((l): l is HttpDeviceLookup => l !== undefined)
  return (service, servicePath, path) => present.flatMap((l) => l(service, servicePath, path))
}
