import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NGSI_TUTORIAL_REQUESTS, requestBody, type NgsiTutorialRequest } from '../fixtures/ngsi-tutorials'
import { STORE_1_KV, STORE_2_KV } from '../helpers/tutorial-stores'
import { waitFor } from '../helpers/wait-for'
import { startNgsi, startProvider, type FakeProvider, type NgsiServer, type Res } from '../unit/ngsi/support/ngsi-server'

/**
 * Replays the NGSI-v2 requests of the tutorials (test/fixtures/ngsi-tutorial-requests.json, from
 * the Portuguese Postman collection) unchanged and in order, as a trainee would, and compares with docs/compatibility/ngsi-v2.md §0.1 and §8: tutorials 1–3 (#1–#45, the geographical
 * query #9 included), tutorial 5 (subscriptions, #51–#58) with a real receiver on an ephemeral
 * port standing in for `context-provider:5000`, and the Cygnus subscriptions of tutorial 8
 * (#66–#69) with the collection's own URL, a host that does not exist offline.
 */

/** The requests to port 1026, numbered as in docs/compatibility/ngsi-v2.md §0.1, with their tutorial. */
const all: Array<{ n: number; tutorial: number; name: string; request: NgsiTutorialRequest }> = NGSI_TUTORIAL_REQUESTS.map((r) => ({
  n: r.n,
  tutorial: r.tutorial,
  name: r.name,
  request: r
}))

/** #1..#45: the requests of tutorials 1–3. */
const requests = all.filter((r) => r.tutorial <= 3)

let s: NgsiServer
/** The receiver standing in for the tutorial's context provider (`http://context-provider:5000`). */
let receiver: FakeProvider

function send(request: NgsiTutorialRequest): Promise<Res> {
  const path = request.url.replace(/^http:\/\/localhost:1026/, '').replace(/ /g, '%20')
  const headers: Record<string, string> = { ...request.headers }
  const body = requestBody(request)?.replace(/http:\/\/context-provider:5000/g, receiver.url)
  return s.req(request.method, path, body ? { body, headers } : { headers })
}

const ids = (r: Res): string[] => r.json().map((e: { id: string }) => e.id)
const SHELVES_OF_STORE_1 = ['urn:ngsi-ld:Shelf:unit001', 'urn:ngsi-ld:Shelf:unit002', 'urn:ngsi-ld:Shelf:unit003']

