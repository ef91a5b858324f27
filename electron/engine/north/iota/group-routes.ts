import type { FastifyInstance } from 'fastify'
import type { Provisioning } from '../../agent/provisioning'
import { groupToApi } from '../../agent/provisioning-format'
import type { GroupInput } from '../../agent/provisioning-types'
import { bodyChecker, page, queryParam, requiredParams, tenant } from './request'
import { CreateGroupsBody, CreateServicesBody, UpdateGroupBody } from './schemas'

const checkServices = bodyChecker(CreateServicesBody)
const checkGroups = bodyChecker(CreateGroupsBody)
const checkPatch = bodyChecker(UpdateGroupBody)

/**
 * Config groups (docs/compatibility/iot-agent-ul.md §1.2). `/iot/services` (deprecated) and `/iot/groups` are the
 * same handlers; only the key of the array in bodies differs.
 */
export function groupRoutes(app: FastifyInstance, provisioning: Provisioning): void {
  const paths = [
    { path: '/iot/services', key: 'services', items: (body: unknown): GroupInput[] => checkServices(body).services },
    { path: '/iot/groups', key: 'groups', items: (body: unknown): GroupInput[] => checkGroups(body).groups }
  ]
  for (const { path, key, items } of paths) {
    app.post(path, async (req, reply) => {
      const scope = tenant(req)
      await provisioning.createGroups(scope, items(req.body))
      return reply.code(201).send({})
    })

    app.get(path, async (req) => {
      const scope = tenant(req)
      const { count, items: groups } = provisioning.listGroups(scope, page(req))
      return { count, [key]: groups.map(groupToApi) }
    })

    app.put(path, async (req, reply) => {
      const scope = tenant(req)
      const { resource, apikey } = requiredParams(req, ['resource', 'apikey'])
      // A PUT without a JSON body changes nothing, as in FIWARE.
      await provisioning.updateGroup(scope, resource, apikey, checkPatch(req.body ?? {}))
      return reply.code(204).send()
    })

    app.delete(path, async (req, reply) => {
      const scope = tenant(req)
      const { resource, apikey } = requiredParams(req, ['resource', 'apikey'])
      // FIWARE removes the devices for any value of `device`, "false" included; we want "true".
      const devices = queryParam(req, 'device')?.toLowerCase() === 'true'
      await provisioning.deleteGroup(scope, resource, apikey, { devices })
      return reply.code(204).send()
    })
  }
}
