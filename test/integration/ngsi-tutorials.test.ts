import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startNgsi, type NgsiServer, type Res } from '../unit/ngsi/support/ngsi-server'

/**
 * Replays the NGSI-v2 requests of Tutorials 1–3 of the Portuguese Postman collection, unchanged
 * and in order (as a trainee would), and compares with spec §0.1 (#1–#45) and §8. Request #9
 * (geographical query) belongs to phase 2 and is not replayed.
 */

interface PostmanRequest {
  method: string
  header?: Array<{ key: string; value: string; disabled?: boolean }>
  url: { raw: string }
  body?: { raw?: string }
}

interface PostmanItem {
  name: string
  item?: PostmanItem[]
  request?: PostmanRequest
}

const collection = JSON.parse(
  readFileSync(resolve('..', 'shared', 'fiware-tutorials', 'Tutoriais do Fiware.postman_collection.json'), 'utf8')
) as { item: PostmanItem[] }

/** #1..#45 of spec §0.1: the requests of tutorials 1–3, in collection order. */
const requests: Array<{ n: number; name: string; request: PostmanRequest }> = collection.item
  .slice(0, 3)
  .flatMap((folder) => folder.item ?? [])
  .map((item, i) => ({ n: i + 1, name: item.name, request: item.request! }))

let s: NgsiServer

function send(request: PostmanRequest): Promise<Res> {
  const path = request.url.raw.replace(/^http:\/\/localhost:1026/, '').replace(/ /g, '%20')
  const headers: Record<string, string> = {}
  for (const h of request.header ?? []) if (!h.disabled) headers[h.key] = h.value
  const body = request.body?.raw
  return s.req(request.method, path, body ? { body, headers } : { headers })
}

const STORE_1_KV = {
  id: 'urn:ngsi-ld:Store:001',
  type: 'Store',
  address: { streetAddress: 'Avenida Maria Servidei Demarchi, 398', addressRegion: 'São Paulo', addressLocality: 'São Bernardo do Campo', postalCode: '09820-000' },
  location: { type: 'Point', coordinates: [-46.552501261, -23.726831523] },
  name: 'Carrefour'
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
    // Re-running #29 (append_strict) now fails on every attribute (spec §8, 4.x wording).
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
})

afterAll(async () => {
  await s.close()
})

describe('Postman collection, tutorials 1–3', () => {
  it('has the 45 requests of spec §0.1', () => {
    expect(requests).toHaveLength(45)
    expect(requests.every((r) => r.request.url.raw.startsWith('http://localhost:1026/'))).toBe(true)
  })

  for (const { n, name, request } of requests) {
    if (n === 9) continue // geographical query: phase 2
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
