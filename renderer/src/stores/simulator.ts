/** Simulated devices and fleets, from `simulator.list` and the `simulator` stream. */
import { defineStore } from 'pinia'
import { shallowRef } from 'vue'
import type { FleetDto, RequestArgs, SimulatedDeviceDto } from '../../../shared/contract'
import { missed, on, onResync, request } from '../services/engine'
import { onEngineRestart } from './status'

export const useSimulator = defineStore('simulator', () => {
  const devices = shallowRef<SimulatedDeviceDto[]>([])
  const fleets = shallowRef<FleetDto[]>([])
  let started = false

  async function refresh(): Promise<void> {
    try {
      devices.value = await request('simulator.list', {})
    } catch {
      // Shown as empty; the connection banner says why.
    }
  }

  function start(): void {
    if (started) return
    started = true
    on('simulator', (s) => {
      devices.value = s.devices
      fleets.value = s.fleets
    })
    onResync((streams) => {
      if (missed(streams, 'simulator')) void refresh()
    })
    // Simulated devices and fleets stop at a restart: the new engine's list is the truth.
    onEngineRestart(() => {
      fleets.value = []
      void refresh()
    })
    void refresh()
  }

  async function startSeed(args: RequestArgs<'simulator.startSeed'>): Promise<void> {
    const d = await request('simulator.startSeed', args)
    devices.value = [...devices.value.filter((x) => !(x.apikey === d.apikey && x.deviceId === d.deviceId)), d]
  }

  async function stopSeed(apikey: string, deviceId: string): Promise<void> {
    await request('simulator.stop', { apikey, deviceId })
    devices.value = devices.value.filter((x) => !(x.apikey === apikey && x.deviceId === deviceId))
  }

  async function startFleet(args: RequestArgs<'simulator.startFleet'>): Promise<void> {
    const f = await request('simulator.startFleet', args)
    fleets.value = [...fleets.value.filter((x) => x.id !== f.id), f]
  }

  async function stopFleet(id: string): Promise<void> {
    await request('simulator.stopFleet', { id })
    fleets.value = fleets.value.filter((x) => x.id !== id)
  }

  return { devices, fleets, start, refresh, startSeed, stopSeed, startFleet, stopFleet }
})
