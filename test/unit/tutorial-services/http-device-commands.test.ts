import { describe, expect, it } from 'vitest'
import { deviceLabel, formatDeviceAnswer, intervalSeconds, parseDeviceCommand, switchWanted } from '../../../electron/engine/tutorial-services/http-device-commands'
import { agentDeviceLookup, endpointPath, joinLookups } from '../../../electron/engine/tutorial-services/http-device-lookup'
import type { Device, ServiceGroup } from '../../../electron/engine/registry/types'

/** What the built-in dummy device reads in a command request and answers (docs/compatibility/tutorial-services.md §4.1). */
describe('HTTP device command requests', () => {
  it('reads the JSON agent’s {"<cmd>": value} and the UltraLight agent’s <id>@<cmd>|<value>', () => {
    expect(parseDeviceCommand('{"interval": "15"}', 'application/json')).toEqual({ protocol: 'json', command: 'interval', value: '15' })
    expect(parseDeviceCommand('{"switch": ""}', undefined)).toEqual({ protocol: 'json', command: 'switch', value: '' })
    expect(parseDeviceCommand('device001@start|', 'text/plain')).toEqual({ protocol: 'ul', deviceId: 'device001', command: 'start', value: '' })
    expect(parseDeviceCommand('device001@interval|15', 'text/plain')).toEqual({ protocol: 'ul', deviceId: 'device001', command: 'interval', value: 15 })
    expect(parseDeviceCommand('device001@stop', 'text/plain')).toEqual({ protocol: 'ul', deviceId: 'device001', command: 'stop', value: '' })
  })

  it('takes the first known command in the tutorial device’s order', () => {
    expect(parseDeviceCommand('{"other": 1, "stop": "", "start": ""}', 'application/json')).toMatchObject({ command: 'start' })
  })

  it('refuses what is not a command with 400 and an unknown command with the device’s 405', () => {
    for (const body of ['', '   ', '{bad', '[1,2]', '"start"', 'null', 'hello world', 'dev@|x']) {
      expect(parseDeviceCommand(body, body.startsWith('{') ? 'application/json' : 'text/plain')).toMatchObject({ status: 400 })
    }
    expect(parseDeviceCommand('{"explode": 1}', 'application/json')).toEqual({ status: 405, body: { error: 'Method not allowed' } })
    expect(parseDeviceCommand('dev@explode|1', 'text/plain')).toEqual({ status: 405, body: { error: 'Method not allowed' } })
    // A prototype key is not a command.
    expect(parseDeviceCommand('{"constructor": 1}', 'application/json')).toMatchObject({ status: 405 })
  })

  it('reads intervals in seconds, within bounds', () => {
    expect(intervalSeconds('15')).toBe(15)
    expect(intervalSeconds(' 10 ')).toBe(10)
    expect(intervalSeconds(2)).toBe(2)
    expect(intervalSeconds('0.5')).toBe(0.5)
    for (const bad of ['', 'fast', '-1', '0', 0, 0.1, '1e3', 86_401, NaN, Infinity, null, {}, [5]]) expect(intervalSeconds(bad)).toBeUndefined()
  })

  it('reads switch values: on, off, or toggle for what the tutorials send', () => {
    expect(switchWanted('')).toBe('toggle')
    expect(switchWanted('ON')).toBe('on')
    expect(switchWanted(true)).toBe('on')
    expect(switchWanted('off')).toBe('off')
    expect(switchWanted(0)).toBe('off')
    expect(switchWanted({})).toBe('toggle')
  })

  it('answers in the request’s syntax', () => {
    expect(formatDeviceAnswer({ protocol: 'json', command: 'interval', value: '15' }, 'Interval changed')).toEqual({ contentType: 'application/json', body: '{"interval":"Interval changed"}' })
    expect(formatDeviceAnswer({ protocol: 'ul', deviceId: 'd1', command: 'start', value: '' }, 'DHT22 started')).toEqual({ contentType: 'text/plain; charset=utf-8', body: 'd1@start|DHT22 started' })
    expect(deviceLabel('/dht22')).toBe('DHT22')
    expect(deviceLabel('/a/device1/')).toBe('DEVICE1')
    expect(deviceLabel('/')).toBe('DEVICE')
  })
})

