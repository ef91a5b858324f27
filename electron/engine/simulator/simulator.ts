import type { MqttBroker } from '../broker/types'
import type { SourceLogger } from '../log/logger'
import { SeedDevice, type SeedDeviceOptions, type SeedDeviceState } from './seed-device'

/** The engine's simulated devices, started and stopped through the engine API. */
export class Simulator {
  private devices = new Map<string, SeedDevice>()

  constructor(
    private readonly broker: MqttBroker,
    private readonly logger: SourceLogger
  ) {}

  private key(apikey: string, deviceId: string): string {
    return `${apikey}/${deviceId}`
  }

  /** Starts (or restarts with new options) a device behaving like the seed tutorial's device001. */
  async startSeedDevice(opts: SeedDeviceOptions): Promise<SeedDeviceState> {
    const key = this.key(opts.apikey, opts.deviceId)
    await this.devices.get(key)?.stop()
    const device = new SeedDevice(this.broker, opts, this.logger)
    this.devices.set(key, device)
    await device.start()
    this.logger.info('SIMULATOR_START', `simulated device ${opts.deviceId} (API key ${opts.apikey}) started`)
    return device.state()
  }

  async stopDevice(apikey: string, deviceId: string): Promise<boolean> {
    const key = this.key(apikey, deviceId)
    const d = this.devices.get(key)
    if (!d) return false
    this.devices.delete(key)
    await d.stop()
    this.logger.info('SIMULATOR_STOP', `simulated device ${deviceId} stopped`)
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

  async stopAll(): Promise<void> {
    const all = [...this.devices.values()]
    this.devices.clear()
    await Promise.all(all.map((d) => d.stop()))
  }
}
