import { request as httpRequest } from 'node:http'
import { createServer } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { composeEngine, type Composition } from '../../electron/engine/compose'
import { defaultConfig } from '../../electron/engine/config/defaults'
import type { EngineConfig } from '../../electron/engine/config/types'
import { Logger, silentLogger, type LogEntry } from '../../electron/engine/log/logger'
import { ephemeralPorts } from '../helpers/ports'
import { tempDir } from '../helpers/temp-dir'
import { waitFor } from '../helpers/wait-for'

/**
 * Tutorial 8's path through the real engine: the embedded context broker notifies the
 * Cygnus-compatible sink on its real port, and the STH-Comet-compatible API gives the values back,
 * raw and aggregated, per tenant; a restart keeps them.
 */

const TENANT = { 'fiware-service': 'openiot', 'fiware-servicepath': '/' }
const ENTITY = 'urn:ngsi-ld:Device:001'
const STH_PATH = `/STH/v1/contextEntities/type/Device/id/${encodeURIComponent(ENTITY)}/attributes`

let dir: { path: string; cleanup: () => void }
let config: EngineConfig
let engine: Composition
const port = (svc: { bound: Array<{ port: number }> } | undefined): number => {
  if (!svc) throw new Error('that history listener is not serving')
  return svc.bound[0]!.port
}
const url = (svc: { bound: Array<{ port: number }> } | undefined, path: string): string => `http://127.0.0.1:${port(svc)}${path}`

interface RawValue {
  recvTime: string
  attrType: string
  attrValue: string
}
interface AggrGroup {
  _id: { attrName: string; origin: string; resolution: string }
  points: Array<{ offset: number; samples: number; max: number; min: number; sum: number; sum2: number; occur: Record<string, number> }>
}
interface SthBody {
  contextResponses: Array<{ contextElement: { attributes: Array<{ name: string; values: unknown[] }> } }>
  message?: string
}

async function sth(path: string, headers: Record<string, string> = TENANT): Promise<{ status: number; body: SthBody; headers: Headers }> {
  const res = await fetch(url(engine.history.sth, path), { headers })
  return { status: res.status, body: (await res.json()) as SthBody, headers: res.headers }
}

const values = <T = RawValue>(body: SthBody): T[] => body.contextResponses[0]!.contextElement.attributes[0]!.values as T[]

