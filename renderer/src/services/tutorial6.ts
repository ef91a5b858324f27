/**
 * Tutorial 6 ("Agente IoT JSON sobre HTTP" of the Postman collection): its service group and its
 * device001 on the IoT Agent JSON, exactly as the collection provisions them. The device's
 * `endpoint` names the tutorials' Docker host `dummy-device`, which the engine routes to its
 * built-in HTTP devices when the name does not resolve (docs/compatibility/tutorial-services.md).
 */
import type { DeviceForm, GroupForm } from './provisioning-forms'
import { T7_APIKEY } from './tutorial7'

/** The collection's tutorial 6 uses the same API key as tutorial 7. */
export const T6_APIKEY = T7_APIKEY
export const T6_RESOURCE = '/iot/json'
export const T6_ENDPOINT = 'http://dummy-device:80/dht22'

/** `apikey`: a trainee of classroom mode has an own key instead of the tutorial's. */
export function tutorial6Group(apikey = T6_APIKEY): GroupForm {
  return { apikey, resource: T6_RESOURCE, entity_type: 'Device', autoprovision: true, attributes: [], commands: [], static_attributes: [] }
}

export function tutorial6Device(): DeviceForm {
  return {
    device_id: 'device001',
    entity_name: 'urn:ngsi-ld:Device:001',
    entity_type: 'Device',
    protocol: '',
    transport: 'HTTP',
    endpoint: T6_ENDPOINT,
    apikey: '',
    attributes: [
      { object_id: 'temperature', name: 'temperature', type: 'Number' },
      { object_id: 'humidity', name: 'relativeHumidity', type: 'Number' }
    ],
    commands: [
      { name: 'start', type: 'command' },
      { name: 'stop', type: 'command' },
      { name: 'interval', type: 'command' }
    ],
    static_attributes: [{ name: 'refStore', type: 'Relationship', value: 'urn:ngsi-ld:Store:001' }]
  }
}
