import { describe, expect, it } from 'vitest'
import type { EntityDto } from '../../../shared/contract'
import type { LessonCheck } from '../../../shared/lessons'
import { contextNeeds, evaluateCheck, requestMatches, type MeasureSeen, type TenantSnapshot } from '../../../electron/engine/lessons/checks'
import type { ObservedRequest } from '../../../electron/engine/north/request-observer'

const DEVICE = {
  device_id: 'device001',
  entity_name: 'urn:ngsi-ld:Device:001',
  entity_type: 'Device',
  attributes: [{ name: 'temperature' }, { name: 'relativeHumidity' }],
  static_attributes: [{ name: 'refStore' }],
  commands: [{ name: 'switch' }, { name: 'interval' }]
}

function snapshot(over: Partial<TenantSnapshot> = {}, measures: MeasureSeen[] = []): TenantSnapshot {
  return { groups: [], devices: [], measures: () => measures, ...over }
}

const entity = (attrs: Record<string, unknown>): EntityDto => ({
  id: DEVICE.entity_name,
  type: 'Device',
  ...Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, { type: typeof v === 'number' ? 'Number' : 'Text', value: v }]))
})

const request = (over: Partial<ObservedRequest> = {}): ObservedRequest => ({
  api: 'north',
  method: 'GET',
  path: '/iot/about',
  status: 200,
  tenant: false,
  service: '',
  servicePath: '/',
  at: 1,
  ...over
})

