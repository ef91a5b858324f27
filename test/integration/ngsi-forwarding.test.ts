import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { waitFor } from '../helpers/wait-for'
import { startNgsi, startProvider, type FakeProvider, type NgsiServer } from '../unit/ngsi/support/ngsi-server'

/** Context-provider forwarding (docs/compatibility/ngsi-v2.md §5.2–§5.4) against real provider HTTP servers. */

let s: NgsiServer
let p: FakeProvider
const IOT = { 'Fiware-Service': 'openiot', 'Fiware-ServicePath': '/' }
const DEVICE = 'urn:ngsi-ld:Device:001'

beforeEach(async () => {
  s = await startNgsi({ forwardTimeoutMs: 2000 })
  p = await startProvider()
})

afterEach(async () => {
  await p.close()
  await s.close()
})

async function registerCommands(url: string, headers: Record<string, string> = IOT, extra: Record<string, unknown> = {}): Promise<string> {
  const r = await s.req('POST', '/v2/registrations', {
    headers,
    body: { dataProvided: { entities: [{ type: 'Device', id: DEVICE }], attrs: ['switch', 'interval'] }, provider: { http: { url }, ...extra } }
  })
  expect(r.status, r.text).toBe(201)
  return String(r.headers.location).split('/').pop()!
}

const patch = (body: unknown, query = '?type=Device', headers: Record<string, string> = IOT) =>
  s.req('PATCH', `/v2/entities/${DEVICE}/attrs${query}`, { headers, body })