/** Expected outcome per request number; every request also gets its status checked. */
const expectations: Record<number, { status: number; check?: (r: Res) => void | Promise<void> }> = {
  1: { status: 200, check: (r) => expect(r.json().orion.version).toBe('4.1.0') },
  2: { status: 201, check: (r) => expect(r.headers.location).toBe('/v2/entities/urn:ngsi-ld:Store:001?type=Store') },
  3: { status: 201 },
  4: { status: 200, check: (r) => expect(r.text).toBe(JSON.stringify(STORE_1_KV)) },
  5: { status: 200, check: (r) => expect(ids(r)).toEqual(['urn:ngsi-ld:Store:001', 'urn:ngsi-ld:Store:002']) },
  6: { status: 200, check: (r) => expect(r.json()).toEqual([STORE_1_KV]) },
  7: { status: 200, check: (r) => expect(ids(r)).toEqual(['urn:ngsi-ld:Store:001', 'urn:ngsi-ld:Store:002']) },
  8: { status: 200, check: (r) => expect(ids(r)).toEqual(['urn:ngsi-ld:Store:001', 'urn:ngsi-ld:Store:002']) },
  // Store:002 is about 1,336 m from the point, Store:001 about 2,718 m (docs/compatibility/ngsi-v2.md §8).
  9: { status: 200, check: (r) => expect(r.json()).toEqual([STORE_2_KV]) },
  10: { status: 204 },
  11: { status: 204 },
  12: { status: 204 },
  13: {
    status: 200,
    check: (r) =>
      expect(r.json()).toEqual({ id: 'urn:ngsi-ld:Shelf:unit001', type: 'Shelf', location: STORE_1_KV.location, name: 'Corner Unit', maxCapacity: 50 })
  },
  14: { status: 204 },
  15: { status: 200, check: (r) => expect(r.json().refStore).toBe('urn:ngsi-ld:Store:001') },
  16: { status: 200, check: (r) => expect(r.text).toBe('["urn:ngsi-ld:Store:001"]') },
  17: {
    status: 200,
    check: (r) => {
      expect(r.headers['fiware-total-count']).toBe('3')
      expect(r.json()).toEqual(SHELVES_OF_STORE_1.map((id) => ({ id, type: 'Shelf' })))
    }
  },
  18: { status: 200, check: (r) => expect(r.json()).toEqual([['Corner Unit'], ['Wall Unit 1'], ['Wall Unit 2']]) },
  19: { status: 201 },
  20: { status: 200, check: (r) => expect(r.json()).toEqual([['urn:ngsi-ld:Product:001']]) },
  21: { status: 200, check: (r) => expect(r.json()).toEqual([['urn:ngsi-ld:Store:001']]) },
  22: {
    status: 200,
    check: (r) =>
      expect(r.json()).toEqual([
        ...SHELVES_OF_STORE_1.map((id) => ({ id, type: 'Shelf' })),
        { id: 'urn:ngsi-ld:InventoryItem:001', type: 'InventoryItem' }
      ])
  },
  23: {
    status: 200,
    check: (r) => {
      expect(r.json()).toHaveLength(12)
      expect(r.json()[0].location).toEqual({ type: 'geo:json', value: STORE_1_KV.location, metadata: {} })
    }
  },
  24: { status: 200, check: (r) => expect(ids(r)).toHaveLength(4) },
  25: { status: 204 },
  26: { status: 201 },
  27: {
    status: 200,
    check: (r) =>
      expect(r.text).toBe(
        '{"id":"urn:ngsi-ld:Product:010","type":"Product","name":{"type":"Text","value":"Lemonade","metadata":{}},' +
          '"size":{"type":"Text","value":"S","metadata":{}},"price":{"type":"Integer","value":99,"metadata":{}}}'
      )
  },
  28: { status: 204 },
  29: { status: 204 },
  30: { status: 204 },
  31: { status: 200, check: (r) => expect(r.json().specialOffer).toEqual({ type: 'Boolean', value: true, metadata: {} }) },
  32: {
    status: 200,
    check: (r) => {
      expect(r.headers['content-type']).toBe('text/plain')
      expect(r.text).toBe('"Lemonade"')
    }
  },
  33: { status: 200, check: (r) => expect(r.text).toBe('{"id":"urn:ngsi-ld:Product:010","type":"Product","name":"Lemonade","price":99}') },
  34: { status: 200, check: (r) => expect(r.text).toBe('["Lemonade",99]') },
  35: { status: 200, check: (r) => expect(ids(r)).toHaveLength(7) },
  36: { status: 200, check: (r) => expect(r.json()[0]).toEqual({ id: 'urn:ngsi-ld:Product:001', type: 'Product', name: 'Beer', price: 99 }) },
  37: {
    status: 200,
    check: (r) => {
      expect(r.headers['fiware-total-count']).toBe('7')
      expect(r.json().every((e: object) => Object.keys(e).join() === 'id,type')).toBe(true)
    }
  },
  38: {
    status: 400,
    check: (r) => expect(r.json()).toEqual({ error: 'BadRequest', description: 'Neither JSON Object nor JSON Array for attribute::value' })
  },
  39: { status: 204 },
  40: { status: 204 },
  41: { status: 204 },
  42: { status: 204 },
  43: { status: 204 },
  44: { status: 204 },
  45: { status: 204 }
}

