import type { ApiErrorDto, EngineApi, EventPayloads, RequestResults } from '../../../shared/contract'
import type { Provisioning } from '../agent/provisioning'
import type { DeviceInput, GroupInput } from '../agent/provisioning-types'
import type { Scope } from '../context/types'
import { bodyChecker } from '../north/iota/request'
import { DeviceItem, GroupItem, UpdateDeviceBody, UpdateGroupBody } from '../north/iota/schemas'
import { iotaErrors } from '../registry/errors'
import type { Registry } from '../registry/registry'
import type { RegistryChange } from '../registry/types'
import { toApiError } from './errors'
import { deviceDto, deviceItemDto, groupDto, groupItemDto } from './provisioning-dto'
import { Batcher, type EventHub } from './events'

const checkGroup = bodyChecker(GroupItem)
const checkGroupPatch = bodyChecker(UpdateGroupBody)
const checkDevice = bodyChecker(DeviceItem)
const checkDevicePatch = bodyChecker(UpdateDeviceBody)

type ProvisioningEvent = EventPayloads['provisioning'][number]
type ImportResult = RequestResults['provisioning.import']['results'][number]

/** How a group is named in events and import results: its API key, then its resource when it has one. */
export function groupLabel(g: { apikey: string; resource: string }): string {
  return g.resource ? `${g.apikey} ${g.resource}` : g.apikey
}

function provisioningEvent(c: RegistryChange): ProvisioningEvent {
  return c.kind === 'group'
    ? { kind: 'group', op: c.op, service: c.group.service, servicePath: c.group.subservice, id: groupLabel(c.group) }
    : { kind: 'device', op: c.op, service: c.device.service, servicePath: c.device.service_path, id: c.device.device_id }
}

const itemsOf = (doc: Record<string, unknown>, key: string): unknown[] => {
  const v = doc[key]
  if (v === undefined) return []
  if (!Array.isArray(v)) throw iotaErrors.wrongSyntax(`"${key}" must be an array`)
  return v
}

/**
 * Groups and devices, with the rules of the north HTTP API (same schemas, same provisioning code,
 * same FIWARE error names); export and import of a scope as IoT Agent JSON; the `provisioning`
 * stream (registry changes, autoprovisioned devices included).
 */
export interface ProvisioningSources {
  readonly provisioning: Provisioning
  readonly registry: Pick<Registry, 'onChange'>
}

export function provisioningArea(
  { provisioning, registry }: ProvisioningSources,
  hub: EventHub
): Pick<
  EngineApi,
  | 'groups.list'
  | 'groups.create'
  | 'groups.update'
  | 'groups.delete'
  | 'devices.list'
  | 'devices.get'
  | 'devices.create'
  | 'devices.update'
  | 'devices.delete'
  | 'provisioning.export'
  | 'provisioning.import'
> {
  const p = provisioning
  hub.whileListened(['provisioning'], () => {
    const batch = new Batcher<ProvisioningEvent>((items) => hub.emit('provisioning', items))
    const off = registry.onChange((c) => batch.push(provisioningEvent(c)))
    return () => {
      off()
      batch.close()
    }
  })

  /** One item of an import: its outcome, never an exception. */
  async function importItem(kind: 'group' | 'device', id: string, create: () => Promise<unknown>): Promise<ImportResult> {
    try {
      await create()
      return { kind, id, ok: true }
    } catch (err) {
      const error: ApiErrorDto = toApiError(err)
      return { kind, id, ok: false, error }
    }
  }

  async function importDocument(scope: Scope, document: unknown): Promise<ImportResult[]> {
    if (typeof document !== 'object' || document === null || Array.isArray(document)) {
      throw iotaErrors.wrongSyntax('the document must be an object {"services": [...], "devices": [...]}')
    }
    const doc = document as Record<string, unknown>
    // `groups` is the key of /iot/groups, `services` the one of /iot/services: both are accepted.
    const groups = [...itemsOf(doc, 'services'), ...itemsOf(doc, 'groups')]
    const devices = itemsOf(doc, 'devices')
    const results: ImportResult[] = []
    // Groups first: devices take their entity type, commands and API key from them.
    for (const [i, item] of groups.entries()) {
      const g = item as Partial<GroupInput> | null
      const id = typeof g?.apikey === 'string' && typeof g.resource === 'string' ? groupLabel(g as GroupInput) : `services[${i}]`
      results.push(await importItem('group', id, () => p.createGroups(scope, [checkGroup(item)])))
    }
    for (const [i, item] of devices.entries()) {
      const d = item as Partial<DeviceInput> | null
      const id = typeof d?.device_id === 'string' && d.device_id ? d.device_id : `devices[${i}]`
      results.push(await importItem('device', id, () => p.createDevices(scope, [checkDevice(item)])))
    }
    return results
  }

  return {
    'groups.list': async ({ scope }) => {
      const { count, items } = p.listGroups(scope)
      return { count, groups: items.map(groupDto) }
    },
    'groups.create': async ({ scope, group }) => {
      await p.createGroups(scope, [checkGroup(group)])
    },
    'groups.update': async ({ scope, resource, apikey, patch }) => {
      await p.updateGroup(scope, resource, apikey, checkGroupPatch(patch))
    },
    'groups.delete': async ({ scope, resource, apikey }) => {
      await p.deleteGroup(scope, resource, apikey)
    },

    'devices.list': async ({ scope, limit, offset }) => {
      const { count, items } = p.listDevices(scope, { limit, offset })
      return { count, devices: items.map(deviceDto) }
    },
    'devices.get': async ({ scope, deviceId }) => deviceDto(p.getDevice(scope, deviceId)),
    'devices.create': async ({ scope, device }) => {
      await p.createDevices(scope, [checkDevice(device)])
    },
    'devices.update': async ({ scope, deviceId, patch }) => {
      await p.updateDevice(scope, deviceId, undefined, checkDevicePatch(patch))
    },
    'devices.delete': async ({ scope, deviceId }) => {
      await p.deleteDevice(scope, deviceId)
    },

    'provisioning.export': async ({ scope }) => ({
      services: p.listGroups(scope).items.map(groupItemDto),
      devices: p.listDevices(scope).items.map(deviceItemDto)
    }),
    'provisioning.import': async ({ scope, document }) => ({ results: await importDocument(scope, document) })
  }
}
