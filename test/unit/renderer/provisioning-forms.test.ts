import { describe, expect, it } from 'vitest'
import {
  deviceFormFrom,
  deviceItem,
  devicePatch,
  emptyDevice,
  emptyGroup,
  generateApiKey,
  groupFormFrom,
  groupItem,
  groupPatch,
  recreateDevice,
  recreateGroup,
  staticValue,
  validateDevice,
  validateGroup,
  type DeviceForm,
  type Problem
} from '../../../renderer/src/services/provisioning-forms'
import { tutorial6Device, tutorial6Group } from '../../../renderer/src/services/tutorial6'
import { tutorialDevice, tutorialGroup } from '../../../renderer/src/services/tutorial7'
import type { DeviceDto, GroupDto } from '../../../shared/contract'
import { CREATE_SERVICE_BODY, PROVISION_DEVICE_BODY } from '../../fixtures/tutorial6'
import { DEVICE, SERVICE_GROUP } from '../../fixtures/tutorial7'

/** The bodies of the tutorial's "Criar um serviço" (without its ignored cbroker) and "Provisionar um dispositivo". */
const POSTMAN_GROUP = { apikey: SERVICE_GROUP.apikey, entity_type: SERVICE_GROUP.entity_type, resource: SERVICE_GROUP.resource }
const POSTMAN_DEVICE = DEVICE

describe('the Tutorial 7 preset', () => {
  it('is the collection’s group (without its ignored cbroker)', () => {
    expect(groupItem(tutorialGroup())).toEqual(POSTMAN_GROUP)
    expect(validateGroup(tutorialGroup())).toEqual([])
  })

  it('is the collection’s device001, in the same order', () => {
    const item = deviceItem(tutorialDevice())
    expect(item).toEqual(POSTMAN_DEVICE)
    expect(JSON.stringify(item)).toBe(JSON.stringify(POSTMAN_DEVICE))
    expect(validateDevice(tutorialDevice())).toEqual([])
  })
})

describe('the Tutorial 6 preset (IoT Agent JSON)', () => {
  it('is the collection’s group (without its ignored cbroker)', () => {
    const { cbroker, ...group } = CREATE_SERVICE_BODY.services[0]!
    void cbroker
    expect(groupItem(tutorial6Group())).toEqual(group)
    expect(validateGroup(tutorial6Group())).toEqual([])
  })

  it('is the collection’s HTTP device001 with its endpoint, in the same order', () => {
    const item = deviceItem(tutorial6Device())
    expect(JSON.stringify(item)).toBe(JSON.stringify(PROVISION_DEVICE_BODY.devices[0]))
    expect(validateDevice(tutorial6Device())).toEqual([])
  })
})

describe('the endpoint of an HTTP device', () => {
  const keysOf = (p: Problem[]): string[] => p.map((x) => `${x.field}:${x.key}`)
  const http = (endpoint: string): DeviceForm => ({ ...emptyDevice(), device_id: 'd1', transport: 'HTTP', endpoint })

  it('is sent for an HTTP device only, and may stay empty (a polling device)', () => {
    expect(deviceItem(http(' http://10.0.0.7:80/dht22 ')).endpoint).toBe('http://10.0.0.7:80/dht22')
    expect(deviceItem(http(''))).not.toHaveProperty('endpoint')
    expect(deviceItem({ ...http('http://10.0.0.7/x'), transport: 'MQTT' })).not.toHaveProperty('endpoint')
    expect(validateDevice(http(''))).toEqual([])
  })

  it('must be an http or https address', () => {
    for (const bad of ['dummy-device:80/dht22', 'ftp://host/x', 'http://', 'not a url']) {
      expect(keysOf(validateDevice(http(bad)))).toEqual(['endpoint:form.problem.endpointUrl'])
    }
    expect(validateDevice(http('https://device.lan:8443/cmd'))).toEqual([])
    // An MQTT device's leftover endpoint is neither sent nor checked.
    expect(validateDevice({ ...http('not a url'), transport: 'MQTT' })).toEqual([])
  })

  it('comes back into the form when the device is edited', () => {
    const record = { ...PROVISION_DEVICE_BODY.devices[0]!, service: 'openiot', service_path: '/' } as DeviceDto
    const form = deviceFormFrom(record)
    expect(form.endpoint).toBe('http://dummy-device:80/dht22')
    expect(devicePatch(form).endpoint).toBe('http://dummy-device:80/dht22')
  })
})

