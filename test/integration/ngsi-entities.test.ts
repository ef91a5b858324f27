import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startNgsi, type NgsiServer } from '../unit/ngsi/support/ngsi-server'

/** The entity operations of docs/compatibility/ngsi-v2.md §2.1–§2.3 over real HTTP. */

let s: NgsiServer

beforeEach(async () => {
  s = await startNgsi()
})

afterEach(async () => {
  await s.close()
})

const product = (id: string, price = 99) => ({
  id,
  type: 'Product',
  name: { type: 'Text', value: 'Lemonade' },
  size: { type: 'Text', value: 'S' },
  price: { type: 'Integer', value: price }
})

async function create(body: unknown, headers?: Record<string, string>): Promise<void> {
  const r = await s.req('POST', '/v2/entities', { body, ...(headers ? { headers } : {}) })
  expect(r.status, r.text).toBe(201)
}

const kv = async (path: string, headers?: Record<string, string>) => (await s.req('GET', path, headers ? { headers } : {})).json()

describe('POST /v2/entities', () => {
  it('creates, refuses duplicates, upserts with 204 and Location', async () => {
    await create(product('P1'))
    expect((await s.req('POST', '/v2/entities', { body: product('P1') })).json()).toEqual({ error: 'Unprocessable', description: 'Already Exists' })
    const up = await s.req('POST', '/v2/entities?options=upsert', { body: { id: 'P1', type: 'Product', price: { value: 5 }, color: { value: 'red' } } })
    expect(up.status).toBe(204)
    expect(up.headers.location).toBe('/v2/entities/P1?type=Product')
    expect(await kv('/v2/entities/P1?options=keyValues')).toEqual({ id: 'P1', type: 'Product', name: 'Lemonade', size: 'S', price: 5, color: 'red' })
    const fresh = await s.req('POST', '/v2/entities?options=upsert', { body: { id: 'P2' } })
    expect(fresh.status).toBe(204)
    expect(fresh.headers.location).toBe('/v2/entities/P2?type=Thing')
  })

  it('accepts keyValues bodies', async () => {
    const r = await s.req('POST', '/v2/entities?options=keyValues', { body: { id: 'K', type: 'T', n: 1, s: 'x', o: { a: [1] }, b: false, z: null } })
    expect(r.status).toBe(201)
    expect((await s.req('GET', '/v2/entities/K')).json()).toEqual({
      id: 'K',
      type: 'T',
      n: { type: 'Number', value: 1, metadata: {} },
      s: { type: 'Text', value: 'x', metadata: {} },
      o: { type: 'StructuredValue', value: { a: [1] }, metadata: {} },
      b: { type: 'Boolean', value: false, metadata: {} },
      z: { type: 'None', value: null, metadata: {} }
    })
  })

  it.each([
    [{ type: 'T' }, 'entity id length: 0, min length supported: 1'],
    [{ id: '' }, 'entity id length: 0, min length supported: 1'],
    [{ id: 5 }, 'Invalid JSON type for entity id'],
    [{ id: 'a', type: 5 }, 'Invalid JSON type for entity type'],
    [{ id: 'a b' }, 'Invalid characters in entity id'],
    [{ id: 'a', type: 'b/c' }, 'Invalid characters in entity type'],
    [{ id: 'x'.repeat(257) }, 'entity id length: 257, max length supported: 256'],
    [{ id: 'a', attr: 5 }, 'attribute must be a JSON object, unless keyValues option is used'],
    [{ id: 'a', attr: { value: 1, foo: 2 } }, 'unrecognized property for context attribute'],
    [{ id: 'a', attr: { type: 3 } }, 'invalid JSON type for attribute type'],
    [{ id: 'a', attr: { value: 1, metadata: 3 } }, 'metadata not a JSON object'],
    [{ id: 'a', attr: { value: 1, metadata: { m: 3 } } }, 'metadata must be a JSON object'],
    [{ id: 'a', attr: { value: 'a;b' } }, 'Invalid characters in attribute value'],
    [{ id: 'a', 'b&c': { value: 1 } }, 'Invalid characters in attribute name'],
    [{ id: 'a', t: { type: 'DateTime', value: '2024-99-01' } }, 'date has invalid format in attribute value']
  ])('rejects %j with 400 "%s"', async (body, description) => {
    const r = await s.req('POST', '/v2/entities', { body })
    expect(r.status).toBe(400)
    expect(r.json()).toEqual({ error: 'BadRequest', description })
  })
})

