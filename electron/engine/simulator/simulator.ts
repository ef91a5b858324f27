import type { MqttBroker } from '../broker/types'
import type { SourceLogger } from '../log/logger'
import { Fleet, type FleetOptions, type FleetState } from './fleet'
import { SeedDevice, type SeedDeviceOptions, type SeedDeviceState } from './seed-device'

/** The engine's simulated devices and fleets, started and stopped through the engine API. */
export class Simulator {
  private devices = new Map<string, SeedDevice>()
  private fleets = new Map<string, Fleet>()
  private nextFleet = 1
  private readonly listeners = new Set<() => void>()
  private readonly changed = (): void => {
    for (const l of this.listeners) l()
  }

  constructor(
    private readonly broker: MqttBroker,
    private readonly logger: SourceLogger
  ) {}

  /**
   * Called on every change of a device or fleet (counters included, so up to every tick of a
   * running fleet): listeners must only note that something changed.
   */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private key(apikey: string, deviceId: string): string {
    return `${apikey}/${deviceId}`
  }

  /** Starts (or restarts with new options) a device behaving like the seed tutorial's device001. */
  async startSeedDevice(opts: SeedDeviceOptions): Promise<SeedDeviceState> {
    const key = this.key(opts.apikey, opts.deviceId)
    await this.devices.get(key)?.stop()
    const device = new SeedDevice(this.broker, opts, this.logger, Math.random, this.changed)
    this.devices.set(key, device)
    await device.start()
    this.logger.info('SIMULATOR_START', `simulated device ${opts.deviceId} (API key ${opts.apikey}) started`)
    this.changed()
    return device.state()
  }

  async stopDevice(apikey: string, deviceId: string): Promise<boolean> {
    const key = this.key(apikey, deviceId)
    const d = this.devices.get(key)
    if (!d) return false
    this.devices.delete(key)
    await d.stop()
    this.logger.info('SIMULATOR_STOP', `simulated device ${deviceId} stopped`)
    this.changed()
    return true
  }

  async sendMeasure(apikey: string, deviceId: string): Promise<boolean> {
    const d = this.devices.get(this.key(apikey, deviceId))
    if (!d) return false
    await d.sendMeasure()
    return true
  }

  list(): SeedDeviceState[] {
    return [...this.devices.values()].map((d) => d.state())
  }

  /**
   * Starts a fleet (see fleet.ts). A running fleet with the same API key and id prefix is replaced,
   * as two of them would publish for the same devices.
   */
  async startFleet(opts: FleetOptions): Promise<FleetState> {
    // Built first: it checks the options, and bad ones must not stop the running fleet.
    const fleet = new Fleet(`fleet${this.nextFleet++}`, this.broker, opts, this.logger, this.changed)
    const id = fleet.id
    for (const f of [...this.fleets.values()]) {
      if (f.options.apikey === opts.apikey && f.options.idPrefix === opts.idPrefix) await this.stopFleet(f.id)
    }
    this.fleets.set(id, fleet)
    try {
      await fleet.start()
    } catch (err) {
      this.fleets.delete(id)
      throw err
    }
    const { count, idPrefix, apikey, intervalSec } = opts
    this.logger.info('SIMULATOR_FLEET_START', `fleet ${id}: ${count} devices ${idPrefix}1…${idPrefix}${count} (API key ${apikey}), one measure each every ${intervalSec} s`)
    this.changed()
    return fleet.state()
  }

  async stopFleet(id: string): Promise<boolean> {
    const f = this.fleets.get(id)
    if (!f) return false
    this.fleets.delete(id)
    await f.stop()
    const s = f.state()
    this.logger.info('SIMULATOR_FLEET_STOP', `fleet ${id} stopped after ${s.measuresSent} measures (${s.measuresDropped} dropped)`)
    this.changed()
    return true
  }

  fleetList(): FleetState[] {
    return [...this.fleets.values()].map((f) => f.state())
  }

  async stopAll(): Promise<void> {
    const all = [...this.devices.values()]
    const fleets = [...this.fleets.values()]
    this.devices.clear()
    this.fleets.clear()
    await Promise.all([...all.map((d) => d.stop()), ...fleets.map((f) => f.stop())])
  }
}