/** Extra checks between requests (state the spec describes after a request). */
const after: Record<number, () => Promise<void>> = {
  2: async () => {
    // Re-running #2 → 422 Already Exists.
    const again = await send(requests[1]!.request)
    expect([again.status, again.json()]).toEqual([422, { error: 'Unprocessable', description: 'Already Exists' }])
  },
  28: async () => {
    expect((await s.req('GET', '/v2/entities/urn:ngsi-ld:Product:010/attrs/specialOffer')).json().type).toBe('Boolean')
  },
  30: async () => {
    // Re-running #29 (append_strict) now fails on every attribute (docs/compatibility/ngsi-v2.md §8, 4.x wording).
    const again = await send(requests[28]!.request)
    expect([again.status, again.json()]).toEqual([
      422,
      {
        error: 'Unprocessable',
        description:
          'one or more of the attributes in the request already exist: urn:ngsi-ld:Product:011/Product - [ name, size, price ], ' +
          'urn:ngsi-ld:Product:012/Product - [ name, size, price ], urn:ngsi-ld:Product:001/Product - [ offerPrice ]'
      }
    ])
  },
  38: async () => {
    // With text/plain, as in the original FIWARE tutorial, it works and the type stays Integer.
    const r = await s.req('PUT', '/v2/entities/urn:ngsi-ld:Product:010/attrs/price/value?type=Product', { body: '89', headers: { 'Content-Type': 'text/plain' } })
    expect(r.status).toBe(204)
    expect((await s.req('GET', '/v2/entities/urn:ngsi-ld:Product:010/attrs/price')).json()).toEqual({ type: 'Integer', value: 89, metadata: {} })
  },
  39: async () => {
    const p1 = (await s.req('GET', '/v2/entities/urn:ngsi-ld:Product:001?options=keyValues')).json()
    expect(p1).toEqual({ id: 'urn:ngsi-ld:Product:001', type: 'Product', price: 70, name: 'Ale' })
  },
  40: async () => {
    expect((await s.req('GET', '/v2/entities/urn:ngsi-ld:Product:011?options=keyValues&attrs=price,size')).json()).toMatchObject({ price: 1199, size: 'L' })
  },
  42: async () => {
    expect((await s.req('GET', '/v2/entities/urn:ngsi-ld:Product:010?options=keyValues')).json()).toEqual({ id: 'urn:ngsi-ld:Product:010', type: 'Product', price: 1199 })
  },
  43: async () => {
    expect((await s.req('GET', '/v2/entities/urn:ngsi-ld:Product:010')).status).toBe(404)
  },
  45: async () => {
    expect((await s.req('GET', '/v2/entities?type=Product&options=keyValues&attrs=__NONE')).json().map((e: { id: string }) => e.id)).toEqual([
      'urn:ngsi-ld:Product:001',
      'urn:ngsi-ld:Product:002',
      'urn:ngsi-ld:Product:003',
      'urn:ngsi-ld:Product:004'
    ])
  }
}

beforeAll(async () => {
  s = await startNgsi()
  receiver = await startProvider(() => ({ status: 200 }))
})

afterAll(async () => {
  await s.close()
  await receiver.close()
})

describe('Postman collection, tutorials 1–3', () => {
  it('has the 45 requests of docs/compatibility/ngsi-v2.md §0.1', () => {
    expect(requests).toHaveLength(45)
    expect(requests.every((r) => r.request.url.startsWith('http://localhost:1026/'))).toBe(true)
  })

  for (const { n, name, request } of requests) {
    it(`#${n} ${request.method} ${name}`, async () => {
      const expected = expectations[n]
      expect(expected, `no expectation for #${n}`).toBeDefined()
      const r = await send(request)
      expect(r.status, r.text).toBe(expected!.status)
      expect(r.headers['fiware-correlator']).toBeDefined()
      await expected!.check?.(r)
      await after[n]?.()
    })
  }
})

/** Request #n of docs/compatibility/ngsi-v2.md §0.1. */
function request(n: number): NgsiTutorialRequest {
  const r = all.find((x) => x.n === n)
  expect(r, `request #${n}`).toBeDefined()
  return r!.request
}

const SUBSCRIPTION_NOT_FOUND = { error: 'NotFound', description: 'The requested subscription has not been found. Check id' }
const subscriptionId = (r: Res): string => /^\/v2\/subscriptions\/([0-9a-f]{24})$/.exec(String(r.headers.location))![1]!

