/**
 * Clearing a lesson's tenant (`lessons.reset`): its devices, groups, entities, registrations and
 * subscriptions, nothing of another tenant. The scope is the lesson's service AND its service
 * path, exactly: for the default tenant ('') as for any other, data of other service paths stays.
 * Devices go first through the agent's provisioning, which also removes the registrations it made
 * for their commands (docs/compatibility/iot-agent-ul.md §1.3); then the context broker's data.
 */
import type { Lesson } from '../../../shared/lessons'
import type { Provisioning } from '../agent/provisioning'
import type { TenantContext } from './tenant-context'

export interface ResetCounts {
  devices: number
  groups: number
  entities: number
  registrations: number
  subscriptions: number
}

export async function clearLessonTenant(lesson: Lesson, provisioning: Pick<Provisioning, 'listDevices' | 'deleteDevice' | 'listGroups' | 'deleteGroup'>, context: TenantContext): Promise<ResetCounts> {
  const scope = { service: lesson.service, servicePath: lesson.servicePath }
  let devices = 0
  for (const d of provisioning.listDevices(scope).items) {
    await provisioning.deleteDevice(scope, d.device_id, d.apikey)
    devices++
  }
  let groups = 0
  for (const g of provisioning.listGroups(scope).items) {
    await provisioning.deleteGroup(scope, g.resource, g.apikey)
    groups++
  }
  return { devices, groups, ...(await context.clear(scope)) }
}