describe('GET /v2/entities/{id} and /attrs', () => {
  beforeEach(async () => {
    await create(product('P1'))
  })

  it('renders the representations and selections', async () => {
    expect(await kv('/v2/entities/P1?type=Product&options=keyValues&attrs=name,price')).toEqual({ id: 'P1', type: 'Product', name: 'Lemonade', price: 99 })
    expect(await kv('/v2/entities/P1?options=values&attrs=price,name')).toEqual([99, 'Lemonade'])
    expect(await kv('/v2/entities/P1/attrs?options=keyValues')).toEqual({ name: 'Lemonade', size: 'S', price: 99 })
    expect(await kv('/v2/entities/P1/attrs?attrs=size')).toEqual({ size: { type: 'Text', value: 'S', metadata: {} } })
    const builtins = await kv('/v2/entities/P1?attrs=dateCreated,servicePath&options=keyValues')
    expect(builtins.servicePath).toBe('/')
    expect(Date.parse(builtins.dateCreated)).toBeGreaterThan(0)
  })

  it('answers 404 for a missing entity or a wrong type, 409 for an ambiguous id', async () => {
    const notFound = { error: 'NotFound', description: 'The requested entity has not been found. Check type and id' }
    expect((await s.req('GET', '/v2/entities/nope')).json()).toEqual(notFound)
    expect((await s.req('GET', '/v2/entities/P1?type=Other')).json()).toEqual(notFound)
    await create({ id: 'P1', type: 'Other' })
    const r = await s.req('GET', '/v2/entities/P1')
    expect(r.status).toBe(409)
    expect(r.json()).toEqual({ error: 'TooManyResults', description: 'More than one matching entity. Please refine your query' })
  })
})

