import { describe, expect, it } from 'vitest'
import type { ResolvedEntity } from '../../../electron/engine/context/embedded/render'
import { substitute, resolveJson, type MacroContext } from '../../../electron/engine/context/embedded/subscriptions/custom-notification'
import type { NotificationSpec } from '../../../electron/engine/context/embedded/subscriptions/model'
import {
  notificationBody,
  notifiedView,
  onlyChangedNames,
  resolveSnapshot,
  snapshotEntity,
  snapshotPlan,
  type NotifiedEntity
} from '../../../electron/engine/context/embedded/subscriptions/notification-payload'
import { buildRequest, type NotificationJob } from '../../../electron/engine/context/embedded/subscriptions/notification-request'

/** Notification bodies (formats, attribute and metadata selection) and custom templates (docs/compatibility/ngsi-v2.md §4.4). */

const T0 = Date.UTC(2024, 0, 1)

function entity(): ResolvedEntity {
  const md = new Map([['unit', { type: 'Text', value: 'C' }]])
  return {
    id: 'Room1',
    type: 'Room',
    servicePath: '/floor1',
    creDate: T0,
    modDate: T0 + 1000,
    attrs: new Map([
      ['temperature', { type: 'Number', value: 23.5, metadata: md, creDate: T0, modDate: T0 + 1000 }],
      ['humidity', { type: 'Number', value: 70, metadata: null, creDate: T0, modDate: T0 }],
      ['name', { type: 'Text', value: 'Kitchen', metadata: null, creDate: T0, modDate: T0 }]
    ])
  }
}

function spec(n: Partial<NotificationSpec> = {}): NotificationSpec {
  return { http: { url: 'http://r:1/n', timeout: 0 }, attrs: [], exceptAttrs: false, attrsFormat: 'normalized', metadata: [], onlyChangedAttrs: false, covered: false, maxFailsLimit: 0, ...n }
}

function notified(parts: Partial<NotifiedEntity> = {}): NotifiedEntity {
  return { entity: entity(), alterationType: 'entityChange', onlyAttrs: null, previous: null, requestAttrs: ['temperature'], ...parts }
}

const ALL = { names: null, metadata: true, dates: true }

const body = (n: NotificationSpec, src = notified()): string => notificationBody('SUB', n.attrsFormat, notifiedView(n, src))

