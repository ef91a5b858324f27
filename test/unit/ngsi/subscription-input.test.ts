import { describe, expect, it } from 'vitest'
import { parseSubscription, patchedSpec, specOf } from '../../../electron/engine/context/embedded/subscriptions/subscription-input'
import { NgsiError } from '../../../electron/engine/context/types'

/** Validation of subscription payloads with Orion's messages (parseSubscription.cpp), and PATCH semantics. */

const subject = { entities: [{ idPattern: '.*' }] }
const http = { http: { url: 'http://localhost:1234/notify' } }
const valid = { subject, notification: http }

function failure(body: unknown, update = false): [number, string, string] {
  try {
    parseSubscription(body, update)
  } catch (err) {
    expect(err).toBeInstanceOf(NgsiError)
    const e = err as NgsiError
    return [e.status, e.error, e.description]
  }
  throw new Error(`${JSON.stringify(body)} was accepted`)
}

const bad = (description: string): [number, string, string] => [400, 'BadRequest', description]

describe('subscription payload', () => {
  it.each([
    [{}, 'empty payload'],
    [{ description: 1, ...valid }, 'description is not a string'],
    [{ description: 'x'.repeat(1025), ...valid }, 'max description length exceeded'],
    [{ description: 'a<b', ...valid }, 'forbidden characters in description'],
    [{ notification: http }, 'no subject for subscription specified'],
    [{ subject }, 'no notification for subscription specified'],
    [{ subject: [], notification: http }, 'subject is not an object'],
    [{ subject: {}, notification: http }, 'no subject entities specified'],
    [{ subject: { entities: [] }, notification: http }, 'subject entities is empty'],
    [{ subject: { entities: {} }, notification: http }, '/entities/ is not an array'],
    [{ subject: { entities: [{ type: 'T' }] }, notification: http }, '/entities/ vector item does not have /id/ nor /idPattern/'],
    [{ subject: { entities: [{ id: 'a', idPattern: 'b' }] }, notification: http }, '/entities/ vector item has both /id/ and /idPattern/'],
    [{ subject: { entities: [{ id: 'a', type: 'T', typePattern: 'U' }] }, notification: http }, '/entities/ element has both /type/ and /typePattern/'],
    [{ subject: { entities: [{ id: 1 }] }, notification: http }, '/entities/ vector item /id/ is not a string'],
    [{ subject: { entities: [{ id: 'a#b' }] }, notification: http }, 'forbidden characters in /entities/ vector item /id/'],
    [{ subject: { entities: [{ idPattern: '(' }] }, notification: http }, 'Invalid regex for entity idPattern'],
    [
      { subject: { entities: [{ idPattern: '(a)\\1' }] }, notification: http },
      'Invalid regex for entity idPattern: the linear-time regex engine cannot run it: backreferences are not supported: \\1'
    ],
    [
      { subject: { entities: [{ id: 'a', typePattern: '(?<=T)x' }] }, notification: http },
      'Invalid regex for entity typePattern: the linear-time regex engine cannot run it: lookbehind is not supported'
    ],
    [{ subject: { entities: [{ id: 'a', type: '' }] }, notification: http }, 'entity type length: 0, min length supported: 1'],
    [{ subject: { ...subject, condition: [] }, notification: http }, 'condition is not an object'],
    [{ subject: { ...subject, condition: {} }, notification: http }, 'condition is empty'],
    [{ subject: { ...subject, condition: { attrs: 'price' } }, notification: http }, 'the field /attrs/ must be a JSON array'],
    [{ subject: { ...subject, condition: { attrs: ['a', 'a'] } }, notification: http }, 'duplicated item /a/ in array'],
    [{ subject: { ...subject, condition: { attrs: [''] } }, notification: http }, 'empty string found in string vector /attrs/'],
    [{ subject: { ...subject, condition: { attrs: [1] } }, notification: http }, 'only JSON Strings allowed in string vector /attrs/'],
    [{ subject: { ...subject, condition: { expression: 1 } }, notification: http }, 'expression is not an object'],
    [{ subject: { ...subject, condition: { expression: {} } }, notification: http }, 'expression is empty'],
    [{ subject: { ...subject, condition: { expression: { q: 4 } } }, notification: http }, 'q is not a string'],
    [{ subject: { ...subject, condition: { expression: { q: '' } } }, notification: http }, 'q is empty'],
    [{ subject: { ...subject, condition: { expression: { q: 'a==1;;b==2' } } }, notification: http }, 'empty q-item'],
    [{ subject: { ...subject, condition: { expression: { mq: '' } } }, notification: http }, 'mq is empty'],
    [{ subject: { ...subject, condition: { expression: { georel: 'near;maxDistance:100' } } }, notification: http }, 'partial geo expression: geometry, georel and coords have to be provided together'],
    [
      { subject: { ...subject, condition: { expression: { georel: 'near;maxDistance:100', geometry: 'xxx', coords: '40.4,-3.6' } } }, notification: http },
      'error parsing geo-query fields: error parsing geometry: Invalid selector in geometry specification'
    ],
    [{ subject: { ...subject, condition: { expression: { geometry: '' } } }, notification: http }, 'geometry is empty'],
    [{ subject: { ...subject, condition: { alterationTypes: ['entityMove'] } }, notification: http }, 'unknown subscription alterationType: entityMove'],
    [{ subject: { ...subject, condition: { notifyOnMetadataChange: 'no' } }, notification: http }, 'notifyOnMetadataChange is not a bool'],
    [{ subject, notification: [] }, 'notification is not an object'],
    [{ subject, notification: {} }, 'http, httpCustom, mqtt, mqttCustom, kafka or kafkaCustom is missing'],
    [{ subject, notification: { ...http, httpCustom: { url: 'http://x' } } }, 'only one of http, httpCustom, mqtt, mqttCustom, kafka or kafkaCustom is allowed'],
    [{ subject, notification: { http: 'x' } }, 'http notification is not an object'],
    [{ subject, notification: { http: {} } }, 'url http notification is missing'],
    [{ subject, notification: { http: { url: 1 } } }, 'url http notification is not a string'],
    [{ subject, notification: { http: { url: 'localhost:1234' } } }, 'Invalid URL parsing notification url'],
    [{ subject, notification: { http: { url: 'http://x:99999/' } } }, 'Invalid URL parsing notification url'],
    [{ subject, notification: { http: { url: 'http://x/?a=b' } } }, 'forbidden characters in http field /url/'],
    [{ subject, notification: { http: { url: 'mqtt://x:1883' } } }, 'mqtt URL cannot be used in http notifications'],
    [{ subject, notification: { http: { url: 'http://x', timeout: 1.5 } } }, 'timeout is not an int'],
    [{ subject, notification: { http: { url: 'http://x', timeout: 1800001 } } }, 'timeout field must be an integer between 0 and 1800000'],
    [{ subject, notification: { ...http, attrs: [], exceptAttrs: [] } }, 'http notification has attrs and exceptAttrs'],
    [{ subject, notification: { ...http, exceptAttrs: [] } }, 'http notification has exceptAttrs is empty'],
    [{ subject, notification: { ...http, attrs: ['a b'] } }, 'forbidden characters in attribute name'],
    [{ subject, notification: { ...http, onlyChangedAttrs: 1 } }, 'onlyChangedAttrs is not a bool'],
    [{ subject, notification: { ...http, covered: true } }, 'covered true cannot be used if notification attributes list is empty'],
    [{ subject, notification: { ...http, attrsFormat: 'raw' } }, 'invalid attrsFormat, accepted values: normalized, simplifiedNormalized, keyValues, simplifiedkeyValues, values'],
    [{ subject, notification: { ...http, maxFailsLimit: 0 } }, 'maxFailsLimit must be greater than zero'],
    [{ subject, notification: { ...http, maxFailsLimit: 'x' } }, 'maxFailsLimit is not an int'],
    [{ subject, notification: { httpCustom: { url: 'http://x', method: 'FETCH' } } }, 'unknown method httpCustom notification'],
    [{ subject, notification: { httpCustom: { url: 'x' } } }, 'invalid custom /url/'],
    [{ subject, notification: { httpCustom: { url: 'http://x', payload: 'a', json: {} } } }, 'only one of payload, json or ngsi fields accepted at the same time in httpCustom, mqttCustom or kafkaCustom'],
    [{ subject, notification: { httpCustom: { url: 'http://x', payload: 'a=b' } } }, 'forbidden characters in custom /payload/'],
    [{ subject, notification: { httpCustom: { url: 'http://x', json: 'text' } } }, 'json fields in httpCustom, mqttCustom or kafkaCustom must be object or array'],
    [{ subject, notification: { httpCustom: { url: 'http://x', qs: {} } } }, 'notification httpCustom qs is empty'],
    [{ subject, notification: { httpCustom: { url: 'http://x', headers: { a: 1 } } } }, 'notification httpCustom headers element is not a string'],
    [{ subject, notification: { httpCustom: { url: 'http://x', headers: { a: '<b>' } } } }, 'forbidden characters in custom notification httpCustom headers'],
    [{ subject, notification: { httpCustom: { url: 'http://x', ngsi: { A: { value: 1, metadata: { m: { value: 1 } } } } } } }, 'only evalPriority metadata is allowed in ngsi field in custom notifications'],
    [{ ...valid, expires: 5 }, 'expires is not a string'],
    [{ ...valid, expires: 'tomorrow' }, 'expires has an invalid format'],
    [{ ...valid, status: 'failed' }, 'status is not valid: it has to be either active, inactive or oneshot'],
    [{ ...valid, throttling: '5' }, 'throttling is not an int']
  ])('%j → %s', (body, description) => {
    expect(failure(body)).toEqual(bad(description))
  })

  it('answers ParseError for a JSON value that is not an object, 501 for other transports and JEXL', () => {
    expect(failure([1])).toEqual([400, 'ParseError', 'Errors found in incoming JSON buffer'])
    expect(failure({ subject, notification: { mqtt: { url: 'mqtt://x:1883', topic: 't' } } })[0]).toBe(501)
    expect(failure({ subject: { ...subject, condition: { jexlExpression: 'a > 1' } }, notification: http })[0]).toBe(501)
  })

  it('applies Orion’s defaults on creation', () => {
    const spec = specOf(parseSubscription({ subject: { entities: [{ id: 'E', id2: 'ignored' }] }, notification: http }, false))
    expect(spec).toEqual({
      entities: [{ id: 'E' }],
      conditionAttrs: [],
      expression: {},
      alterationTypes: [],
      notifyOnMetadataChange: true,
      notification: { http: { url: 'http://localhost:1234/notify', timeout: 0 }, attrs: [], exceptAttrs: false, attrsFormat: 'normalized', metadata: [], onlyChangedAttrs: false, covered: false, maxFailsLimit: 0 },
      status: 'active',
      throttling: 0
    })
  })

  it('keeps expires with second precision and accepts the tutorial’s trailing ; in q', () => {
    const spec = specOf(
      parseSubscription({ ...valid, subject: { ...subject, condition: { attrs: ['price'], expression: { q: 'price<50;' } } }, expires: '2040-01-01T00:00:00.750Z' }, false)
    )
    expect(spec.expires).toBe(Date.UTC(2040, 0, 1))
    expect(spec.expression).toEqual({ q: 'price<50;' })
  })

  it('PATCH: only given fields change; a new notification resets attrs and attrsFormat, keeps onlyChangedAttrs', () => {
    const created = specOf(
      parseSubscription(
        { ...valid, description: 'd', notification: { ...http, attrs: ['a'], attrsFormat: 'keyValues', onlyChangedAttrs: true }, throttling: 5, expires: '2040-01-01T00:00:00Z' },
        false
      )
    )
    expect(() => parseSubscription({}, true)).toThrow('empty payload')
    const statusOnly = patchedSpec(created, parseSubscription({ status: 'inactive' }, true))
    expect(statusOnly).toEqual({ ...created, status: 'inactive' })
    const withNotification = patchedSpec(created, parseSubscription({ notification: { http: { url: 'http://other:1/x' } }, description: '', expires: '' }, true))
    expect(withNotification.notification).toMatchObject({ http: { url: 'http://other:1/x' }, attrs: [], attrsFormat: 'normalized', onlyChangedAttrs: true })
    expect(withNotification.description).toBeUndefined()
    expect(withNotification.expires).toBeUndefined()
    expect(withNotification.throttling).toBe(5)
  })
})
