import type { ContextBrokerClient, Scope } from '../context/types'
import type { IotaConfig } from '../config/types'
import { checkProvisionedExpressions } from '../expressions'
import type { SourceLogger } from '../log/logger'
import { iotaErrors } from '../registry/errors'
import type { Registry } from '../registry/registry'
import type { Device, Listing, Page, ServiceGroup } from '../registry/types'
import { entityNameAtCreation } from './device-entity-name'
import { appendAddedAttributes, register, unregister } from './provisioning-context'
import { mergeItems, normalizeAttributes, normalizeCommands, normalizeLazy, normalizeStatics } from './provisioning-format'
import type { DeviceInput, DevicePatch } from './provisioning-types'

/** What a device item may carry besides its identity, copied as given when defined. */
const PLAIN_FIELDS = [
  'timezone',
  'timestamp',
  'endpoint',
  'internal_attributes',
  'protocol',
  'autoprovision',
  'explicitAttrs',
  'ngsiVersion',
  'payloadType',
  'useCBflowControl',
  'storeLastMeasure',
  'lastMeasure',
  'cmdMode'
] as const satisfies ReadonlyArray<keyof DeviceInput & keyof Device>

/**
 * Business rules of devices (docs/compatibility/iot-agent-ul.md §1.3, §4.2, §4.8): defaults taken from the
 * device's group, registration of commands and lazy attributes in the context broker before the
 * device is stored, and the broker side effects of updates and removals.
 */
export class DeviceProvisioning {
  constructor(
    private readonly registry: Registry,
    private readonly cb: ContextBrokerClient,
    private readonly iota: IotaConfig,
    private readonly providerUrl: () => string,
    private readonly log: SourceLogger
  ) {}

  /**
   * Provisions every item, one after the other; an item that fails does not stop the others (FIWARE
   * handles the items independently) and the first failure is the answer.
   */
  async createDevices(scope: Scope, items: DeviceInput[]): Promise<Device[]> {
    const created: Device[] = []
    let failure: unknown
    for (const item of items) {
      try {
        created.push(await this.createDevice(scope, item))
      } catch (err) {
        failure ??= err
      }
    }
    // The first failure, as thrown (an Error); later items were still tried, as iotagent-ul does.
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrows what was caught
    if (failure !== undefined) throw failure
    return created
  }

  private async createDevice(scope: Scope, input: DeviceInput): Promise<Device> {
    const deviceId = input.device_id
    if (!deviceId) throw iotaErrors.missingAttributes(['device_id'])
    checkProvisionedExpressions(input)
    const service = scope.service.toLowerCase()
    const subservice = scope.servicePath
    const apikey = input.apikey || undefined
    // Without apikey any device of that id in the scope is a duplicate; with one, only that identity.
    const existing =
      apikey === undefined
        ? this.registry.findDevice(service, subservice, deviceId)
        : this.registry.deviceWithIdentity(service, subservice, deviceId, apikey)
    if (existing) throw iotaErrors.duplicateDevice(deviceId, apikey, service, subservice)

    const group = this.groupFor(service, subservice, input.entity_type, apikey)
    const entityType = input.entity_type || group?.entity_type || this.iota.defaultType
    const transport = input.transport || group?.transport || this.iota.defaultTransport
    const conjunction = group?.defaultEntityNameConjunction ?? this.iota.entityNameConjunction
    const statics = normalizeStatics(input.static_attributes)
    const device: Device = {
      device_id: deviceId,
      ...(apikey !== undefined && { apikey }),
      service,
      service_path: subservice,
      entity_name:
        input.entity_name ||
        entityNameAtCreation({ device_id: deviceId, entity_type: entityType, service, service_path: subservice, static_attributes: statics }, group, conjunction),
      entity_type: entityType,
      transport,
      // Only HTTP devices poll: those without a push endpoint of their own or of their group.
      ...(transport === 'HTTP' && { polling: !input.endpoint && !group?.endpoint }),
      // FIWARE stores (and lists) `attributes` only when the device was provisioned with them.
      ...(input.attributes !== undefined && { attributes: normalizeAttributes(input.attributes) }),
      lazy: normalizeLazy(input.lazy),
      commands: mergeItems(normalizeCommands(input.commands), group?.commands),
      static_attributes: statics
    }
    for (const key of PLAIN_FIELDS) if (input[key] !== undefined) Object.assign(device, { [key]: input[key] })

    // The group's lazy attributes are provided too, although (as in FIWARE) not stored in the device.
    const registrationId = await register(this.cb, { ...device, lazy: mergeItems(device.lazy, group?.lazy) }, this.providerUrl())
    try {
      return await this.registry.addDevice(registrationId ? { ...device, registrationId } : device)
    } catch (err) {
      // A concurrent request stored the same device first: do not leave our registration behind.
      if (registrationId) await this.dropRegistration({ ...device, registrationId })
      throw err
    }
  }