describe('notification bodies', () => {
  it('normalized, keyValues, values and the simplified formats', () => {
    expect(body(spec({ attrs: ['humidity', 'temperature'] }))).toBe(
      '{"subscriptionId":"SUB","data":[{"id":"Room1","type":"Room","humidity":{"type":"Number","value":70,"metadata":{}},' +
        '"temperature":{"type":"Number","value":23.5,"metadata":{"unit":{"type":"Text","value":"C"}}}}]}'
    )
    expect(body(spec({ attrsFormat: 'keyValues' }))).toBe('{"subscriptionId":"SUB","data":[{"id":"Room1","type":"Room","temperature":23.5,"humidity":70,"name":"Kitchen"}]}')
    expect(body(spec({ attrsFormat: 'values', attrs: ['name', 'humidity'] }))).toBe('{"subscriptionId":"SUB","data":[["Kitchen",70]]}')
    expect(body(spec({ attrsFormat: 'simplifiedKeyValues', attrs: ['name'] }))).toBe('{"id":"Room1","type":"Room","name":"Kitchen"}')
    expect(body(spec({ attrsFormat: 'simplifiedNormalized', attrs: ['humidity'] }))).toBe('{"id":"Room1","type":"Room","humidity":{"type":"Number","value":70,"metadata":{}}}')
  })

  it('exceptAttrs, covered, and builtins only when named', () => {
    expect(body(spec({ attrsFormat: 'keyValues', attrs: ['temperature', 'name'], exceptAttrs: true }))).toBe('{"subscriptionId":"SUB","data":[{"id":"Room1","type":"Room","humidity":70}]}')
    expect(body(spec({ attrsFormat: 'normalized', attrs: ['pressure', 'name'], covered: true }))).toContain('"pressure":{"type":"None","value":null,"metadata":{}},"name"')
    expect(body(spec({ attrsFormat: 'keyValues', attrs: ['pressure'] }))).toBe('{"subscriptionId":"SUB","data":[{"id":"Room1","type":"Room"}]}')
    expect(body(spec({ attrsFormat: 'keyValues', attrs: ['alterationType', 'dateModified', 'servicePath', 'name'] }))).toBe(
      '{"subscriptionId":"SUB","data":[{"id":"Room1","type":"Room","alterationType":"entityChange","dateModified":"2024-01-01T00:00:01.000Z","servicePath":"/floor1","name":"Kitchen"}]}'
    )
    expect(body(spec({ attrsFormat: 'keyValues', attrs: ['*', 'alterationType'] }))).toContain('"name":"Kitchen","alterationType":"entityChange"')
  })

  it('onlyChangedAttrs keeps the attributes of the request (filtered by attrs/exceptAttrs); none left means no notification', () => {
    expect(onlyChangedNames(spec(), ['temperature'])).toEqual(['temperature'])
    expect(onlyChangedNames(spec({ attrs: ['humidity', 'temperature'] }), ['temperature', 'name'])).toEqual(['temperature'])
    expect(onlyChangedNames(spec({ attrs: ['temperature'], exceptAttrs: true }), ['temperature'])).toEqual([])
    const n = spec({ attrsFormat: 'keyValues', onlyChangedAttrs: true, attrs: ['temperature', 'alterationType'] })
    expect(body(n, notified({ onlyAttrs: ['temperature'] }))).toBe('{"subscriptionId":"SUB","data":[{"id":"Room1","type":"Room","temperature":23.5,"alterationType":"entityChange"}]}')
  })

  it('metadata: user metadata filtered, previousValue and actionType when asked for', () => {
    const previous = new Map([['temperature', { type: 'Number', value: 21 }]])
    const n = spec({ attrs: ['temperature', 'humidity'], metadata: ['previousValue', 'actionType'] })
    expect(body(n, notified({ previous, requestAttrs: ['temperature'] }))).toBe(
      '{"subscriptionId":"SUB","data":[{"id":"Room1","type":"Room",' +
        '"temperature":{"type":"Number","value":23.5,"metadata":{"previousValue":{"type":"Number","value":21},"actionType":{"type":"Text","value":"update"}}},' +
        '"humidity":{"type":"Number","value":70,"metadata":{"previousValue":{"type":"Number","value":70}}}}]}'
    )
    const appended = body(spec({ attrs: ['humidity'], metadata: ['actionType'] }), notified({ previous: new Map(), requestAttrs: ['humidity'] }))
    expect(appended).toContain('"actionType":{"type":"Text","value":"append"}')
    expect(body(spec({ attrs: ['temperature'], metadata: ['*', 'dateCreated'] }))).toContain('"metadata":{"unit":{"type":"Text","value":"C"},"dateCreated":{"type":"DateTime","value":"2024-01-01T00:00:00.000Z"}}')
  })
})

describe('entity snapshots', () => {
  it('copy what the notification may render and give the entity back', () => {
    expect(resolveSnapshot(snapshotEntity(entity(), ALL))).toEqual(entity())
    const kv = resolveSnapshot(snapshotEntity(entity(), snapshotPlan(spec({ attrsFormat: 'keyValues', attrs: ['temperature'] }), false)))
    expect([...kv.attrs]).toEqual([['temperature', { type: 'Number', value: 23.5, metadata: null, creDate: 0, modDate: 0 }]])
    expect(snapshotPlan(spec({ metadata: ['dateModified'] }), false)).toEqual({ names: null, metadata: true, dates: true })
    expect(snapshotPlan(spec({ attrs: ['a'], exceptAttrs: true }), true)).toEqual({ names: null, metadata: true, dates: false })
  })

  it('reuse the arrays of a dropped snapshot', () => {
    const old = snapshotEntity(entity(), ALL)
    const attrs = old.attrs
    const next = snapshotEntity({ ...entity(), id: 'Room2' }, snapshotPlan(spec({ attrs: ['name'] }), false), old)
    expect(next).toBe(old)
    expect(next.attrs).toBe(attrs)
    expect(resolveSnapshot(next).id).toBe('Room2')
    expect([...resolveSnapshot(next).attrs.keys()]).toEqual(['name'])
  })
})

