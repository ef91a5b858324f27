import { compileExpression, contextOfItems, evaluateName } from '../expressions'
import type { Device, ServiceGroup } from '../registry/types'

/** What a device being created is named after. */
export type NewDevice = Pick<Device, 'device_id' | 'entity_type' | 'service' | 'service_path' | 'static_attributes'>

/**
 * The `entity_name` a device is stored with when it is created without one (through the API or
 * autoprovisioned), as the IoT Agent library names it (docs/compatibility/iot-agent-ul.md §1.3,
 * §3.4 step 4, §4.7): the result of its group's `entityNameExp` when there is one, else
 * `<entity_type><conjunction><device_id>`.
 *
 * The expression sees no measure here: only `id`, `type`, `service`, `subservice`, then the
 * device's static attributes and the group's (a later name wins), with numeric-looking text read
 * as numbers as the library does for this context. An empty result, `null`, or an error (a
 * missing variable in a transform, an expression that does not compile) gives the default name;
 * any other result is used as text (`'Room:' + room` without `room` gives `Room:undefined`).
 */
export function entityNameAtCreation(device: NewDevice, group: ServiceGroup | undefined, conjunction: string): string {
  const source = group?.entityNameExp
  if (typeof source === 'string' && source !== '') {
    const ctx = contextOfItems([
      { name: 'id', value: device.device_id },
      { name: 'type', value: device.entity_type },
      { name: 'service', value: device.service },
      { name: 'subservice', value: device.service_path },
      ...device.static_attributes,
      ...(group?.static_attributes ?? [])
    ])
    const name = evaluateName(compileExpression(source), ctx)
    // As the library stores a name: an object result becomes its text ('[object Object]').
    // eslint-disable-next-line @typescript-eslint/no-base-to-string
    if (name !== undefined) return String(name)
  }
  return `${device.entity_type}${conjunction}${device.device_id}`
}