describe('attribute updates on /v2/entities/{id}/attrs', () => {
  beforeEach(async () => {
    await create(product('P1'))
  })

  it('POST appends (type defaulted), POST ?options=append is strict', async () => {
    expect((await s.req('POST', '/v2/entities/P1/attrs', { body: { specialOffer: { value: true } } })).status).toBe(204)
    expect(await kv('/v2/entities/P1/attrs/specialOffer')).toEqual({ type: 'Boolean', value: true, metadata: {} })
    let r = await s.req('POST', '/v2/entities/P1/attrs?options=append&type=Product', { body: { price: { value: 1 } } })
    expect([r.status, r.json()]).toEqual([422, { error: 'Unprocessable', description: 'one or more of the attributes in the request already exist: P1/Product - [ price ]' }])
    r = await s.req('POST', '/v2/entities/P1/attrs?options=append', { body: { price: { value: 1 }, extra: { value: 2 } } })
    expect([r.status, r.json()]).toEqual([422, { error: 'PartialUpdate', description: 'one or more of the attributes in the request already exist: P1 - [ price ]' }])
    expect((await kv('/v2/entities/P1?options=keyValues')).extra).toBe(2)
    r = await s.req('POST', '/v2/entities/nope/attrs', { body: { a: { value: 1 } } })
    expect([r.status, r.json().description]).toEqual([404, 'The requested entity has not been found. Check type and id'])
  })

  it('PATCH needs every attribute; existing ones are still updated', async () => {
    let r = await s.req('PATCH', '/v2/entities/P1/attrs?type=Product', { body: { A: { value: 1 }, B: { value: 2 } } })
    expect([r.status, r.json()]).toEqual([422, { error: 'Unprocessable', description: 'do not exist: P1/Product - [ A, B ]' }])
    r = await s.req('PATCH', '/v2/entities/P1/attrs', { body: { price: { type: 'Integer', value: 70 }, A2: { value: 1 } } })
    expect([r.status, r.json()]).toEqual([422, { error: 'PartialUpdate', description: 'do not exist: P1 - [ A2 ]' }])
    expect((await kv('/v2/entities/P1?options=keyValues')).price).toBe(70)
    r = await s.req('PATCH', '/v2/entities/nope/attrs', { body: { a: { value: 1 } } })
    expect([r.status, r.json().description]).toEqual([404, 'The requested entity has not been found. Check type and id'])
    expect((await s.req('PATCH', '/v2/entities/P1/attrs?options=keyValues', { body: { price: 71 } })).status).toBe(204)
    expect(await kv('/v2/entities/P1/attrs/price')).toEqual({ type: 'Number', value: 71, metadata: {} })
  })

  it('PUT replaces the whole attribute set', async () => {
    expect((await s.req('PUT', '/v2/entities/P1/attrs?type=Product', { body: { price: { type: 'Integer', value: 70 }, name: { type: 'Text', value: 'Ale' } } })).status).toBe(204)
    expect(await kv('/v2/entities/P1?options=keyValues')).toEqual({ id: 'P1', type: 'Product', price: 70, name: 'Ale' })
  })

  it('refuses id and type in the payload', async () => {
    expect((await s.req('PATCH', '/v2/entities/P1/attrs', { body: { id: 'x', a: { value: 1 } } })).json().description).toBe('entity id specified in payload')
    expect((await s.req('POST', '/v2/entities/P1/attrs', { body: { type: 'x' } })).json().description).toBe('entity type specified in payload')
  })
})

