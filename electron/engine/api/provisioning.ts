import type { AgentKind, ApiErrorDto, EngineApi, EventPayloads, RequestResults } from '../../../shared/contract'
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
import { AGENT_KINDS } from '../../../shared/iot-agent'

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

function provisioningEvent(agent: AgentKind, c: RegistryChange): ProvisioningEvent {
  return c.kind === 'group'
    ? { agent, kind: 'group', op: c.op, service: c.group.service, servicePath: c.group.subservice, id: groupLabel(c.group) }
    : { agent, kind: 'device', op: c.op, service: c.device.service, servicePath: c.device.service_path, id: c.device.device_id }
}

const itemsOf = (doc: Record<string, unknown>, key: string): unknown[] => {
  const v = doc[key]
  if (v === undefined) return []
  if (!Array.isArray(v)) throw iotaErrors.wrongSyntax(`"${key}" must be an array`)
  return v
}

/** One agent's provisioning and the registry whose changes it announces. */
export interface AgentProvisioningSource {
  readonly provisioning: Provisioning
  readonly registry: Pick<Registry, 'onChange'>
}

/**
 * Groups and devices of both agents, with the rules of the north HTTP API (same schemas, same
 * provisioning code, same FIWARE error names); export and import of a scope as IoT Agent JSON; the
 * `provisioning` stream (registry changes of both agents, autoprovisioned devices included). A
 * request names its agent (`agent`, UltraLight when absent), as a client of FIWARE names the
 * agent's north port.
 */
export type ProvisioningSources = Readonly<Record<AgentKind, AgentProvisioningSource>>

export function provisioningArea(
  agents: ProvisioningSources,
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
  const of = (agent: AgentKind | undefined): Provisioning => agents[agent ?? 'ul'].provisioning
  hub.whileListened(['provisioning'], () => {
    const batch = new Batcher<ProvisioningEvent>((items) => hub.emit('provisioning', items))
    const offs = AGENT_KINDS.map((agent) => agents[agent].registry.onChange((c) => batch.push(provisioningEvent(agent, c))))
    return () => {
      for (const off of offs) off()
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

  async function importDocument(p: Provisioning, scope: Scope, document: unknown): Promise<ImportResult[]> {
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
    'groups.list': async ({ agent, scope }) => {
      const { count, items } = of(agent).listGroups(scope)
      return { count, groups: items.map(groupDto) }
    },
    'groups.create': async ({ agent, scope, group }) => {
      await of(agent).createGroups(scope, [checkGroup(group)])
    },
    'groups.update': async ({ agent, scope, resource, apikey, patch }) => {
      await of(agent).updateGroup(scope, resource, apikey, checkGroupPatch(patch))
    },
    'groups.delete': async ({ agent, scope, resource, apikey }) => {
      await of(agent).deleteGroup(scope, resource, apikey)
    },

    'devices.list': async ({ agent, scope, limit, offset }) => {
      const { count, items } = of(agent).listDevices(scope, { limit, offset })
      return { count, devices: items.map(deviceDto) }
    },
    'devices.get': async ({ agent, scope, deviceId }) => deviceDto(of(agent).getDevice(scope, deviceId)),
    'devices.create': async ({ agent, scope, device }) => {
      await of(agent).createDevices(scope, [checkDevice(device)])
    },
    'devices.update': async ({ agent, scope, deviceId, patch }) => {
      await of(agent).updateDevice(scope, deviceId, undefined, checkDevicePatch(patch))
    },
    'devices.delete': async ({ agent, scope, deviceId }) => {
      await of(agent).deleteDevice(scope, deviceId)
    },

    'provisioning.export': async ({ agent, scope }) => ({
      services: of(agent).listGroups(scope).items.map(groupItemDto),
      devices: of(agent).listDevices(scope).items.map(deviceItemDto)
    }),
    'provisioning.import': async ({ agent, scope, document }) => ({ results: await importDocument(of(agent), scope, document) })
  }
}
