import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startNgsi, type NgsiServer } from '../unit/ngsi/support/ngsi-server'

/** The HTTP rules of docs/compatibility/ngsi-v2.md §1.1 and the error catalogue of §1.2, over real HTTP. */

let s: NgsiServer

beforeAll(async () => {
  s = await startNgsi()
  expect((await s.req('POST', '/v2/entities', { body: { id: 'E1', type: 'T', a: { value: 1 } } })).status).toBe(201)
})

afterAll(async () => {
  await s.close()
})

const error = (status: number, name: string, description: string) => ({ status, body: { error: name, description } })

async function outcome(method: string, path: string, opts?: Parameters<NgsiServer['req']>[2]) {
  const r = await s.req(method, path, opts)
  return { status: r.status, body: r.text ? r.json() : undefined }
}

describe('correlator, trailing slash, unknown paths, methods', () => {
  it('echoes Fiware-Correlator, or makes a new lower-case UUID for every answer (errors too)', async () => {
    const echoed = await s.req('GET', '/v2/entities', { headers: { 'Fiware-Correlator': 'my-corr-1' } })
    expect(echoed.headers['fiware-correlator']).toBe('my-corr-1')
    const made = await s.req('GET', '/v2/nothing')
    expect(made.headers['fiware-correlator']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    const other = await s.req('GET', '/v2/nothing')
    expect(other.headers['fiware-correlator']).not.toBe(made.headers['fiware-correlator'])
  })

  it('strips exactly one trailing slash', async () => {
    expect((await s.req('GET', '/v2/entities/?type=T')).status).toBe(200)
    expect((await s.req('GET', '/v2/entities//')).json()).toEqual({ error: 'BadRequest', description: 'entity id length: 0, min length supported: 1' })
  })

  it('answers 400 for unknown paths and for GET /', async () => {
    expect(await outcome('GET', '/v2/nothing')).toEqual(error(400, 'BadRequest', 'Service not found. Check your URL as probably it is wrong.'))
    expect(await outcome('GET', '/v1/contextEntities')).toEqual(error(400, 'BadRequest', 'Service not found. Check your URL as probably it is wrong.'))
    expect(await outcome('GET', '/')).toEqual(error(400, 'BadRequest', 'The Orion Context Broker is a REST service, not a &#39;web page&#39;'))
  })

  it('answers 405 with Allow for a known path and another method', async () => {
    const r = await s.req('DELETE', '/v2/entities/E1/attrs')
    expect(r.status).toBe(405)
    expect(r.headers.allow).toBe('GET, PATCH, POST, PUT')
    expect(r.json()).toEqual({ error: 'MethodNotAllowed', description: 'method not allowed' })
    expect((await s.req('PATCH', '/v2/entities', { body: { a: 1 } })).headers.allow).toBe('POST, GET')
    // The missing payload is found before the method: Orion checks the request before its service.
    expect((await s.req('PATCH', '/v2/entities')).status).toBe(411)
    expect((await s.req('POST', '/version', { body: {} })).headers.allow).toBe('GET')
    expect((await s.req('GET', '/v2/op/update')).headers.allow).toBe('POST')
    expect((await s.req('OPTIONS', '/v2/entities/E1/attrs/a/value')).headers.allow).toBe('GET, PUT')
  })
})

describe('payload and media types', () => {
  it('415 without Content-Type, with an unknown one, and text/plain on a JSON route', async () => {
    expect(await outcome('POST', '/v2/entities', { body: '{"id":"X"}' })).toEqual(
      error(415, 'UnsupportedMediaType', 'Content-Type header not used, default application/octet-stream is not supported')
    )
    expect(await outcome('POST', '/v2/entities', { body: '{}', headers: { 'Content-Type': 'application/xml' } })).toEqual(
      error(415, 'UnsupportedMediaType', 'not supported content type: application/xml')
    )
    expect(await outcome('POST', '/v2/entities', { body: '{"id":"X"}', headers: { 'Content-Type': 'text/plain' } })).toEqual(
      error(415, 'UnsupportedMediaType', 'not supported content type: text/plain')
    )
  })

  it('ignores Content-Type parameters', async () => {
    const r = await s.req('POST', '/v2/entities', { body: '{"id":"CT1"}', headers: { 'Content-Type': 'application/json; charset=utf-8' } })
    expect(r.status).toBe(201)
  })

  it('411 for POST/PUT/PATCH without payload', async () => {
    for (const m of ['POST', 'PUT', 'PATCH']) {
      expect(await outcome(m, '/v2/entities/E1/attrs')).toEqual(error(411, 'ContentLengthRequired', 'Zero/No Content-Length in PUT/POST/PATCH request'))
    }
  })

  it('400 for GET/DELETE carrying Content-Type', async () => {
    const expected = error(400, 'BadRequest', 'Orion accepts no payload for GET/DELETE requests. HTTP header Content-Type is thus forbidden')
    expect(await outcome('GET', '/v2/entities', { headers: { 'Content-Type': 'application/json' } })).toEqual(expected)
    expect(await outcome('DELETE', '/v2/entities/E1', { headers: { 'Content-Type': 'application/json' } })).toEqual(expected)
  })

  it('413 above 1 MiB, with the size in the description', async () => {
    const big = JSON.stringify({ id: 'Big', a: { value: 'x'.repeat(1048576) } })
    expect(await outcome('POST', '/v2/entities', { body: big, headers: { 'Content-Type': 'application/json' } })).toEqual(
      error(413, 'RequestEntityTooLarge', `payload size: ${big.length}, max size supported: 1048576`)
    )
    const again = await s.req('POST', '/v2/entities', { body: big, headers: { 'Content-Type': 'application/json', 'Fiware-Correlator': 'big-1' } })
    expect(again.headers['fiware-correlator']).toBe('big-1')
    expect((await s.req('GET', '/v2/entities/E1')).status).toBe(200)
  })

  it('answers 415 for a Content-Type that is not even a media type', async () => {
    expect(await outcome('POST', '/v2/entities', { body: '{}', headers: { 'Content-Type': 'foo' } })).toEqual(
      error(415, 'UnsupportedMediaType', 'not supported content type: foo')
    )
  })

  it('400 ParseError for malformed JSON, 400 empty payload for {}', async () => {
    expect(await outcome('POST', '/v2/entities', { body: '{"id": ', headers: { 'Content-Type': 'application/json' } })).toEqual(
      error(400, 'ParseError', 'Errors found in incoming JSON buffer')
    )
    expect(await outcome('PATCH', '/v2/entities/E1/attrs', { body: {} })).toEqual(error(400, 'BadRequest', 'empty payload'))
    expect(await outcome('POST', '/v2/op/update', { body: {} })).toEqual(error(400, 'BadRequest', 'empty payload'))
    expect(await outcome('POST', '/v2/registrations', { body: {} })).toEqual(error(400, 'BadRequest', 'empty payload'))
    expect(await outcome('POST', '/v2/entities', { body: [] })).toEqual(error(400, 'ParseError', 'Errors found in incoming JSON buffer'))
  })

  it('406 when nothing acceptable is accepted', async () => {
    expect(await outcome('GET', '/v2/entities', { headers: { Accept: 'text/html' } })).toEqual(
      error(406, 'NotAcceptable', 'no acceptable mime-type in accept header')
    )
    expect(await outcome('GET', '/v2/entities', { headers: { Accept: 'text/plain' } })).toEqual(
      error(406, 'NotAcceptable', 'acceptable MIME types: application/json')
    )
    expect((await s.req('GET', '/v2/entities', { headers: { Accept: 'application/json, text/plain;q=0.5' } })).status).toBe(200)
    expect((await s.req('GET', '/v2/entities/E1/attrs/a/value', { headers: { Accept: 'text/plain' } })).status).toBe(200)
    expect(await outcome('GET', '/v2/entities', { headers: { Accept: 'application/json; charset=utf-8' } })).toEqual(
      error(400, 'BadRequest', 'q missing in accept header')
    )
  })

  it('201 with Location and no body nor Content-Type; 204 without body', async () => {
    const c = await s.req('POST', '/v2/entities', { body: { id: 'Loc1', type: 'T' } })
    expect(c.status).toBe(201)
    expect(c.headers.location).toBe('/v2/entities/Loc1?type=T')
    expect(c.headers['content-length']).toBe('0')
    expect(c.headers['content-type']).toBeUndefined()
    expect(c.text).toBe('')
    const n = await s.req('PATCH', '/v2/entities/Loc1/attrs', { body: { a: { value: 1 } } })
    expect(n.status).toBe(422)
    const d = await s.req('DELETE', '/v2/entities/Loc1')
    expect(d.status).toBe(204)
    expect(d.headers['content-type']).toBeUndefined()
    expect(d.text).toBe('')
  })

  it('answers JSON with the bare application/json type', async () => {
    expect((await s.req('GET', '/v2/entities')).headers['content-type']).toBe('application/json')
  })
})

describe('URL and parameters', () => {
  it('rejects forbidden characters in the path and in parameters', async () => {
    expect(await outcome('GET', '/v2/entities/a%3Cb')).toEqual(error(400, 'BadRequest', 'invalid character in URI'))
    expect(await outcome('GET', '/v2/entities/Espa%C3%B1a')).toEqual(error(400, 'BadRequest', 'invalid character in URI'))
    expect(await outcome('GET', '/v2/entities?type=a%3Db')).toEqual(error(400, 'BadRequest', 'invalid character in URI parameter'))
    expect((await s.req('GET', "/v2/entities?q=a=='x'")).status).toBe(200)
    expect((await s.req('GET', '/v2/entities?idPattern=%5EE(1)%24')).status).toBe(200)
  })

  it('keeps invalid percent escapes literally instead of failing', async () => {
    expect(await outcome('GET', '/v2/entities/a%zz')).toEqual(error(404, 'NotFound', 'The requested entity has not been found. Check type and id'))
    expect((await s.req('HEAD', '/v2/entities')).status).toBe(405)
  })

  it('rejects empty parameter values, bad pagination and bad options', async () => {
    expect(await outcome('GET', '/v2/entities?type=')).toEqual(error(400, 'BadRequest', 'Empty right-hand-side for URI param /type/'))
    expect(await outcome('GET', '/v2/entities?limit=x')).toEqual(error(400, 'BadRequest', 'Bad pagination limit: /x/ [must be a positive integer number]'))
    expect(await outcome('GET', '/v2/entities?limit=1001')).toEqual(error(400, 'BadRequest', 'Bad pagination limit: /1001/ [max: 1000]'))
    expect(await outcome('GET', '/v2/entities?offset=-1')).toEqual(error(400, 'BadRequest', 'Bad pagination offset: /-1/ [must be a decimal number]'))
    expect(await outcome('GET', '/v2/entities?options=foo')).toEqual(error(400, 'BadRequest', 'Invalid value for URI param /options/'))
    expect(await outcome('GET', '/v2/entities?options=keyValues,values')).toEqual(error(400, 'BadRequest', 'Invalid value for URI param /options/'))
    expect(await outcome('GET', '/v2/entities?options=values,unique')).toEqual(error(400, 'BadRequest', 'Invalid value for URI param /options/'))
    expect(await outcome('GET', '/v2/entities?options=keyValues,unique')).toEqual(error(400, 'BadRequest', 'Invalid value for URI param /options/'))
    expect((await s.req('GET', '/v2/entities?options=count,keyValues,skipForwarding')).status).toBe(200)
  })

  it('reports q errors and invalid patterns as 400', async () => {
    expect(await outcome('GET', '/v2/entities?q=a==1;;b==2')).toEqual(error(400, 'BadRequest', 'empty q-item'))
    expect(await outcome('GET', '/v2/entities?mq=a==1')).toEqual(error(400, 'BadRequest', 'no metadata name - not valid for metadata filters'))
    expect(await outcome('GET', '/v2/entities?idPattern=%5B')).toEqual(error(400, 'BadRequest', 'Invalid regex for entity idPattern'))
    expect(await outcome('GET', '/v2/entities?typePattern=*x')).toEqual(error(400, 'BadRequest', 'Invalid regex for entity typePattern'))
    expect(await outcome('GET', '/v2/entities?id=a&idPattern=b')).toEqual(error(400, 'BadRequest', 'Incompatible parameters: id, IdPattern'))
    expect(await outcome('GET', '/v2/entities?type=a&typePattern=b')).toEqual(error(400, 'BadRequest', 'Incompatible parameters: type, typePattern'))
    expect(await outcome('GET', '/v2/entities?orderBy=a,!a')).toEqual(error(400, 'BadRequest', 'duplicate orderBy token detected'))
  })
})

describe('tenants and service paths', () => {
  it('validates Fiware-Service', async () => {
    expect(await outcome('GET', '/v2/entities', { headers: { 'Fiware-Service': 'bad-name' } })).toEqual(
      error(400, 'BadRequest', 'bad character in tenant name - only underscore and alphanumeric characters are allowed')
    )
    expect(await outcome('GET', '/v2/entities', { headers: { 'Fiware-Service': 'x'.repeat(51) } })).toEqual(
      error(400, 'BadRequest', 'bad length - a tenant name can be max 50 characters long')
    )
  })

  it('validates Fiware-ServicePath', async () => {
    expect(await outcome('GET', '/v2/entities', { headers: { 'Fiware-ServicePath': 'relative' } })).toEqual(
      error(400, 'BadRequest', 'Only /absolute/ Service Paths allowed [a service path must begin with /]')
    )
    expect(await outcome('PATCH', '/v2/entities/E1/attrs', { headers: { 'Fiware-ServicePath': '/#' }, body: { a: { value: 2 } } })).toEqual(
      error(400, 'BadRequest', 'servicepath with wildcard # is not allowed in patch update request')
    )
    expect(await outcome('POST', '/v2/entities', { headers: { 'Fiware-ServicePath': '/a,/b' }, body: { id: 'SP' } })).toEqual(
      error(400, 'BadRequest', 'more than one service path in context update request')
    )
  })

  it('isolates tenants, lower-casing their names', async () => {
    const h = { 'Fiware-Service': 'OpenIoT', 'Fiware-ServicePath': '/' }
    expect((await s.req('POST', '/v2/entities', { headers: h, body: { id: 'E1', type: 'T', b: { value: 2 } } })).status).toBe(201)
    expect((await s.req('GET', '/v2/entities/E1?options=keyValues', { headers: { 'Fiware-Service': 'openiot' } })).json()).toEqual({ id: 'E1', type: 'T', b: 2 })
    expect((await s.req('GET', '/v2/entities/E1?options=keyValues')).json()).toEqual({ id: 'E1', type: 'T', a: 1 })
  })
})

describe('/version, /v2 and phase-2 routes', () => {
  it('GET /version reports Orion 4.1.0 compatibility and names this product', async () => {
    const r = await s.req('GET', '/version')
    expect(r.status).toBe(200)
    expect(r.headers['content-type']).toBe('application/json')
    const v = r.json().orion
    expect(Object.keys(v)).toEqual(['version', 'uptime', 'git_hash', 'compile_time', 'compiled_by', 'compiled_in', 'release_date', 'machine', 'doc'])
    expect(v.version).toBe('4.1.0')
    expect(v.uptime).toMatch(/^\d+ d, \d+ h, \d+ m, \d+ s$/)
    expect(v.compiled_by).toMatch(/^UltraLight Control Center /)
    expect(v.doc).toBe('https://fiware-orion.rtfd.io/en/4.1.0/')
    expect(r.text.startsWith('{\n"orion" : {\n  "version" : "4.1.0",')).toBe(true)
    expect(Object.keys((await s.req('GET', '/version?options=libVersions')).json().orion)).toContain('libversions')
  })

  it('GET /v2 lists the entry points', async () => {
    expect((await s.req('GET', '/v2')).json()).toEqual({
      entities_url: '/v2/entities',
      types_url: '/v2/types',
      subscriptions_url: '/v2/subscriptions',
      registrations_url: '/v2/registrations'
    })
  })

  it('serves the routes of phase 2; only POST /v2/op/notify stays 501', async () => {
    expect((await s.req('GET', '/v2/subscriptions')).status).toBe(200)
    expect((await s.req('POST', '/v2/op/query', { body: { entities: [{ idPattern: '.*' }] } })).status).toBe(200)
    expect((await s.req('GET', '/v2/types')).status).toBe(200)
    expect(await outcome('GET', '/v2/entities?coords=1,2')).toEqual(error(400, 'BadRequest', 'Invalid query: URI param /coords/ used without /geometry/'))
    expect((await s.req('GET', '/v2/entities?georel=near;maxDistance:1500&geometry=point&coords=-23.7272,-46.5792')).status).toBe(200)
    expect((await s.req('POST', '/v2/op/notify', { body: { subscriptionId: 'x', data: [] } })).status).toBe(501)
  })
})
