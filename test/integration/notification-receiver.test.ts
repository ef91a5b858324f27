import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ReceivedNotificationDto, TraceDto } from '../../shared/contract'
import { startLessonsEngine, type LessonsEngine } from '../helpers/lessons-engine'
import { waitFor } from '../helpers/wait-for'

/**
 * The built-in notification receiver (docs/compatibility/ngsi-v2.md §4.6), on a real engine over
 * real HTTP: a subscription to the tutorials' `http://context-provider:5000/priceChange`, whose
 * host does not resolve here, gets its notification into the receiver, counted as answered 200;
 * another host that does not resolve still fails as before; `notifications.recent` and the
 * `notifications` stream tell the tenants apart.
 */

const PRODUCT = 'urn:ngsi-ld:Product:010'

describe('the built-in notification receiver', () => {
  let run: LessonsEngine
  const streamed: ReceivedNotificationDto[] = []
  const traces = new Map<number, TraceDto>()

  const ngsi = async (method: string, path: string, body?: unknown, service?: string): Promise<Response> => {
    const headers: Record<string, string> = { 'fiware-servicepath': '/' }
    if (service) headers['fiware-service'] = service
    if (body !== undefined) headers['content-type'] = 'application/json'
    return fetch(`${run.ngsiUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
  }
  const subscribe = async (url: string, service?: string, attrsFormat?: string): Promise<string> => {
    const res = await ngsi(
      'POST',
      '/v2/subscriptions',
      {
        description: 'Notify me of all product price changes',
        subject: { entities: [{ idPattern: PRODUCT, type: 'Product' }], condition: { attrs: ['price'] } },
        notification: { http: { url }, ...(attrsFormat ? { attrsFormat } : {}) }
      },
      service
    )
    expect(res.status).toBe(201)
    return res.headers.get('location')!.split('/').at(-1)!
  }
  const subscription = async (id: string, service?: string): Promise<{ notification: Record<string, unknown> }> => {
    const res = await ngsi('GET', `/v2/subscriptions/${id}`, undefined, service)
    expect(res.status).toBe(200)
    return (await res.json()) as { notification: Record<string, unknown> }
  }

  beforeAll(async () => {
    run = await startLessonsEngine()
    run.api.on('notifications', (batch) => streamed.push(...batch))
    // Listening to the trace stream switches recording on: the update's notification is a hop of its trace.
    run.api.on('trace', (batch) => {
      for (const t of batch) traces.set(t.id, t)
    })
    for (const service of [undefined, 'openiot']) {
      const res = await ngsi('POST', '/v2/entities', { id: PRODUCT, type: 'Product', name: { type: 'Text', value: 'Lemonade' }, price: { type: 'Integer', value: 99 } }, service)
      expect(res.status).toBe(201)
    }
  })
  afterAll(async () => {
    await run?.dispose()
  })

  it('takes the notification to context-provider: Orion’s request, counted as answered 200', async () => {
    const id = await subscribe('http://context-provider:5000/priceChange')
    expect(await run.api['notifications.recent']({})).toEqual([])
    const put = await ngsi('PUT', `/v2/entities/${PRODUCT}/attrs?type=Product`, { price: { type: 'Integer', value: 40 } })
    expect(put.status).toBe(204)
    const correlator = put.headers.get('fiware-correlator')

    const [got] = await waitFor(async () => {
      const list = await run.api['notifications.recent']({ service: '' })
      return list.length > 0 && list
    }, 'the notification in the built-in receiver')
    expect(got).toMatchObject({
      service: '',
      servicePath: '/',
      subscriptionId: id,
      method: 'POST',
      url: 'http://context-provider:5000/priceChange',
      via: 'context-provider does not resolve on this computer',
      host: 'context-provider',
      truncated: false
    })
    // The request as Orion sends it (§4.4): its headers, and the compact body with the entity (PUT …/attrs replaced its attributes: only the price is left).
    expect(got!.headers).toMatchObject({
      'Content-Type': 'application/json; charset=utf-8',
      Accept: 'application/json',
      'Fiware-ServicePath': '/',
      'Fiware-Correlator': `${correlator}; cbnotif=1`,
      'Ngsiv2-AttrsFormat': 'normalized'
    })
    expect(got!.headers['Fiware-Service']).toBeUndefined()
    expect(JSON.parse(got!.body)).toEqual({
      subscriptionId: id,
      data: [{ id: PRODUCT, type: 'Product', price: { type: 'Integer', value: 40, metadata: {} } }]
    })
    expect(got!.bytes).toBe(Buffer.byteLength(got!.body))

    // The subscription's counters: a success with code 200, as the tutorial's provider answers.
    const sub = await waitFor(async () => {
      const s = await subscription(id)
      return s.notification.lastSuccess !== undefined && s
    }, 'lastSuccess of the subscription')
    expect(sub.notification).toMatchObject({ timesSent: 1, lastSuccessCode: 200 })
    expect(sub.notification.lastFailure).toBeUndefined()
    expect(sub.notification.failsCounter ?? 0).toBe(0)

    // The stream told it too, once.
    await waitFor(() => streamed.some((n) => n.id === got!.id), 'the notification on the stream')
    expect(streamed.filter((n) => n.id === got!.id)).toHaveLength(1)

    // The trace of the update has the notification hop, saying who got it and why.
    const hop = await waitFor(() => {
      for (const t of traces.values()) {
        const h = t.hops.find((x) => x.step === 'notification' && x.subscriptionId === id)
        if (h) return h
      }
      return undefined
    }, 'the notification hop of the update’s trace')
    expect(hop).toMatchObject({ step: 'notification', url: 'http://context-provider:5000/priceChange', status: 200, receiver: 'built-in', host: 'context-provider' })
    expect(got!.traceId).toBeGreaterThan(0)

    await ngsi('DELETE', `/v2/subscriptions/${id}`)
  })

  it('another host that does not resolve still fails with curl’s reason, and nothing reaches the receiver', async () => {
    const before = (await run.api['notifications.recent']({})).length
    const id = await subscribe('http://no-such-host.invalid:5000/priceChange')
    expect((await ngsi('PUT', `/v2/entities/${PRODUCT}/attrs?type=Product`, { price: { type: 'Integer', value: 41 } })).status).toBe(204)
    const sub = await waitFor(async () => {
      const s = await subscription(id)
      return s.notification.lastFailure !== undefined && s
    }, 'lastFailure of the subscription', 10_000)
    expect(sub.notification).toMatchObject({ timesSent: 1, lastFailureReason: 'Could not resolve host name', failsCounter: 1 })
    expect(sub.notification.lastSuccess).toBeUndefined()
    expect(await run.api['notifications.recent']({})).toHaveLength(before)
    await ngsi('DELETE', `/v2/subscriptions/${id}`)
  })

  it('tells of each delivery result with the notified entity’s service path (a subscription made without one is `/#`)', async () => {
    const results: Array<[string, string]> = []
    const off = run.engine.contextBroker!.onNotificationResult((service, servicePath) => results.push([service, servicePath]))
    try {
      // As Postman sends the collection's request: no Fiware-ServicePath, so the subscription covers every path.
      const res = await fetch(`${run.ngsiUrl}/v2/subscriptions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ subject: { entities: [{ idPattern: PRODUCT, type: 'Product' }], condition: { attrs: ['price'] } }, notification: { http: { url: 'http://context-provider:5000/priceChange' } } })
      })
      expect(res.status).toBe(201)
      const id = res.headers.get('location')!.split('/').at(-1)!
      expect((await ngsi('PUT', `/v2/entities/${PRODUCT}/attrs?type=Product`, { price: { type: 'Integer', value: 42 } })).status).toBe(204)
      await waitFor(() => results.length > 0, 'a delivery result')
      expect(results).toEqual([['', '/']])
      await ngsi('DELETE', `/v2/subscriptions/${id}`)
    } finally {
      off()
    }
  })

  it('notifications.recent and the stream tell the tenants apart', async () => {
    const id = await subscribe('http://context-provider:5000/priceChange', 'openiot', 'keyValues')
    expect((await ngsi('PUT', `/v2/entities/${PRODUCT}/attrs?type=Product`, { price: { type: 'Integer', value: 30 } }, 'openiot')).status).toBe(204)
    const [got] = await waitFor(async () => {
      const list = await run.api['notifications.recent']({ service: 'openiot' })
      return list.length > 0 && list
    }, 'the openiot notification')
    expect(got).toMatchObject({ service: 'openiot', subscriptionId: id })
    expect(got!.headers).toMatchObject({ 'Fiware-Service': 'openiot', 'Ngsiv2-AttrsFormat': 'keyValues' })
    expect(JSON.parse(got!.body)).toEqual({ subscriptionId: id, data: [{ id: PRODUCT, type: 'Product', price: 30 }] })

    // The default tenant's list does not have it, and every list is newest first.
    const defaults = await run.api['notifications.recent']({ service: '' })
    expect(defaults.length).toBeGreaterThan(0)
    expect(defaults.every((n) => n.service === '')).toBe(true)
    const all = await run.api['notifications.recent']({})
    expect(all[0]!.id).toBe(got!.id)
    expect(all.map((n) => n.id)).toEqual([...all.map((n) => n.id)].sort((a, b) => b - a))
    expect(await run.api['notifications.recent']({ service: 'other' })).toEqual([])
    expect(await run.api['notifications.recent']({ limit: 1 })).toHaveLength(1)
    await waitFor(() => streamed.some((n) => n.id === got!.id && n.service === 'openiot'), 'the openiot notification on the stream')
  })
})

describe('with an external Orion', () => {
  it('there is no built-in receiver: the list is empty', async () => {
    // No Orion needs to answer for the list: the engine only reports that it has no receiver.
    const run = await startLessonsEngine({
      configure: (c) => {
        c.contextBroker = { mode: 'external', url: 'http://127.0.0.1:9', retryMaxMs: 200 }
      }
    })
    try {
      expect(run.engine.context.mode).toBe('external')
      expect(await run.api['notifications.recent']({})).toEqual([])
    } finally {
      await run.dispose()
    }
  })
})
