/**
 * The seed tutorial ("Agente IoT UltraLight sobre MQTT", tutorial 7 of the Postman collection):
 * its tenant, its service group and its device001, exactly as the collection provisions them.
 */
import type { DeviceForm, GroupForm } from './provisioning-forms'

export const T7_APIKEY = '4jggokgpepnvsb2uv4s40d59ov'
export const T7_SCOPE = { service: 'openiot', servicePath: '/' }
export const T7_DEVICE_ID = 'device001'
export const T7_ENTITY = { id: 'urn:ngsi-ld:Device:001', type: 'Device' }
/** The collection's group body also has `"cbroker": "http://orion:1026"`, which the agent ignores. */
export const T7_CBROKER = 'http://orion:1026'

/** `apikey`: a trainee of classroom mode has an own key instead of the tutorial's. */
export function tutorialGroup(apikey = T7_APIKEY): GroupForm {
  return { apikey, resource: '', entity_type: 'Device', autoprovision: true, attributes: [], commands: [], static_attributes: [] }
}

export function tutorialDevice(): DeviceForm {
  return {
    device_id: T7_DEVICE_ID,
    entity_name: T7_ENTITY.id,
    entity_type: T7_ENTITY.type,
    protocol: 'PDI-IoTA-UltraLight',
    transport: 'MQTT',
    endpoint: '',
    apikey: '',
    attributes: [
      { object_id: 't', name: 'temperature', type: 'Number' },
      { object_id: 'rh', name: 'relativeHumidity', type: 'Number' }
    ],
    commands: [
      { name: 'switch', type: 'command' },
      { name: 'interval', type: 'command' }
    ],
    static_attributes: [{ name: 'refStore', type: 'Relationship', value: 'urn:ngsi-ld:Store:001' }]
  }
}
