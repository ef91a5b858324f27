import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'
import { APIKEY, DEVICE_ID, ENTITY_ID, getEntity, JSON_TENANT, provisionSeed, TENANT } from '../helpers/postman-tutorial7'

/**
 * UltraLight over HTTP on the agents' south port (docs/compatibility/iot-agent-ul.md §3.7):
 * measures by GET and POST, `t=`, and the reference's error answers, against a real engine.
 */

interface Answer {
  status: number
  text: string
  headers: Headers
}

async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) })
  return { status: res.status, text: await res.text(), headers: res.headers }
}

describe('UltraLight over HTTP: measures', () => {
  let run: RunningEngine
  let south: string

  beforeAll(async () => {
    run = await startEngine()
    await provisionSeed(run)
    const ep = run.engine.endpoints().find((e) => e.role === 'iota-south')
    south = `http://127.0.0.1:${ep!.addresses[0]!.port}`
  })
  afterAll(async () => {
    await run.dispose()
  })

  const keyValues = async (id = ENTITY_ID): Promise<Record<string, unknown>> => {
    const r = await getEntity(run.ngsiUrl, id)
    expect(r.status).toBe(200)
    return r.json as Record<string, unknown>
  }

  it('POST /iot/d with a text/plain body: 200, empty text body, X-Processing-Time, and the entity updated when answered', async () => {
    const r = await call(`${south}/iot/d?k=${APIKEY}&i=${DEVICE_ID}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 't|21.5|rh|40' })
    expect(r.status).toBe(200)
    expect(r.text).toBe('')
    expect(r.headers.get('content-type')).toMatch(/^text\/plain/)
    expect(r.headers.get('x-processing-time')).toMatch(/^\d+$/)
    // Acknowledged means written: no waiting needed.
    expect(await keyValues()).toMatchObject({ temperature: 21.5, relativeHumidity: 40, refStore: 'urn:ngsi-ld:Store:001' })
  })

  it('GET /iot/d with the payload in d', async () => {
    const r = await call(`${south}/iot/d?k=${APIKEY}&i=${DEVICE_ID}&d=${encodeURIComponent('t|22|rh|41')}`)
    expect(r.status).toBe(200)
    expect(r.text).toBe('')
    expect(await keyValues()).toMatchObject({ temperature: 22, relativeHumidity: 41 })
  })

  it('a POST without Content-Type is text/plain', async () => {
    const r = await call(`${south}/iot/d?k=${APIKEY}&i=${DEVICE_ID}`, { method: 'POST', body: new TextEncoder().encode('t|23') })
    expect(r.status).toBe(200)
    expect((await keyValues()).temperature).toBe(23)
  })

  it('t= sets TimeInstant of every measure group', async () => {
    const t = '2024-05-06T07:08:09.000Z'
    const r = await call(`${south}/iot/d?k=${APIKEY}&i=${DEVICE_ID}&t=${encodeURIComponent(t)}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 't|24#rh|42' })
    expect(r.status).toBe(200)
    const e = (await getEntity(run.ngsiUrl, ENTITY_ID, { normalized: true })).json as Record<string, { value: unknown; metadata?: Record<string, { value: unknown }> }>
    expect(e.TimeInstant!.value).toBe(t)
    expect(e.temperature!.value).toBe(24)
    expect(e.temperature!.metadata?.TimeInstant?.value).toBe(t)
  })

  it('an unknown device id of the group is autoprovisioned, as over MQTT', async () => {
    const r = await call(`${south}/iot/d?k=${APIKEY}&i=httpdev9&d=t|5`)
    expect(r.status).toBe(200)
    expect(await keyValues('Device:httpdev9')).toMatchObject({ id: 'Device:httpdev9', type: 'Device', t: 5 })
  })

  it('another content type: 400 UNSUPPORTED_TYPE', async () => {
    const r = await call(`${south}/iot/d?k=${APIKEY}&i=${DEVICE_ID}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"t":1}' })
    expect(r.status).toBe(400)
    expect(JSON.parse(r.text)).toEqual({ name: 'UNSUPPORTED_TYPE', message: "The request content didn't have the expected type [text/plain ]" })
  })

  it('missing k, i (and d on GET): 400 MANDATORY_PARAMS_NOT_FOUND listing them', async () => {
    let r = await call(`${south}/iot/d`)
    expect(r.status).toBe(400)
    expect(JSON.parse(r.text)).toEqual({
      name: 'MANDATORY_PARAMS_NOT_FOUND',
      message: 'Some of the mandatory params weren\'t found in the request: ["API Key","Device Id","Payload"]'
    })
    r = await call(`${south}/iot/d?k=${APIKEY}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 't|1' })
    expect(JSON.parse(r.text)).toEqual({ name: 'MANDATORY_PARAMS_NOT_FOUND', message: 'Some of the mandatory params weren\'t found in the request: ["Device Id"]' })
    // The missing parameters are told before a wrong content type.
    r = await call(`${south}/iot/d?i=x`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    expect(JSON.parse(r.text).name).toBe('MANDATORY_PARAMS_NOT_FOUND')
  })

  it('a bad UltraLight payload: 400 PARSE_ERROR, and nothing written', async () => {
    const before = await keyValues()
    const r = await call(`${south}/iot/d?k=${APIKEY}&i=${DEVICE_ID}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 't|99||' })
    expect(r.status).toBe(400)
    const body = JSON.parse(r.text) as { name: string; message: string }
    expect(body.name).toBe('PARSE_ERROR')
    expect(body.message.startsWith('There was a syntax error in the Ultralight request: ')).toBe(true)
    expect((await keyValues()).temperature).toBe(before.temperature)
  })

  it('an API key without group: 404 DEVICE_GROUP_NOT_FOUND, with the reference message (a tab where the apostrophe was meant)', async () => {
    const r = await call(`${south}/iot/d?k=nokey&i=${DEVICE_ID}&d=t|1`)
    expect(r.status).toBe(404)
    expect(JSON.parse(r.text)).toEqual({ name: 'DEVICE_GROUP_NOT_FOUND', message: 'Couldn\t find device group for fields: ["resource","apikey"] and values: {"apikey":"nokey"}' })
  })

  it('the default API key and an unknown device: 404 DEVICE_NOT_FOUND', async () => {
    const r = await call(`${south}/iot/d?k=TEF&i=ghost&d=t|1`)
    expect(r.status).toBe(404)
    expect(JSON.parse(r.text)).toEqual({ name: 'DEVICE_NOT_FOUND', message: 'Device not found with ID [ghost]' })
  })

  it('a group that does not autoprovision: 404 DEVICE_NOT_FOUND naming the device it would have created', async () => {
    const created = await call(`${run.northUrl}/iot/services`, {
      method: 'POST',
      headers: JSON_TENANT,
      body: JSON.stringify({ services: [{ apikey: 'closedkey', entity_type: 'Sensor', resource: '/iot/d', autoprovision: false }] })
    })
    expect(created.status).toBe(201)
    const r = await call(`${south}/iot/d?k=closedkey&i=stranger&d=t|1`)
    expect(r.status).toBe(404)
    expect(JSON.parse(r.text)).toEqual({
      name: 'DEVICE_NOT_FOUND',
      message: `No device was found with id:stranger and {"id":"stranger","apikey":"closedkey","service":"${TENANT['fiware-service']}","subservice":"${TENANT['fiware-servicepath']}","type":"Sensor"}`
    })
  })

  it('counts HTTP messages with the MQTT ones', async () => {
    const before = run.engine.southbound.stats()
    expect((await call(`${south}/iot/d?k=${APIKEY}&i=${DEVICE_ID}&d=t|30`)).status).toBe(200)
    const after = run.engine.southbound.stats()
    expect(after.messages).toBe(before.messages + 1)
    expect(after.updates).toBe(before.updates + 1)
  })
})
