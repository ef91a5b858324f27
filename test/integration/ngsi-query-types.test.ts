import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startNgsi, startProvider, type FakeProvider, type NgsiServer, type Res } from '../unit/ngsi/support/ngsi-server'

/** Geographical queries (docs/compatibility/ngsi-v2.md §2.2), `POST /v2/op/query` (§3.2) and `GET /v2/types` (§2.4) over HTTP. */

let s: NgsiServer

beforeEach(async () => {
  s = await startNgsi()
})

afterEach(async () => {
  await s.close()
})

const errorOf = (r: Res): [number, unknown] => [r.status, r.json()]
const bad = (description: string): [number, unknown] => [400, { error: 'BadRequest', description }]
const ids = (r: Res): string[] => r.json().map((e: { id: string }) => e.id)

async function create(body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<void> {
  const r = await s.req('POST', '/v2/entities', { body, headers })
  expect(r.status, r.text).toBe(201)
}

const point = (id: string, lon: number, lat: number, type = 'Store') => ({ id, type, location: { type: 'geo:json', value: { type: 'Point', coordinates: [lon, lat] } } })

describe('geographical queries', () => {
  beforeEach(async () => {
    await create(point('Store:001', -46.55250126146248, -23.726831522796758))
    await create(point('Store:002', -46.5845790329862, -23.71624047588308))
    await create({ id: 'Legacy', type: 'Store', position: { type: 'geo:point', value: '-23.7272, -46.5810' } })
    await create({ id: 'Road', type: 'Road', location: { type: 'geo:json', value: { type: 'LineString', coordinates: [[-46.6, -23.7], [-46.5, -23.7]] } } })
    await create({ id: 'Nowhere', type: 'Store', name: { type: 'Text', value: 'no location' } })
  })

  it('near with maxDistance and minDistance, any location format; entities without location never match', async () => {
    const near = '/v2/entities?type=Store&georel=near;maxDistance:1500&geometry=point&coords=-23.7272,%20-46.5792'
    expect(ids(await s.req('GET', near))).toEqual(['Store:002', 'Legacy'])
    expect(ids(await s.req('GET', '/v2/entities?type=Store&georel=near;minDistance:1500&geometry=point&coords=-23.7272,-46.5792'))).toEqual(['Store:001'])
  })

  it('orderBy=geo:distance sorts by distance to the near point; default order is creation', async () => {
    const q = '/v2/entities?georel=near;maxDistance:5000&geometry=point&coords=-23.7272,-46.5792&attrs=__NONE'
    expect(ids(await s.req('GET', q))).toEqual(['Store:001', 'Store:002', 'Legacy', 'Road'])
    expect(ids(await s.req('GET', `${q}&orderBy=geo:distance`))).toEqual(['Legacy', 'Store:002', 'Store:001', 'Road'])
  })

  it('coveredBy, intersects, disjoint and equals with box, polygon, line and point', async () => {
    const geo = (georel: string, geometry: string, coords: string) => s.req('GET', `/v2/entities?georel=${georel}&geometry=${geometry}&coords=${coords}`)
    expect(ids(await geo('coveredBy', 'box', '-23.73,-46.56;-23.72,-46.55'))).toEqual(['Store:001'])
    expect(ids(await geo('coveredBy', 'polygon', '-23.73,-46.59;-23.71,-46.59;-23.71,-46.57;-23.73,-46.57;-23.73,-46.59'))).toEqual(['Store:002', 'Legacy'])
    expect(ids(await geo('intersects', 'line', '-23.80,-46.58;-23.60,-46.58'))).toEqual(['Road'])
    expect(ids(await geo('disjoint', 'box', '-23.73,-46.56;-23.72,-46.55'))).toEqual(['Store:002', 'Legacy', 'Road'])
    expect(ids(await geo('equals', 'point', '-23.71624047588308,-46.5845790329862'))).toEqual(['Store:002'])
  })

  it('answers Orion’s errors, prefixed with "Invalid query: "', async () => {
    const q = (params: string) => s.req('GET', `/v2/entities?${params}`)
    expect(errorOf(await q('geometry=point'))).toEqual(bad('Invalid query: URI param /geometry/ used without /coords/'))
    expect(errorOf(await q('georel=intersects'))).toEqual(bad('Invalid query: URI param /georel/ used without /geometry/'))
    expect(errorOf(await q('georel=intersect&geometry=noCirle&coords=-1,2'))).toEqual(bad('Invalid query: error parsing geometry: Invalid selector in geometry specification'))
    expect(errorOf(await q('georel=near&geometry=point&coords=1.0,2.0'))).toEqual(bad('Invalid query: georel /near/ without either minDistance nor maxDistance'))
    expect(errorOf(await q('georel=near;maxDistance:10&geometry=point&coords=1,2;2,2'))).toEqual(bad('Invalid query: invalid number of coordinates for /point/'))
    expect(errorOf(await q('georel=intersects&geometry=polygon&coords=1,2;2,2'))).toEqual(bad('Invalid query: Too few coordinates for polygon'))
    expect(errorOf(await q('georel=coveredBy&geometry=box&coords=1,2;1,8'))).toEqual(bad('Invalid query: box coordinates are not defining an actual box'))
    // Without georel Orion builds no geo filter at all.
    expect(ids(await q('geometry=point&coords=1,2'))).toHaveLength(5)
  })
})

describe('POST /v2/op/query', () => {
  beforeEach(async () => {
    await create({ id: 'E1', type: 'T1', A: { type: 'Number', value: 1 }, B: { type: 'Text', value: 'x', metadata: { m: { type: 'Text', value: 'v' } } } })
    await create({ id: 'E2', type: 'T2', A: { type: 'Number', value: 2 } })
    await create({ id: 'F3', type: 'T1', C: { type: 'Number', value: 3 } })
  })

  const query = (body: unknown, params = '') => s.req('POST', `/v2/op/query${params}`, { body })

  it('selects by entities (OR-ed, patterns), attrs, expression and metadata; paginates and counts', async () => {
    expect(ids(await query({ entities: [{ id: 'E1' }, { idPattern: '^F' }] }))).toEqual(['E1', 'F3'])
    expect(ids(await query({ entities: [{ idPattern: '.*', typePattern: '1$' }] }))).toEqual(['E1', 'F3'])
    expect((await query({ entities: [{ id: 'E1', type: 'T1' }], attrs: ['B'] }, '?options=keyValues')).json()).toEqual([{ id: 'E1', type: 'T1', B: 'x' }])
    expect((await query({ attrs: ['A'] }, '?options=values')).json()).toEqual([[1], [2], []])
    expect(ids(await query({ expression: { q: 'A>1' } }))).toEqual(['E2'])
    expect((await query({ entities: [{ id: 'E1' }], attrs: ['B'], metadata: ['m'] })).json()[0].B.metadata).toEqual({ m: { type: 'Text', value: 'v' } })
    const page = await query({ entities: [{ idPattern: '.*' }] }, '?limit=1&offset=1&options=count')
    expect([page.headers['fiware-total-count'], ids(page)]).toEqual(['3', ['E2']])
    expect(ids(await query({ entities: [{ idPattern: '.*' }] }, '?orderBy=!id'))).toEqual(['F3', 'E2', 'E1'])
    // Deprecated `attributes`: only entities having one of them, with only those attributes.
    expect((await query({ attributes: ['C'] }, '?options=keyValues')).json()).toEqual([{ id: 'F3', type: 'T1', C: 3 }])
  })

  it.each([
    [{}, 'empty payload'],
    [{ nonSupported_field: [{ id: 'E' }] }, 'Invalid JSON payload, no relevant fields found'],
    [{ entities: { id: 'E' } }, 'not a JSON array'],
    [{ attributes: { A1: 0 } }, 'the field /attributes/ must be a JSON array'],
    [{ attributes: [1, 2, 3] }, 'only JSON Strings allowed in attributes list'],
    [{ expression: [1, 2, 3] }, 'expression is not an object'],
    [{ expression: {} }, 'expression is empty'],
    [{ expression: { q: 42 } }, 'q is not a string'],
    [{ expression: { q: '' } }, 'q is empty'],
    [{ expression: { mq: 42 } }, 'mq is not a string'],
    [{ expression: { mq: '' } }, 'mq is empty'],
    [{ expression: { georel: 42 } }, 'georel is not a string'],
    [{ expression: { georel: '' } }, 'georel is empty'],
    [{ expression: { geometry: 42 } }, 'geometry is not a string'],
    [{ expression: { geometry: '' } }, 'geometry is empty'],
    [{ expression: { coords: 42 } }, 'coords is not a string'],
    [{ expression: { coords: '' } }, 'coords is empty'],
    [{ expression: { geometry: 'point', coord: '20,10' } }, 'partial geo expression: geometry, georel and coords have to be provided together'],
    [{ entities: [{ type: 'T' }] }, 'nor /id/ nor /idPattern/ present'],
    [{ entities: [{ id: 'E', A: 1 }] }, 'no attributes allowed in Entity in this payload'],
    [{ entities: [{ idPattern: '(' }] }, 'Invalid regex for entity idPattern'],
    [{ attrs: ['A'], other: 1 }, 'Unrecognized field in JSON payload: /other/']
  ])('%j → %s (test 1080)', async (body, description) => {
    expect(errorOf(await query(body))).toEqual(bad(description))
  })

  it('geo expression and its errors', async () => {
    await create(point('S', 10, 20))
    expect(ids(await query({ expression: { georel: 'near;maxDistance:1000', geometry: 'point', coords: '20,10' } }))).toEqual(['S'])
    expect(errorOf(await query({ expression: { georel: 'near', geometry: 'point', coords: '20,10' } }))).toEqual(
      bad('error parsing geo-query fields: georel /near/ without either minDistance nor maxDistance')
    )
  })

  describe('forwarding', () => {
    let p: FakeProvider
    beforeEach(async () => {
      p = await startProvider(() => ({ status: 200, body: '[{"id":"E1","type":"T1","temperature":{"type":"Number","value":42}}]', headers: { 'Fiware-Total-Count': '1' } }))
    })
    afterEach(async () => {
      await p.close()
    })

    it('completes entities from context providers as GET does', async () => {
      const reg = await s.req('POST', '/v2/registrations', { body: { dataProvided: { entities: [{ id: 'E1', type: 'T1' }], attrs: ['temperature'] }, provider: { http: { url: p.url } } } })
      expect(reg.status).toBe(201)
      const r = await query({ entities: [{ id: 'E1', type: 'T1' }] }, '?options=keyValues')
      expect(r.json()).toEqual([{ id: 'E1', type: 'T1', A: 1, B: 'x', temperature: 42 }])
      expect(p.requests[0]!.url).toBe('//op/query?limit=19&offset=0&options=count')
      expect((await query({ entities: [{ id: 'E1', type: 'T1' }] }, '?options=keyValues,skipForwarding')).json()).toEqual([{ id: 'E1', type: 'T1', A: 1, B: 'x' }])
    })
  })
})

describe('GET /v2/types', () => {
  beforeEach(async () => {
    await create({ id: 'E1', type: 'T1', A1: { type: 'String', value: 's' }, A2: { type: 'Int', value: 2 } })
    await create({ id: 'E3', type: 'T3', A2: { type: 'Int', value: 2 }, A4: { type: 'String', value: 'a4' } })
    await create({ id: 'E4', type: 'T3', A4: { type: 'Text', value: 'a4' }, A3: { type: 'Bool', value: true } })
    await create({ id: 'E2', type: 'T2', A1: { type: 'String', value: 's' } }, { 'Fiware-ServicePath': '/other' })
  })

  it('lists types sorted with their attributes, attribute types and counts', async () => {
    const r = await s.req('GET', '/v2/types?options=count')
    expect(r.headers['fiware-total-count']).toBe('3')
    expect(r.text).toBe(
      '[{"type":"T1","attrs":{"A1":{"types":["String"]},"A2":{"types":["Int"]}},"count":1},' +
        '{"type":"T2","attrs":{"A1":{"types":["String"]}},"count":1},' +
        '{"type":"T3","attrs":{"A2":{"types":["Int"]},"A3":{"types":["Bool"]},"A4":{"types":["String","Text"]}},"count":2}]'
    )
    expect((await s.req('GET', '/v2/types?options=values')).json()).toEqual(['T1', 'T2', 'T3'])
    expect((await s.req('GET', '/v2/types?options=values&limit=1&offset=1')).json()).toEqual(['T2'])
    expect((await s.req('GET', '/v2/types?limit=0')).json()).toEqual([])
    expect((await s.req('GET', '/v2/types?options=noAttrDetail&limit=1')).json()).toEqual([{ type: 'T1', attrs: { A1: { types: [] }, A2: { types: [] } }, count: 1 }])
    expect((await s.req('GET', '/v2/types?options=values', { headers: { 'Fiware-ServicePath': '/other' } })).json()).toEqual(['T2'])
    expect((await s.req('GET', '/v2/types', { headers: { 'Fiware-Service': 'empty' } })).json()).toEqual([])
  })

  it('GET /v2/types/{type}: attrs and count, or 404', async () => {
    const r = await s.req('GET', '/v2/types/T3')
    expect(r.text).toBe('{"attrs":{"A2":{"types":["Int"]},"A3":{"types":["Bool"]},"A4":{"types":["String","Text"]}},"count":2}')
    expect(errorOf(await s.req('GET', '/v2/types/T9'))).toEqual([404, { error: 'NotFound', description: 'Entity type not found' }])
    expect(errorOf(await s.req('GET', '/v2/types/T2', { headers: { 'Fiware-ServicePath': '/' } }))).toEqual([404, { error: 'NotFound', description: 'Entity type not found' }])
    expect((await s.req('POST', '/v2/types', { body: {} })).status).toBe(405)
  })
})