describe('validation', () => {
  const keysOf = (p: Problem[]): string[] => p.map((x) => `${x.field}:${x.key}`)

  it('asks for what a group needs, in plain words', () => {
    expect(keysOf(validateGroup(emptyGroup()))).toEqual(['apikey:form.problem.apikeyRequired', 'entity_type:form.problem.entityTypeRequired'])
    expect(keysOf(validateGroup({ ...emptyGroup(), apikey: 'a b/c', entity_type: 'T' }))).toEqual(['apikey:form.problem.apikeyChars'])
  })

  it('checks device ids, attribute rows, duplicates and static values', () => {
    const f: DeviceForm = { ...emptyDevice(), device_id: 'dev@1' }
    f.attributes = [
      { object_id: 't', name: 'temperature', type: 'Number' },
      { object_id: 't', name: 'temp2', type: '' },
      { object_id: '', name: '', type: 'Text' },
      { object_id: 'x', name: 'a=b', type: 'Text' }
    ]
    f.commands = [{ name: 'temperature', type: 'command' }, { name: '', type: 'command' }]
    f.static_attributes = [{ name: 'n', type: 'Number', value: 'abc' }]
    expect(keysOf(validateDevice(f))).toEqual([
      'device_id:form.problem.deviceIdChars',
      'attributes.1.type:form.problem.typeRequired',
      'attributes.1.object_id:form.problem.duplicateObjectId',
      'attributes.2.name:form.problem.attributeNeedsName',
      'attributes.3.name:form.problem.forbiddenChars',
      'commands.0.name:form.problem.duplicateName',
      'commands.1.name:form.problem.commandNeedsName',
      'static_attributes.0.value:form.problem.notANumber'
    ])
  })

  it('turns static values into JSON by their type', () => {
    expect(staticValue({ name: 'a', type: 'Number', value: '4.5' })).toEqual({ value: 4.5 })
    expect(staticValue({ name: 'a', type: 'Boolean', value: 'true' })).toEqual({ value: true })
    expect(staticValue({ name: 'a', type: 'StructuredValue', value: '{"a":1}' })).toEqual({ value: { a: 1 } })
    expect(staticValue({ name: 'a', type: 'StructuredValue', value: '{' }).problem).toBe('form.problem.notJson')
    expect(staticValue({ name: 'a', type: 'Text', value: ' x ' })).toEqual({ value: ' x ' })
  })
})

describe('records and patches', () => {
  it('round-trips a listed device through the form', () => {
    const listed = { ...POSTMAN_DEVICE, service: 'openiot', service_path: '/', polling: false }
    const form = deviceFormFrom(listed)
    expect(deviceItem(form)).toEqual(POSTMAN_DEVICE)
    const patch = devicePatch(form)
    expect(patch).not.toHaveProperty('device_id')
    expect(patch.attributes).toEqual(POSTMAN_DEVICE.attributes)
  })

  it('round-trips a listed group through the form; its patch leaves the identity out', () => {
    const listed = { _id: 'x', service: 'openiot', subservice: '/', ...POSTMAN_GROUP, autoprovision: false }
    const form = groupFormFrom(listed)
    expect(groupItem(form)).toEqual({ ...POSTMAN_GROUP, autoprovision: false })
    expect(groupPatch(form)).toEqual({ entity_type: 'Device', autoprovision: false })
  })

  it('re-creates a deleted record without the fields the agent adds', () => {
    expect(recreateGroup({ _id: '1', service: 's', subservice: '/', apikey: 'k', resource: '' } as GroupDto)).toEqual({ apikey: 'k', resource: '' })
    expect(recreateDevice({ device_id: 'd', service: 's', service_path: '/', polling: true } as DeviceDto)).toEqual({ device_id: 'd' })
  })

  it('generates API keys like the tutorial’s', () => {
    const key = generateApiKey((n) => Uint8Array.from({ length: n }, (_, i) => i * 7))
    expect(key).toMatch(/^[a-z0-9]{26}$/)
    expect(generateApiKey()).not.toBe(generateApiKey())
  })
})