async function ngsi(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(url(engine.ngsi, path), {
    method,
    headers: { ...TENANT, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
}

beforeAll(async () => {
  dir = tempDir('ulcc-history-engine-')
  config = defaultConfig(dir.path)
  config.hosts = ['127.0.0.1']
  config.ports = ephemeralPorts()
  engine = await composeEngine(config, silentLogger())
})

afterAll(async () => {
  await engine.teardown.close()
  dir.cleanup()
})

/** A request with headers as given (fetch drops an empty Content-Type). */
function rawRequest(target: string, method: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(target, { method, headers }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => (text += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

describe('history: context broker → Cygnus sink → STH-Comet API', () => {
  it('answers the health checks as Cygnus and STH-Comet', async () => {
    const v = await fetch(url(engine.history.cygnusApi, '/v1/version'))
    expect(v.status).toBe(200)
    expect(v.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(await v.json()).toEqual({ success: 'true', version: expect.stringMatching(/^3\.17\.0\./) as string })
    const unknown = await fetch(url(engine.history.cygnusApi, '/v1/nothing'))
    expect(unknown.status).toBe(404)
    expect(await unknown.text()).toBe('GET /v1/nothing not found\n')
    // A body with a Content-Type no parser takes still gets Cygnus's answer, not the HTTP framework's 415 (found by the fuzz campaign).
    const odd = await rawRequest(url(engine.history.cygnusApi, '/v1/version'), 'PUT', { 'content-type': '', 'content-length': '1' }, 'x')
    expect(odd).toEqual({ status: 404, body: 'PUT /v1/version not found\n' })
    expect(await (await fetch(url(engine.history.sth, '/version'))).json()).toEqual({ version: '2.11.0' })
  })

  it('stores what a subscription notifies and gives it back raw, paged and aggregated', async () => {
    expect((await ngsi('POST', '/v2/entities', { id: ENTITY, type: 'Device', temperature: { type: 'Number', value: 20 }, status: { type: 'Text', value: 'ON' } })).status).toBe(201)
    const sub = await ngsi('POST', '/v2/subscriptions', {
      description: 'Notify Cygnus of all context changes',
      subject: { entities: [{ idPattern: '.*' }] },
      notification: { http: { url: url(engine.history.cygnus, '/notify') } }
    })
    expect(sub.status).toBe(201)
    for (let t = 21; t <= 25; t++) expect((await ngsi('PATCH', `/v2/entities/${ENTITY}/attrs?type=Device`, { temperature: { type: 'Number', value: t } })).status).toBe(204)
    expect((await ngsi('PATCH', `/v2/entities/${ENTITY}/attrs?type=Device`, { status: { type: 'Text', value: 'OFF' } })).status).toBe(204)
    // One notification per update (no initial one, as Orion since 3.1); each holds every attribute.
    const all = await waitFor(async () => {
      const r = await sth(`${STH_PATH}/status?lastN=100`)
      return values(r.body).length === 6 && r
    }, 'six notifications stored')
    expect(all.status).toBe(200)
    expect(all.headers.get('fiware-correlator')).toBeTruthy()
    expect(all.body.contextResponses[0]).toMatchObject({
      contextElement: { attributes: [{ name: 'status' }], id: ENTITY, isPattern: false, type: 'Device' },
      statusCode: { code: '200', reasonPhrase: 'OK' }
    })

    const temps = await sth(`${STH_PATH}/temperature?lastN=3`)
    expect(values(temps.body).map((v) => v.attrValue)).toEqual(['24', '25', '25'])
    expect(values(temps.body)[0]).toEqual({ recvTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) as string, attrType: 'Number', attrValue: '24' })

    const page = await sth(`${STH_PATH}/temperature?hLimit=2&hOffset=1&count=true`)
    expect(values(page.body).map((v) => v.attrValue)).toEqual(['22', '23'])
    expect(page.headers.get('fiware-total-count')).toBe('6')

    const times = values((await sth(`${STH_PATH}/temperature?lastN=0`)).body).map((v) => Date.parse(v.recvTime))
    expect(times).toHaveLength(6)
    const ranged = await sth(`${STH_PATH}/temperature?lastN=10&dateFrom=${new Date(times[1]!).toISOString()}&dateTo=${times[2]}`)
    expect(values(ranged.body).map((v) => Date.parse(v.recvTime))).toEqual(times.filter((t) => t >= times[1]! && t <= times[2]!))

    const aggr = await sth(`${STH_PATH}/temperature?aggrMethod=max,min,sum,sum2&aggrPeriod=month`)
    const groups = values<AggrGroup>(aggr.body)
    const points = groups.flatMap((g) => g.points)
    expect(groups[0]!._id).toMatchObject({ attrName: 'temperature', resolution: 'month' })
    expect(points.reduce((n, p) => n + p.samples, 0)).toBe(6)
    expect(Math.max(...points.map((p) => p.max))).toBe(25)
    expect(Math.min(...points.map((p) => p.min))).toBe(21)
    expect(points.reduce((n, p) => n + p.sum, 0)).toBe(21 + 22 + 23 + 24 + 25 + 25)
    expect(points.reduce((n, p) => n + p.sum2, 0)).toBe([21, 22, 23, 24, 25, 25].reduce((n, x) => n + x * x, 0))
    const occur = values<AggrGroup>((await sth(`${STH_PATH}/status?aggrMethod=occur&aggrPeriod=day`)).body)
    const counts: Record<string, number> = {}
    for (const p of occur.flatMap((g) => g.points)) for (const [k, n] of Object.entries(p.occur)) counts[k] = (counts[k] ?? 0) + n
    expect(counts).toEqual({ ON: 5, OFF: 1 })
  })

  it("takes tutorial 8's subscription body unmodified: http://cygnus:5050/notify reaches the sink", async () => {
    const headers = { 'fiware-service': 'tutorial8', 'fiware-servicepath': '/' }
    const post = (path: string, body: unknown): Promise<Response> =>
      fetch(url(engine.ngsi, path), { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) })
    expect((await post('/v2/entities', { id: ENTITY, type: 'Device', temperature: { type: 'Number', value: 30 } })).status).toBe(201)
    const sub = await post('/v2/subscriptions', {
      description: 'SUbscription to Cygnus',
      subject: { entities: [{ id: ENTITY, type: 'Device' }], condition: { attrs: ['temperature'] } },
      notification: { http: { url: 'http://cygnus:5050/notify' }, attrs: ['temperature', 'relativeHumidity'] },
      throttling: 5
    })
    expect(sub.status).toBe(201)
    const patch = await fetch(url(engine.ngsi, `/v2/entities/${ENTITY}/attrs?type=Device`), {
      method: 'PATCH',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ temperature: { type: 'Number', value: 31 } })
    })
    expect(patch.status).toBe(204)
    const got = await waitFor(async () => {
      const v = values((await sth(`${STH_PATH}/temperature?lastN=10`, headers)).body)
      return v.length > 0 && v
    }, 'the notification routed to the built-in Cygnus')
    expect(got.map((v) => v.attrValue)).toEqual(['31'])
  })

  it('keeps tenants apart: another Fiware-Service or service path sees nothing', async () => {
    const other = await sth(`${STH_PATH}/temperature?lastN=10`, { 'fiware-service': 'other', 'fiware-servicepath': '/' })
    expect(other.status).toBe(200)
    expect(values(other.body)).toEqual([])
    expect(values((await sth(`${STH_PATH}/temperature?lastN=10`, { 'fiware-service': 'openiot', 'fiware-servicepath': '/elsewhere' })).body)).toEqual([])
    expect(values((await sth(`${STH_PATH}/temperature?aggrMethod=max&aggrPeriod=hour`, { 'fiware-service': 'other', 'fiware-servicepath': '/' })).body)).toEqual([])
  })

  it('refuses requests with STH-Comet answers', async () => {
    expect(await sth(`${STH_PATH}/temperature?lastN=1`, {})).toMatchObject({
      status: 400,
      body: { statusCode: 400, error: 'Bad Request', message: 'child "fiware-service" fails because [fiware-service is required]' }
    })
    expect((await sth(`${STH_PATH}/temperature?lastN=1`, { 'fiware-service': 'openiot' })).body.message).toBe('child "fiware-servicepath" fails because [fiware-servicepath is required]')
    expect((await sth(`${STH_PATH}/temperature`)).body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'A combination of the following query params is required: lastN, hLimit and hOffset, filetype, or aggrMethod and aggrPeriod',
      validation: { source: 'query', keys: ['lastN', 'hLimit', 'hOffset', 'filetype', 'aggrMethod', 'aggrPeriod', 'count'] }
    })
    expect((await sth(`${STH_PATH}/temperature?hLimit=3`)).status).toBe(400)
    expect((await sth(`${STH_PATH}/temperature?lastN=101`)).body.message).toBe('hLimit <= lastN <= config.maxPageSize')
    expect((await sth(`${STH_PATH}/temperature?lastN=5&hLimit=6&hOffset=0`)).body.message).toBe('hLimit <= lastN <= config.maxPageSize')
    expect((await sth(`${STH_PATH}/temperature?lastN=abc`)).body).toMatchObject({ message: 'child "lastN" fails because ["lastN" must be a number]', validation: { source: 'query', keys: ['lastN'] } })
    expect((await sth(`${STH_PATH}/temperature?lastN=-1`)).body.message).toBe('child "lastN" fails because ["lastN" must be greater than -1]')
    expect((await sth(`${STH_PATH}/temperature?aggrMethod=max&aggrPeriod=week`)).body.message).toBe('child "aggrPeriod" fails because ["aggrPeriod" must be one of [month, day, hour, minute, second]]')
    expect((await sth(`${STH_PATH}/temperature?aggrMethod=avg&aggrPeriod=day`)).body.message).toMatch(/^child "aggrMethod" fails because \["aggrMethod" with value "avg" fails to match the required pattern/)
    expect((await sth(`${STH_PATH}/temperature?lastN=1&dateFrom=yesterday`)).body.message).toBe('child "dateFrom" fails because ["dateFrom" must be a number of milliseconds or valid date string]')
    expect((await sth(`${STH_PATH}/temperature?lastN=1&foo=1`)).body.message).toBe('"foo" is not allowed')
    expect(await sth('/STH/v1/contextEntities/type/Device')).toMatchObject({ status: 404, body: { statusCode: 404, error: 'Not Found' } })
  })

  it('refuses notifications as Cygnus does, and takes keyValues ones', async () => {
    const notify = (init: RequestInit & { path?: string }): Promise<Response> => fetch(url(engine.history.cygnus, init.path ?? '/notify'), init)
    const get = await notify({ method: 'GET' })
    expect(get.status).toBe(400)
    expect(await get.text()).toContain('Bad request from client. GET method not supported')
    expect(await (await notify({ method: 'POST', path: '/other', headers: { 'content-type': 'application/json' }, body: '{}' })).text()).toContain('/other target not supported, /notify expected.')
    expect(await (await notify({ method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' })).text()).toContain('text/plain content type not supported')
    expect(await (await notify({ method: 'POST', headers: { 'content-type': 'application/json', 'fiware-servicepath': 'x' }, body: '{}' })).text()).toContain("'fiware-servicepath' header value x must start with '/'")
    const badJson = await notify({ method: 'POST', headers: { 'content-type': 'application/json', 'ngsiv2-attrsformat': 'normalized' }, body: '{"data": [' })
    expect(badJson.status).toBe(400)
    expect(await (await notify({ method: 'POST', headers: { 'content-type': 'application/json', 'ngsiv2-attrsformat': 'values' }, body: '{"data":[]}' })).text()).toContain('values format not supported')
    const big = await notify({ method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"x":"${'a'.repeat(1024 * 1024)}"}` })
    expect(big.status).toBe(413)

    const kv = await notify({
      method: 'POST',
      headers: { 'content-type': 'application/json', 'ngsiv2-attrsformat': 'keyValues', 'fiware-service': 'kv', 'fiware-servicepath': '/a' },
      body: JSON.stringify({ subscriptionId: 'x', data: [{ id: 'E1', type: 'T', n: 7.5, on: true, loc: { a: 1 } }] })
    })
    expect(kv.status).toBe(200)
    expect(await kv.text()).toBe('')
    const kvHeaders = { 'fiware-service': 'kv', 'fiware-servicepath': '/a' }
    expect(values((await sth('/STH/v1/contextEntities/type/T/id/E1/attributes/n?lastN=1', kvHeaders)).body)).toEqual([{ recvTime: expect.any(String) as string, attrType: 'Number', attrValue: '7.5' }])
    expect(values((await sth('/STH/v1/contextEntities/type/T/id/E1/attributes/loc?lastN=1', kvHeaders)).body)[0]!.attrValue).toBe('{"a":1}')

    // A TimeInstant metadata is the point's recvTime, as Cygnus takes it.
    const at = '2026-01-02T03:04:05.678Z'
    const normalized = await notify({
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', 'ngsiv2-attrsformat': 'normalized', 'fiware-service': 'kv', 'fiware-servicepath': '/a' },
      body: JSON.stringify({ data: [{ id: 'E1', type: 'T', n: { type: 'Number', value: 1, metadata: { TimeInstant: { type: 'DateTime', value: at } } } }] })
    })
    expect(normalized.status).toBe(200)
    expect(values((await sth(`/STH/v1/contextEntities/type/T/id/E1/attributes/n?lastN=1&dateTo=${encodeURIComponent(at)}`, kvHeaders)).body)).toEqual([{ recvTime: at, attrType: 'Number', attrValue: '1' }])
  })

  it('has the history again after a restart of the engine', async () => {
    const before = values((await sth(`${STH_PATH}/temperature?lastN=0`)).body)
    expect(before).toHaveLength(6)
    await engine.teardown.close()
    engine = await composeEngine(config, silentLogger())
    expect(values((await sth(`${STH_PATH}/temperature?lastN=0`)).body)).toEqual(before)
  })

  it('starts without a listener whose port is taken (a real STH-Comet beside), and says so', async () => {
    const taken = createServer()
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
    const other = tempDir('ulcc-history-taken-')
    const entries: LogEntry[] = []
    const second = await composeEngine(
      { ...defaultConfig(other.path), hosts: ['127.0.0.1'], ports: ephemeralPorts({ sth: (taken.address() as { port: number }).port }) },
      new Logger('INFO', 100, [(e) => entries.push(e)])
    )
    try {
      expect(second.history.sth).toBeUndefined()
      expect(second.history.cygnus).toBeDefined()
      expect(entries.find((e) => e.code === 'LISTEN_SKIPPED')?.message).toMatch(/STH-Comet API is off \(choose another port with --sth-port\)/)
    } finally {
      await second.teardown.close()
      taken.close()
      other.cleanup()
    }
  })
})
