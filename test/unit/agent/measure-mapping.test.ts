import { describe, expect, it } from 'vitest'
import { defaultConfig } from '../../../electron/engine/config/defaults'
import { compileEffectiveDevice } from '../../../electron/engine/agent/effective-device'
import { commandStatusUpdate, mapMeasures, MappingError } from '../../../electron/engine/agent/measure-mapping'
import type { Device, ServiceGroup } from '../../../electron/engine/registry/types'

const NOW = '2026-11-25T10:00:00.000Z'
const now = (): string => NOW
const iota = defaultConfig('/tmp').iota

function seedDevice(over: Partial<Device> = {}): Device {
  return {
    device_id: 'device001',
    service: 'openiot',
    service_path: '/',
    entity_name: 'urn:ngsi-ld:Device:001',
    entity_type: 'Device',
    transport: 'MQTT',
    attributes: [
      { object_id: 't', name: 'temperature', type: 'Number' },
      { object_id: 'rh', name: 'relativeHumidity', type: 'Number' }
    ],
    lazy: [],
    commands: [
      { name: 'switch', type: 'command' },
      { name: 'interval', type: 'command' }
    ],
    static_attributes: [{ name: 'refStore', type: 'Relationship', value: 'urn:ngsi-ld:Store:001' }],
    ...over
  }
}

const values = (o: Record<string, unknown>): Map<string, unknown> => new Map(Object.entries(o))

