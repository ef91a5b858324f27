import { describe, expect, it } from 'vitest'
import { compileEffectiveDevice } from '../../../electron/engine/agent/effective-device'
import { mapMeasures, MappingError } from '../../../electron/engine/agent/measure-mapping'
import { defaultConfig } from '../../../electron/engine/config/defaults'
import type { AttributeDef, Device, ServiceGroup } from '../../../electron/engine/registry/types'

const NOW = '2026-11-25T10:00:00.000Z'
const now = (): string => NOW
const iota = defaultConfig('/tmp').iota
const values = (o: Record<string, unknown>): Map<string, unknown> => new Map(Object.entries(o))

function device(attributes: AttributeDef[], over: Partial<Device> = {}): Device {
  return {
    device_id: 'sensor01',
    service: 'openiot',
    service_path: '/',
    entity_name: 'urn:ngsi-ld:Sensor:01',
    entity_type: 'Sensor',
    transport: 'MQTT',
    timestamp: false,
    attributes,
    lazy: [],
    commands: [],
    static_attributes: [],
    ...over
  }
}

function group(over: Partial<ServiceGroup> = {}): ServiceGroup {
  return { _id: 'g1', service: 'openiot', subservice: '/', resource: '', apikey: 'k', entity_type: 'Sensor', ...over }
}

const map = (d: Device, v: Record<string, unknown>, g?: ServiceGroup, timestamp?: string) =>
  mapMeasures(compileEffectiveDevice(d, g, iota, 'k'), values(v), timestamp, now)

describe('attribute expressions in the measure pipeline', () => {
  it('replaces the value by the result ({"object_id":"t","name":"temperature","expression":"t*10"})', () => {
    const { updates } = map(device([{ object_id: 't', name: 'temperature', type: 'Number', expression: 't*10' }]), { t: 2.5 })
    expect(updates).toEqual([{ id: 'urn:ngsi-ld:Sensor:01', type: 'Sensor', attrs: { temperature: { type: 'Number', value: 25 } } }])
  })

  it('sees measures by raw key, statics, id, type, service, subservice and entity_name', () => {
    const d = device(
      [{ object_id: 'x', name: 'label', type: 'Text', expression: "[x, floor, id, type, service, subservice, entity_name]|joinarrtostr('/')" }],
      { static_attributes: [{ name: 'floor', type: 'Number', value: 3 }] }
    )
    const { updates } = map(d, { x: 'a' })
    expect(updates[0]!.attrs.label).toEqual({ type: 'Text', value: 'a/3/sensor01/Sensor/openiot///urn:ngsi-ld:Sensor:01' })
  })

  it('sees metadata of provisioned attributes as metadata.<attr>.<meta>', () => {
    const d = device([
      { object_id: 't', name: 'temperature', type: 'Number', metadata: { unitCode: { type: 'Text', value: 'CEL' } } },
      { name: 'unit', type: 'Text', expression: 'metadata.temperature.unitCode' }
    ])
    expect(map(d, { t: 1 }).updates[0]!.attrs.unit).toEqual({ type: 'Text', value: 'CEL' })
  })

  it('evaluates in provisioning order, each result visible to the later ones (the library example)', () => {
    const ordered = device([
      { name: 'correctedLevel', type: 'Number', expression: 'level * 0.5' },
      { name: 'normalizedLevel', type: 'Number', expression: 'correctedLevel / 100' }
    ])
    expect(map(ordered, { level: 80 }).updates[0]!.attrs).toMatchObject({ correctedLevel: { value: 40 }, normalizedLevel: { value: 0.4 } })

    const reversed = device([
      { name: 'normalizedLevel', type: 'Number', expression: 'correctedLevel / 100' },
      { name: 'correctedLevel', type: 'Number', expression: 'level * 0.5' }
    ])
    const attrs = map(reversed, { level: 80 }).updates[0]!.attrs
    expect(attrs).not.toHaveProperty('normalizedLevel')
    expect(attrs.correctedLevel).toEqual({ type: 'Number', value: 40 })

    const crossed = device([
      { name: 'a', type: 'Number', expression: 'b*10' },
      { name: 'b', type: 'Number', expression: 'a*10' }
    ])
    expect(map(crossed, { a: 10, b: 20 }).updates[0]!.attrs).toEqual({ a: { type: 'Number', value: 200 }, b: { type: 'Number', value: 2000 } })
  })

  it('leaves the attribute out when the result is null, undefined, NaN or an error, and keeps serving', () => {
    const d = device([
      { name: 'nan', type: 'Number', expression: 'missing * 2' },
      { name: 'undef', type: 'Number', expression: 'missing' },
      { name: 'err', type: 'Number', expression: 'x|split(",")' },
      { name: 'ok', type: 'Number', expression: 'x + 1' }
    ])
    const { updates } = map(d, { x: 1 })
    expect(updates[0]!.attrs).toEqual({ ok: { type: 'Number', value: 2 }, x: { type: 'Text', value: 1 } })
  })

  it('evaluates an expression whose inputs are missing (the library does: "spaces|trim" gives "undefined")', () => {
    const d = device([{ name: 'consumption', type: 'String', expression: 'spaces | trim' }])
    expect(map(d, { consumption: '0.44' }).updates[0]!.attrs.consumption).toEqual({ type: 'String', value: 'undefined' })
    expect(map(d, { consumption: '0.44', spaces: '  foobar  ' }).updates[0]!.attrs.consumption).toEqual({ type: 'String', value: 'foobar' })
  })

  it('drops the attribute when the result equals its skipValue', () => {
    const d = device([{ object_id: 's', name: 'state', type: 'Text', expression: "s == 0 ? 'skip' : 'on'", skipValue: 'skip' }])
    expect(map(d, { s: 0 }).updates).toEqual([])
    expect(map(d, { s: 1 }).updates[0]!.attrs.state).toEqual({ type: 'Text', value: 'on' })
  })

  it('keeps a null result when skipValue is something else', () => {
    const d = device([{ name: 'v', type: 'Number', expression: 'missing', skipValue: 'never' }])
    expect(map(d, { a: 1 }).updates[0]!.attrs.v).toEqual({ type: 'Number', value: null })
  })

  it('computes metadata given as expressions', () => {
    const d = device([
      { object_id: 'l', name: 'level', type: 'Number', metadata: { accuracy: { type: 'Number', value: 0, expression: 'l / 10' } as never } }
    ])
    expect(map(d, { l: 50 }).updates[0]!.attrs.level).toEqual({ type: 'Number', value: 50, metadata: { accuracy: { type: 'Number', value: 5 } } })
  })

  it('tries entity_name of a multi-entity attribute as an expression, falling back to its text', () => {
    const d = device([
      { object_id: 'v1', name: 'vol', type: 'Number', expression: 'v1*100', entity_name: "'Station' + v1" },
      { object_id: 'v2', name: 'vol', type: 'Number', entity_name: 'urn:ngsi-ld:Station:2' }
    ])
    expect(map(d, { v1: 1, v2: 2 }).updates).toEqual([
      { id: 'Station1', type: 'Sensor', attrs: { vol: { type: 'Number', value: 100 } } },
      { id: 'urn:ngsi-ld:Station:2', type: 'Sensor', attrs: { vol: { type: 'Number', value: 2 } } }
    ])
  })

  it('gives each measure the previous context as oldCtxt', () => {
    const dev = compileEffectiveDevice(device([{ object_id: 'c', name: 'delta', type: 'Number', expression: 'c - oldCtxt.c' }]), undefined, iota, 'k')
    expect(mapMeasures(dev, values({ c: 10 }), undefined, now).updates).toEqual([])
    expect(mapMeasures(dev, values({ c: 15 }), undefined, now).updates[0]!.attrs).toEqual({ delta: { type: 'Number', value: 5 } })
    expect(mapMeasures(dev, values({ c: 12 }), undefined, now).updates[0]!.attrs).toEqual({ delta: { type: 'Number', value: -3 } })
  })
})

