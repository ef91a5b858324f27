import mqtt, { type MqttClient } from 'mqtt'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'
import { startNotificationReceiver, type NotificationReceiver } from '../helpers/notification-receiver'
import { waitFor } from '../helpers/wait-for'

/**
 * Users' regular expressions run in a linear-time engine (docs/compatibility/ngsi-v2.md §2.2,
 * iot-agent-ul.md §4.7): patterns that make a backtracking engine take exponential time —
 * `^(a+)+$` on `aaa…a!` — are answered at once, and the event loop of the engine (in this process)
 * is never blocked for 100 ms; what the engine cannot run is a 400 that says why.
 */

const MAX_BLOCK_MS = 100
/** The longest entity id (ids are at most 256 characters), which `^(a+)+$` does not match. */
const LONG_ID = 'a'.repeat(255) + '!'
const MATCHING_ID = 'a'.repeat(256)
/** 10,000 characters that `^(a+)+$` does not match (Text attribute values and measures may be that long). */
const LONG_TEXT = 'a'.repeat(10_000) + '!'
/** No parentheses in `q` (Orion forbids them): this one backtracks in polynomial time of degree 8. */
const Q_CATASTROPHIC = '^a*a*a*a*a*a*a*a*$'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- API answers are checked by the assertions
type Answer = { status: number; body: any }

let run: RunningEngine
let receiver: NotificationReceiver
let client: MqttClient

beforeAll(async () => {
  run = await startEngine()
  receiver = await startNotificationReceiver()
  client = await mqtt.connectAsync(run.mqttUrl)
})

afterAll(async () => {
  await client?.endAsync(true)
  await receiver?.close()
  await run?.dispose()
})

async function call(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const r = await fetch(`${base}${path}`, {
    method,
    headers: { ...headers, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) })
  })
  const text = await r.text()
  return { status: r.status, body: text ? JSON.parse(text) : undefined }
}

const ngsi = (method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Answer> => call(run.ngsiUrl, method, path, body, headers)

/** Runs `work` while sampling the event-loop delay; the longest delay is read after one more sample. */
async function withLoopDelay<T>(work: () => Promise<T>): Promise<{ result: T; maxDelayMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 5 })
  histogram.enable()
  try {
    const result = await work()
    const samples = histogram.count
    await waitFor(() => histogram.count > samples, 'an event-loop sample after the work')
    return { result, maxDelayMs: histogram.max / 1e6 }
  } finally {
    histogram.disable()
  }
}

const badRequest = (description: string): Answer => ({ status: 400, body: { error: 'BadRequest', description } })
const ids = (answer: Answer): string[] => (answer.body as Array<{ id: string }>).map((e) => e.id)

