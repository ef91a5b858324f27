import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { HopDto } from '../../shared/contract'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'
import { waitFor } from '../helpers/wait-for'

/**
 * The tutorials' host names routed to the built-in services (docs/compatibility/tutorial-services.md),
 * on a real engine over real HTTP: tutorial 4's registration of `http://context-provider:5000`
 * answers the store's temperature from the built-in context provider; a subscription to
 * `http://cygnus:5050/notify` reaches the service bound where the Cygnus sink is; with
 * `tutorialHosts` off both fail as in Orion. The tutorial hosts' names do not resolve on the test
 * machine, as on a trainee's computer.
 */

const STORE = 'urn:ngsi-ld:Store:001'

// Tutorial 4's bodies, as the seed's Postman collection sends them.
const CREATE_STORE = {
  id: STORE,
  type: 'Store',
  address: {
    type: 'PostalAddress',
    value: { streetAddress: 'Avenida Maria Servidei Demarchi, 398', addressRegion: 'São Paulo', addressLocality: 'São Bernardo do Campo', postalCode: '09820-000' },
    metadata: { verified: { value: true, type: 'Boolean' } }
  },
  location: { type: 'geo:json', value: { type: 'Point', coordinates: [-46.55250126146248, -23.726831522796758] } },
  name: { type: 'Text', value: 'Carrefour' }
}
const REGISTER_STORE = {
  description: 'Random Conditions',
  dataProvided: { entities: [{ id: STORE, type: 'Store' }], attrs: ['relativeHumidity', 'temperature'] },
  provider: { http: { url: 'http://context-provider:5000' } }
}
const PROVIDER_QUERY = { entities: [{ type: 'Store', isPattern: 'false', id: STORE }], attrs: ['temperature', 'relativeHumidity'] }

interface Received {
  method: string
  url: string
  body: string
}

/** A stand-in for the Cygnus sink: any HTTP server bound where `ports.cygnus` points. */
async function sink(): Promise<{ server: Server; port: number; got: Received[] }> {
  const got: Received[] = []
  const server = createServer((req: IncomingMessage, res) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString()))
    req.on('end', () => {
      got.push({ method: req.method ?? '', url: req.url ?? '', body })
      res.writeHead(200).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, port: (server.address() as AddressInfo).port, got }
}

