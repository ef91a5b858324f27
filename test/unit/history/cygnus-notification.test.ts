import { describe, expect, it } from 'vitest'
import { CygnusBadRequest, notificationPoints, readNotificationHeaders } from '../../../electron/engine/history/cygnus-notification'

const AT = Date.UTC(2026, 5, 1)

describe('Cygnus notifications (docs/compatibility/cygnus.md §2)', () => {
  it('takes the default tenant and checks the header values', () => {
    expect(readNotificationHeaders({ 'content-type': 'application/json' })).toEqual({ service: 'default', servicePath: '/', format: undefined, hasContentType: true })
    expect(() => readNotificationHeaders({ 'content-type': 'application/json', 'fiware-service': 'x'.repeat(51) })).toThrow(`'fiware-service' header length greater than 50) for ${'x'.repeat(51)}`)
    expect(() => readNotificationHeaders({ 'content-type': 'application/json', 'fiware-servicepath': '/a,b' })).toThrow("'fiware-servicepath' header value /a,b must start with '/'")
    expect(readNotificationHeaders({}).hasContentType).toBe(false)
  })

  it('reads NGSI v1 (no Ngsiv2-AttrsFormat) with one service path per context element', () => {
    const body = {
      subscriptionId: 's',
      originator: 'localhost',
      contextResponses: [
        { contextElement: { id: 'R1', type: 'Room', isPattern: 'false', attributes: [{ name: 'temperature', type: 'float', value: '26.5', metadatas: [{ name: 'TimeInstant', type: 'ISO8601', value: '2026-06-01T00:00:00.000Z' }] }] }, statusCode: { code: '200', reasonPhrase: 'OK' } },
        { contextElement: { id: 'R2', type: 'Room', isPattern: 'false', attributes: [{ name: 'pressure', type: 'integer', value: 720 }] }, statusCode: { code: '200', reasonPhrase: 'OK' } }
      ]
    }
    const points = notificationPoints(body, { service: 'smart', servicePath: '/a,/b', format: undefined, hasContentType: true }, AT + 5)
    expect(points).toEqual([
      { service: 'smart', servicePath: '/a', entityId: 'R1', entityType: 'Room', attrName: 'temperature', attrType: 'float', attrValue: '26.5', recvTime: AT },
      { service: 'smart', servicePath: '/b', entityId: 'R2', entityType: 'Room', attrName: 'pressure', attrType: 'integer', attrValue: '720', recvTime: AT + 5 }
    ])
    expect(() => notificationPoints(body, { service: 'smart', servicePath: '/a', format: 'legacy', hasContentType: true }, AT)).toThrow(
      "'fiware-servicepath' header value does not match the number of notified context responses"
    )
  })

  it('reads normalized NGSI v2: one service path for every entity, TimeInstant in ms or ISO 8601', () => {
    const body = {
      data: [
        { id: 'A', type: 'T', n: { type: 'Number', value: 1, metadata: { TimeInstant: { type: 'DateTime', value: String(AT) } } }, s: { type: 'Text', value: 'x', metadata: {} } },
        { id: 'B', type: 'T', o: { type: 'StructuredValue', value: { k: [1, null] }, metadata: {} } }
      ]
    }
    const points = notificationPoints(body, { service: 'v2', servicePath: '/', format: 'normalized', hasContentType: true }, AT + 9)
    expect(points.map((p) => [p.entityId, p.servicePath, p.attrName, p.attrValue, p.recvTime])).toEqual([
      ['A', '/', 'n', '1', AT],
      ['A', '/', 's', 'x', AT + 9],
      ['B', '/', 'o', '{"k":[1,null]}', AT + 9]
    ])
    expect(() => notificationPoints({ data: 'no' }, { service: 'v2', servicePath: '/', format: 'normalized', hasContentType: true }, AT)).toThrow(CygnusBadRequest)
    expect(() => notificationPoints(body, { service: 'v2', servicePath: '/', format: 'values', hasContentType: true }, AT)).toThrow('values format not supported')
  })
})