describe('catastrophic patterns answer at once', () => {
  beforeAll(async () => {
    for (const id of [LONG_ID, MATCHING_ID]) expect((await ngsi('POST', '/v2/entities', { id, type: 'Long', text: { type: 'Text', value: LONG_TEXT } })).status).toBe(201)
    expect((await ngsi('POST', '/v2/entities', { id: 'short', type: 'Long', text: { type: 'Text', value: 'aaaa' } })).status).toBe(201)
  })

  it('GET /v2/entities?idPattern=^(a+)+$ against a 256-character id', async () => {
    const { result, maxDelayMs } = await withLoopDelay(() => ngsi('GET', `/v2/entities?idPattern=${encodeURIComponent('^(a+)+$')}&attrs=id`))
    expect(result.status).toBe(200)
    expect(ids(result)).toEqual([MATCHING_ID])
    expect(maxDelayMs).toBeLessThan(MAX_BLOCK_MS)
  })

  it('q=text~=… against a 10,000-character Text attribute', async () => {
    const { result, maxDelayMs } = await withLoopDelay(() => ngsi('GET', `/v2/entities?q=${encodeURIComponent(`text~=${Q_CATASTROPHIC}`)}&attrs=id`))
    expect(result.status).toBe(200)
    expect(ids(result)).toEqual(['short'])
    expect(maxDelayMs).toBeLessThan(MAX_BLOCK_MS)
  })

  it('POST /v2/op/query with an idPattern and a q', async () => {
    const { result, maxDelayMs } = await withLoopDelay(() =>
      ngsi('POST', '/v2/op/query?attrs=id', { entities: [{ idPattern: '^(a+)+$', typePattern: '^(L+o*n*g*)+$' }], expression: { q: `text~=${Q_CATASTROPHIC}` } })
    )
    expect(result.status).toBe(200)
    expect(result.body).toEqual([])
    const matching = await ngsi('POST', '/v2/op/query?attrs=id', { entities: [{ idPattern: '^(a+)+$' }] })
    expect(ids(matching)).toEqual([MATCHING_ID])
    expect(maxDelayMs).toBeLessThan(MAX_BLOCK_MS)
  })

  it('a subscription with such patterns, matched on every change', async () => {
    const created = await ngsi('POST', '/v2/subscriptions', {
      subject: { entities: [{ idPattern: '^(a+)+$', type: 'Sub' }], condition: { attrs: ['text'], expression: { q: `text~=${Q_CATASTROPHIC}` } } },
      notification: { http: { url: receiver.url }, attrs: ['text'] }
    })
    expect(created.status).toBe(201)
    const { result, maxDelayMs } = await withLoopDelay(async () => {
      // Neither matches: the id, then the text.
      const a = await ngsi('POST', '/v2/entities', { id: LONG_ID, type: 'Sub', text: { type: 'Text', value: 'aaaa' } })
      const b = await ngsi('POST', '/v2/entities', { id: MATCHING_ID, type: 'Sub', text: { type: 'Text', value: LONG_TEXT } })
      return [a.status, b.status]
    })
    expect(result).toEqual([201, 201])
    expect(maxDelayMs).toBeLessThan(MAX_BLOCK_MS)
    // The changes are matched while each request is handled: the only notification is for the entity that matches.
    expect((await ngsi('PATCH', `/v2/entities/${MATCHING_ID}/attrs?type=Sub`, { text: { type: 'Text', value: 'aaa' } })).status).toBe(204)
    const notification = await waitFor(() => receiver.requests[0], 'the notification')
    expect(JSON.parse(notification.body).data).toEqual([{ id: MATCHING_ID, type: 'Sub', text: { type: 'Text', value: 'aaa', metadata: {} } }])
    expect(receiver.requests).toHaveLength(1)
  })

  it('JEXL replaceregexp and replaceallregexp on a 10,000-character measure', async () => {
    const headers = { 'fiware-service': 'redos', 'fiware-servicepath': '/' }
    const provisioned = await call(
      run.northUrl,
      'POST',
      '/iot/devices',
      {
        devices: [
          {
            device_id: 'long001',
            apikey: 'redoskey',
            entity_name: 'urn:ngsi-ld:Long:001',
            entity_type: 'Long',
            attributes: [
              { object_id: 't', name: 'first', type: 'Text', expression: 't|replaceregexp("^(a+)+$","x")' },
              { object_id: 't', name: 'every', type: 'Text', expression: 't|replaceallregexp("(a|aa)+$","x")' }
            ]
          }
        ]
      },
      headers
    )
    expect(provisioned).toEqual({ status: 201, body: {} })
    const { result, maxDelayMs } = await withLoopDelay(async () => {
      await client.publishAsync('/redoskey/long001/attrs', `t|${LONG_TEXT}`, { qos: 1 })
      return waitFor(async () => {
        const e = await ngsi('GET', '/v2/entities/urn:ngsi-ld:Long:001?attrs=first,every&options=keyValues', undefined, headers)
        return e.status === 200 && e.body
      }, 'the measured entity')
    })
    expect(result).toEqual({ id: 'urn:ngsi-ld:Long:001', type: 'Long', first: LONG_TEXT, every: LONG_TEXT })
    expect(maxDelayMs).toBeLessThan(MAX_BLOCK_MS)
  })
})

