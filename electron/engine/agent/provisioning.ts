import type { ContextBrokerClient, Scope } from '../context/types'
import type { IotaConfig } from '../config/types'
import type { SourceLogger } from '../log/logger'
import type { Registry } from '../registry/registry'
import type { Device, Listing, Page, ServiceGroup } from '../registry/types'
import { entityNameAtCreation } from './device-entity-name'
import { deviceScope, register, registrationFor, unregister } from './provisioning-context'
import { DeviceProvisioning } from './provisioning-devices'
import { mergeItems } from './provisioning-format'
import { GroupProvisioning } from './provisioning-groups'
import type { DeviceInput, DevicePatch, GroupInput, GroupPatch, ProvisioningDeps } from './provisioning-types'

export type { DeviceInput, DevicePatch, GroupInput, GroupPatch, ProvisioningDeps } from './provisioning-types'

/**
 * The IoT Agent's provisioning service: what the north API's `/iot/services`, `/iot/groups`,
 * `/iot/devices` and `/iot/op/delete` do, and the autoprovisioning of unknown devices on the MQTT
 * hot path. Failures are IotaError (FIWARE name and HTTP status).
 */
export class Provisioning {
  private readonly groups: GroupProvisioning
  private readonly devices: DeviceProvisioning
  private readonly registry: Registry
  private readonly cb: ContextBrokerClient
  private readonly iota: IotaConfig
  private readonly providerUrl: () => string
  private readonly log: SourceLogger
  private readonly background = new Set<Promise<void>>()

  constructor(deps: ProvisioningDeps) {
    this.registry = deps.registry
    this.cb = deps.contextBroker
    this.iota = deps.iota
    this.providerUrl = deps.providerUrl
    this.log = deps.logger.child('provisioning')
    this.devices = new DeviceProvisioning(deps.registry, deps.contextBroker, deps.iota, deps.providerUrl, this.log)
    this.groups = new GroupProvisioning(deps.registry, (d) => this.devices.removeDevice(d), this.log)
  }

  createGroups(scope: Scope, groups: GroupInput[]): Promise<ServiceGroup[]> {
    return this.groups.createGroups(scope, groups)
  }

  listGroups(scope: Scope, page?: Page): Listing<ServiceGroup> {
    return this.groups.listGroups(scope, page)
  }

  updateGroup(scope: Scope, resource: string, apikey: string, patch: GroupPatch): Promise<ServiceGroup> {
    return this.groups.updateGroup(scope, resource, apikey, patch)
  }

  deleteGroup(scope: Scope, resource: string, apikey: string, options: { devices?: boolean } = {}): Promise<void> {
    return this.groups.deleteGroup(scope, resource, apikey, options.devices === true)
  }

  createDevices(scope: Scope, devices: DeviceInput[]): Promise<Device[]> {
    return this.devices.createDevices(scope, devices)
  }

  getDevice(scope: Scope, deviceId: string, apikey?: string): Device {
    return this.devices.getDevice(scope, deviceId, apikey)
  }

  listDevices(scope: Scope, page?: Page): Listing<Device> {
    return this.devices.listDevices(scope, page)
  }

  updateDevice(scope: Scope, deviceId: string, apikey: string | undefined, patch: DevicePatch): Promise<Device> {
    return this.devices.updateDevice(scope, deviceId, apikey, patch)
  }

  deleteDevice(scope: Scope, deviceId: string, apikey?: string): Promise<void> {
    return this.devices.deleteDevice(scope, deviceId, apikey)
  }

  deleteDevices(scope: Scope, items: Array<{ deviceId: string; apikey?: string }>): Promise<void> {
    return this.devices.deleteDevices(scope, items)
  }

