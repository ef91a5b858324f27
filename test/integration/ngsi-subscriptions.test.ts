import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { waitFor } from '../helpers/wait-for'
import { startNgsi, startProvider, type FakeProvider, type NgsiServer, type Res } from '../unit/ngsi/support/ngsi-server'

/** `/v2/subscriptions[/{id}]` over HTTP (docs/compatibility/ngsi-v2.md §4.1, §4.2, §4.5): operations, errors, scoping, persistence. */

let s: NgsiServer
let receiver: FakeProvider

beforeEach(async () => {
  s = await startNgsi()
  receiver = await startProvider(() => ({ status: 204 }))
})

afterEach(async () => {
  await s.close()
  await receiver.close()
})

const priceChange = () => ({
  description: 'Notify me of all product price changes',
  subject: { entities: [{ idPattern: 'urn:ngsi-ld:Product:010', type: 'Product' }], condition: { attrs: ['price'] } },
  notification: { http: { url: `${receiver.url}/priceChange` } }
})

async function subscribe(body: unknown, headers?: Record<string, string>): Promise<string> {
  const r = await s.req('POST', '/v2/subscriptions', { body, ...(headers ? { headers } : {}) })
  expect(r.status, r.text).toBe(201)
  expect(r.text).toBe('')
  expect(r.headers['content-type']).toBeUndefined()
  const m = /^\/v2\/subscriptions\/([0-9a-f]{24})$/.exec(String(r.headers.location))
  expect(m).not.toBeNull()
  return m![1]!
}

const errorOf = (r: Res): [number, unknown] => [r.status, r.json()]
const bad = (description: string): [number, unknown] => [400, { error: 'BadRequest', description }]
const NOT_FOUND: [number, unknown] = [404, { error: 'NotFound', description: 'The requested subscription has not been found. Check id' }]