describe('Postman collection, tutorial 5 (subscriptions)', () => {
  let sub1 = ''
  let sub2 = ''
  const atReceiver = (count: number) => waitFor(() => receiver.requests.length >= count && receiver.requests, `${count} notification(s) at the receiver`)

  it('has the requests #51–#58 of docs/compatibility/ngsi-v2.md §0.1', () => {
    expect(all.filter((r) => r.tutorial === 5).map((r) => r.n)).toEqual([51, 52, 53, 54, 55, 56, 57, 58])
  })

  it('#51 creates Product:010 again', async () => {
    expect((await send(request(51))).status).toBe(201)
  })

  it('#52 subscribes to price changes, without initial notification', async () => {
    const r = await send(request(52))
    expect([r.status, r.text]).toEqual([201, ''])
    sub1 = subscriptionId(r)
    await s.broker.notificationsIdle()
    expect(receiver.requests).toHaveLength(0)
  })

  it('#53 changes the price: one normalized notification with exactly the body of docs/compatibility/ngsi-v2.md §8', async () => {
    expect((await send(request(53))).status).toBe(204)
    const [n] = await atReceiver(1)
    expect(n!.method).toBe('POST')
    expect(n!.url).toBe('/priceChange')
    expect(n!.body).toBe(
      `{"subscriptionId":"${sub1}","data":[{"id":"urn:ngsi-ld:Product:010","type":"Product","price":{"type":"Integer","value":40,"metadata":{}}}]}`
    )
    expect(n!.headers['ngsiv2-attrsformat']).toBe('normalized')
    expect(n!.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(n!.headers['fiware-servicepath']).toBe('/')
    expect(n!.headers['fiware-service']).toBeUndefined()
    expect(n!.headers['fiware-correlator']).toMatch(/^[0-9a-f-]{36}; cbnotif=1$/)
  })

  it('#54 subscribes with q price<50; and keyValues; both notify on the next change', async () => {
    const r = await send(request(54))
    expect(r.status).toBe(201)
    sub2 = subscriptionId(r)
    const put = await s.req('PUT', '/v2/entities/urn:ngsi-ld:Product:010/attrs?type=Product', { body: { price: { type: 'Integer', value: 30 } } })
    expect(put.status).toBe(204)
    const got = (await atReceiver(3)).slice(1)
    const bySub = (id: string) => got.find((n) => n.body.includes(id))!
    expect(bySub(sub1).headers['ngsiv2-attrsformat']).toBe('normalized')
    expect(bySub(sub2).body).toBe(`{"subscriptionId":"${sub2}","data":[{"id":"urn:ngsi-ld:Product:010","type":"Product","price":30}]}`)
    expect(bySub(sub2).headers['ngsiv2-attrsformat']).toBe('keyValues')
  })

  it('#55 lists both subscriptions in Orion 4.x form', async () => {
    const r = await send(request(55))
    expect(r.status).toBe(200)
    const [a, b] = r.json()
    expect(a.id).toBe(sub1)
    expect(Object.keys(b)).toEqual(['id', 'description', 'status', 'subject', 'notification'])
    expect(b.subject).toEqual({
      entities: [{ idPattern: 'urn:ngsi-ld:Product:010', type: 'Product' }],
      condition: { attrs: ['price'], expression: { q: 'price<50;' }, notifyOnMetadataChange: true }
    })
    await waitFor(async () => (await s.req('GET', `/v2/subscriptions/${sub2}`)).json().notification.lastSuccessCode === 200, 'lastSuccessCode')
    const n = (await s.req('GET', `/v2/subscriptions/${sub2}`)).json().notification
    expect(Object.keys(n)).toEqual(['timesSent', 'lastNotification', 'attrs', 'onlyChangedAttrs', 'attrsFormat', 'http', 'lastSuccess', 'lastSuccessCode', 'covered'])
    expect(n).toMatchObject({ timesSent: 1, attrs: [], onlyChangedAttrs: false, attrsFormat: 'keyValues', http: { url: `${receiver.url}/priceChange` }, covered: false })
    expect(n.lastNotification).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/)
  })

  it('#56 asks for the id of the recording: 404', async () => {
    const r = await send(request(56))
    expect([r.status, r.json()]).toEqual([404, SUBSCRIPTION_NOT_FOUND])
  })

  it('#57 patches the recorded id (404); with the real id the subscription becomes inactive and its notification format resets', async () => {
    const r = await send(request(57))
    expect([r.status, r.json()]).toEqual([404, { error: 'NotFound', description: 'subscription id not found' }])
    const patch = JSON.parse(requestBody(request(57))!.replace(/http:\/\/context-provider:5000/g, receiver.url))
    expect((await s.req('PATCH', `/v2/subscriptions/${sub2}`, { body: patch })).status).toBe(204)
    const v = (await s.req('GET', `/v2/subscriptions/${sub2}`)).json()
    expect(v.status).toBe('inactive')
    expect(v.notification).toMatchObject({ timesSent: 1, attrs: [], attrsFormat: 'normalized' })
    // Only the active subscription notifies now.
    const before = receiver.requests.length
    await s.req('PATCH', '/v2/entities/urn:ngsi-ld:Product:010/attrs', { body: { price: { type: 'Integer', value: 20 } } })
    await s.broker.notificationsIdle()
    expect(receiver.requests.slice(before).map((n) => JSON.parse(n.body).subscriptionId)).toEqual([sub1])
  })

  it('#58 deletes the recorded id (404); the real ones go with 204', async () => {
    const r = await send(request(58))
    expect([r.status, r.json()]).toEqual([404, SUBSCRIPTION_NOT_FOUND])
    for (const id of [sub1, sub2]) expect((await s.req('DELETE', `/v2/subscriptions/${id}`)).status).toBe(204)
    expect((await s.req('GET', '/v2/subscriptions')).json()).toEqual([])
  })
})