describe('lesson checks', () => {
  it('group: matches the given fields only, with the group as evidence', () => {
    const check: LessonCheck = { kind: 'group', apikey: 'k1', entity_type: 'Device' }
    expect(evaluateCheck(check, snapshot()).done).toBe(false)
    expect(evaluateCheck(check, snapshot({ groups: [{ apikey: 'k1', resource: '', entity_type: 'Thing' }] })).done).toBe(false)
    const r = evaluateCheck(check, snapshot({ groups: [{ apikey: 'k1', resource: '/iot/d', entity_type: 'Device' }] }))
    expect(r).toMatchObject({ done: true, data: { apikey: 'k1', resource: '/iot/d', entity_type: 'Device' } })
  })

  it('device: needs at least the listed commands and attributes, and the entity name', () => {
    const check: LessonCheck = { kind: 'device', device_id: 'device001', entity_name: DEVICE.entity_name, commands: ['switch', 'interval'], attributes: ['temperature', 'refStore'] }
    expect(evaluateCheck(check, snapshot({ devices: [{ ...DEVICE, commands: [{ name: 'switch' }] }] })).done).toBe(false)
    expect(evaluateCheck(check, snapshot({ devices: [{ ...DEVICE, entity_name: 'other' }] })).done).toBe(false)
    expect(evaluateCheck(check, snapshot({ devices: [DEVICE] }))).toMatchObject({ done: true, data: { device_id: 'device001', commands: ['switch', 'interval'] } })
  })

  it('measure: state-based, values that are not empty', () => {
    const check: LessonCheck = { kind: 'measure', device_id: 'device001', attributes: ['temperature', 'relativeHumidity'] }
    const devices = [DEVICE]
    expect(evaluateCheck(check, snapshot({ devices, entities: [] })).done).toBe(false)
    expect(evaluateCheck(check, snapshot({ devices, entities: [entity({ temperature: '', relativeHumidity: '' })] })).done).toBe(false)
    expect(evaluateCheck(check, snapshot({ devices, entities: [entity({ temperature: 21.5, relativeHumidity: null })] })).done).toBe(false)
    const r = evaluateCheck(check, snapshot({ devices, entities: [entity({ temperature: 21.5, relativeHumidity: 40 })] }, [{ at: 5, traceId: 9 }]))
    expect(r).toMatchObject({ done: true, traceId: 9, data: { values: { temperature: 21.5, relativeHumidity: 40 } } })
    // Without a list, one measured attribute with a value is enough.
    expect(evaluateCheck({ kind: 'measure', device_id: 'device001' }, snapshot({ devices, entities: [entity({ temperature: 3, relativeHumidity: '' })] })).done).toBe(true)
  })

  it('command: the entity status attribute; EXPIRED is ERROR with info EXPIRED', () => {
    const devices = [DEVICE]
    const ok: LessonCheck = { kind: 'command', device_id: 'device001', command: 'switch', status: 'OK' }
    expect(evaluateCheck(ok, snapshot({ devices, entities: [entity({ switch_status: 'PENDING' })] })).done).toBe(false)
    expect(evaluateCheck(ok, snapshot({ devices, entities: [entity({ switch_status: 'OK', switch_info: 'switch OK' })] }))).toMatchObject({ done: true, data: { status: 'OK', info: 'switch OK' } })
    const expired: LessonCheck = { kind: 'command', device_id: 'device001', command: 'switch', status: 'EXPIRED' }
    expect(evaluateCheck(expired, snapshot({ devices, entities: [entity({ switch_status: 'ERROR', switch_info: 'bad' })] })).done).toBe(false)
    expect(evaluateCheck(expired, snapshot({ devices, entities: [entity({ switch_status: 'ERROR', switch_info: 'EXPIRED' })] })).done).toBe(true)
  })

  it('measure-interval: the two latest measures, at most so far apart', () => {
    const check: LessonCheck = { kind: 'measure-interval', device_id: 'device001', atMostSeconds: 2.5 }
    const devices = [DEVICE]
    expect(evaluateCheck(check, snapshot({ devices }, [{ at: 1000 }])).done).toBe(false)
    expect(evaluateCheck(check, snapshot({ devices }, [{ at: 1000 }, { at: 6000 }])).done).toBe(false)
    expect(evaluateCheck(check, snapshot({ devices }, [{ at: 1000 }, { at: 3000, traceId: 4 }]))).toMatchObject({ done: true, traceId: 4, data: { seconds: 2 } })
    expect(evaluateCheck(check, snapshot({}, [{ at: 1000 }, { at: 1500 }])).done).toBe(false)
  })

  it('entity: id, type, attributes, types, values and count', () => {
    const stores: EntityDto[] = [
      { id: 's1', type: 'Store', name: { type: 'Text', value: 'A' }, price: { type: 'Integer', value: 99 } },
      { id: 's2', type: 'Store', name: { type: 'Text', value: 'B' } }
    ]
    const snap = snapshot({ entities: stores })
    expect(evaluateCheck({ kind: 'entity', type: 'Store', count: 2, attributes: ['name'] }, snap)).toMatchObject({ done: true, data: { count: 2 } })
    expect(evaluateCheck({ kind: 'entity', type: 'Store', count: 2, attributes: ['price'] }, snap).done).toBe(false)
    expect(evaluateCheck({ kind: 'entity', id: 's1', values: { price: 99 }, attributeTypes: { price: 'Integer' } }, snap).done).toBe(true)
    expect(evaluateCheck({ kind: 'entity', id: 's1', values: { price: 98 } }, snap).done).toBe(false)
  })

  it('entity-gone: only after it was seen present', () => {
    const check: LessonCheck = { kind: 'entity-gone', id: 's1', attribute: 'price' }
    const present = evaluateCheck(check, snapshot({ entities: [{ id: 's1', type: 'Store', price: { type: 'Number', value: 1 } }] }))
    expect(present).toEqual({ done: false, present: true })
    expect(evaluateCheck(check, snapshot({ entities: [{ id: 's1', type: 'Store' }] }), false).done).toBe(false)
    expect(evaluateCheck(check, snapshot({ entities: [{ id: 's1', type: 'Store' }] }), true).done).toBe(true)
  })

  it('registration and subscription: what they cover, and a successful notification', () => {
    const registrations = [{ id: 'r1', dataProvided: { entities: [{ id: 'urn:ngsi-ld:Device:001', type: 'Device' }], attrs: ['switch', 'interval'] }, provider: { http: { url: 'http://agent' } } }]
    expect(evaluateCheck({ kind: 'registration', entityId: 'urn:ngsi-ld:Device:001', attributes: ['switch'] }, snapshot({ registrations })).done).toBe(true)
    expect(evaluateCheck({ kind: 'registration', attributes: ['ring'] }, snapshot({ registrations })).done).toBe(false)
    const sub = { id: 's1', subject: { entities: [{ idPattern: '.*', type: 'Product' }], condition: { attrs: ['price'] } }, notification: { attrs: [], timesSent: 1 } }
    expect(evaluateCheck({ kind: 'subscription', entityType: 'Product', attributes: ['price'] }, snapshot({ subscriptions: [sub] })).done).toBe(true)
    expect(evaluateCheck({ kind: 'subscription', entityType: 'Product', notified: true }, snapshot({ subscriptions: [sub] })).done).toBe(false)
    const notified = { ...sub, notification: { ...sub.notification, lastSuccess: '2026-01-01T00:00:00.000Z', lastSuccessCode: 204 } }
    expect(evaluateCheck({ kind: 'subscription', entityType: 'Product', notified: true }, snapshot({ subscriptions: [notified] })).done).toBe(true)
  })

  it('subscription: the filter expression (a trailing ";" aside) and the notification format, when given', () => {
    const plain = { id: 's1', subject: { entities: [{ idPattern: 'urn:ngsi-ld:Product:010', type: 'Product' }], condition: { attrs: ['price'] } }, notification: { attrs: [], attrsFormat: 'normalized' } }
    const simplified = {
      id: 's2',
      subject: { entities: [{ idPattern: 'urn:ngsi-ld:Product:010', type: 'Product' }], condition: { attrs: ['price'], expression: { q: 'price<50;' } } },
      notification: { attrs: [], attrsFormat: 'keyValues' }
    }
    const check: LessonCheck = { kind: 'subscription', entityType: 'Product', attributes: ['price'], q: 'price<50', attrsFormat: 'keyValues' }
    expect(evaluateCheck(check, snapshot({ subscriptions: [plain] })).done).toBe(false)
    const found = evaluateCheck(check, snapshot({ subscriptions: [plain, simplified] }))
    expect(found.done && found.data).toMatchObject({ id: 's2' })
    expect(evaluateCheck({ ...check, q: 'price<50;' }, snapshot({ subscriptions: [simplified] })).done).toBe(true)
    expect(evaluateCheck({ ...check, q: 'price<40' }, snapshot({ subscriptions: [simplified] })).done).toBe(false)
    expect(evaluateCheck({ ...check, attrsFormat: 'values' }, snapshot({ subscriptions: [simplified] })).done).toBe(false)
    // A subscription that names no format notifies normalized.
    const noFormat = { ...plain, notification: { attrs: [] } }
    expect(evaluateCheck({ kind: 'subscription', attrsFormat: 'normalized' }, snapshot({ subscriptions: [noFormat] })).done).toBe(true)
  })

  it('request: API, method, path prefix, 2xx, and the tenant when one was sent', () => {
    const about: Extract<LessonCheck, { kind: 'request' }> = { kind: 'request', api: 'north', method: 'GET', path: '/iot/about' }
    expect(requestMatches(about, request(), 'openiot')).toBe(true)
    expect(requestMatches(about, request({ api: 'ngsi' }), 'openiot')).toBe(false)
    expect(requestMatches(about, request({ method: 'POST' }), 'openiot')).toBe(false)
    expect(requestMatches(about, request({ status: 500 }), 'openiot')).toBe(false)
    expect(requestMatches({ ...about, ok: false }, request({ status: 500 }), 'openiot')).toBe(true)
    expect(requestMatches(about, request({ tenant: true, service: 'other' }), 'openiot')).toBe(false)
    const read: Extract<LessonCheck, { kind: 'request' }> = { kind: 'request', api: 'ngsi', method: 'GET', path: '/v2/entities/urn:ngsi-ld:Device:001' }
    expect(requestMatches(read, request({ api: 'ngsi', path: '/v2/entities/urn%3Angsi-ld%3ADevice%3A001', tenant: true, service: 'openiot' }), 'openiot')).toBe(true)
  })

  it('says which part of the context broker a check reads', () => {
    expect(contextNeeds({ kind: 'group' })).toBeUndefined()
    expect(contextNeeds({ kind: 'command', device_id: 'd', command: 'c', status: 'OK' })).toBe('entities')
    expect(contextNeeds({ kind: 'subscription' })).toBe('subscriptions')
  })
})

