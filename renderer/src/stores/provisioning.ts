/**
 * Service groups and devices of the current scope. The lists are replaced wholesale (shallowRef)
 * when the scope changes or a `provisioning` event says something changed in it.
 */
import { defineStore } from 'pinia'
import { shallowRef, watch } from 'vue'
import type { ApiErrorDto, DeviceDto, DeviceInputDto, DevicePatchDto, GroupDto, GroupInputDto, GroupPatchDto } from '../../../shared/contract'
import { missed, on, onResync, request } from '../services/engine'
import { usePrefs, scopeProblem, type Scope } from './prefs'
import { onEngineRestart } from './status'

const PAGE = 1000

export const useProvisioning = defineStore('provisioning', () => {
  const prefs = usePrefs()
  const groups = shallowRef<GroupDto[]>([])
  const devices = shallowRef<DeviceDto[]>([])
  const deviceCount = shallowRef(0)
  const loading = shallowRef(false)
  const error = shallowRef<ApiErrorDto | null>(null)
  let started = false
  let timer: ReturnType<typeof setTimeout> | null = null
  let generation = 0

  const scope = (): Scope => ({ service: prefs.scope.service, servicePath: prefs.scope.servicePath })

  async function refresh(): Promise<void> {
    const s = scope()
    if (scopeProblem(s)) return
    const gen = ++generation
    loading.value = true
    try {
      const [g, d] = await Promise.all([request('groups.list', { scope: s }), request('devices.list', { scope: s, limit: Math.max(PAGE, devices.value.length) })])
      if (gen !== generation) return
      groups.value = g.groups
      devices.value = d.devices
      deviceCount.value = d.count
      error.value = null
    } catch (err) {
      if (gen === generation) error.value = err as ApiErrorDto
    } finally {
      if (gen === generation) loading.value = false
    }
  }

  async function loadMoreDevices(): Promise<void> {
    const d = await request('devices.list', { scope: scope(), limit: PAGE, offset: devices.value.length })
    devices.value = [...devices.value, ...d.devices]
    deviceCount.value = d.count
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
      devices.value = []
      void refresh()
    })
    void refresh()
  }

  async function run<T>(p: Promise<T>): Promise<T> {
    const result = await p
    refreshSoon()
    return result
  }

  return {
    groups,
    devices,
    deviceCount,
    loading,
    error,
    start,
    refresh,
    loadMoreDevices,
    createGroup: (group: GroupInputDto, s = scope()) => run(request('groups.create', { scope: s, group })),
    updateGroup: (resource: string, apikey: string, patch: GroupPatchDto) => run(request('groups.update', { scope: scope(), resource, apikey, patch })),
    deleteGroup: (resource: string, apikey: string) => run(request('groups.delete', { scope: scope(), resource, apikey })),
    createDevice: (device: DeviceInputDto, s = scope()) => run(request('devices.create', { scope: s, device })),
    updateDevice: (deviceId: string, patch: DevicePatchDto) => run(request('devices.update', { scope: scope(), deviceId, patch })),
    deleteDevice: (deviceId: string) => run(request('devices.delete', { scope: scope(), deviceId })),
    exportDocument: () => request('provisioning.export', { scope: scope() }),
    importDocument: (document: unknown) => run(request('provisioning.import', { scope: scope(), document }))
  }
})