describe('forwarded updates', () => {
  it('sends the command to <provider>//op/update with Orion body and headers; 204 → 204', async () => {
    await registerCommands(p.url)
    const r = await patch({ switch: { type: 'command', value: '1' } }, '?type=Device', { ...IOT, 'Fiware-Correlator': 'corr-1', 'X-Auth-Token': 'tok' })
    expect(r.status).toBe(204)
    expect(p.requests).toHaveLength(1)
    const fwd = p.requests[0]!
    expect(fwd.method).toBe('POST')
    expect(fwd.url).toBe('//op/update')
    expect(fwd.body).toBe(`{"actionType":"update","entities":[{"id":"${DEVICE}","type":"Device","switch":{"type":"command","value":"1","metadata":{}}}]}`)
    expect(fwd.headers).toMatchObject({
      'content-type': 'application/json',
      accept: 'application/json',
      'fiware-service': 'openiot',
      'fiware-servicepath': '/',
      'fiware-correlator': 'corr-1; cbfwd=1',
      'x-auth-token': 'tok'
    })
    // The command attribute is never stored locally.
    expect((await s.req('GET', `/v2/entities/${DEVICE}?options=skipForwarding`, { headers: IOT })).status).toBe(404)
  })

  it('resolves the type from the registration when the client gives none (IoT-over-MQTT README)', async () => {
    await registerCommands(p.url)
    expect((await patch({ interval: { type: 'command', value: '15' } }, '')).status).toBe(204)
    expect(JSON.parse(p.requests[0]!.body).entities[0].type).toBe('Device')
  })

  it('uses the provider URL path, and sends no Fiware-Service for the default tenant', async () => {
    await registerCommands(`${p.url}/v2`, {})
    expect((await patch({ switch: { type: 'command', value: 'on' } }, '?type=Device', {})).status).toBe(204)
    expect(p.requests[0]!.url).toBe('/v2/op/update')
    expect(p.requests[0]!.headers['fiware-service']).toBeUndefined()
    expect(p.requests[0]!.headers['fiware-servicepath']).toBe('/')
  })

  it('forwards PUT attribute, PUT value and op/update update/replace; never append', async () => {
    await registerCommands(p.url)
    expect((await s.req('PUT', `/v2/entities/${DEVICE}/attrs/switch?type=Device`, { headers: IOT, body: { type: 'command', value: 'a' } })).status).toBe(204)
    expect((await s.req('PUT', `/v2/entities/${DEVICE}/attrs/switch/value`, { headers: { ...IOT, 'Content-Type': 'text/plain' }, body: '"b"' })).status).toBe(204)
    const batch = (actionType: string) =>
      s.req('POST', '/v2/op/update', { headers: IOT, body: { actionType, entities: [{ id: DEVICE, type: 'Device', switch: { type: 'command', value: actionType } }] } })
    expect((await batch('update')).status).toBe(204)
    expect((await batch('replace')).status).toBe(204)
    expect(p.requests.map((r) => JSON.parse(r.body).entities[0].switch.value)).toEqual(['a', 'b', 'update', 'replace'])
    // Creation semantics are local: the attribute now shadows the provider, as in Orion.
    expect((await batch('append')).status).toBe(204)
    expect((await patch({ switch: { type: 'command', value: 'local' } })).status).toBe(204)
    expect(p.requests).toHaveLength(4)
    expect((await s.req('GET', `/v2/entities/${DEVICE}/attrs/switch/value?options=skipForwarding`, { headers: IOT })).text).toBe('"local"')
  })

  it.each([
    [404, { status: 404 }],
    [422, { status: 422 }],
    [500, { status: 500 }],
    [200, { status: 200, body: '{}' }]
  ])('a provider answering %i gives the client 404 NotFound', async (_code, answer) => {
    p.behaviour = () => answer
    await registerCommands(p.url)
    const r = await patch({ switch: { type: 'command', value: '1' } })
    expect([r.status, r.json()]).toEqual([404, { error: 'NotFound', description: 'The requested entity has not been found. Check type and id' }])
  })

  it('reports PartialUpdate when local attributes were updated and the provider refused', async () => {
    p.behaviour = () => ({ status: 404 })
    await registerCommands(p.url)
    expect((await s.req('POST', '/v2/entities', { headers: IOT, body: { id: DEVICE, type: 'Device', temperature: { type: 'Number', value: 20 } } })).status).toBe(201)
    const r = await patch({ temperature: { type: 'Number', value: 21 }, switch: { type: 'command', value: '1' } })
    expect([r.status, r.json()]).toEqual([
      404,
      { error: 'PartialUpdate', description: `Some of the following attributes were not updated: { ${DEVICE}-Device : [switch] }` }
    ])
    expect((await s.req('GET', `/v2/entities/${DEVICE}/attrs/temperature/value?options=skipForwarding`, { headers: IOT })).text).toBe('21')
  })

  it('keeps serving other requests while a provider takes its time', async () => {
    let release: (() => void) | undefined
    p.behaviour = () => new Promise((resolve) => (release = () => resolve({ status: 204 })))
    await registerCommands(p.url)
    let done = false
    const pending = patch({ switch: { type: 'command', value: '1' } }).then((r) => {
      done = true
      return r
    })
    await waitFor(() => release !== undefined, 'the forwarded update')
    expect((await s.req('GET', '/version')).status).toBe(200)
    expect((await s.req('POST', '/v2/entities', { body: { id: 'Other' } })).status).toBe(201)
    expect(done).toBe(false)
    release!()
    expect((await pending).status).toBe(204)
  })

  it('gives up on a silent provider after the forward timeout (404 to the client)', async () => {
    const quick = await startNgsi({ forwardTimeoutMs: 200 })
    try {
      p.behaviour = () => 'hang'
      const reg = await quick.req('POST', '/v2/registrations', {
        headers: IOT,
        body: { dataProvided: { entities: [{ id: DEVICE, type: 'Device' }], attrs: ['switch'] }, provider: { http: { url: p.url } } }
      })
      expect(reg.status).toBe(201)
      const r = await quick.req('PATCH', `/v2/entities/${DEVICE}/attrs?type=Device`, { headers: IOT, body: { switch: { type: 'command', value: '1' } } })
      expect([r.status, r.json()]).toEqual([404, { error: 'NotFound', description: 'The requested entity has not been found. Check type and id' }])
      expect(p.requests).toHaveLength(1)
    } finally {
      await quick.close()
    }
  })

  it('sends one request per provider, numbering the correlator suffix', async () => {
    const second = await startProvider()
    try {
      await s.req('POST', '/v2/registrations', {
        headers: IOT,
        body: { dataProvided: { entities: [{ id: DEVICE, type: 'Device' }], attrs: ['switch'] }, provider: { http: { url: p.url } } }
      })
      await s.req('POST', '/v2/registrations', {
        headers: IOT,
        body: { dataProvided: { entities: [{ id: DEVICE, type: 'Device' }], attrs: ['interval'] }, provider: { http: { url: second.url } } }
      })
      const r = await patch({ switch: { type: 'command', value: '1' }, interval: { type: 'command', value: '2' } }, '?type=Device', { ...IOT, 'Fiware-Correlator': 'c' })
      expect(r.status).toBe(204)
      expect(p.requests[0]!.headers['fiware-correlator']).toBe('c; cbfwd=1')
      expect(second.requests[0]!.headers['fiware-correlator']).toBe('c; cbfwd=2')
      expect(Object.keys(JSON.parse(second.requests[0]!.body).entities[0])).toEqual(['id', 'type', 'interval'])
    } finally {
      await second.close()
    }
  })

  it('ignores registrations that are inactive, query-only or in another tenant', async () => {
    await registerCommands(p.url, IOT, { supportedForwardingMode: 'query' })
    await registerCommands(p.url, { 'Fiware-Service': 'other' })
    expect((await patch({ switch: { type: 'command', value: '1' } })).status).toBe(404)
    expect(p.requests).toHaveLength(0)
  })
})

