import type { FastifyInstance } from 'fastify'
import type { Provisioning } from '../../agent/provisioning'
import { deviceToApi } from '../../agent/provisioning-format'
import { bodyChecker, page, queryParam, tenant } from './request'
import { CreateDevicesBody, DeleteDevicesBody, UpdateDeviceBody } from './schemas'

const checkCreate = bodyChecker(CreateDevicesBody)
const checkUpdate = bodyChecker(UpdateDeviceBody)
const checkDelete = bodyChecker(DeleteDevicesBody)

type One = { Params: { deviceId: string } }

/** Devices (docs/compatibility/iot-agent-ul.md §1.3); `apikey` in the query selects among same-id devices. */
export function deviceRoutes(app: FastifyInstance, provisioning: Provisioning): void {
  app.post('/iot/devices', async (req, reply) => {
    const scope = tenant(req)
    await provisioning.createDevices(scope, checkCreate(req.body).devices)
    return reply.code(201).send({})
  })

  app.get('/iot/devices', async (req) => {
    const scope = tenant(req)
    const { count, items } = provisioning.listDevices(scope, page(req))
    return { count, devices: items.map(deviceToApi) }
  })

  app.get<One>('/iot/devices/:deviceId', async (req) => {
    const scope = tenant(req)
    return deviceToApi(provisioning.getDevice(scope, req.params.deviceId, queryParam(req, 'apikey')))
  })

  app.put<One>('/iot/devices/:deviceId', async (req, reply) => {
    const scope = tenant(req)
    // FIWARE validates a missing body as `{}`: a PUT without body changes nothing.
    const patch = checkUpdate(req.body ?? {})
    await provisioning.updateDevice(scope, req.params.deviceId, queryParam(req, 'apikey'), patch)
    return reply.code(204).send()
  })

  app.delete<One>('/iot/devices/:deviceId', async (req, reply) => {
    const scope = tenant(req)
    await provisioning.deleteDevice(scope, req.params.deviceId, queryParam(req, 'apikey'))
    return reply.code(204).send()
  })

  app.post('/iot/op/delete', async (req, reply) => {
    const scope = tenant(req)
    await provisioning.deleteDevices(scope, checkDelete(req.body).devices)
    return reply.code(204).send()
  })
}
