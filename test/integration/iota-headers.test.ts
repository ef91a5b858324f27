import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startNorth, type NorthHarness } from '../helpers/iota-harness'

/** Every provisioning route and a body it would accept. */
const ROUTES: Array<[method: string, path: string, body?: unknown]> = [
  ['POST', '/iot/services', { services: [{ apikey: 'k', resource: '', entity_type: 'T' }] }],
  ['GET', '/iot/services'],
  ['PUT', '/iot/services?resource=&apikey=k', {}],
  ['DELETE', '/iot/services?resource=&apikey=k'],
  ['POST', '/iot/groups', { groups: [{ apikey: 'k', resource: '', entity_type: 'T' }] }],
  ['GET', '/iot/groups'],
  ['PUT', '/iot/groups?resource=&apikey=k', {}],
  ['DELETE', '/iot/groups?resource=&apikey=k'],
  ['POST', '/iot/devices', { devices: [{ device_id: 'd' }] }],
  ['GET', '/iot/devices'],
  ['GET', '/iot/devices/d'],
  ['PUT', '/iot/devices/d', {}],
  ['DELETE', '/iot/devices/d'],
  ['POST', '/iot/op/delete', { devices: [{ deviceId: 'd' }] }]
]

describe('north API: tenant headers', () => {
  let h: NorthHarness
  beforeAll(async () => {
    h = await startNorth()
  })
  afterAll(() => h.close())

  for (const [method, path, body] of ROUTES) {
    it(`${method} ${path} requires fiware-service and fiware-servicepath`, async () => {
      const json: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' }
      const partial: Array<Record<string, string>> = [{ 'fiware-servicepath': '/' }, { 'fiware-service': 'openiot' }, {}]
      for (const headers of partial) {
        const res = await h.call(method, path, { ...json, ...headers }, body)
        expect({ status: res.status, name: res.body?.name }).toEqual({ status: 400, name: 'MISSING_HEADERS' })
      }
    })
  }

  it('names the missing headers in FIWARE’s message format', async () => {
    const one = await h.call('GET', '/iot/devices', { 'fiware-servicepath': '/' })
    expect(one.body).toEqual({ name: 'MISSING_HEADERS', message: 'Some headers were missing from the request: ["fiware-service"]' })
    const both = await h.call('GET', '/iot/devices')
    expect(both.body.message).toBe('Some headers were missing from the request: ["fiware-service","fiware-servicepath"]')
  })

  it('checks the headers before the body', async () => {
    const res = await h.call('POST', '/iot/devices', { 'content-type': 'application/json' }, { nonsense: true })
    expect(res.body.name).toBe('MISSING_HEADERS')
  })

  it('accepts header names in any case and treats the service case-insensitively', async () => {
    const created = await h.call('POST', '/iot/devices', { 'Content-Type': 'application/json', 'Fiware-Service': 'OpenIoT', 'Fiware-ServicePath': '/' }, { devices: [{ device_id: 'mixed' }] })
    expect(created.status).toBe(201)
    const got = await h.call('GET', '/iot/devices/mixed', { 'fiware-service': 'openiot', 'fiware-servicepath': '/' })
    expect(got.body).toMatchObject({ device_id: 'mixed', service: 'openiot' })
  })
})