  /**
   * docs/compatibility/iot-agent-ul.md §3.4 step 4, for a measure of an unknown device of `group`: the device exists in memory on
   * return (so the measure can proceed at once); its disk write and the registration of its
   * commands happen in the background and failures are logged. Calling it again for the same device
   * returns the device already there. Throws only if the registry is closed.
   */
  autoprovision(group: ServiceGroup, deviceId: string): Device {
    const existing = this.registry.findDevice(group.service, group.subservice, deviceId, group.apikey)
    if (existing) return existing
    const entityType = group.entity_type
    const transport = group.transport || this.iota.defaultTransport
    const conjunction = group.defaultEntityNameConjunction ?? this.iota.entityNameConjunction
    const { device, persisted } = this.registry.addDeviceNow({
      device_id: deviceId,
      apikey: group.apikey,
      service: group.service,
      service_path: group.subservice,
      // Named before any measure is seen: entityNameExp sees id, type, service, subservice and statics only.
      entity_name: entityNameAtCreation(
        { device_id: deviceId, entity_type: entityType, service: group.service, service_path: group.subservice, static_attributes: [] },
        group,
        conjunction
      ),
      entity_type: entityType,
      transport,
      ...(transport === 'HTTP' && { polling: !group.endpoint }),
      // As FIWARE stores it: no `attributes`, the group's commands, and the group's ngsiVersion.
      lazy: [],
      commands: mergeItems([], group.commands),
      static_attributes: [],
      ...(group.ngsiVersion !== undefined && { ngsiVersion: group.ngsiVersion }),
      autoprovisioned: true
    })
    this.log.info('PROVISIONING-AUTO', `device ${deviceId} autoprovisioned in ${group.service}${group.subservice}`, { entity: device.entity_name })
    this.track(
      persisted.catch((err: Error) =>
        this.log.error('PROVISIONING-AUTO', `autoprovisioned device ${deviceId} could not be saved: ${err.message}`)
      )
    )
    if (device.commands.length || group.lazy?.length) this.track(this.registerLater(device, group))
    return device
  }

  /** Registers an autoprovisioned device's commands, then records the registration id on it. */
  private async registerLater(device: Device, group: ServiceGroup): Promise<void> {
    let registrationId: string | undefined
    try {
      registrationId = await register(this.cb, { ...device, lazy: mergeItems(device.lazy, group.lazy) }, this.providerUrl())
    } catch (err) {
      this.log.error('PROVISIONING-AUTO', `commands of autoprovisioned device ${device.device_id} could not be registered: ${(err as Error).message}`)
      return
    }
    if (!registrationId) return
    const current = this.registry.current(device)
    if (!current || current.registrationId) {
      // Removed, or registered again by an update in the meantime: this registration is not needed.
      await this.devices.dropRegistration({ ...device, registrationId })
      return
    }
    try {
      await this.registry.updateDevice(current, { ...current, registrationId })
    } catch (err) {
      this.log.error('PROVISIONING-AUTO', `registration of device ${device.device_id} could not be saved: ${(err as Error).message}`)
    }
  }

  /**
   * Makes every device's registration point at the current provider URL. Registrations carry the
   * URL of the north API at provisioning time; after the north port or IOTA_PROVIDER_URL changed,
   * commands would otherwise be forwarded to an address nobody listens on. Missing registrations
   * are recreated too. Resolves with the number of devices registered again; failures are logged.
   */
  async resyncRegistrations(): Promise<number> {
    const url = this.providerUrl()
    let renewed = 0
    for (const device of this.registry.allDevices()) {
      if (!registrationFor(device, url)) continue
      try {
        if (device.registrationId) {
          const existing = await this.cb.getRegistration(deviceScope(device), device.registrationId)
          if (existing?.provider.http.url === url) continue
          await unregister(this.cb, device)
        }
        const registrationId = await register(this.cb, device, url)
        const current = this.registry.current(device)
        if (current) await this.registry.updateDevice(current, { ...current, registrationId })
        renewed++
      } catch (err) {
        this.log.error('PROVISIONING-RESYNC', `registration of device ${device.device_id} could not be renewed: ${(err as Error).message}`)
      }
    }
    if (renewed) this.log.info('PROVISIONING-RESYNC', `${renewed} device registration(s) now point at ${url}`)
    return renewed
  }

  private track(task: Promise<void>): void {
    this.background.add(task)
    void task.finally(() => this.background.delete(task))
  }

  /** Resolves once the background work of autoprovisioning started so far is over (tests, shutdown). */
  async settle(): Promise<void> {
    while (this.background.size) await Promise.allSettled([...this.background])
  }
}