  /**
   * The group a new device takes its defaults from (FIWARE's findConfigurationGroup): the first
   * group of the scope with the device's entity type (and apikey, when it has one), else the first
   * group of the scope (with its apikey).
   */
  groupFor(service: string, subservice: string, entityType: string | undefined, apikey: string | undefined): ServiceGroup | undefined {
    const groups = this.registry.groupsOf(service, subservice)
    const keyOk = (g: ServiceGroup): boolean => apikey === undefined || g.apikey === apikey
    return (entityType ? groups.find((g) => g.entity_type === entityType && keyOk(g)) : undefined) ?? groups.find(keyOk)
  }

  getDevice(scope: Scope, deviceId: string, apikey?: string): Device {
    const device = this.registry.findDevice(scope.service, scope.servicePath, deviceId, apikey || undefined)
    if (!device) throw iotaErrors.deviceNotFound(deviceId, { apikey, service: scope.service, subservice: scope.servicePath })
    return device
  }

  /** Devices of exactly this service and subservice (no `/*` for devices), `count` before paging. */
  listDevices(scope: Scope, page: Page = {}): Listing<Device> {
    return this.registry.listDevices({ service: scope.service, subservice: scope.servicePath }, page)
  }

  /**
   * `PUT /iot/devices/{id}`: merges the given fields; new attributes and commands are appended to the
   * entity unless its name or type changes; the registration is made again for the new state.
   */
  async updateDevice(scope: Scope, deviceId: string, apikey: string | undefined, patch: DevicePatch): Promise<Device> {
    if (patch.device_id !== undefined) throw iotaErrors.badRequest("Can't change the ID of a preprovisioned device")
    checkProvisionedExpressions(patch)
    const current = this.getDevice(scope, deviceId, apikey)
    const next: Device = { ...current }
    if (patch.entity_name !== undefined) next.entity_name = patch.entity_name
    if (patch.entity_type !== undefined) next.entity_type = patch.entity_type
    if (patch.transport !== undefined) next.transport = patch.transport
    if (patch.apikey !== undefined) {
      if (patch.apikey) next.apikey = patch.apikey
      else delete next.apikey
    }
    // Replaced items are stored as sent, as FIWARE does: no object_id is added to them.
    if (patch.attributes !== undefined) next.attributes = normalizeAttributes(patch.attributes, 'attributes', true)
    if (patch.lazy !== undefined) next.lazy = normalizeLazy(patch.lazy, 'lazy', true)
    if (patch.commands !== undefined) next.commands = normalizeCommands(patch.commands, 'commands', true)
    if (patch.static_attributes !== undefined) next.static_attributes = normalizeStatics(patch.static_attributes)
    for (const key of PLAIN_FIELDS) if (patch[key as keyof DevicePatch] !== undefined) Object.assign(next, { [key]: patch[key as keyof DevicePatch] })
    if (!next.entity_type) throw iotaErrors.missingAttributes(['entity_type'])
    if (!next.entity_name) throw iotaErrors.missingAttributes(['entity_name'])
    const clash = this.registry.deviceWithIdentity(next.service, next.service_path, next.device_id, next.apikey)
    if (clash && clash !== current) throw iotaErrors.duplicateDevice(next.device_id, next.apikey, next.service, next.service_path)

    // FIWARE decides on the presence of the fields, even when they repeat the current values.
    const renamed = Boolean(patch.entity_name || patch.entity_type)
    if (!renamed) await appendAddedAttributes(this.cb, current, next, this.iota.timestamp, this.log)
    await unregister(this.cb, current)
    delete next.registrationId
    const registrationId = await register(this.cb, next, this.providerUrl())
    if (registrationId) next.registrationId = registrationId
    return this.registry.updateDevice(current, next)
  }

  /** Removes the device and its registration; the entity stays in the context broker, as in FIWARE. */
  async deleteDevice(scope: Scope, deviceId: string, apikey?: string): Promise<void> {
    await this.removeDevice(this.getDevice(scope, deviceId, apikey))
  }

  async removeDevice(device: Device): Promise<void> {
    await unregister(this.cb, device)
    await this.registry.removeDevice(device)
  }

  /** `POST /iot/op/delete`: removes every listed device it can; the first failure is the answer. */
  async deleteDevices(scope: Scope, items: Array<{ deviceId: string; apikey?: string }>): Promise<void> {
    let failure: unknown
    for (const item of items) {
      try {
        await this.deleteDevice(scope, item.deviceId, item.apikey)
      } catch (err) {
        failure ??= err
      }
    }
    // The first failure, as thrown (an Error); later items were still tried, as iotagent-ul does.
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrows what was caught
    if (failure !== undefined) throw failure
  }

  /** Deletes a registration nobody will use; a failure is only logged. */
  async dropRegistration(device: Device): Promise<void> {
    try {
      await unregister(this.cb, device)
    } catch (err) {
      this.log.warn('PROVISIONING-REGISTRATION', `registration ${device.registrationId} could not be removed: ${(err as Error).message}`)
    }
  }
}
