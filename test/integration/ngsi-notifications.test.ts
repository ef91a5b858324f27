import { createServer, type Server } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { waitFor } from '../helpers/wait-for'
import { startNgsi, startProvider, type FakeProvider, type NgsiServer, type ProviderBehaviour, type RecordedRequest } from '../unit/ngsi/support/ngsi-server'

/**
 * Notifications to real receivers (docs/compatibility/ngsi-v2.md §4.3, §4.4): bodies and headers, triggering rules,
 * throttling, oneshot, expiry, failing and silent receivers, and the IoT Agent's update path.
 */

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

async function setup(behaviour?: ProviderBehaviour, opts: Parameters<typeof startNgsi>[0] = {}): Promise<{ s: NgsiServer; r: FakeProvider }> {
  const s = await startNgsi(opts)
  cleanups.push(() => s.close())
  const r = await startProvider(behaviour ?? (() => ({ status: 200 })))
  cleanups.push(() => r.close())
  return { s, r }
}

async function subscribe(s: NgsiServer, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<string> {
  const res = await s.req('POST', '/v2/subscriptions', { body, headers })
  expect(res.status, res.text).toBe(201)
  return String(res.headers.location).split('/').pop()!
}

const room = (temperature: number, extra: Record<string, unknown> = {}) => ({ id: 'Room1', type: 'Room', temperature: { type: 'Number', value: temperature }, ...extra })
const received = (r: FakeProvider, n: number): Promise<RecordedRequest[]> => waitFor(() => r.requests.length >= n && r.requests, `${n} notification(s)`)
const bodies = (r: FakeProvider) => r.requests.map((x) => JSON.parse(x.body))

describe('notification requests', () => {
  it('POSTs normalized bodies with Orion’s headers: tenant, path, correlator with cbnotif, token', async () => {
    const { s, r } = await setup()
    const headers = { 'Fiware-Service': 'openiot', 'Fiware-ServicePath': '/floor1' }
    const id = await subscribe(s, { subject: { entities: [{ idPattern: '.*' }] }, notification: { http: { url: `${r.url}/notify` } } }, headers)
    await s.req('POST', '/v2/op/update', {
      body: { actionType: 'append', entities: [room(21), { ...room(22), id: 'Room2' }] },
      headers: { ...headers, 'Fiware-Correlator': 'corr-1', 'X-Auth-Token': 'secret' }
    })
    const got = await received(r, 2)
    const h = got[0]!.headers
    expect([got[0]!.method, got[0]!.url]).toEqual(['POST', '/notify'])
    expect(h['fiware-service']).toBe('openiot')
    expect(h['fiware-servicepath']).toBe('/floor1')
    expect(h['x-auth-token']).toBe('secret')
    expect(h['ngsiv2-attrsformat']).toBe('normalized')
    expect(h['content-type']).toBe('application/json; charset=utf-8')
    expect(h.accept).toBe('application/json')
    expect(h['user-agent']).toMatch(/^orion\/4\.1\.0 /)
    // One notification per entity, numbered within the request.
    expect(got.map((x) => x.headers['fiware-correlator']).sort()).toEqual(['corr-1; cbnotif=1', 'corr-1; cbnotif=2'])
    expect(bodies(r).map((b) => [b.subscriptionId, b.data.length, b.data[0].id]).sort()).toEqual([
      [id, 1, 'Room1'],
      [id, 1, 'Room2']
    ])
  })

  it('keyValues with attrs in the order asked, values, and the simplified formats', async () => {
    const { s, r } = await setup()
    const url = `${r.url}/n`
    for (const attrsFormat of ['keyValues', 'values', 'simplifiedKeyValues', 'simplifiedNormalized']) {
      await subscribe(s, { subject: { entities: [{ id: 'Room1' }] }, notification: { http: { url }, attrs: ['humidity', 'temperature'], attrsFormat } })
    }
    await s.req('POST', '/v2/entities', { body: room(21, { humidity: { type: 'Number', value: 40 }, name: { type: 'Text', value: 'Kitchen' } }) })
    const got = await received(r, 4)
    const byFormat = Object.fromEntries(got.map((x) => [x.headers['ngsiv2-attrsformat'], x.body]))
    const ids = bodies(r).filter((b) => b.subscriptionId).map((b) => b.subscriptionId)
    expect(byFormat.keyValues).toBe(`{"subscriptionId":"${ids[0]}","data":[{"id":"Room1","type":"Room","humidity":40,"temperature":21}]}`)
    expect(byFormat.values).toBe(`{"subscriptionId":"${ids[1]}","data":[[40,21]]}`)
    expect(byFormat.simplifiedKeyValues).toBe('{"id":"Room1","type":"Room","humidity":40,"temperature":21}')
    expect(JSON.parse(byFormat.simplifiedNormalized)).toEqual({
      id: 'Room1',
      type: 'Room',
      humidity: { type: 'Number', value: 40, metadata: {} },
      temperature: { type: 'Number', value: 21, metadata: {} }
    })
  })

  it('httpCustom: method, URL and qs templates, headers, JSON payload', async () => {
    const { s, r } = await setup()
    await subscribe(s, {
      subject: { entities: [{ id: 'Room1' }] },
      notification: {
        httpCustom: { url: `${r.url}/rooms/\${id}`, method: 'PUT', qs: { type: '${type}' }, headers: { 'X-Room': '${id}' }, json: { t: '${temperature}', msg: 'T=${temperature}' } }
      }
    })
    await s.req('POST', '/v2/entities', { body: room(21.5) })
    const [n] = await received(r, 1)
    expect([n!.method, n!.url, n!.headers['x-room'], n!.headers['ngsiv2-attrsformat']]).toEqual(['PUT', '/rooms/Room1?type=Room', 'Room1', 'custom'])
    expect(n!.body).toBe('{"t":21.5,"msg":"T=21.5"}')
  })

  it('previousValue, actionType and alterationType when asked for', async () => {
    const { s, r } = await setup()
    await subscribe(s, {
      subject: { entities: [{ id: 'Room1' }] },
      notification: { http: { url: r.url }, attrs: ['temperature', 'alterationType'], metadata: ['previousValue', 'actionType'], attrsFormat: 'normalized' }
    })
    await s.req('POST', '/v2/entities', { body: room(21) })
    await s.req('PATCH', '/v2/entities/Room1/attrs', { body: { temperature: { type: 'Number', value: 25 } } })
    await received(r, 2)
    const data = bodies(r).map((b) => b.data[0])
    const create = data.find((d) => d.alterationType.value === 'entityCreate')
    const update = data.find((d) => d.alterationType.value === 'entityChange')
    expect(create.alterationType.value).toBe('entityCreate')
    expect(create.temperature.metadata).toEqual({ actionType: { type: 'Text', value: 'append' } })
    expect(update.alterationType.value).toBe('entityChange')
    expect(update.temperature).toEqual({
      type: 'Number',
      value: 25,
      metadata: { previousValue: { type: 'Number', value: 21 }, actionType: { type: 'Text', value: 'update' } }
    })
  })
})

describe('triggering', () => {
  it('no initial notification; no notification when nothing changes, unless forcedUpdate', async () => {
    const { s, r } = await setup()
    await s.req('POST', '/v2/entities', { body: room(21) })
    await subscribe(s, { subject: { entities: [{ id: 'Room1' }] }, notification: { http: { url: r.url } } })
    await s.broker.notificationsIdle()
    expect(r.requests).toHaveLength(0)
    await s.req('PATCH', '/v2/entities/Room1/attrs', { body: { temperature: { type: 'Number', value: 21 } } })
    await s.broker.notificationsIdle()
    expect(r.requests).toHaveLength(0)
    await s.req('PATCH', '/v2/entities/Room1/attrs?options=forcedUpdate', { body: { temperature: { type: 'Number', value: 21 } } })
    await received(r, 1)
  })

  it('condition attrs, q expression and service path scope', async () => {
    const { s, r } = await setup()
    const sp = { 'Fiware-ServicePath': '/a/#' }
    await subscribe(s, { subject: { entities: [{ idPattern: '.*', type: 'Room' }], condition: { attrs: ['temperature'], expression: { q: 'temperature>30' } } }, notification: { http: { url: r.url } } }, sp)
    await s.req('POST', '/v2/entities', { body: room(20), headers: { 'Fiware-ServicePath': '/a/b' } })
    await s.req('POST', '/v2/entities', { body: room(40), headers: { 'Fiware-ServicePath': '/c' } })
    await s.req('PATCH', '/v2/entities/Room1/attrs', { body: { temperature: { type: 'Number', value: 35 } }, headers: { 'Fiware-ServicePath': '/a/b' } })
    await s.req('POST', '/v2/entities/Room1/attrs', { body: { other: { type: 'Number', value: 1 } }, headers: { 'Fiware-ServicePath': '/a/b' } })
    await s.broker.notificationsIdle()
    expect(bodies(r).map((b) => b.data[0].temperature.value)).toEqual([35])
    expect(r.requests[0]!.headers['fiware-servicepath']).toBe('/a/b')
  })

  it('geo expression: near a point', async () => {
    const { s, r } = await setup()
    await subscribe(s, {
      subject: { entities: [{ idPattern: '.*' }], condition: { expression: { georel: 'near;maxDistance:1500', geometry: 'point', coords: '-23.7272,-46.5792' } } },
      notification: { http: { url: r.url }, attrs: ['name'], attrsFormat: 'keyValues' }
    })
    const store = (id: string, lon: number, lat: number) => ({ id, type: 'Store', name: { type: 'Text', value: id }, location: { type: 'geo:json', value: { type: 'Point', coordinates: [lon, lat] } } })
    await s.req('POST', '/v2/entities', { body: store('Far', -46.5525, -23.7268) })
    await s.req('POST', '/v2/entities', { body: store('Near', -46.5846, -23.7162) })
    await s.broker.notificationsIdle()
    expect(bodies(r).map((b) => b.data[0].name)).toEqual(['Near'])
  })

  it('entityDelete and entityUpdate alteration types', async () => {
    const { s, r } = await setup()
    await subscribe(s, { subject: { entities: [{ id: 'Room1' }], condition: { alterationTypes: ['entityDelete', 'entityUpdate'] } }, notification: { http: { url: r.url }, attrs: ['alterationType'], attrsFormat: 'keyValues' } })
    await s.req('POST', '/v2/entities', { body: room(21) })
    await s.req('PATCH', '/v2/entities/Room1/attrs', { body: { temperature: { type: 'Number', value: 21 } } })
    await s.req('DELETE', '/v2/entities/Room1')
    await s.broker.notificationsIdle()
    // Several notifications of one subscription may be in flight together: their order is not fixed.
    expect(bodies(r).map((b) => b.data[0].alterationType).sort()).toEqual(['entityDelete', 'entityUpdate'])
  })

  it('throttling drops what comes too early; oneshot fires once and turns inactive', async () => {
    const { s, r } = await setup()
    const throttled = await subscribe(s, { subject: { entities: [{ id: 'Room1' }] }, notification: { http: { url: `${r.url}/t` } }, throttling: 60 })
    const oneshot = await subscribe(s, { subject: { entities: [{ id: 'Room1' }] }, notification: { http: { url: `${r.url}/o` } }, status: 'oneshot' })
    await s.req('POST', '/v2/entities', { body: room(1) })
    for (let v = 2; v <= 4; v++) await s.req('PATCH', '/v2/entities/Room1/attrs', { body: { temperature: { type: 'Number', value: v } } })
    await s.broker.notificationsIdle()
    expect(r.requests.map((x) => x.url).sort()).toEqual(['/o', '/t'])
    expect((await s.req('GET', `/v2/subscriptions/${throttled}`)).json().notification.timesSent).toBe(1)
    expect((await s.req('GET', `/v2/subscriptions/${oneshot}`)).json().status).toBe('inactive')
    await s.req('PATCH', `/v2/subscriptions/${oneshot}`, { body: { status: 'oneshot' } })
    await s.req('PATCH', '/v2/entities/Room1/attrs', { body: { temperature: { type: 'Number', value: 5 } } })
    await s.broker.notificationsIdle()
    expect(r.requests.map((x) => x.url).sort()).toEqual(['/o', '/o', '/t'])
  })

  it('stops at expiry', async () => {
    const { s, r } = await setup()
    const expires = new Date(Math.ceil((Date.now() + 1500) / 1000) * 1000).toISOString()
    const id = await subscribe(s, { subject: { entities: [{ id: 'Room1' }] }, notification: { http: { url: r.url } }, expires })
    await s.req('POST', '/v2/entities', { body: room(1) })
    await received(r, 1)
    await waitFor(async () => (await s.req('GET', `/v2/subscriptions/${id}`)).json().status === 'expired', 'expiry', 5000, 100)
    await s.req('PATCH', '/v2/entities/Room1/attrs', { body: { temperature: { type: 'Number', value: 2 } } })
    await s.broker.notificationsIdle()
    expect(r.requests).toHaveLength(1)
  })

  it('the IoT Agent’s updates (upsertSync) notify too', async () => {
    const { s, r } = await setup()
    await subscribe(s, { subject: { entities: [{ idPattern: '.*', type: 'Device' }] }, notification: { http: { url: r.url }, attrsFormat: 'keyValues' } }, { 'Fiware-Service': 'openiot' })
    s.broker.upsertSync({ service: 'openiot', servicePath: '/' }, [{ id: 'urn:ngsi-ld:Device:001', type: 'Device', attrs: { temperature: { type: 'Number', value: 20 } } }])
    const [n] = await received(r, 1)
    expect(JSON.parse(n!.body).data).toEqual([{ id: 'urn:ngsi-ld:Device:001', type: 'Device', temperature: 20 }])
    expect(n!.headers['fiware-correlator']).toMatch(/^[0-9a-f-]{36}; cbnotif=1$/)
  })
})

describe('failing receivers', () => {
  /** A port nobody listens on. */
  async function closedPort(): Promise<number> {
    const srv: Server = createServer()
    await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve))
    const port = (srv.address() as { port: number }).port
    await new Promise<void>((resolve) => srv.close(() => resolve()))
    return port
  }

  it('counts failures, deactivates past maxFailsLimit, counts any HTTP answer as a success', async () => {
    const { s, r } = await setup(() => ({ status: 404 }))
    const dead = await subscribe(s, { subject: { entities: [{ id: 'Room1' }] }, notification: { http: { url: `http://127.0.0.1:${await closedPort()}/n` }, maxFailsLimit: 2 } })
    const alive = await subscribe(s, { subject: { entities: [{ id: 'Room1' }] }, notification: { http: { url: r.url } } })
    await s.req('POST', '/v2/entities', { body: room(0) })
    for (let v = 1; v <= 4; v++) {
      await s.req('PATCH', '/v2/entities/Room1/attrs', { body: { temperature: { type: 'Number', value: v } } })
      await s.broker.notificationsIdle()
    }
    const d = (await s.req('GET', `/v2/subscriptions/${dead}`)).json()
    expect(d.status).toBe('inactive')
    expect(d.notification).toMatchObject({ timesSent: 3, failsCounter: 3, maxFailsLimit: 2, lastFailureReason: 'Could not connect to server' })
    expect(d.notification.lastSuccess).toBeUndefined()
    const a = (await s.req('GET', `/v2/subscriptions/${alive}`)).json()
    expect(a.notification).toMatchObject({ timesSent: 5, lastSuccessCode: 404 })
    expect(a.notification.failsCounter).toBeUndefined()
  })

  it('a receiver that never answers times out, and neither blocks updates nor holds more than the queue bound', async () => {
    const { s, r } = await setup(() => 'hang', { notifications: { maxPendingPerSubscription: 5 } })
    const id = await subscribe(s, { subject: { entities: [{ id: 'Room1' }] }, notification: { http: { url: r.url, timeout: 300 } } })
    // 30 measures in one go, as the IoT Agent applies them: nothing is sent before they are all queued.
    for (let v = 0; v < 30; v++) s.broker.upsertSync({ service: '', servicePath: '/' }, [{ id: 'Room1', type: 'Room', attrs: { temperature: { type: 'Number', value: v } } }])
    expect(s.broker.stats().notifications).toMatchObject({ pending: 5, dropped: 25, inFlight: 0 })
    // Requests keep being answered while the receiver hangs.
    for (let v = 30; v < 40; v++) {
      const res = await s.req('PATCH', '/v2/entities/Room1/attrs', { body: { temperature: { type: 'Number', value: v } } })
      expect(res.status).toBe(204)
    }
    const stats = s.broker.stats().notifications
    expect(stats.pending).toBeLessThanOrEqual(5)
    expect(stats.inFlight).toBeLessThanOrEqual(4)
    expect(stats.dropped + stats.pending + stats.inFlight + stats.sent + stats.failed).toBe(40)
    const n = await waitFor(async () => {
      const v = (await s.req('GET', `/v2/subscriptions/${id}`)).json()
      return v.notification.failsCounter >= 1 && v.notification
    }, 'a timeout')
    expect(n.lastFailureReason).toBe('Timeout was reached')
    expect(n.timesSent).toBe(40)
    expect(r.requests.length).toBeGreaterThanOrEqual(1)
  })

  it('a host that does not resolve fails fast (Orion’s reason) and is counted', async () => {
    const { s } = await setup()
    const id = await subscribe(s, { subject: { entities: [{ idPattern: '.*' }] }, notification: { http: { url: 'http://cygnus.invalid:5050/notify' } } })
    await s.req('POST', '/v2/entities', { body: room(0) })
    const n = await waitFor(async () => {
      const v = (await s.req('GET', `/v2/subscriptions/${id}`)).json()
      return v.notification.failsCounter === 1 && v.notification
    }, 'the failure')
    expect(n.lastFailureReason).toBe('Could not resolve host name')
    expect(n.lastFailure).toMatch(/Z$/)
  })
})