describe('Postman collection, tutorial 8 (subscriptions for Cygnus, a host that does not exist offline)', () => {
  const openiot = { 'fiware-service': 'openiot', 'fiware-servicepath': '/' }
  let cygnus = ''

  it('#66 and #67 subscribe in openiot with throttling 5', async () => {
    const r66 = await send(request(66))
    expect(r66.status).toBe(201)
    cygnus = subscriptionId(r66)
    expect((await send(request(67))).status).toBe(201)
  })

  it('the failing host is counted, not retried', async () => {
    const created = await s.req('POST', '/v2/entities', {
      headers: openiot,
      body: { id: 'urn:ngsi-ld:Device:001', type: 'Device', temperature: { type: 'Number', value: 21 }, relativeHumidity: { type: 'Number', value: 40 } }
    })
    expect(created.status).toBe(201)
    for (let i = 0; i < 5; i++) {
      await s.req('PATCH', '/v2/entities/urn:ngsi-ld:Device:001/attrs', { headers: openiot, body: { temperature: { type: 'Number', value: 22 + i } } })
    }
    const n = await waitFor(async () => {
      const v = (await s.req('GET', `/v2/subscriptions/${cygnus}`, { headers: openiot })).json()
      return v.notification.failsCounter === 1 && v.notification
    }, 'the failure of the Cygnus notification')
    // Throttling 5 s: one notification fired, and it failed (name resolution, or no route offline).
    expect(n.timesSent).toBe(1)
    expect(n.lastFailureReason).toMatch(/^(Could not resolve host name|Could not connect to server|Timeout was reached)$/)
    expect(n.lastFailure).toBeDefined()
    expect(n.lastSuccess).toBeUndefined()
    expect((await s.req('GET', `/v2/subscriptions/${cygnus}`, { headers: openiot })).json().status).toBe('active')
  })

  it('#68 lists the subscriptions of openiot with path /; #69 deletes a recorded id (404)', async () => {
    const r = await send(request(68))
    expect(r.json().map((x: { description: string }) => x.description)).toEqual(['Notify Cygnus of all context changes', 'SUbscription to Cygnus'])
    expect(r.json()[1].notification.attrs).toEqual(['temperature', 'relativeHumidity'])
    expect(r.json()[0].throttling).toBe(5)
    expect((await send(request(69))).status).toBe(404)
    // The default tenant sees none of them.
    expect((await s.req('GET', '/v2/subscriptions')).json()).toEqual([])
  })
})