describe('single attributes and values', () => {
  beforeEach(async () => {
    await create({ ...product('P1'), info: { value: { a: [1, 2.000000000001] } }, flag: { value: false }, nil: { value: null }, when: { type: 'DateTime', value: '2024-01-02T03:04:05Z' } })
  })

  it('GET, PUT and DELETE one attribute', async () => {
    expect(await kv('/v2/entities/P1/attrs/price')).toEqual({ type: 'Integer', value: 99, metadata: {} })
    expect(await kv('/v2/entities/P1/attrs/price?options=keyValues')).toEqual({ price: 99 })
    expect((await s.req('PUT', '/v2/entities/P1/attrs/price', { body: { value: 12, metadata: { unit: { value: 'EUR' } } } })).status).toBe(204)
    expect(await kv('/v2/entities/P1/attrs/price')).toEqual({ type: 'Number', value: 12, metadata: { unit: { type: 'Text', value: 'EUR' } } })
    const missingAttr = { error: 'NotFound', description: 'The entity does not have such an attribute' }
    expect((await s.req('GET', '/v2/entities/P1/attrs/nope')).json()).toEqual(missingAttr)
    expect((await s.req('PUT', '/v2/entities/P1/attrs/nope', { body: { value: 1 } })).json()).toEqual(missingAttr)
    expect((await s.req('DELETE', '/v2/entities/P1/attrs/nope')).json()).toEqual(missingAttr)
    expect((await s.req('DELETE', '/v2/entities/P1/attrs/price')).status).toBe(204)
    expect((await s.req('GET', '/v2/entities/P1/attrs/price')).status).toBe(404)
    expect((await s.req('DELETE', '/v2/entities/nope/attrs/price')).json().description).toBe('The requested entity has not been found. Check type and id')
  })

  it('GET …/value: scalars as text/plain (strings quoted), objects as JSON', async () => {
    const text = async (path: string, accept?: string) => {
      const r = await s.req('GET', path, accept ? { headers: { Accept: accept } } : {})
      return [r.status, r.headers['content-type'], r.text]
    }
    expect(await text('/v2/entities/P1/attrs/name/value')).toEqual([200, 'text/plain', '"Lemonade"'])
    expect(await text('/v2/entities/P1/attrs/price/value')).toEqual([200, 'text/plain', '99'])
    expect(await text('/v2/entities/P1/attrs/flag/value')).toEqual([200, 'text/plain', 'false'])
    expect(await text('/v2/entities/P1/attrs/nil/value')).toEqual([200, 'text/plain', 'null'])
    expect(await text('/v2/entities/P1/attrs/when/value')).toEqual([200, 'text/plain', '2024-01-02T03:04:05.000Z'])
    expect(await text('/v2/entities/P1/attrs/info/value')).toEqual([200, 'application/json', '{"a":[1,2]}'])
    expect(await text('/v2/entities/P1/attrs/info/value', 'text/plain')).toEqual([200, 'text/plain', '{"a":[1,2]}'])
    expect(await text('/v2/entities/P1/attrs/name/value', 'application/json')).toEqual([
      406,
      'application/json',
      '{"error":"NotAcceptable","description":"accepted MIME types: text/plain"}'
    ])
  })

  it('PUT …/value: application/json only for objects and arrays; text/plain scalars; type kept', async () => {
    const put = (body: string, type: string) => s.req('PUT', '/v2/entities/P1/attrs/price/value', { body, headers: { 'Content-Type': type } })
    expect((await put('89', 'application/json')).json()).toEqual({ error: 'BadRequest', description: 'Neither JSON Object nor JSON Array for attribute::value' })
    expect((await put('89', 'text/plain')).status).toBe(204)
    expect(await kv('/v2/entities/P1/attrs/price')).toEqual({ type: 'Integer', value: 89, metadata: {} })
    const cases: Array<[string, unknown]> = [
      ['"cheap"', 'cheap'],
      ['True', true],
      ['FALSE', false],
      ['Null', null],
      ['1.5e2', 150]
    ]
    for (const [body, value] of cases) {
      expect((await put(body, 'text/plain')).status).toBe(204)
      expect((await kv('/v2/entities/P1/attrs/price')).value).toEqual(value)
    }
    expect((await put('"open', 'text/plain')).json().description).toBe('Missing citation-mark at end of string')
    expect((await put('cheap', 'text/plain')).json().description).toBe('attribute value type not recognized')
    expect((await put('{"x":[1]}', 'application/json')).status).toBe(204)
    expect(await kv('/v2/entities/P1/attrs/price')).toEqual({ type: 'Integer', value: { x: [1] }, metadata: {} })
  })

  it('DELETE /v2/entities/{id}', async () => {
    expect((await s.req('DELETE', '/v2/entities/P1?type=Other')).status).toBe(404)
    expect((await s.req('DELETE', '/v2/entities/P1')).status).toBe(204)
    expect((await s.req('DELETE', '/v2/entities/P1')).json()).toEqual({ error: 'NotFound', description: 'The requested entity has not been found. Check type and id' })
  })
})