describe('patterns the linear-time engine cannot run are a 400 that says so', () => {
  const BACKREFERENCE = '(a)\\1'
  const WHY = 'the linear-time regex engine cannot run it: backreferences are not supported: \\1'

  it('idPattern and typePattern of GET /v2/entities and POST /v2/op/query', async () => {
    expect(await ngsi('GET', `/v2/entities?idPattern=${encodeURIComponent(BACKREFERENCE)}`)).toEqual(badRequest(`Invalid regex for entity idPattern: ${WHY}`))
    expect(await ngsi('GET', `/v2/entities?typePattern=${encodeURIComponent('x(?=y)')}`)).toEqual(
      badRequest('Invalid regex for entity typePattern: the linear-time regex engine cannot run it: lookahead is not supported')
    )
    expect(await ngsi('POST', '/v2/op/query', { entities: [{ idPattern: BACKREFERENCE }] })).toEqual(badRequest(`Invalid regex for entity idPattern: ${WHY}`))
    // Invalid for any engine: Orion's description alone.
    expect(await ngsi('GET', '/v2/entities?idPattern=%5B')).toEqual(badRequest('Invalid regex for entity idPattern'))
  })

  it('q ~= (parentheses are refused first, as Orion does; Orion escapes quotes in descriptions)', async () => {
    expect(await ngsi('GET', `/v2/entities?q=${encodeURIComponent(`text~=${BACKREFERENCE}`)}`)).toEqual(badRequest('forbidden characters in String Filter'))
    expect(await ngsi('GET', `/v2/entities?q=${encodeURIComponent('text~=a{1001}')}`)).toEqual(
      badRequest("error compiling filter regex: &#39;a{1001}&#39;: the linear-time regex engine cannot run it: repeat counts above 1000 are not supported `{1001}`")
    )
  })

  it('subscription creation and update, registration creation', async () => {
    const notification = { http: { url: receiver.url } }
    expect(await ngsi('POST', '/v2/subscriptions', { subject: { entities: [{ idPattern: BACKREFERENCE }] }, notification })).toEqual(
      badRequest(`Invalid regex for entity idPattern: ${WHY}`)
    )
    const created = await ngsi('POST', '/v2/subscriptions', { subject: { entities: [{ idPattern: '.*' }] }, notification })
    expect(created.status).toBe(201)
    const list = await ngsi('GET', '/v2/subscriptions')
    const id = (list.body as Array<{ id: string; subject: { entities: Array<{ idPattern?: string }> } }>).find((s) => s.subject.entities[0]?.idPattern === '.*')!.id
    expect(await ngsi('PATCH', `/v2/subscriptions/${id}`, { subject: { entities: [{ idPattern: BACKREFERENCE }] } })).toEqual(
      badRequest(`Invalid regex for entity idPattern: ${WHY}`)
    )
    const provider = { http: { url: 'http://127.0.0.1:1/v2' } }
    expect(await ngsi('POST', '/v2/registrations', { dataProvided: { entities: [{ idPattern: BACKREFERENCE }] }, provider })).toEqual(
      badRequest(`Invalid regex for entity idPattern: ${WHY}`)
    )
    // A pattern the engine can run but registrations do not take: Orion's 501.
    expect(await ngsi('POST', '/v2/registrations', { dataProvided: { entities: [{ idPattern: '^(a+)+$' }] }, provider })).toEqual({
      status: 501,
      body: { error: 'NotImplemented', description: 'Unsupported idPattern' }
    })
  })

  it('a pattern too long or too large for the engine, without blocking', async () => {
    const { result, maxDelayMs } = await withLoopDelay(() => ngsi('POST', '/v2/op/query', { entities: [{ idPattern: 'a'.repeat(100_000) }] }))
    expect(result).toEqual(badRequest('Invalid regex for entity idPattern: longer than 1024 characters, the limit of the linear-time regex engine'))
    expect(maxDelayMs).toBeLessThan(MAX_BLOCK_MS)
    expect(await ngsi('GET', `/v2/entities?idPattern=${encodeURIComponent('.{600}')}`)).toEqual(
      badRequest('Invalid regex for entity idPattern: too complex for the linear-time regex engine: 602 instructions, at most 500')
    )
  })

  it('a literal pattern of replaceregexp: INVALID_EXPRESSION at provisioning', async () => {
    const r = await call(
      run.northUrl,
      'POST',
      '/iot/services',
      { services: [{ apikey: 'backrefkey', entity_type: 'T', resource: '', attributes: [{ object_id: 't', name: 't', type: 'Text', expression: `t|replaceregexp("${BACKREFERENCE.replace('\\', '\\\\')}","x")` }] }] },
      { 'fiware-service': 'redos', 'fiware-servicepath': '/' }
    )
    expect(r.status).toBe(400)
    expect(r.body.name).toBe('INVALID_EXPRESSION')
    expect(r.body.message).toContain(`replaceregexp: ${WHY}`)
  })
})
