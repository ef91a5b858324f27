import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startNgsi, startProvider, type FakeProvider, type NgsiServer, type RecordedRequest } from '../unit/ngsi/support/ngsi-server'

/**
 * Forwarded queries with several context providers (docs/compatibility/ngsi-v2.md §5.4): as
 * Orion's postQueryContext, one `POST …/op/query` per provider and entity, never one request
 * merging providers or entities; an attribute two registrations provide is asked of the first.
 * Real providers on ephemeral ports record what they receive.
 */

const STORE = 'urn:ngsi-ld:Store:001'
const HUMIDITY = { type: 'Number', value: 0.65 }
const TEMPERATURE = { type: 'Number', value: 21.5 }

let s: NgsiServer
let humidity: FakeProvider
let temperature: FakeProvider

/** A provider that answers, for the entity asked, the attributes asked among `attrs`. */
function answering(attrs: Record<string, unknown>): (req: RecordedRequest) => { status: number; body: string } {
  return (req) => {
    const q = JSON.parse(req.body) as { entities: Array<{ id: string; type?: string }>; attrs: string[] }
    const e = q.entities[0]!
    const entity: Record<string, unknown> = { id: e.id, type: e.type ?? 'Store' }
    for (const [name, value] of Object.entries(attrs)) if (q.attrs.length === 0 || q.attrs.includes(name)) entity[name] = value
    return { status: 200, body: JSON.stringify([entity]) }
  }
}

async function register(url: string, entities: Array<Record<string, string>>, attrs?: string[]): Promise<void> {
  const dataProvided: Record<string, unknown> = { entities }
  if (attrs) dataProvided.attrs = attrs
  const r = await s.req('POST', '/v2/registrations', { body: { dataProvided, provider: { http: { url } } } })
  expect(r.status, r.text).toBe(201)
}

const seen = (p: FakeProvider) => p.requests.map((r) => ({ url: r.url, body: r.body, correlator: r.headers['fiware-correlator'] }))

beforeEach(async () => {
  s = await startNgsi({ forwardTimeoutMs: 2000 })
  humidity = await startProvider(answering({ relativeHumidity: HUMIDITY }))
  temperature = await startProvider(answering({ temperature: TEMPERATURE }))
})

afterEach(async () => {
  await humidity.close()
  await temperature.close()
  await s.close()
})

describe('a query on an entity two registrations cover, with different providers', () => {
  beforeEach(async () => {
    const r = await s.req('POST', '/v2/entities', { body: { id: STORE, type: 'Store', name: { type: 'Text', value: 'Carrefour' } } })
    expect(r.status).toBe(201)
    await register(humidity.url, [{ id: STORE, type: 'Store' }], ['relativeHumidity'])
    await register(temperature.url, [{ id: STORE, type: 'Store' }], ['temperature'])
  })

  it('GET /v2/entities/{id}: each provider receives exactly one query for its own attributes; the answer merges them', async () => {
    const r = await s.req('GET', `/v2/entities/${STORE}?type=Store`, { headers: { 'Fiware-Correlator': 'c1' } })
    expect(r.status).toBe(200)
    expect(r.json()).toEqual({
      id: STORE,
      type: 'Store',
      name: { type: 'Text', value: 'Carrefour', metadata: {} },
      relativeHumidity: { ...HUMIDITY, metadata: {} },
      temperature: { ...TEMPERATURE, metadata: {} }
    })
    expect(seen(humidity)).toEqual([
      {
        url: '//op/query?limit=19&offset=0&options=count',
        body: `{"entities":[{"id":"${STORE}","type":"Store"}],"attrs":["relativeHumidity"]}`,
        correlator: 'c1; cbfwd=1'
      }
    ])
    // The page moves on: the first provider gave one entity.
    expect(seen(temperature)).toEqual([
      {
        url: '//op/query?limit=18&offset=0&options=count',
        body: `{"entities":[{"id":"${STORE}","type":"Store"}],"attrs":["temperature"]}`,
        correlator: 'c1; cbfwd=2'
      }
    ])
  })

  it('POST /v2/op/query: one query to each provider as well', async () => {
    const r = await s.req('POST', '/v2/op/query?options=keyValues', { body: { entities: [{ id: STORE }] } })
    expect([r.status, r.json()]).toEqual([200, [{ id: STORE, type: 'Store', name: 'Carrefour', relativeHumidity: 0.65, temperature: 21.5 }]])
    expect(humidity.requests.map((q) => q.body)).toEqual([`{"entities":[{"id":"${STORE}","type":"Store"}],"attrs":["relativeHumidity"]}`])
    expect(temperature.requests.map((q) => q.body)).toEqual([`{"entities":[{"id":"${STORE}","type":"Store"}],"attrs":["temperature"]}`])
  })
})