describe('GET /v2/entities', () => {
  beforeEach(async () => {
    for (let i = 1; i <= 25; i++) await create({ id: `P${String(i).padStart(2, '0')}`, type: i % 2 ? 'Odd' : 'Even', n: { value: 26 - i }, tag: { value: `t${i % 3}` } })
    await create({ id: 'Sub1', type: 'Deep', n: { value: 0 } }, { 'Fiware-ServicePath': '/a/b' })
    await create({ id: 'Sub2', type: 'Deep', n: { value: 0 } }, { 'Fiware-ServicePath': '/a' })
  })

  const ids = async (query: string, headers?: Record<string, string>) => (await kv(`/v2/entities?${query}`, headers)).map((e: { id: string }) => e.id)

  it('pages by 20 in creation order, with limit, offset and Fiware-Total-Count', async () => {
    expect(await ids('options=keyValues')).toHaveLength(20)
    expect((await ids('limit=3&offset=2'))).toEqual(['P03', 'P04', 'P05'])
    const r = await s.req('GET', '/v2/entities?limit=0&options=count')
    expect([r.status, r.text, r.headers['fiware-total-count']]).toEqual([200, '[]', '27'])
    expect((await s.req('GET', '/v2/entities?limit=1000')).json()).toHaveLength(27)
    expect((await s.req('GET', '/v2/entities')).headers['fiware-total-count']).toBeUndefined()
  })

  it('filters by id and type lists and by unanchored patterns', async () => {
    expect(await ids('id=P02,P05,zz')).toEqual(['P02', 'P05'])
    expect(await ids('type=Deep')).toEqual(['Sub1', 'Sub2'])
    expect(await ids('type=Deep,Even&limit=100')).toHaveLength(14)
    expect(await ids('idPattern=1$')).toEqual(['P01', 'P11', 'P21', 'Sub1'])
    expect(await ids('typePattern=ee')).toEqual(['Sub1', 'Sub2'])
  })

  it('applies q and mq', async () => {
    expect(await ids('q=n<3')).toEqual(['P24', 'P25', 'Sub1', 'Sub2'])
    expect(await ids('q=n<3;type==x')).toEqual([])
    expect(await ids("q=tag=='t0';n>=10")).toEqual(['P03', 'P06', 'P09', 'P12', 'P15'])
    expect(await ids('q=!tag')).toEqual(['Sub1', 'Sub2'])
    expect(await ids('q=n==1..2')).toEqual(['P24', 'P25'])
    expect(await ids('q=dateCreated>2000-01-01&limit=1')).toEqual(['P01'])
  })

  it('orders by attributes, id, type and dates', async () => {
    expect((await ids('orderBy=n&limit=4'))).toEqual(['Sub1', 'Sub2', 'P25', 'P24'])
    expect((await ids('orderBy=!n&limit=2'))).toEqual(['P01', 'P02'])
    expect((await ids('orderBy=!id&limit=2'))).toEqual(['Sub2', 'Sub1'])
    expect((await ids('orderBy=type,!dateCreated&limit=3'))).toEqual(['Sub2', 'Sub1', 'P24'])
  })

  it('renders selections and values/unique lists', async () => {
    expect(await kv('/v2/entities?id=P01,P02&attrs=tag&options=values')).toEqual([['t1'], ['t2']])
    expect(await kv('/v2/entities?id=P03&attrs=tag,tag,n&options=unique')).toEqual([['t0', 23]])
    expect(await kv('/v2/entities?id=P03&attrs=__NONE')).toEqual([{ id: 'P03', type: 'Odd' }])
  })

  it('sees service paths: all by default, exact paths, subtrees, lists', async () => {
    expect((await ids('type=Deep', { 'Fiware-ServicePath': '/' }))).toEqual([])
    expect((await ids('type=Deep', { 'Fiware-ServicePath': '/a' }))).toEqual(['Sub2'])
    expect((await ids('type=Deep', { 'Fiware-ServicePath': '/a/#' }))).toEqual(['Sub1', 'Sub2'])
    expect((await ids('type=Deep', { 'Fiware-ServicePath': '/a/b, /x' }))).toEqual(['Sub1'])
    expect((await ids('type=Deep', { 'Fiware-ServicePath': '/#' }))).toEqual(['Sub1', 'Sub2'])
    expect((await ids('type=Odd&limit=1', { 'Fiware-ServicePath': '/' }))).toEqual(['P01'])
    expect((await s.req('PATCH', '/v2/entities/Sub1/attrs', { body: { n: { value: 1 } } })).status).toBe(404)
    expect((await s.req('PATCH', '/v2/entities/Sub1/attrs', { body: { n: { value: 1 } }, headers: { 'Fiware-ServicePath': '/a/b' } })).status).toBe(204)
  })
})
