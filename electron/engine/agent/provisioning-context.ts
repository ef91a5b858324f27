import { NgsiError, type ContextBrokerClient, type NgsiAttribute, type RegistrationRequest, type Scope } from '../context/types'
import type { SourceLogger } from '../log/logger'
import { iotaErrors } from '../registry/errors'
import type { Device } from '../registry/types'
import type { IotaError } from '../registry/types'

/**
 * What provisioning asks of the context broker (docs/compatibility/iot-agent-ul.md §4.2 and §4.8): the
 * registration that makes the broker forward command updates (and lazy queries) to the agent, and
 * the attributes appended to the entity when a device update adds some.
 */

export function deviceScope(device: Device): Scope {
  return { service: device.service, servicePath: device.service_path }
}

/** Attribute names the agent provides for a device: lazy first, then commands, without repeats. */
export function providedAttributes(device: Pick<Device, 'lazy' | 'commands'>): string[] {
  return [...new Set([...device.lazy.map((a) => a.name), ...device.commands.map((c) => c.name)])]
}

/** The exact body FIWARE sends (no `legacyForwarding`, no `expires`); undefined when nothing is provided. */
export function registrationFor(device: Device, providerUrl: string): RegistrationRequest | undefined {
  const attrs = providedAttributes(device)
  if (attrs.length === 0) return undefined
  return {
    dataProvided: { entities: [{ type: device.entity_type, id: device.entity_name }], attrs },
    provider: { http: { url: providerUrl } }
  }
}

/**
 * Registers the device's commands and lazy attributes; resolves with the registration id, or
 * undefined when the device provides nothing. A 500 from the broker (or no answer) is
 * REGISTRATION_ERROR 500; any other refusal BAD_REQUEST 400, as in FIWARE.
 */
export async function register(cb: ContextBrokerClient, device: Device, providerUrl: string): Promise<string | undefined> {
  const body = registrationFor(device, providerUrl)
  if (!body) return undefined
  try {
    return await cb.createRegistration(deviceScope(device), body)
  } catch (err) {
    throw brokerError(err, () => iotaErrors.registration(device.device_id, device.entity_type))
  }
}

export async function unregister(cb: ContextBrokerClient, device: Device): Promise<void> {
  if (!device.registrationId) return
  try {
    await cb.deleteRegistration(deviceScope(device), device.registrationId)
  } catch (err) {
    throw brokerError(err, () => iotaErrors.unregistration(device.device_id, device.entity_type))
  }
}

function brokerError(err: unknown, failed: () => IotaError): IotaError {
  if (err instanceof NgsiError && err.status !== 500) return iotaErrors.brokerRefused(err.status)
  return failed()
}

const GEO_TYPES = new Set(['geoproperty', 'point', 'geo:point'])
const DATE_TYPES = new Set(['datetime', 'date', 'time'])

/** The value FIWARE gives a newly provisioned active attribute before any measure. */
export function initialValue(type: string): unknown {
  const t = type.toLowerCase()
  if (GEO_TYPES.has(t)) return '0, 0'
  if (DATE_TYPES.has(t)) return '1970-01-01T00:00:00.000Z'
  return null
}

function added<T extends { name: string }>(before: readonly T[], after: readonly T[]): T[] {
  const old = new Set(before.map((i) => i.name))
  return after.filter((i) => !old.has(i.name))
}

/**
 * The attributes a device update adds to its entity (docs/compatibility/iot-agent-ul.md §4.8): new active attributes with their
 * initial value, new static attributes with their value, `<cmd>_status`/`<cmd>_info` for new
 * commands, and TimeInstant when the global timestamp flag is on.
 */
export function addedAttributes(previous: Device, next: Device, timestamp: boolean): Record<string, NgsiAttribute> {
  const attrs: Record<string, NgsiAttribute> = {}
  for (const a of added(previous.attributes ?? [], next.attributes ?? [])) {
    // An attribute mapped to another entity (multi-entity) is not part of this one.
    if (a.entity_name) continue
    attrs[a.name] = { type: a.type, value: initialValue(a.type), ...(a.metadata && { metadata: a.metadata }) }
  }
  for (const s of added(previous.static_attributes, next.static_attributes)) {
    attrs[s.name] = { type: s.type, value: s.value, ...(s.metadata && { metadata: s.metadata }) }
  }
  for (const c of added(previous.commands, next.commands)) {
    attrs[`${c.name}_status`] = { type: 'commandStatus', value: 'UNKNOWN' }
    attrs[`${c.name}_info`] = { type: 'commandResult', value: ' ' }
  }
  if (timestamp && !('TimeInstant' in attrs)) attrs.TimeInstant = { type: 'DateTime', value: new Date().toISOString() }
  return attrs
}

/**
 * Appends the attributes a device update adds to its entity. The entity exists only after a first
 * measure or command: when the broker answers 404 the update goes on without it (FIWARE fails the
 * whole device update with ENTITY_GENERIC_ERROR 404 instead).
 */
export async function appendAddedAttributes(
  cb: ContextBrokerClient,
  previous: Device,
  next: Device,
  timestamp: boolean,
  log: SourceLogger
): Promise<void> {
  const attrs = addedAttributes(previous, next, timestamp)
  if (Object.keys(attrs).length === 0) return
  try {
    await cb.appendAttributes(deviceScope(previous), { id: previous.entity_name, type: previous.entity_type, attrs })
  } catch (err) {
    if (err instanceof NgsiError && err.status === 404) {
      log.info('PROVISIONING-ENTITY', `entity ${previous.entity_name} does not exist yet; its new attributes appear with the first measure`)
      return
    }
    const status = err instanceof NgsiError ? err.status : 500
    throw iotaErrors.entityGeneric(status, previous.device_id, previous.entity_type, (err as Error).message)
  }
}