describe('forwarded queries are per provider and per entity', () => {
  it('an entity only providers hold (registrations without attrs): one query each, all attributes asked', async () => {
    await register(humidity.url, [{ id: STORE, type: 'Store' }])
    await register(temperature.url, [{ id: STORE, type: 'Store' }])
    const r = await s.req('GET', `/v2/entities/${STORE}?type=Store&options=keyValues`)
    expect([r.status, r.json()]).toEqual([200, { id: STORE, type: 'Store', relativeHumidity: 0.65, temperature: 21.5 }])
    expect(humidity.requests.map((q) => [q.url, q.body])).toEqual([['//op/query?limit=20&offset=0&options=count', `{"entities":[{"id":"${STORE}","type":"Store"}],"attrs":[]}`]])
    expect(temperature.requests.map((q) => [q.url, q.body])).toEqual([['//op/query?limit=19&offset=0&options=count', `{"entities":[{"id":"${STORE}","type":"Store"}],"attrs":[]}`]])
  })

  it('a list of two entities: one query per entity to each provider, entity by entity', async () => {
    for (const id of ['urn:S:1', 'urn:S:2']) expect((await s.req('POST', '/v2/entities', { body: { id, type: 'Store' } })).status).toBe(201)
    const both = [
      { id: 'urn:S:1', type: 'Store' },
      { id: 'urn:S:2', type: 'Store' }
    ]
    await register(humidity.url, both, ['relativeHumidity'])
    await register(temperature.url, both, ['temperature'])
    const r = await s.req('GET', '/v2/entities?type=Store&options=keyValues', { headers: { 'Fiware-Correlator': 'L' } })
    expect(r.json()).toEqual([
      { id: 'urn:S:1', type: 'Store', relativeHumidity: 0.65, temperature: 21.5 },
      { id: 'urn:S:2', type: 'Store', relativeHumidity: 0.65, temperature: 21.5 }
    ])
    expect(seen(humidity).map((q) => [q.correlator, q.body])).toEqual([
      ['L; cbfwd=1', '{"entities":[{"id":"urn:S:1","type":"Store"}],"attrs":["relativeHumidity"]}'],
      ['L; cbfwd=3', '{"entities":[{"id":"urn:S:2","type":"Store"}],"attrs":["relativeHumidity"]}']
    ])
    expect(seen(temperature).map((q) => [q.correlator, q.body])).toEqual([
      ['L; cbfwd=2', '{"entities":[{"id":"urn:S:1","type":"Store"}],"attrs":["temperature"]}'],
      ['L; cbfwd=4', '{"entities":[{"id":"urn:S:2","type":"Store"}],"attrs":["temperature"]}']
    ])
  })

  it('an attribute two registrations provide is asked of the first registration only', async () => {
    const r0 = await s.req('POST', '/v2/entities', { body: { id: STORE, type: 'Store' } })
    expect(r0.status).toBe(201)
    await register(temperature.url, [{ id: STORE, type: 'Store' }], ['temperature'])
    await register(humidity.url, [{ id: STORE, type: 'Store' }], ['temperature', 'relativeHumidity'])
    const r = await s.req('GET', `/v2/entities/${STORE}?type=Store&options=keyValues`)
    expect(r.json()).toEqual({ id: STORE, type: 'Store', temperature: 21.5, relativeHumidity: 0.65 })
    expect(temperature.requests.map((q) => q.body)).toEqual([`{"entities":[{"id":"${STORE}","type":"Store"}],"attrs":["temperature"]}`])
    expect(humidity.requests.map((q) => q.body)).toEqual([`{"entities":[{"id":"${STORE}","type":"Store"}],"attrs":["relativeHumidity"]}`])
  })
})

describe('POST /v2/registrations with a body that is not JSON', () => {
  it('answers 400 BadRequest "Errors found in incoming JSON buffer", as Orion\'s registration parser', async () => {
    const r = await s.req('POST', '/v2/registrations', { body: '{"dataProvided": ', headers: { 'Content-Type': 'application/json' } })
    expect(r.status).toBe(400)
    expect(r.text).toBe('{"error":"BadRequest","description":"Errors found in incoming JSON buffer"}')
    // The other parsers keep their ParseError.
    const entity = await s.req('POST', '/v2/entities', { body: '{"id": ', headers: { 'Content-Type': 'application/json' } })
    expect(entity.text).toBe('{"error":"ParseError","description":"Errors found in incoming JSON buffer"}')
    expect((await s.req('GET', '/v2/registrations')).json()).toEqual([])
  })
})
