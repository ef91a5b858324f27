import type { Scope } from '../context/types'
import { checkProvisionedExpressions } from '../expressions'
import type { SourceLogger } from '../log/logger'
import { iotaErrors } from '../registry/errors'
import type { NewGroup, Registry } from '../registry/registry'
import type { Device, Listing, Page, ServiceGroup } from '../registry/types'
import { groupFields } from './provisioning-format'
import type { GroupInput, GroupPatch } from './provisioning-types'

/**
 * Business rules of config groups (docs/compatibility/iot-agent-ul.md §1.2). Groups send nothing to the context
 * broker; only `DELETE ?device=true` reaches it, through the removal of the group's devices.
 */
export class GroupProvisioning {
  constructor(
    private readonly registry: Registry,
    private readonly removeDevice: (device: Device) => Promise<void>,
    private readonly log: SourceLogger
  ) {}

  /**
   * Creates the groups one after the other, as FIWARE does: the first failure stops the request
   * and the groups created before it stay.
   */
  async createGroups(scope: Scope, items: GroupInput[]): Promise<ServiceGroup[]> {
    const created: ServiceGroup[] = []
    for (const item of items) {
      if (this.registry.findGroup(item.resource, item.apikey)) throw iotaErrors.duplicateGroup(item.resource, item.apikey)
      if (!scope.service) throw iotaErrors.missingConfigParams(['service'])
      if (!scope.servicePath) throw iotaErrors.missingConfigParams(['subservice'])
      if (!item.entity_type) throw iotaErrors.missingConfigParams(['type'])
      checkProvisionedExpressions(item)
      const group = { service: scope.service, subservice: scope.servicePath, ...groupFields(item) } as NewGroup
      created.push(await this.registry.addGroup(group))
    }
    return created
  }

  /**
   * Service path `/*`: every group of the service, paginated, `count` being the total. Any other
   * path: the groups of exactly that path, unpaginated. An empty result is a 200 with count 0, as
   * with FIWARE's MongoDB registry.
   */
  listGroups(scope: Scope, page: Page = {}): Listing<ServiceGroup> {
    if (scope.servicePath === '/*') return this.registry.listGroups({ service: scope.service }, page)
    return this.registry.listGroups({ service: scope.service, subservice: scope.servicePath })
  }

  /** Merges the given fields into the group; `resource` and `apikey` may change, the scope may not. */
  async updateGroup(scope: Scope, resource: string, apikey: string, patch: GroupPatch): Promise<ServiceGroup> {
    const group = this.owned(scope, resource, apikey)
    checkProvisionedExpressions(patch)
    if (patch.entity_type !== undefined && !patch.entity_type) throw iotaErrors.missingConfigParams(['type'])
    const next = { ...group, ...groupFields(patch) }
    return this.registry.updateGroup(group, next)
  }

  /**
   * Removes a group. With `withDevices`, also removes the devices of that group (FIWARE removes every
   * device of the service and subservice, whatever its group).
   */
  async deleteGroup(scope: Scope, resource: string, apikey: string, withDevices: boolean): Promise<void> {
    const group = this.owned(scope, resource, apikey)
    if (withDevices) {
      for (const device of this.devicesOfGroup(group)) {
        try {
          await this.removeDevice(device)
        } catch (err) {
          this.log.error('PROVISIONING-GROUP', `device ${device.device_id} of the removed group could not be removed: ${(err as Error).message}`)
        }
      }
    }
    await this.registry.removeGroup(group)
  }

  /**
   * The devices a group owns: those of its service and subservice stored with its apikey, and those
   * stored without apikey whose entity type is the group's (the seed tutorial's device001 is
   * provisioned without apikey and is still a device of the tutorial's group).
   */
  devicesOfGroup(group: ServiceGroup): Device[] {
    return this.registry
      .devicesOf(group.service, group.subservice)
      .filter((d) => d.apikey === group.apikey || (d.apikey === undefined && d.entity_type === group.entity_type))
  }

  /** The group (resource, apikey), which must belong to the request's service and subservice. */
  private owned(scope: Scope, resource: string, apikey: string): ServiceGroup {
    const group = this.registry.findGroup(resource, apikey)
    if (!group) throw iotaErrors.groupNotFound({ resource, apikey })
    if (group.service !== scope.service.toLowerCase() || group.subservice !== scope.servicePath) throw iotaErrors.mismatchedService()
    return group
  }
}
