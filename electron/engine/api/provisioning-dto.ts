import type { DeviceDto, DeviceItemDto, GroupDto, GroupItemDto } from '../../../shared/contract'
import { deviceToApi, groupToApi } from '../agent/provisioning-format'
import type { Device, ServiceGroup } from '../registry/types'

/**
 * The provisioning records in the contract's terms. The registry stores groups and devices with
 * the field names and types of the provisioning API, and the API representation (groupToApi,
 * deviceToApi) only copies or drops fields of a record: the two checks below make the compiler
 * prove that every stored field has the type the contract gives it, so the representation does.
 */
const groupFields = (g: ServiceGroup): GroupDto => g
const deviceFields = (d: Device): DeviceDto => d
void groupFields
void deviceFields

/** A group as `GET /iot/services` lists it. */
export const groupDto = (g: ServiceGroup): GroupDto => groupToApi(g) as unknown as GroupDto

/** A device as `GET /iot/devices/:id` returns it. */
export const deviceDto = (d: Device): DeviceDto => deviceToApi(d) as unknown as DeviceDto

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