describe('explicitAttrs given as an expression', () => {
  const attrs: AttributeDef[] = [
    { object_id: 't', name: 'temperature', type: 'Number' },
    { object_id: 'h', name: 'humidity', type: 'Number' }
  ]

  it('keeps only the listed attributes (by name or object_id), plus TimeInstant with timestamps', () => {
    const d = device(attrs, { explicitAttrs: "['temperature', {object_id: 'h'}]" })
    expect(Object.keys(map(d, { t: 1, h: 2, x: 3 }).updates[0]!.attrs)).toEqual(['temperature', 'humidity'])
    const withTime = device(attrs, { explicitAttrs: "t > 0 ? ['temperature'] : []", timestamp: true })
    expect(Object.keys(map(withTime, { t: 1, h: 2 }).updates[0]!.attrs)).toEqual(['temperature', 'TimeInstant'])
    expect(map(withTime, { t: -1, h: 2 }).updates).toEqual([])
  })

  it('acts as true or false when it gives a boolean', () => {
    expect(Object.keys(map(device(attrs, { explicitAttrs: 't > 0' }), { t: 1, x: 3 }).updates[0]!.attrs)).toEqual(['temperature'])
    expect(Object.keys(map(device(attrs, { explicitAttrs: 't > 0' }), { t: -1, x: 3 }).updates[0]!.attrs)).toEqual(['temperature', 'x'])
  })
})