describe('mapMeasures', () => {
  it('maps the seed measure as iotagent-ul does with IOTA_TIMESTAMP=true (docs/compatibility/iot-agent-ul.md §4.9 step 3)', () => {
    const dev = compileEffectiveDevice(seedDevice(), undefined, iota, 'k')
    const { updates } = mapMeasures(dev, values({ t: 25.3, rh: 60 }), undefined, now)
    const ti = { TimeInstant: { type: 'DateTime', value: NOW } }
    expect(updates).toEqual([
      {
        id: 'urn:ngsi-ld:Device:001',
        type: 'Device',
        attrs: {
          refStore: { type: 'Relationship', value: 'urn:ngsi-ld:Store:001', metadata: ti },
          temperature: { type: 'Number', value: 25.3, metadata: ti },
          relativeHumidity: { type: 'Number', value: 60, metadata: ti },
          TimeInstant: { type: 'DateTime', value: NOW }
        }
      }
    ])
    expect(Object.keys(updates[0]!.attrs)).toEqual(['refStore', 'temperature', 'relativeHumidity', 'TimeInstant'])
  })

  it('lists provisioned attributes in provisioning order and un-mapped keys after them, as Text', () => {
    const dev = compileEffectiveDevice(seedDevice({ timestamp: false }), undefined, iota, 'k')
    const { updates } = mapMeasures(dev, values({ extra: 'x', rh: 1, t: 2, id: 5, type: 'y' }), undefined, now)
    expect(Object.keys(updates[0]!.attrs)).toEqual(['refStore', 'temperature', 'relativeHumidity', 'extra', 'measure_id', 'measure_type'])
    expect(updates[0]!.attrs.extra).toEqual({ type: 'Text', value: 'x' })
    expect(updates[0]!.attrs.temperature).toEqual({ type: 'Number', value: 2 })
  })

  it('gives an un-mapped key the type of a provisioned attribute with that name', () => {
    const dev = compileEffectiveDevice(seedDevice({ timestamp: false }), undefined, iota, 'k')
    const { updates } = mapMeasures(dev, values({ temperature: 3 }), undefined, now)
    expect(updates[0]!.attrs.temperature).toEqual({ type: 'Number', value: 3 })
  })

  it('drops a provisioned attribute whose value is null but sends an un-mapped null', () => {
    const dev = compileEffectiveDevice(seedDevice({ timestamp: false }), undefined, iota, 'k')
    const { updates } = mapMeasures(dev, values({ t: null, other: null }), undefined, now)
    expect(updates[0]!.attrs).not.toHaveProperty('temperature')
    expect(updates[0]!.attrs.other).toEqual({ type: 'Text', value: null })
  })

  it('uses the UltraLight timestamp prefix as TimeInstant when timestamps are on', () => {
    const dev = compileEffectiveDevice(seedDevice(), undefined, iota, 'k')
    const m = mapMeasures(dev, values({ t: 1 }), '2016-06-13T00:35:30Z', now)
    expect(m.timeInstant).toBe('2016-06-13T00:35:30Z')
    expect(m.updates[0]!.attrs.TimeInstant).toEqual({ type: 'DateTime', value: '2016-06-13T00:35:30Z' })
    expect(m.updates[0]!.attrs.temperature!.metadata).toEqual({ TimeInstant: { type: 'DateTime', value: '2016-06-13T00:35:30Z' } })
  })

  it('rejects a timestamp that is not ISO 8601 when timestamps are on', () => {
    const dev = compileEffectiveDevice(seedDevice(), undefined, iota, 'k')
    expect(() => mapMeasures(dev, values({ t: 1 }), 'yesterday', now)).toThrow(MappingError)
    expect(() => mapMeasures(dev, values({ TimeInstant: 'a', t: 1 }), undefined, now)).toThrow(/not an ISO 8601/)
  })

  it('sends the timestamp prefix as a plain DateTime attribute when timestamps are off', () => {
    const dev = compileEffectiveDevice(seedDevice({ timestamp: false }), undefined, iota, 'k')
    const { updates } = mapMeasures(dev, values({ t: 1 }), 'T1', now)
    expect(updates[0]!.attrs.TimeInstant).toEqual({ type: 'DateTime', value: 'T1' })
    expect(updates[0]!.attrs.temperature).toEqual({ type: 'Number', value: 1 })
  })

  it('types <cmd>_status / <cmd>_info reported as measures as command attributes and reports them', () => {
    const dev = compileEffectiveDevice(seedDevice({ timestamp: false }), undefined, iota, 'k')
    const m = mapMeasures(dev, values({ switch_status: 'OK', switch_info: 'Started sending data' }), undefined, now)
    expect(m.updates[0]!.attrs.switch_status).toEqual({ type: 'commandStatus', value: 'OK' })
    expect(m.updates[0]!.attrs.switch_info).toEqual({ type: 'commandResult', value: 'Started sending data' })
    expect(m.commandReports).toEqual([{ command: 'switch', status: 'OK', info: 'Started sending data' }])
  })

  it('keeps only provisioned attributes and statics with explicitAttrs', () => {
    const dev = compileEffectiveDevice(seedDevice({ timestamp: false, explicitAttrs: true }), undefined, iota, 'k')
    const { updates } = mapMeasures(dev, values({ t: 1, junk: 2 }), undefined, now)
    expect(Object.keys(updates[0]!.attrs)).toEqual(['refStore', 'temperature'])
  })

  it('sends nothing when only id/type would remain', () => {
    const dev = compileEffectiveDevice(seedDevice({ timestamp: false, static_attributes: [], explicitAttrs: true }), undefined, iota, 'k')
    expect(mapMeasures(dev, values({ junk: 2 }), undefined, now).updates).toEqual([])
  })

  it('merges the group: device values win, group attributes and statics are added', () => {
    const group: ServiceGroup = {
      _id: 'g',
      service: 'openiot',
      subservice: '/',
      resource: '',
      apikey: 'k',
      entity_type: 'Device',
      timestamp: false,
      attributes: [
        { object_id: 't', name: 'groupTemperature', type: 'Text' },
        { object_id: 'p', name: 'pressure', type: 'Number' }
      ],
      static_attributes: [{ name: 'owner', type: 'Text', value: 'school' }]
    }
    const dev = compileEffectiveDevice(seedDevice({ timestamp: undefined }), group, iota, 'k')
    const { updates } = mapMeasures(dev, values({ t: 1, p: 2 }), undefined, now)
    expect(updates[0]!.attrs).toEqual({
      refStore: { type: 'Relationship', value: 'urn:ngsi-ld:Store:001' },
      owner: { type: 'Text', value: 'school' },
      temperature: { type: 'Number', value: 1 },
      pressure: { type: 'Number', value: 2 }
    })
  })

  it('sends attributes with entity_name to their own entity (multi-entity)', () => {
    const dev = compileEffectiveDevice(
      seedDevice({ timestamp: false, static_attributes: [], attributes: [{ object_id: 'l', name: 'level', type: 'Number', entity_name: 'urn:Tank:1', entity_type: 'Tank' }] }),
      undefined,
      iota,
      'k'
    )
    const { updates } = mapMeasures(dev, values({ l: 3, x: 1 }), undefined, now)
    expect(updates).toEqual([
      { id: 'urn:ngsi-ld:Device:001', type: 'Device', attrs: { x: { type: 'Text', value: 1 } } },
      { id: 'urn:Tank:1', type: 'Tank', attrs: { level: { type: 'Number', value: 3 } } }
    ])
  })
})

describe('commandStatusUpdate', () => {
  it('writes status, info and the static attributes (docs/compatibility/iot-agent-ul.md §5 step 6)', () => {
    const dev = compileEffectiveDevice(seedDevice({ timestamp: false }), undefined, iota, 'k')
    expect(commandStatusUpdate(dev, 'switch', 'OK', 'switched on', now)).toEqual({
      id: 'urn:ngsi-ld:Device:001',
      type: 'Device',
      attrs: {
        refStore: { type: 'Relationship', value: 'urn:ngsi-ld:Store:001' },
        switch_status: { type: 'commandStatus', value: 'OK' },
        switch_info: { type: 'commandResult', value: 'switched on' }
      }
    })
  })

  it('leaves _info out of a PENDING update', () => {
    const dev = compileEffectiveDevice(seedDevice(), undefined, iota, 'k')
    const u = commandStatusUpdate(dev, 'switch', 'PENDING', undefined, now)
    expect(Object.keys(u.attrs)).toEqual(['refStore', 'switch_status', 'TimeInstant'])
  })
})