describe('forwarded queries', () => {
  const store = {
    id: 'urn:ngsi-ld:Store:001',
    type: 'Store',
    address: { type: 'PostalAddress', value: { addressLocality: 'São Bernardo do Campo' } },
    name: { type: 'Text', value: 'Carrefour' }
  }

  async function tutorial4(): Promise<void> {
    expect((await s.req('POST', '/v2/entities', { body: store })).status).toBe(201)
    const r = await s.req('POST', '/v2/registrations', {
      body: {
        description: 'Random Conditions',
        dataProvided: { entities: [{ id: 'urn:ngsi-ld:Store:001', type: 'Store' }], attrs: ['relativeHumidity', 'temperature'] },
        provider: { http: { url: p.url } }
      }
    })
    expect(r.status).toBe(201)
  }

  const provided = JSON.stringify([{ id: 'urn:ngsi-ld:Store:001', type: 'Store', relativeHumidity: { type: 'Number', value: 0.65 }, temperature: { type: 'Number', value: 21.123456789123 } }])

  it('merges provider attributes after the local ones (collection request #48)', async () => {
    p.behaviour = () => ({ status: 200, body: provided })
    await tutorial4()
    const r = await s.req('GET', '/v2/entities/urn:ngsi-ld:Store:001?type=Store&options=keyValues', { headers: { 'Fiware-Correlator': 'q1' } })
    expect(r.json()).toEqual({
      id: 'urn:ngsi-ld:Store:001',
      type: 'Store',
      address: { addressLocality: 'São Bernardo do Campo' },
      name: 'Carrefour',
      relativeHumidity: 0.65,
      temperature: 21.123456789
    })
    expect(Object.keys(r.json())).toEqual(['id', 'type', 'address', 'name', 'relativeHumidity', 'temperature'])
    const q = p.requests[0]!
    expect(q.url).toBe('//op/query?limit=19&offset=0&options=count')
    expect(q.body).toBe('{"entities":[{"id":"urn:ngsi-ld:Store:001","type":"Store"}],"attrs":["relativeHumidity","temperature"]}')
    expect(q.headers['fiware-correlator']).toBe('q1; cbfwd=1')
    expect(q.headers['fiware-servicepath']).toBe('/')
    const normalized = (await s.req('GET', '/v2/entities/urn:ngsi-ld:Store:001/attrs/temperature')).json()
    expect(normalized).toEqual({ type: 'Number', value: 21.123456789, metadata: {} })
  })

  it('accepts provider entities without type (they are the entity asked for)', async () => {
    p.behaviour = () => ({ status: 200, body: '[{"id":"urn:ngsi-ld:Store:001","temperature":{"value":7}}]' })
    await tutorial4()
    expect((await s.req('GET', '/v2/entities/urn:ngsi-ld:Store:001?type=Store&options=keyValues&attrs=temperature')).json()).toEqual({
      id: 'urn:ngsi-ld:Store:001',
      type: 'Store',
      temperature: 7
    })
  })

  it('returns local data only when the provider fails, answers garbage or is silent', async () => {
    await tutorial4()
    const local = { id: 'urn:ngsi-ld:Store:001', type: 'Store', address: { addressLocality: 'São Bernardo do Campo' }, name: 'Carrefour' }
    for (const behaviour of [() => ({ status: 500 }), () => ({ status: 200, body: 'not json' }), () => ({ status: 200, body: '{"a":1}' })]) {
      p.behaviour = behaviour
      const r = await s.req('GET', '/v2/entities/urn:ngsi-ld:Store:001?options=keyValues')
      expect([r.status, r.json()]).toEqual([200, local])
    }
    await p.close()
    expect((await s.req('GET', '/v2/entities/urn:ngsi-ld:Store:001?options=keyValues')).json()).toEqual(local)
  })

  it('honours skipForwarding and completes lists too', async () => {
    p.behaviour = () => ({ status: 200, body: provided })
    await tutorial4()
    expect(Object.keys((await s.req('GET', '/v2/entities/urn:ngsi-ld:Store:001?options=keyValues,skipForwarding')).json())).toEqual(['id', 'type', 'address', 'name'])
    expect(p.requests).toHaveLength(0)
    const list = (await s.req('GET', '/v2/entities?type=Store&options=keyValues&attrs=name,temperature')).json()
    expect(list).toEqual([{ id: 'urn:ngsi-ld:Store:001', type: 'Store', name: 'Carrefour', temperature: 21.123456789 }])
    expect(p.requests[0]!.url).toBe('//op/query?limit=19&offset=0&options=count')
  })

  it('returns an entity held only by the provider as if it were local (the IoT Agent commands)', async () => {
    p.behaviour = (req) => {
      const q = JSON.parse(req.body)
      return { status: 200, body: JSON.stringify([{ id: q.entities[0].id, type: 'Device', switch: { type: 'command', value: '' }, interval: { type: 'command', value: '' } }]) }
    }
    await registerCommands(p.url)
    const r = await s.req('GET', `/v2/entities/${DEVICE}?type=Device&options=keyValues`, { headers: IOT })
    expect([r.status, r.json()]).toEqual([200, { id: DEVICE, type: 'Device', switch: '', interval: '' }])
    expect(p.requests[0]!.url).toBe('//op/query?limit=20&offset=0&options=count')
    expect(JSON.parse(p.requests[0]!.body)).toEqual({ entities: [{ id: DEVICE, type: 'Device' }], attrs: ['switch', 'interval'] })
    expect((await s.req('GET', `/v2/entities/${DEVICE}/attrs/switch/value`, { headers: IOT })).text).toBe('""')
    expect((await s.req('GET', '/v2/entities?type=Device&options=keyValues', { headers: IOT })).json()).toEqual([{ id: DEVICE, type: 'Device', switch: '', interval: '' }])
  })

  it('answers 404 when neither local data nor a provider has the entity', async () => {
    p.behaviour = () => ({ status: 200, body: '[]' })
    await registerCommands(p.url)
    expect((await s.req('GET', `/v2/entities/${DEVICE}`, { headers: IOT })).status).toBe(404)
  })
})