describe('tutorial host names routed to the built-in services', () => {
  let run: RunningEngine
  let cygnus: Awaited<ReturnType<typeof sink>>
  let providerUrl: string

  const ngsi = async (method: string, path: string, body?: unknown): Promise<Response> =>
    fetch(`${run.ngsiUrl}${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
  const setRouting = async (on: boolean): Promise<void> => {
    const r = await run.engine.settings.update({ tutorialHosts: on })
    expect(r.applied).toContain('tutorialHosts')
  }

  beforeAll(async () => {
    run = await startEngine()
    cygnus = await sink()
    // Where the history engineer's Cygnus sink will be bound; here the stand-in.
    run.engine.tutorial.bound.set('cygnus', [{ host: '127.0.0.1', port: cygnus.port }])
    const endpoint = run.engine.endpoints().find((e) => e.role === 'context-provider')!
    providerUrl = `http://127.0.0.1:${endpoint.addresses[0]!.port}`
    expect((await ngsi('POST', '/v2/entities', CREATE_STORE)).status).toBe(201)
    expect((await ngsi('POST', '/v2/registrations', REGISTER_STORE)).status).toBe(201)
  })
  afterAll(async () => {
    await run?.dispose()
    await new Promise((resolve) => cygnus?.server.close(resolve))
  })

  it('serves tutorial 4’s context provider: /health and /op/query as the tutorial calls them', async () => {
    const health = await fetch(`${providerUrl}/health`)
    expect(health.status).toBe(200)
    const reading = (await health.json()) as Record<string, number>
    expect(Object.keys(reading)).toEqual(['relative humidity', 'temperature'])
    expect(reading.temperature! >= 10 && reading.temperature! <= 40 && reading['relative humidity']! >= 0 && reading['relative humidity']! <= 100).toBe(true)

    const res = await fetch(`${providerUrl}/op/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(PROVIDER_QUERY) })
    expect(res.status).toBe(200)
    const [store, ...more] = (await res.json()) as Array<Record<string, { type: string; value: number }>>
    expect(more).toEqual([])
    expect(Object.keys(store!)).toEqual(['id', 'relativeHumidity', 'temperature', 'type'])
    expect(store).toMatchObject({ id: STORE, type: 'Store', temperature: { type: 'Number' }, relativeHumidity: { type: 'Number' } })
    expect(Number.isInteger(store!.temperature!.value) && store!.temperature!.value >= 10 && store!.temperature!.value <= 40).toBe(true)
    expect(Number.isInteger(store!.relativeHumidity!.value) && store!.relativeHumidity!.value >= 0 && store!.relativeHumidity!.value <= 100).toBe(true)
  })

  it('answers every attribute it provides when attrs is empty, and only those asked for', async () => {
    const query = async (path: string, body: unknown): Promise<unknown> => {
      const res = await fetch(`${providerUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      expect(res.status).toBe(200)
      return res.json()
    }
    const one = (await query('/op/query', { entities: [{ id: STORE, type: 'Store' }], attrs: ['temperature', 'pressure'] })) as Array<Record<string, unknown>>
    expect(Object.keys(one[0]!)).toEqual(['id', 'temperature', 'type'])
    const all = (await query('//op/query?limit=20&offset=0&options=count', { entities: [{ idPattern: 'urn:ngsi-ld:Store:.*' }, { id: 'urn:ngsi-ld:Store:002' }], attrs: [] })) as Array<Record<string, unknown>>
    expect(all.map((e) => Object.keys(e))).toEqual([
      ['id', 'relativeHumidity', 'temperature'],
      ['id', 'relativeHumidity', 'temperature']
    ])
    expect(all[0]!.id).toBe('urn:ngsi-ld:Store:.*')
  })

  it('answers bad query bodies with FIWARE’s error JSON', async () => {
    const post = (body: string): Promise<Response> => fetch(`${providerUrl}//op/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
    const broken = await post('{"entities": [')
    expect(broken.status).toBe(400)
    expect(await broken.json()).toEqual({ error: 'ParseError', description: 'Errors found in incoming JSON buffer' })
    const noEntities = await post('{"attrs":["temperature"]}')
    expect(noEntities.status).toBe(400)
    expect(await noEntities.json()).toMatchObject({ error: 'BadRequest' })
    const update = await fetch(`${providerUrl}//op/update`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    expect(update.status).toBe(404)
    expect(await update.json()).toMatchObject({ error: 'NotFound' })
  })

  it('tutorial 4: the store’s temperature and humidity come from the built-in provider', async () => {
    const res = await ngsi('GET', `/v2/entities/${STORE}?type=Store&options=keyValues`)
    expect(res.status).toBe(200)
    const store = (await res.json()) as Record<string, unknown>
    expect(store).toMatchObject({ id: STORE, type: 'Store', name: 'Carrefour' })
    expect(store.temperature).toEqual(expect.any(Number))
    expect(store.relativeHumidity).toEqual(expect.any(Number))
    expect(run.logs.some((l) => l.code === 'FWD-QUERY-ROUTED' && l.message.includes('context-provider does not resolve on this computer: sent to the built-in context provider'))).toBe(true)
  })

  it('a forwarded update says in its trace hop where it went', async () => {
    const unwatch = run.engine.tracer.watch()
    try {
      // The provider has no /op/update: Orion turns its 404 into the client's 404 NotFound.
      const res = await ngsi('PATCH', `/v2/entities/${STORE}/attrs?type=Store`, { temperature: { type: 'Number', value: 20 } })
      expect(res.status).toBe(404)
      const hops = run.engine.tracer.recent().flatMap((t) => t.hops)
      const forwarded = hops.find((h): h is Extract<HopDto, { step: 'forwarded' }> => h.step === 'forwarded')
      expect(forwarded).toMatchObject({ status: 404, request: { url: 'http://context-provider:5000//op/update' }, routed: { host: 'context-provider', service: 'contextProvider' } })
      expect(forwarded!.routed!.url).toBe(`${providerUrl}//op/update`)
    } finally {
      unwatch()
    }
  })

  it('a notification to http://cygnus:5050/notify reaches the service bound for Cygnus, and its trace hop says so', async () => {
    const unwatch = run.engine.tracer.watch()
    try {
      const sub = await ngsi('POST', '/v2/subscriptions/', {
        description: 'Notify Cygnus of all context changes',
        subject: { entities: [{ idPattern: 'urn:ngsi-ld:Store:.*' }] },
        notification: { http: { url: 'http://cygnus:5050/notify' } }
      })
      expect(sub.status).toBe(201)
      const id = sub.headers.get('location')!.split('/').at(-1)!
      expect((await ngsi('PATCH', `/v2/entities/${STORE}/attrs?type=Store`, { name: { type: 'Text', value: 'Carrefour Express' } })).status).toBe(204)
      const got = await waitFor(() => cygnus.got.find((r) => r.body.includes('Carrefour Express')), 'the notification at the Cygnus stand-in')
      expect(got).toMatchObject({ method: 'POST', url: '/notify' })
      expect(JSON.parse(got.body)).toMatchObject({ subscriptionId: id, data: [{ id: STORE, name: { value: 'Carrefour Express' } }] })
      const hop = await waitFor(
        () => run.engine.tracer.recent().flatMap((t) => t.hops).find((h): h is Extract<HopDto, { step: 'notification' }> => h.step === 'notification' && h.subscriptionId === id),
        'the notification hop'
      )
      expect(hop).toEqual(expect.objectContaining({ url: 'http://cygnus:5050/notify', status: 200, routed: { host: 'cygnus', service: 'cygnus', url: `http://127.0.0.1:${cygnus.port}/notify` } }))
      const counters = (await (await ngsi('GET', `/v2/subscriptions/${id}`)).json()) as { notification: Record<string, unknown> }
      expect(counters.notification).toMatchObject({ timesSent: 1, lastSuccessCode: 200 })
      expect((await ngsi('DELETE', `/v2/subscriptions/${id}`)).status).toBe(204)
    } finally {
      unwatch()
    }
  })

  describe('with tutorialHosts off', () => {
    beforeAll(async () => setRouting(false))
    afterAll(async () => setRouting(true))

    it('the provider is not reached: the store has its local attributes only, as with Orion', async () => {
      const res = await ngsi('GET', `/v2/entities/${STORE}?type=Store&options=keyValues`)
      expect(res.status).toBe(200)
      const store = (await res.json()) as Record<string, unknown>
      expect(Object.keys(store).sort()).toEqual(['address', 'id', 'location', 'name', 'type'])
      expect(run.logs.some((l) => l.code === 'FWD-QUERY-FAILED' && l.message.includes('Could not resolve host name'))).toBe(true)
    })

    it('a notification to cygnus fails with curl’s reason', async () => {
      const before = cygnus.got.length
      const sub = await ngsi('POST', '/v2/subscriptions/', {
        subject: { entities: [{ id: STORE, type: 'Store' }] },
        notification: { http: { url: 'http://cygnus:5050/notify' } }
      })
      const id = sub.headers.get('location')!.split('/').at(-1)!
      expect((await ngsi('PATCH', `/v2/entities/${STORE}/attrs?type=Store`, { name: { type: 'Text', value: 'Carrefour Bairro' } })).status).toBe(204)
      const n = await waitFor(async () => {
        const s = (await (await ngsi('GET', `/v2/subscriptions/${id}`)).json()) as { notification: Record<string, unknown> }
        return s.notification.lastFailureReason !== undefined && s.notification
      }, 'the failed notification')
      expect(n).toMatchObject({ failsCounter: 1, lastFailureReason: 'Could not resolve host name' })
      expect(cygnus.got.length).toBe(before)
    })
  })
})

describe('the context provider’s port already in use', () => {
  it('leaves the provider out with a warning; the engine runs and the provider URL is not routed', async () => {
    const taken = await sink()
    let run: RunningEngine | undefined
    try {
      run = await startEngine((c) => (c.ports.contextProvider = taken.port))
      expect(run.engine.endpoints().find((e) => e.role === 'context-provider')?.addresses).toEqual([])
      expect(run.logs.some((l) => l.level === 'WARN' && l.message.includes(`port ${taken.port}`) && l.message.includes('context provider is off'))).toBe(true)
      expect(await run.engine.tutorial.hosts.route('http://context-provider:5000')).toEqual({ url: 'http://context-provider:5000' })
      expect((await fetch(`${run.ngsiUrl}/version`)).status).toBe(200)
    } finally {
      await run?.dispose()
      await new Promise((resolve) => taken.server.close(resolve))
    }
  })
})
