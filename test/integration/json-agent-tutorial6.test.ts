import { createServer } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'
import { jsonNorthUrl, postJson, southUrl } from '../helpers/json-agent'
import { listenLocal } from '../helpers/local-server'
import { JSON_TENANT, reply, TENANT } from '../helpers/postman-tutorial7'
import { waitFor } from '../helpers/wait-for'
import { APIKEY, CREATE_SERVICE_BODY, DEVICE_ID, ENTITY_ID, ENTITY_TYPE, INTERVAL_COMMAND_BODY, MEASURE_BODY, withEndpoint } from '../fixtures/tutorial6'

/**
 * Tutorial 6 replayed by hand against a fresh engine: the collection's requests on the JSON agent's
 * north port, the south port and the NGSI port, with the device's endpoint on a server of the test
 * standing in for the tutorial's dummy device (which answers the command with JSON).
 */

describe('tutorial 6: IoT Agent JSON over HTTP', () => {
  let run: RunningEngine
  let dummy: { url: string; close: () => Promise<void> }
  const pushed: Array<{ url: string; type: string | undefined; body: string }> = []

  beforeAll(async () => {
    dummy = await listenLocal(
      createServer((req, res) => {
        let body = ''
        req.on('data', (c: Buffer) => (body += c.toString('utf8')))
        req.on('end', () => {
          pushed.push({ url: req.url ?? '', type: req.headers['content-type'], body })
          const cmd = JSON.parse(body) as Record<string, unknown>
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(Object.fromEntries(Object.entries(cmd).map(([k, v]) => [k, `${k} ${String(v)}`]))))
        })
      })
    )
    run = await startEngine()
  })

  afterAll(async () => {
    await run?.dispose()
    await dummy?.close()
  })

  it('provision, measure, read, command: every step answers as the tutorial shows', async () => {
    const north = jsonNorthUrl(run)
    expect((await postJson(`${north}/iot/services`, CREATE_SERVICE_BODY)).status).toBe(201)
    expect((await postJson(`${north}/iot/devices`, withEndpoint(`${dummy.url}/dht22`))).status).toBe(201)

    const m = await postJson(`${southUrl(run)}/iot/json?k=${APIKEY}&i=${DEVICE_ID}`, MEASURE_BODY)
    expect(m.status).toBe(200)
    expect(m.json).toEqual({})

    const e = await reply(await fetch(`${run.ngsiUrl}/v2/entities/${ENTITY_ID}?type=${ENTITY_TYPE}&options=keyValues`, { headers: TENANT }))
    expect(e.status).toBe(200)
    expect(e.json).toMatchObject({ id: ENTITY_ID, type: ENTITY_TYPE, temperature: 10, relativeHumidity: 50, refStore: 'urn:ngsi-ld:Store:001' })

    const patch = await fetch(`${run.ngsiUrl}/v2/entities/${ENTITY_ID}/attrs?type=${ENTITY_TYPE}`, { method: 'PATCH', headers: JSON_TENANT, body: JSON.stringify(INTERVAL_COMMAND_BODY) })
    expect(patch.status).toBe(204)
    const done = await waitFor(async () => {
      const r = await reply(await fetch(`${run.ngsiUrl}/v2/entities/${ENTITY_ID}?type=${ENTITY_TYPE}&options=keyValues`, { headers: TENANT }))
      return r.json?.interval_status === 'OK' ? (r.json as Record<string, unknown>) : undefined
    }, 'interval_status OK')
    expect(done.interval_info).toBe('interval 15')
    expect(pushed).toEqual([{ url: '/dht22', type: 'application/json', body: '{"interval":"15"}' }])
  })
})