describe('custom notification templates', () => {
  const ctx: MacroContext = { entity: entity(), tenant: 'openiot', authToken: undefined }

  it('replaces ${id}, ${type}, attribute values, service and servicePath; unknown names give the default', () => {
    expect(substitute('http://h/${id}/${type}?t=${temperature}', ctx, '')).toEqual({ status: 'ok', value: 'http://h/Room1/Room?t=23.5' })
    expect(substitute('${service}${servicePath}', ctx, '')).toEqual({ status: 'ok', value: 'openiot/floor1' })
    expect(substitute('${nothing}', ctx, 'null')).toEqual({ status: 'null', value: 'null' })
    expect(substitute('a ${nothing}', ctx, 'null')).toEqual({ status: 'ok', value: 'a null' })
    expect(substitute('${authToken}x', ctx, '')).toEqual({ status: 'ok', value: 'x' })
    expect(substitute('broken ${id', ctx, '')).toEqual({ status: 'error' })
  })

  it('json templates keep the type of a lone macro and stringify partial ones', () => {
    expect(resolveJson({ t: '${temperature}', n: '${name}', s: 'T=${temperature}', h: ['${humidity}', 4], x: '${x}' }, ctx)).toEqual({
      t: 23.5,
      n: 'Kitchen',
      s: 'T=23.5',
      h: [70, 4],
      x: null
    })
  })

  it('builds the request: method, URL with qs, headers (custom override, empty removes), text payload decoded', () => {
    const { entity: e, ...rest } = notified()
    const job: NotificationJob = {
      ...rest,
      snapshot: snapshotEntity(e, ALL),
      subscriptionId: 'SUB',
      tenant: 'openiot',
      correlator: 'c1',
      notifIndex: 1,
      authToken: 'tok',
      spec: spec({
        http: undefined,
        httpCustom: {
          url: 'http://foo.com/entity/${id}',
          timeout: 0,
          method: 'PUT',
          qs: { type: '${type}', empty: '${nothing}' },
          headers: { 'X-Auth-Token': '', 'Fiware-Correlator': 'mine', 'X-Unit': '${name}' },
          payload: 'the value of the %22temperature%22 attribute is ${temperature}'
        }
      })
    }
    const req = buildRequest(job, 5000)!
    expect(req.method).toBe('PUT')
    expect(req.url).toBe('http://foo.com/entity/Room1?type=Room')
    expect(req.body).toBe('the value of the "temperature" attribute is 23.5')
    expect(Object.fromEntries(req.headers)).toEqual({
      'User-Agent': 'orion/4.1.0 ultralight-control-center',
      'Fiware-Service': 'openiot',
      'Fiware-ServicePath': '/floor1',
      Accept: 'application/json',
      'Content-Type': 'text/plain',
      'Fiware-Correlator': 'c1; cbnotif=1',
      'Ngsiv2-AttrsFormat': 'custom',
      'x-unit': 'Kitchen'
    })
    expect(req.timeoutMs).toBe(5000)
  })

  it('ngsi patches the notified entity; payload null sends nothing; a broken URL sends no request', () => {
    const { entity: e, ...rest } = notified()
    const base = { ...rest, snapshot: snapshotEntity(e, ALL), subscriptionId: 'SUB', tenant: '', correlator: 'c', notifIndex: 1 }
    const ngsi = buildRequest({ ...base, spec: spec({ http: undefined, attrsFormat: 'keyValues', httpCustom: { url: 'http://h:1/', timeout: 100, ngsi: { id: 'x:${id}', f: { value: '${temperature}' } } } }) }, 5000)!
    expect(ngsi.body).toBe('{"subscriptionId":"SUB","data":[{"id":"x:Room1","type":"Room","f":23.5,"temperature":23.5,"humidity":70,"name":"Kitchen"}]}')
    expect(ngsi.timeoutMs).toBe(100)
    const none = buildRequest({ ...base, spec: spec({ http: undefined, httpCustom: { url: 'http://h:1/', timeout: 0, payload: null } }) }, 5000)!
    expect(none.body).toBeNull()
    expect(none.headers.find(([k]) => k === 'Content-Type')).toBeUndefined()
    expect(buildRequest({ ...base, spec: spec({ http: undefined, httpCustom: { url: '${name}', timeout: 0 } }) }, 5000)).toBeNull()
  })
})