describe('which provisioned devices a path stands for', () => {
  const device = (over: Partial<Device>): Device => ({ device_id: 'd', service: 'openiot', service_path: '/', entity_name: 'e', entity_type: 'Device', lazy: [], commands: [], static_attributes: [], ...over })
  const group = (over: Partial<ServiceGroup>): ServiceGroup => ({ _id: 'g', apikey: 'KEY', resource: '/iot/json', service: 'openiot', subservice: '/', entity_type: 'Device', ...over })
  const source = (devices: Device[], groups: ServiceGroup[] = []) => ({
    devicesOf: (s: string, p: string) => devices.filter((d) => d.service === s && d.service_path === p),
    groupsOf: (s: string, p: string) => groups.filter((g) => g.service === s && g.subservice === p)
  })
  const opts = { protocol: 'json' as const, measurePath: () => '/iot/json', defaultKey: () => '1234' }

  it('matches the endpoint path, whatever its host, in the tenant asked', () => {
    const lookup = agentDeviceLookup(
      source([
        device({ device_id: 'a', endpoint: 'http://dummy-device:80/dht22', attributes: [{ object_id: 'temperature', name: 'temperature', type: 'Number' }, { object_id: 'humidity', name: 'relativeHumidity', type: 'Number' }] }),
        device({ device_id: 'b', endpoint: 'http://dummy-device:80/device1', attributes: [{ object_id: 't', name: 'temperature', type: 'Number' }, { object_id: 'rh', name: 'relativeHumidity', type: 'Number' }] }),
        device({ device_id: 'c', service: 'other', endpoint: 'http://x/dht22' })
      ], [group({})]),
      opts
    )
    expect(lookup('openiot', '/', '/dht22')).toEqual([{ protocol: 'json', service: 'openiot', servicePath: '/', deviceId: 'a', apikey: 'KEY', measurePath: '/iot/json', temperatureKey: 'temperature', humidityKey: 'humidity' }])
    expect(lookup('openiot', '/', '/device1')).toMatchObject([{ deviceId: 'b', temperatureKey: 't', humidityKey: 'rh' }])
    expect(lookup('other', '/', '/dht22')).toMatchObject([{ deviceId: 'c', apikey: '1234', temperatureKey: 'temperature', humidityKey: 'humidity' }])
    expect(lookup('openiot', '/x', '/dht22')).toEqual([])
    expect(lookup('openiot', '/', '/nothing')).toEqual([])
  })

  it('takes the device’s own key first, and a group endpoint when the device has none', () => {
    const lookup = agentDeviceLookup(source([device({ device_id: 'a', apikey: 'OWN' }), device({ device_id: 'b' })], [group({ endpoint: 'http://dummy-device/dht22' })]), opts)
    expect(lookup('openiot', '/', '/dht22').map((t) => [t.deviceId, t.apikey])).toEqual([['a', 'OWN'], ['b', 'KEY']])
  })

  it('joins agents', () => {
    const ul = agentDeviceLookup(source([device({ device_id: 'u', endpoint: 'http://h/p' })]), { ...opts, protocol: 'ul', measurePath: () => '/iot/d' })
    const json = agentDeviceLookup(source([device({ device_id: 'j', endpoint: 'http://h/p' })]), opts)
    expect(joinLookups(ul, undefined, json)('openiot', '/', '/p').map((t) => `${t.protocol}:${t.deviceId}:${t.measurePath}`)).toEqual(['ul:u:/iot/d', 'json:j:/iot/json'])
  })

  it('reads endpoint paths of http(s) URLs only', () => {
    expect(endpointPath('http://dummy-device:80/dht22')).toBe('/dht22')
    expect(endpointPath('https://h/a%20b')).toBe('/a%20b')
    expect(endpointPath('mqtt://h/x')).toBeUndefined()
    expect(endpointPath('not a url')).toBeUndefined()
    expect(endpointPath(undefined)).toBeUndefined()
  })
})