describe('subscription operations', () => {
  it('creates with a 24-hex id and renders in Orion 4.x key order', async () => {
    const id = await subscribe(priceChange())
    const r = await s.req('GET', `/v2/subscriptions/${id}`)
    expect(r.status).toBe(200)
    expect(r.headers['content-type']).toBe('application/json')
    expect(r.text).toBe(
      `{"id":"${id}","description":"Notify me of all product price changes","status":"active",` +
        '"subject":{"entities":[{"idPattern":"urn:ngsi-ld:Product:010","type":"Product"}],"condition":{"attrs":["price"],"notifyOnMetadataChange":true}},' +
        `"notification":{"attrs":[],"onlyChangedAttrs":false,"attrsFormat":"normalized","http":{"url":"${receiver.url}/priceChange"},"covered":false}}`
    )
  })

  it('renders every optional field where Orion puts it', async () => {
    const id = await subscribe({
      description: 'all',
      subject: {
        entities: [{ id: 'E', typePattern: 'T.*' }],
        condition: { attrs: ['a'], expression: { q: 'a>1', mq: 'a.m==1', georel: 'near;maxDistance:10', geometry: 'point', coords: '1,2' }, alterationTypes: ['entityUpdate', 'entityDelete'], notifyOnMetadataChange: false }
      },
      notification: {
        httpCustom: { url: 'http://h:1/${id}', method: 'PUT', headers: { b: '2', a: '1' }, qs: { k: '${type}' }, json: { t: '${a}' }, timeout: 1000 },
        exceptAttrs: ['x'],
        metadata: ['previousValue'],
        attrsFormat: 'simplifiedKeyValues',
        onlyChangedAttrs: true,
        maxFailsLimit: 3
      },
      expires: '2040-05-06T07:08:09.999Z',
      status: 'oneshot',
      throttling: 7
    })
    const v = (await s.req('GET', `/v2/subscriptions/${id}`)).json()
    expect(Object.keys(v)).toEqual(['id', 'description', 'expires', 'status', 'subject', 'notification', 'throttling'])
    expect(v.expires).toBe('2040-05-06T07:08:09.000Z')
    expect(v.status).toBe('oneshot')
    expect(Object.keys(v.subject.condition)).toEqual(['attrs', 'expression', 'alterationTypes', 'notifyOnMetadataChange'])
    expect(Object.keys(v.subject.condition.expression)).toEqual(['q', 'mq', 'geometry', 'coords', 'georel'])
    expect(Object.keys(v.notification)).toEqual(['exceptAttrs', 'onlyChangedAttrs', 'attrsFormat', 'httpCustom', 'metadata', 'maxFailsLimit', 'covered'])
    expect(v.notification.httpCustom).toEqual({ url: 'http://h:1/${id}', timeout: 1000, json: { t: '${a}' }, method: 'PUT', qs: { k: '${type}' }, headers: { a: '1', b: '2' } })
  })

  it('lists in creation order with pagination and Fiware-Total-Count', async () => {
    const ids = [await subscribe(priceChange()), await subscribe(priceChange()), await subscribe(priceChange())]
    expect((await s.req('GET', '/v2/subscriptions')).json().map((x: { id: string }) => x.id)).toEqual(ids)
    const page = await s.req('GET', '/v2/subscriptions?limit=1&offset=1&options=count')
    expect(page.headers['fiware-total-count']).toBe('3')
    expect(page.json().map((x: { id: string }) => x.id)).toEqual([ids[1]])
    expect(errorOf(await s.req('GET', '/v2/subscriptions?limit=1001'))).toEqual(bad('Bad pagination limit: /1001/ [max: 1000]'))
    // One trailing slash is ignored, as for every route.
    expect((await s.req('GET', '/v2/subscriptions/')).json()).toHaveLength(3)
  })

  it('answers Orion’s errors for ids, unknown subscriptions and methods', async () => {
    expect(errorOf(await s.req('GET', '/v2/subscriptions/inexistentid'))).toEqual(bad('Invalid subscription ID: bad length - 24 chars expected'))
    expect(errorOf(await s.req('GET', '/v2/subscriptions/00001111222233334444555x'))).toEqual(bad('Invalid subscription ID: invalid char in ID string'))
    expect(errorOf(await s.req('GET', '/v2/subscriptions/000011112222333344445555'))).toEqual(NOT_FOUND)
    expect(errorOf(await s.req('DELETE', '/v2/subscriptions/000011112222333344445555'))).toEqual(NOT_FOUND)
    expect(errorOf(await s.req('PATCH', '/v2/subscriptions/000011112222333344445555', { body: { status: 'inactive' } }))).toEqual([
      404,
      { error: 'NotFound', description: 'subscription id not found' }
    ])
    const put = await s.req('PUT', '/v2/subscriptions/000011112222333344445555', { body: {} })
    expect([put.status, put.headers.allow]).toEqual([405, 'GET, DELETE, PATCH'])
    expect((await s.req('POST', '/v2/subscriptions', { body: 'nope', headers: { 'Content-Type': 'text/plain' } })).status).toBe(415)
    expect(errorOf(await s.req('POST', '/v2/subscriptions', { body: '{"subject":', headers: { 'Content-Type': 'application/json' } }))).toEqual([
      400,
      { error: 'ParseError', description: 'Errors found in incoming JSON buffer' }
    ])
    expect(errorOf(await s.req('POST', '/v2/subscriptions', { body: {} }))).toEqual(bad('empty payload'))
    expect(errorOf(await s.req('POST', '/v2/subscriptions', { body: { subject: priceChange().subject } }))).toEqual(bad('no notification for subscription specified'))
    expect(errorOf(await s.req('POST', '/v2/subscriptions', { body: { ...priceChange(), status: 'on' } }))).toEqual(
      bad('status is not valid: it has to be either active, inactive or oneshot')
    )
  })

  it('PATCH changes the given fields only; a notification resets attrs and attrsFormat', async () => {
    const id = await subscribe({ ...priceChange(), notification: { ...priceChange().notification, attrs: ['price'], attrsFormat: 'keyValues' }, throttling: 5 })
    expect((await s.req('PATCH', `/v2/subscriptions/${id}`, { body: { status: 'inactive' } })).status).toBe(204)
    let v = (await s.req('GET', `/v2/subscriptions/${id}`)).json()
    expect([v.status, v.throttling, v.notification.attrs, v.notification.attrsFormat]).toEqual(['inactive', 5, ['price'], 'keyValues'])
    const patch = { notification: { http: { url: `${receiver.url}/other` } }, description: '', throttling: 0, expires: '2040-01-01T00:00:00Z' }
    expect((await s.req('PATCH', `/v2/subscriptions/${id}`, { body: patch })).status).toBe(204)
    v = (await s.req('GET', `/v2/subscriptions/${id}`)).json()
    expect(Object.keys(v)).toEqual(['id', 'expires', 'status', 'subject', 'notification'])
    expect(v.notification).toMatchObject({ attrs: [], attrsFormat: 'normalized', http: { url: `${receiver.url}/other` } })
    expect(errorOf(await s.req('PATCH', `/v2/subscriptions/${id}`, { body: {} }))).toEqual(bad('empty payload'))
    expect(errorOf(await s.req('PATCH', `/v2/subscriptions/${id}`, { body: { throttling: 'x' } }))).toEqual(bad('throttling is not an int'))
  })

  it('shows expired subscriptions as expired', async () => {
    const id = await subscribe({ ...priceChange(), expires: '2020-01-01T00:00:00Z' })
    expect((await s.req('GET', `/v2/subscriptions/${id}`)).json().status).toBe('expired')
  })

  it('deletes; a second delete is 404', async () => {
    const id = await subscribe(priceChange())
    expect((await s.req('DELETE', `/v2/subscriptions/${id}`)).status).toBe(204)
    expect(errorOf(await s.req('DELETE', `/v2/subscriptions/${id}`))).toEqual(NOT_FOUND)
    expect((await s.req('GET', '/v2/subscriptions')).json()).toEqual([])
  })
})

