import type { DeviceDto, DeviceItemDto, GroupDto, GroupItemDto } from '../../../shared/contract'
import { deviceToApi, groupToApi } from '../agent/provisioning-format'
import type { Device, ServiceGroup } from '../registry/types'

/** A group as `GET /iot/services` lists it. */
export const groupDto = (g: ServiceGroup): GroupDto => groupToApi(g)

/** A device as `GET /iot/devices/:id` returns it. */
export const deviceDto = (d: Device): DeviceDto => deviceToApi(d)

/** A group as `POST /iot/services` takes it: without `_id`, `creationDate` and the scope, which the importing scope gives. */
export function groupItemDto(g: ServiceGroup): GroupItemDto {
  const { _id, creationDate, service, subservice, ...item } = groupDto(g)
  void [_id, creationDate, service, subservice]
  return item
}

/** A device as `POST /iot/devices` takes it: without the scope, which the importing scope gives. */
export function deviceItemDto(d: Device): DeviceItemDto {
  const { service, service_path, ...item } = deviceDto(d)
  void [service, service_path]
  return item
}
