/**
 * Service groups and devices of the current scope, for each of the two IoT Agents (UltraLight and
 * JSON, each with its own registry). The lists are replaced wholesale (shallowRef) when the scope
 * changes or a `provisioning` event says something changed in it. `agent` is the one the
 * provisioning page works on (remembered); `groups`, `devices` and the actions follow it.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef, watch } from 'vue'
import type { AgentKind, ApiErrorDto, DeviceDto, DeviceInputDto, DevicePatchDto, GroupDto, GroupInputDto, GroupPatchDto } from '../../../shared/contract'
import { agentsPreferring, isAgentKind } from '../../../shared/iot-agent'
import { missed, on, onResync, request } from '../services/engine'
import { loadJson, saveJson } from '../services/storage'
import { usePrefs, scopeProblem, type Scope } from './prefs'
import { onEngineRestart } from './status'

const PAGE = 1000


/** One agent's groups and devices in the scope; `deviceCount` is the agent's total (the list holds pages of it). */
export interface AgentLists {
  readonly groups: GroupDto[]
  readonly devices: DeviceDto[]
  readonly deviceCount: number
}

const EMPTY: AgentLists = { groups: [], devices: [], deviceCount: 0 }

/** A device with the agent whose registry holds it. */
export interface AgentDevice {
  agent: AgentKind
  device: DeviceDto
}

export const useProvisioning = defineStore('provisioning', () => {
  const prefs = usePrefs()
  const agent = ref<AgentKind>(loadJson('provisioningAgent', 'ul', isAgentKind))
  watch(agent, (a) => saveJson('provisioningAgent', a))
  const lists = shallowRef<Record<AgentKind, AgentLists>>({ ul: EMPTY, json: EMPTY })
  const groups = computed(() => lists.value[agent.value].groups)
  const devices = computed(() => lists.value[agent.value].devices)
  const deviceCount = computed(() => lists.value[agent.value].deviceCount)
  const loading = shallowRef(false)
  const error = shallowRef<ApiErrorDto | null>(null)
  let started = false
  let timer: ReturnType<typeof setTimeout> | null = null
  let generation = 0

  const scope = (): Scope => ({ service: prefs.scope.service, servicePath: prefs.scope.servicePath })

  async function listsOf(a: AgentKind, s: Scope): Promise<AgentLists> {
    const [g, d] = await Promise.all([
      request('groups.list', { agent: a, scope: s }),
      request('devices.list', { agent: a, scope: s, limit: Math.max(PAGE, lists.value[a].devices.length) })
    ])
    return { groups: g.groups, devices: d.devices, deviceCount: d.count }
  }

  async function refresh(): Promise<void> {
    const s = scope()
    if (scopeProblem(s)) return
    const gen = ++generation
    loading.value = true
    try {
      const [ul, json] = await Promise.all([listsOf('ul', s), listsOf('json', s)])
      if (gen !== generation) return
      lists.value = { ul, json }
      error.value = null
    } catch (err) {
      if (gen === generation) error.value = err as ApiErrorDto
    } finally {
      if (gen === generation) loading.value = false
    }
  }

  async function loadMoreDevices(): Promise<void> {
    const a = agent.value
    const d = await request('devices.list', { agent: a, scope: scope(), limit: PAGE, offset: lists.value[a].devices.length })
    const had = lists.value[a]
    lists.value = { ...lists.value, [a]: { ...had, devices: [...had.devices, ...d.devices], deviceCount: d.count } }
  }

  /** Coalesces bursts of provisioning events (an import, a fleet) into one refresh. */
  function refreshSoon(): void {
    if (timer) return
    timer = setTimeout(() => {
      timer = null
      void refresh()
    }, 300)
  }

  function start(): void {
    if (started) return
    started = true
    on('provisioning', (changes) => {
      const s = scope()
      if (changes.some((c) => c.service === s.service && c.servicePath === s.servicePath)) refreshSoon()
    })
    onResync((streams) => {
      if (missed(streams, 'provisioning')) refreshSoon()
    })
    // The settings may have moved the data folder, or the registry changed meanwhile.
    onEngineRestart(refreshSoon)
    watch(() => [prefs.scope.service, prefs.scope.servicePath], () => {
      lists.value = { ul: EMPTY, json: EMPTY }
      void refresh()
    })
    void refresh()
  }

  async function run<T>(p: Promise<T>): Promise<T> {
    const result = await p
    refreshSoon()
    return result
  }

  /** The device of that id, in the preferred agent's registry first (ids are per agent), else in the other's. */
  function findDevice(deviceId: string, prefer: AgentKind = agent.value): AgentDevice | null {
    for (const a of agentsPreferring(prefer)) {
      const device = lists.value[a].devices.find((d) => d.device_id === deviceId)
      if (device) return { agent: a, device }
    }
    return null
  }

  return {
    agent,
    lists,
    groups,
    devices,
    deviceCount,
    loading,
    error,
    start,
    refresh,
    loadMoreDevices,
    findDevice,
    /** Every action acts on the page's agent unless one is named (an undo names the agent of what it restores). */
    createGroup: (group: GroupInputDto, s = scope(), a = agent.value) => run(request('groups.create', { agent: a, scope: s, group })),
    updateGroup: (resource: string, apikey: string, patch: GroupPatchDto, a = agent.value) => run(request('groups.update', { agent: a, scope: scope(), resource, apikey, patch })),
    deleteGroup: (resource: string, apikey: string, a = agent.value) => run(request('groups.delete', { agent: a, scope: scope(), resource, apikey })),
    createDevice: (device: DeviceInputDto, s = scope(), a = agent.value) => run(request('devices.create', { agent: a, scope: s, device })),
    updateDevice: (deviceId: string, patch: DevicePatchDto, a = agent.value) => run(request('devices.update', { agent: a, scope: scope(), deviceId, patch })),
    deleteDevice: (deviceId: string, a = agent.value) => run(request('devices.delete', { agent: a, scope: scope(), deviceId })),
    exportDocument: () => request('provisioning.export', { agent: agent.value, scope: scope() }),
    importDocument: (document: unknown) => run(request('provisioning.import', { agent: agent.value, scope: scope(), document }))
  }
})
