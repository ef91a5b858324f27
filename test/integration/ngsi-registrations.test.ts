import { rmSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startNgsi, type NgsiServer } from '../unit/ngsi/support/ngsi-server'

/** `/v2/registrations` (docs/compatibility/ngsi-v2.md §5.1). */

let s: NgsiServer

beforeEach(async () => {
  s = await startNgsi()
})

afterEach(async () => {
  await s.close()
})

const tutorial4 = {
  description: 'Random Conditions',
  dataProvided: { entities: [{ id: 'urn:ngsi-ld:Store:001', type: 'Store' }], attrs: ['relativeHumidity', 'temperature'] },
  provider: { http: { url: 'http://context-provider:5000' } }
}

async function register(body: unknown, headers?: Record<string, string>): Promise<string> {
  const r = await s.req('POST', '/v2/registrations', { body, ...(headers ? { headers } : {}) })
  expect(r.status, r.text).toBe(201)
  expect(r.text).toBe('')
  const m = /^\/v2\/registrations\/([0-9a-f]{24})$/.exec(String(r.headers.location))
  expect(m).not.toBeNull()
  return m![1]!
}

describe('registrations', () => {
  it('creates with a 24-hex id and renders in Orion key order', async () => {
    const id = await register(tutorial4)
    const r = await s.req('GET', `/v2/registrations/${id}`)
    expect(r.text).toBe(
      `{"id":"${id}","description":"Random Conditions","dataProvided":{"entities":[{"id":"urn:ngsi-ld:Store:001","type":"Store"}],` +
        '"attrs":["relativeHumidity","temperature"]},"provider":{"http":{"url":"http://context-provider:5000"},' +
        '"supportedForwardingMode":"all","legacyForwarding":false},"status":"active"}'
    )
    const iota = await register({
      dataProvided: { entities: [{ type: 'Device', id: 'urn:ngsi-ld:Device:001' }], attrs: ['switch'] },
      provider: { http: { url: 'http://iot-agent:4041' }, supportedForwardingMode: 'update' },
      expires: '2040-01-01T00:00:00Z',
      status: 'inactive'
    })
    const v = (await s.req('GET', `/v2/registrations/${iota}`)).json()
    expect(Object.keys(v)).toEqual(['id', 'expires', 'dataProvided', 'provider', 'status'])
    expect(v.expires).toBe('2040-01-01T00:00:00.000Z')
    expect(v.dataProvided.entities).toEqual([{ id: 'urn:ngsi-ld:Device:001', type: 'Device' }])
    expect(v.provider.supportedForwardingMode).toBe('update')
    expect(v.status).toBe('inactive')
    const list = await s.req('GET', '/v2/registrations?options=count&limit=1&offset=1')
    expect(list.headers['fiware-total-count']).toBe('2')
    expect(list.json().map((x: { id: string }) => x.id)).toEqual([iota])
  })

  it('deletes, then answers 404 with Orion text', async () => {
    const id = await register(tutorial4)
    expect((await s.req('DELETE', `/v2/registrations/${id}`)).status).toBe(204)
    const notFound = { error: 'NotFound', description: 'The requested registration has not been found. Check id' }
    expect((await s.req('DELETE', `/v2/registrations/${id}`)).json()).toEqual(notFound)
    expect((await s.req('GET', `/v2/registrations/${id}`)).json()).toEqual(notFound)
    expect((await s.req('DELETE', '/v2/registrations/633dbe07d4210825b72e22db')).status).toBe(404)
  })

  it('belongs to a tenant and is filtered by exact service path', async () => {
    const a = await register(tutorial4, { 'Fiware-Service': 'openiot', 'Fiware-ServicePath': '/' })
    const b = await register(tutorial4, { 'Fiware-Service': 'openiot', 'Fiware-ServicePath': '/sub' })
    const ids = async (headers: Record<string, string>) => (await s.req('GET', '/v2/registrations', { headers })).json().map((x: { id: string }) => x.id)
    expect(await ids({ 'Fiware-Service': 'openiot' })).toEqual([a, b])
    expect(await ids({ 'Fiware-Service': 'openiot', 'Fiware-ServicePath': '/' })).toEqual([a])
    expect(await ids({ 'Fiware-Service': 'openiot', 'Fiware-ServicePath': '/#' })).toEqual([a, b])
    expect(await ids({})).toEqual([])
    expect((await s.req('GET', `/v2/registrations/${b}`, { headers: { 'Fiware-Service': 'openiot', 'Fiware-ServicePath': '/' } })).status).toBe(404)
    expect((await s.req('GET', `/v2/registrations/${b}`, { headers: { 'Fiware-Service': 'openiot' } })).status).toBe(200)
    expect((await s.req('DELETE', `/v2/registrations/${b}`)).status).toBe(404)
  })

  it.each([
    [[1], 'not a JSON object'],
    [{ description: 1, dataProvided: {}, provider: {} }, 'invalid description'],
    [{ description: 'a;b', dataProvided: {}, provider: {} }, 'forbidden characters in description'],
    [{ description: 'x'.repeat(1025) }, 'max description length exceeded'],
    [{ provider: {} }, 'the field /dataProvided/ is missing in payload'],
    [{ dataProvided: 1 }, '/dataProvided/ must be a JSON object'],
    [{ dataProvided: {} }, '/dataProvided/ is empty'],
    [{ dataProvided: { entities: {} } }, '/entities/ is not an array'],
    [{ dataProvided: { entities: [{ type: 'T' }] } }, '/entities/ vector item does not have /id/ nor /idPattern/'],
    [{ dataProvided: { entities: [{ id: 'a', idPattern: 'b' }] } }, '/entities/ vector item has both /id/ and /idPattern/'],
    [{ dataProvided: { entities: [{ id: 'a' }], attrs: 'x' } }, 'the field /attrs/ must be a JSON array'],
    [{ dataProvided: { entities: [{ id: 'a' }], attrs: ['x', 'x'] } }, 'duplicated item /x/ in array'],
    [{ dataProvided: { entities: [{ id: 'a' }] } }, 'the field /provider/ is missing in payload'],
    [{ dataProvided: { entities: [{ id: 'a' }] }, provider: { http: { url: 'ftp://x' } } }, '/url/ field of /http/ is invalid'],
    [{ dataProvided: { entities: [{ id: 'a' }] }, provider: { http: {} } }, '/http/ must contain a field /url/'],
    [{ dataProvided: { entities: [{ id: 'a' }] }, provider: { http: { url: 'http://x' }, supportedForwardingMode: 'some' } }, 'invalid value of /supportedForwardingMode/'],
    [{ dataProvided: { entities: [{ id: 'a' }] }, provider: { http: { url: 'http://x' } }, expires: 'never' }, 'the field /expires/ has an invalid format'],
    [{ dataProvided: { entities: [{ id: 'a' }] }, provider: { http: { url: 'http://x' } }, status: 'off' }, 'invalid value for /status/']
  ])('rejects %j with "%s"', async (body, description) => {
    const r = await s.req('POST', '/v2/registrations', { body })
    expect([r.status, r.json()]).toEqual([400, { error: 'BadRequest', description }])
  })

  it('answers 501 for idPattern other than .* and for typePattern', async () => {
    const r = await s.req('POST', '/v2/registrations', { body: { dataProvided: { entities: [{ idPattern: 'x.*' }] }, provider: { http: { url: 'http://x' } } } })
    expect([r.status, r.json()]).toEqual([501, { error: 'NotImplemented', description: 'Unsupported idPattern' }])
  })

  it('survives a restart', async () => {
    const id = await register(tutorial4, { 'Fiware-Service': 'openiot' })
    const before = (await s.req('GET', '/v2/registrations', { headers: { 'Fiware-Service': 'openiot' } })).text
    await s.close(false)
    const again = await startNgsi({ dataDir: s.dataDir })
    try {
      expect((await again.req('GET', '/v2/registrations', { headers: { 'Fiware-Service': 'openiot' } })).text).toBe(before)
      expect((await again.req('DELETE', `/v2/registrations/${id}`, { headers: { 'Fiware-Service': 'openiot' } })).status).toBe(204)
    } finally {
      await again.close()
      rmSync(s.dataDir, { recursive: true, force: true })
    }
  })
})