describe('lesson checks: which IoT Agent (agent: json)', () => {
  const GROUP = { apikey: 'k1', resource: '/iot/json', entity_type: 'Device' }
  const ul = snapshot({ groups: [GROUP], devices: [DEVICE], entities: [entity({ temperature: 10, relativeHumidity: 50, interval_status: 'OK' })] })
  const json = snapshot({ json: { groups: [GROUP], devices: [DEVICE] }, entities: [entity({ temperature: 10, relativeHumidity: 50, interval_status: 'OK' })] })
  const checks: LessonCheck[] = [
    { kind: 'group', agent: 'json', apikey: 'k1', resource: '/iot/json' },
    { kind: 'device', agent: 'json', device_id: 'device001', commands: ['interval'] },
    { kind: 'measure', agent: 'json', device_id: 'device001', attributes: ['temperature', 'relativeHumidity'] },
    { kind: 'command', agent: 'json', device_id: 'device001', command: 'interval', status: 'OK' }
  ]

  it('a JSON check reads only the JSON agent: the same group or device in the UltraLight agent (port 4042 instead of 4041) does not count', () => {
    for (const check of checks) {
      expect(evaluateCheck(check, ul).done, check.kind).toBe(false)
      expect(evaluateCheck(check, json).done, check.kind).toBe(true)
    }
  })

  it('without agent (or agent: ul) a check reads the UltraLight agent only', () => {
    for (const check of checks) {
      const { agent: _agent, ...plain } = check as LessonCheck & { agent?: string }
      expect(evaluateCheck(plain, ul).done, check.kind).toBe(true)
      expect(evaluateCheck({ ...plain, agent: 'ul' } as LessonCheck, json).done, check.kind).toBe(false)
    }
  })

  it('an engine without a JSON agent never meets a JSON check', () => {
    expect(evaluateCheck(checks[0]!, snapshot({ groups: [GROUP] })).done).toBe(false)
  })
})