describe('tenants and service paths (docs/compatibility/ngsi-v2.md §1.3)', () => {
  const openiot = (path?: string): Record<string, string> => ({ 'Fiware-Service': 'openiot', ...(path ? { 'Fiware-ServicePath': path } : {}) })

  it('belongs to a tenant; lists by exact path; GET by id needs the same path; DELETE ignores it', async () => {
    const root = await subscribe(priceChange(), openiot('/'))
    const all = await subscribe(priceChange(), openiot())
    const sub = await subscribe(priceChange(), openiot('/a/b'))
    const list = async (h: Record<string, string>) => (await s.req('GET', '/v2/subscriptions', { headers: h })).json().map((x: { id: string }) => x.id)
    expect(await list(openiot())).toEqual([root, all, sub])
    expect(await list(openiot('/#'))).toEqual([root, all, sub])
    expect(await list(openiot('/'))).toEqual([root])
    expect(await list(openiot('/a/b'))).toEqual([sub])
    expect(await list({})).toEqual([])
    expect((await s.req('GET', `/v2/subscriptions/${sub}`, { headers: openiot('/') })).status).toBe(404)
    expect((await s.req('GET', `/v2/subscriptions/${sub}`, { headers: openiot() })).status).toBe(200)
    expect((await s.req('GET', `/v2/subscriptions/${all}`, { headers: openiot('/#') })).status).toBe(200)
    expect((await s.req('GET', `/v2/subscriptions/${sub}`)).status).toBe(404)
    expect((await s.req('DELETE', `/v2/subscriptions/${sub}`, { headers: openiot('/x') })).status).toBe(204)
  })

  it('validates the tenant and the path', async () => {
    expect(errorOf(await s.req('GET', '/v2/subscriptions', { headers: { 'Fiware-Service': 'bad-tenant' } }))).toEqual(
      bad('bad character in tenant name - only underscore and alphanumeric characters are allowed')
    )
    expect(errorOf(await s.req('POST', '/v2/subscriptions', { body: priceChange(), headers: { 'Fiware-ServicePath': 'relative' } }))).toEqual(
      bad('Only /absolute/ Service Paths allowed [a service path must begin with /]')
    )
  })

  it('PATCH stores the path of the request (mongoUpdateSubscription)', async () => {
    const id = await subscribe(priceChange(), openiot('/a'))
    expect((await s.req('PATCH', `/v2/subscriptions/${id}`, { body: { throttling: 1 }, headers: openiot('/b') })).status).toBe(204)
    expect((await s.req('GET', '/v2/subscriptions', { headers: openiot('/b') })).json().map((x: { id: string }) => x.id)).toEqual([id])
  })
})

describe('persistence', () => {
  it('keeps subscriptions and their counters in subscriptions.db across a restart, and they keep firing', async () => {
    const id = await subscribe(priceChange(), { 'Fiware-Service': 'shop' })
    await s.req('POST', '/v2/entities', { body: { id: 'urn:ngsi-ld:Product:010', type: 'Product', price: { type: 'Integer', value: 99 } }, headers: { 'Fiware-Service': 'shop' } })
    await waitFor(() => receiver.requests.length === 1, 'the creation notification')
    await waitFor(async () => (await s.req('GET', `/v2/subscriptions/${id}`, { headers: { 'Fiware-Service': 'shop' } })).json().notification.lastSuccessCode === 204, 'the counters')
    const before = (await s.req('GET', '/v2/subscriptions', { headers: { 'Fiware-Service': 'shop' } })).text
    expect(before).toContain('"timesSent":1')
    await s.close(false)
    expect(existsSync(join(s.dataDir, 'subscriptions.db'))).toBe(true)
    const again = await startNgsi({ dataDir: s.dataDir })
    try {
      expect((await again.req('GET', '/v2/subscriptions', { headers: { 'Fiware-Service': 'shop' } })).text).toBe(before)
      await again.req('PATCH', '/v2/entities/urn:ngsi-ld:Product:010/attrs', { body: { price: { type: 'Integer', value: 40 } }, headers: { 'Fiware-Service': 'shop' } })
      await waitFor(() => receiver.requests.length === 2, 'a notification after the restart')
      expect(receiver.requests[1]!.headers['fiware-service']).toBe('shop')
      await waitFor(async () => (await again.req('GET', `/v2/subscriptions/${id}`, { headers: { 'Fiware-Service': 'shop' } })).json().notification.timesSent === 2, 'timesSent 2')
      expect((await again.req('DELETE', `/v2/subscriptions/${id}`, { headers: { 'Fiware-Service': 'shop' } })).status).toBe(204)
    } finally {
      await again.close()
      rmSync(s.dataDir, { recursive: true, force: true })
    }
  })

  it('creations, patches and deletions are on disk before the client hears back', async () => {
    const file = join(s.dataDir, 'subscriptions.db')
    const id = await subscribe(priceChange())
    expect(readFileSync(file, 'utf8')).toContain(id)
    await s.req('PATCH', `/v2/subscriptions/${id}`, { body: { description: 'patched' } })
    expect(readFileSync(file, 'utf8')).toContain('patched')
    await s.req('DELETE', `/v2/subscriptions/${id}`)
    // NeDB appends a deletion marker for the document.
    expect(readFileSync(file, 'utf8').trim().split('\n').pop()).toBe(`{"$$deleted":true,"_id":"${id}"}`)
  })
})
