import type { IotaConfig } from '../config/types'
import type { Device, RegistryChange, ServiceGroup } from '../registry/types'
import { compileEffectiveDevice, type EffectiveDevice } from './effective-device'

/** The registry lookups the agent needs; all synchronous (in-memory indexes). */
export interface DeviceDirectory {
  findGroup(resource: string, apikey: string): ServiceGroup | undefined
  groupsByApikey(apikey: string): readonly ServiceGroup[]
  groupsOf(service: string, subservice: string): readonly ServiceGroup[]
  findDevice(service: string, subservice: string, deviceId: string, apikey?: string): Device | undefined
  devicesById(deviceId: string): readonly Device[]
  findDeviceByEntity(service: string, subservice: string, entityName: string, entityType?: string): Device | undefined
  onChange(listener: (change: RegistryChange) => void): () => void
}

export interface Autoprovisioner {
  autoprovision(group: ServiceGroup, deviceId: string): Device
}

export type ResolveFailure =
  /** no group has this API key */
  | 'NO_GROUP'
  /** the default-key path found no (or several) devices with this id */
  | 'DEVICE_NOT_FOUND'
  /** the group forbids autoprovisioning and the device is unknown */
  | 'AUTOPROVISION_DISABLED'

/** `group`: the group that refused to autoprovision (AUTOPROVISION_DISABLED), for the HTTP port's error text. */
export type Resolution = { ok: true; device: EffectiveDevice; autoprovisioned: boolean } | { ok: false; reason: ResolveFailure; group?: ServiceGroup }

/**
 * Finds the device a southbound message belongs to (docs/compatibility/iot-agent-ul.md §3.4), autoprovisioning it from its
 * group when allowed, and returns it merged with the group. Deviations from iotagent-ul, chosen
 * because MQTT has no resource and the seed tutorial relies on them:
 * - the group is looked up by (defaultResource, apikey) and, failing that, by apikey alone;
 * - a device provisioned without apikey is found (no duplicate is autoprovisioned);
 * - a device provisioned with an apikey but without any group is found by (apikey, device id).
 */
export class DeviceResolver {
  private cache = new Map<Device, EffectiveDevice>()
  private readonly unsubscribe: () => void

  constructor(
    private readonly directory: DeviceDirectory,
    private readonly provisioner: Autoprovisioner,
    private readonly iota: IotaConfig
  ) {
    // Provisioning changes are rare; dropping every compiled device keeps the cache simple and right.
    this.unsubscribe = directory.onChange(() => this.cache.clear())
  }

  /** Drops every compiled device (after a change of a setting compiled into them, e.g. timestamps). */
  invalidate(): void {
    this.cache.clear()
  }

  close(): void {
    this.unsubscribe()
    this.cache.clear()
  }

  /** Resolves the device of a message received on `<apikey>/<deviceId>/…`. */
  resolveSouthbound(apikey: string, deviceId: string): Resolution {
    if (apikey === this.iota.defaultKey) {
      const matches = this.directory.devicesById(deviceId)
      if (matches.length !== 1) return { ok: false, reason: 'DEVICE_NOT_FOUND' }
      // As iotagent-ul: a device reached through the default key is used as stored, without group.
      return { ok: true, device: this.effective(matches[0]!, undefined, apikey), autoprovisioned: false }
    }
    const group = this.groupFor(apikey)
    if (!group) {
      const lone = this.directory.devicesById(deviceId).filter((d) => d.apikey === apikey)
      if (lone.length === 1) return { ok: true, device: this.effective(lone[0]!, undefined, apikey), autoprovisioned: false }
      return { ok: false, reason: 'NO_GROUP' }
    }
    const found = this.directory.findDevice(group.service, group.subservice, deviceId, apikey)
    if (found) return { ok: true, device: this.effective(found, group, apikey), autoprovisioned: false }
    if (group.autoprovision === false) return { ok: false, reason: 'AUTOPROVISION_DISABLED', group }
    const created = this.provisioner.autoprovision(group, deviceId)
    return { ok: true, device: this.effective(created, group, apikey), autoprovisioned: true }
  }

  /** Resolves the device behind an entity, for commands forwarded by the context broker. */
  resolveEntity(service: string, servicePath: string, entityId: string, entityType?: string): EffectiveDevice | undefined {
    const device = this.directory.findDeviceByEntity(service, servicePath, entityId, entityType)
    if (!device) return undefined
    const groups = this.directory.groupsOf(device.service, device.service_path)
    // §3.3: the device's apikey, else the apikey of a group of the same scope and type.
    const group =
      (device.apikey !== undefined ? groups.find((g) => g.apikey === device.apikey) : undefined) ??
      groups.find((g) => g.entity_type === device.entity_type) ??
      (device.apikey === undefined ? groups[0] : undefined)
    const apikey = device.apikey ?? group?.apikey ?? this.iota.defaultKey
    return this.effective(device, group, apikey)
  }

  private groupFor(apikey: string): ServiceGroup | undefined {
    const exact = this.directory.findGroup(this.iota.defaultResource, apikey)
    if (exact) return exact
    // MQTT carries no resource: any group with this API key (the oldest when several).
    return this.directory.groupsByApikey(apikey)[0]
  }

  private effective(device: Device, group: ServiceGroup | undefined, apikey: string): EffectiveDevice {
    let e = this.cache.get(device)
    if (!e || e.group !== group || e.apikey !== apikey) {
      e = compileEffectiveDevice(device, group, this.iota, apikey)
      this.cache.set(device, e)
    }
    return e
  }
}
