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

export type LessonProvisioning = Pick<Provisioning, 'listDevices' | 'deleteDevice' | 'listGroups' | 'deleteGroup'>

/** `provisioning`: each agent's (UltraLight, and JSON when the engine has it). */
export async function clearLessonTenant(lesson: Lesson, provisioning: LessonProvisioning | readonly LessonProvisioning[], context: TenantContext): Promise<ResetCounts> {
  const scope = { service: lesson.service, servicePath: lesson.servicePath }
  const agents = Array.isArray(provisioning) ? (provisioning as readonly LessonProvisioning[]) : [provisioning as LessonProvisioning]
  let devices = 0
  let groups = 0
  for (const agent of agents) {
    for (const d of agent.listDevices(scope).items) {
      await agent.deleteDevice(scope, d.device_id, d.apikey)
      devices++
    }
    for (const g of agent.listGroups(scope).items) {
      await agent.deleteGroup(scope, g.resource, g.apikey)
      groups++
    }
  }
  return { devices, groups, ...(await context.clear(scope)) }
}