describe('entityNameExp', () => {
  it('renames the entity on every measure, from measures and context (the library example)', () => {
    const g = group({ entityNameExp: "id + '__' + sn" })
    const d = device([{ object_id: 't', name: 'temperature', type: 'Number' }, { object_id: 'sn', name: 'serial', type: 'Text' }])
    expect(map(d, { t: 1, sn: 'A1' }, g).updates.map((u) => u.id)).toEqual(['sensor01__A1'])
    expect(map(d, { t: 1, sn: 'B2' }, g).updates.map((u) => u.id)).toEqual(['sensor01__B2'])
  })

  it('makes the new name visible as entity_name to the attribute expressions', () => {
    const g = group({ entityNameExp: "'Room:' + room" })
    const d = device([{ name: 'where', type: 'Text', expression: 'entity_name' }])
    expect(map(d, { room: 7 }, g).updates[0]).toMatchObject({ id: 'Room:7', attrs: { where: { value: 'Room:7' } } })
  })

  it('keeps the provisioned name when the result is empty or an error', () => {
    const d = device([{ object_id: 't', name: 'temperature', type: 'Number' }])
    expect(map(d, { t: 1 }, group({ entityNameExp: 'missing' })).updates[0]!.id).toBe('urn:ngsi-ld:Sensor:01')
    expect(map(d, { t: 1 }, group({ entityNameExp: 'x|split(",")' })).updates[0]!.id).toBe('urn:ngsi-ld:Sensor:01')
  })
})

describe('TimeInstant from a measure', () => {
  const attrs: AttributeDef[] = [
    { object_id: 't', name: 'temperature', type: 'Number' },
    { object_id: 'tt', name: 'TimeInstant', type: 'DateTime' }
  ]
  const T = '2026-01-02T03:04:05.000Z'

  it('keeps the measured value of an attribute mapped to TimeInstant, for the entity and every metadata', () => {
    const d = device(attrs, { timestamp: true, static_attributes: [{ name: 'floor', type: 'Number', value: 1 }] })
    const meta = { TimeInstant: { type: 'DateTime', value: T } }
    expect(map(d, { t: 20, tt: T }).updates).toEqual([
      {
        id: 'urn:ngsi-ld:Sensor:01',
        type: 'Sensor',
        attrs: {
          floor: { type: 'Number', value: 1, metadata: meta },
          temperature: { type: 'Number', value: 20, metadata: meta },
          TimeInstant: { type: 'DateTime', value: T }
        }
      }
    ])
  })

  it('uses the current time when the measure has no such value', () => {
    const d = device(attrs, { timestamp: true })
    expect(map(d, { t: 20 }).updates[0]!.attrs).toEqual({
      temperature: { type: 'Number', value: 20, metadata: { TimeInstant: { type: 'DateTime', value: NOW } } },
      TimeInstant: { type: 'DateTime', value: NOW }
    })
  })

  it('accepts a TimeInstant computed by an expression', () => {
    const d = device([{ object_id: 't', name: 'temperature', type: 'Number' }, { object_id: 'ms', name: 'TimeInstant', type: 'DateTime', expression: 'ms|toisodate' }], {
      timestamp: true
    })
    expect(map(d, { t: 1, ms: 1637245214901 }).timeInstant).toBe('2021-11-18T14:20:14.901Z')
  })

  it('refuses the whole measure (BAD_TIMESTAMP) when the measured TimeInstant is not ISO 8601', () => {
    const d = device(attrs, { timestamp: true })
    expect(() => map(d, { t: 20, tt: 'yesterday' })).toThrow(MappingError)
    expect(() => map(d, { t: 20, tt: 1637245214901 })).toThrow(/not an ISO 8601 date/)
  })

  it('sends it as an ordinary attribute when timestamps are off', () => {
    expect(map(device(attrs), { t: 20, tt: 'whenever' }).updates[0]!.attrs).toEqual({
      temperature: { type: 'Number', value: 20 },
      TimeInstant: { type: 'DateTime', value: 'whenever' }
    })
  })
})

describe('measure keys that are JavaScript object internals', () => {
  it('cannot change the prototype of the context or of the update; `__proto__` is never an attribute', () => {
    const d = device([{ name: 'probe', type: 'Number', expression: 't' }])
    const measures = new Map<string, unknown>([
      ['__proto__', { t: 5 }],
      ['constructor', 'c']
    ])
    const { updates } = mapMeasures(compileEffectiveDevice(d, undefined, iota, 'k'), measures, undefined, now)
    // `t` is not inherited from the `__proto__` measure: the expression gives nothing.
    expect(updates[0]!.attrs).toEqual({ constructor: { type: 'Text', value: 'c' } })
    expect(Object.getPrototypeOf(updates[0]!.attrs)).toBe(Object.prototype)
    const names: string[] = []
    for (const name in updates[0]!.attrs) names.push(name)
    expect(names).toEqual(['constructor'])
  })
})
