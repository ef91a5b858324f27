import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { JSON_TENANT, startNorth, TENANT, type NorthHarness } from '../helpers/iota-harness'

describe('north API: about, ready, log level and request hygiene', () => {
  let h: NorthHarness
  beforeEach(async () => {
    h = await startNorth()
  })
  afterEach(() => h.close())

  it('GET /iot/about and /version report the FIWARE versions followed and the north port as a number', async () => {
    for (const path of ['/iot/about', '/version']) {
      const res = await h.call('GET', path)
      expect(res.status).toBe(200)
      expect(res.body).toEqual({ libVersion: '4.14.0', port: h.port, baseRoot: '/', version: '3.7.0', product: { name: 'UltraLight Control Center', version: expect.any(String) } })
    }
  })

  it('GET /ready answers 200 {}', async () => {
    const res = await h.call('GET', '/ready')
    expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: {} })
  })

  it('PUT /admin/log changes the engine logger level; GET /admin/log reads it', async () => {
    const set = await h.call('PUT', '/admin/log?level=debug')
    expect({ status: set.status, text: set.text }).toEqual({ status: 200, text: '' })
    expect(h.logger.level).toBe('DEBUG')
    await h.call('PUT', '/admin/log?level=Warning')
    expect((await h.call('GET', '/admin/log')).body).toEqual({ level: 'WARN' })
    const missing = await h.call('PUT', '/admin/log')
    expect({ status: missing.status, body: missing.body }).toEqual({ status: 400, body: { error: 'log level missing' } })
    const invalid = await h.call('PUT', '/admin/log?level=LOUD')
    expect({ status: invalid.status, body: invalid.body }).toEqual({ status: 400, body: { error: 'invalid log level' } })
    expect(h.logger.level).toBe('WARN')
  })

  it('answers an unknown route with 404 JSON {name, message}', async () => {
    for (const [method, path] of [
      ['GET', '/nope'],
      ['POST', '/iot/about'],
      ['PATCH', '/iot/devices/d1'],
      ['GET', '/iot/configGroups']
    ] as const) {
      const res = await h.call(method, path, TENANT)
      expect(res.status).toBe(404)
      expect(res.headers['content-type']).toMatch(/^application\/json/)
      expect(res.body).toEqual({ name: 'NOT_FOUND', message: expect.any(String) })
    }
  })

  it('answers malformed JSON with 400 WRONG_SYNTAX and keeps serving', async () => {
    for (const body of ['{"devices": [', '{devices: []}', 'null x']) {
      const res = await h.call('POST', '/iot/devices', JSON_TENANT, body)
      expect({ status: res.status, name: res.body?.name }).toEqual({ status: 400, name: 'WRONG_SYNTAX' })
    }
    expect((await h.call('GET', '/iot/devices', TENANT)).status).toBe(200)
  })

  it('reads application/*+json as JSON and refuses other content types through the schema', async () => {
    const vendor = await h.call('POST', '/iot/devices', { ...TENANT, 'content-type': 'application/vnd.api+json' }, { devices: [{ device_id: 'v' }] })
    expect(vendor.status).toBe(201)
    const text = await h.call('POST', '/iot/devices', { ...TENANT, 'content-type': 'text/plain' }, JSON.stringify({ devices: [{ device_id: 't' }] }))
    expect({ status: text.status, name: text.body.name }).toEqual({ status: 400, name: 'WRONG_SYNTAX' })
    const none = await h.call('POST', '/iot/devices', TENANT, JSON.stringify({ devices: [{ device_id: 't' }] }))
    expect({ status: none.status, name: none.body.name }).toEqual({ status: 400, name: 'WRONG_SYNTAX' })
  })

  it('refuses a body over the configured limit with 413', async () => {
    const res = await h.call('POST', '/iot/devices', JSON_TENANT, { devices: [{ device_id: 'x'.repeat(1024 * 1024 + 1) }] })
    expect({ status: res.status, name: res.body?.name }).toEqual({ status: 413, name: 'PAYLOAD_TOO_LARGE' })
    expect((await h.call('GET', '/iot/about')).status).toBe(200)
  })

  it('accepts a DELETE that declares a JSON content type without a body (as Postman may send)', async () => {
    await h.call('POST', '/iot/devices', JSON_TENANT, { devices: [{ device_id: 'd' }] })
    expect((await h.call('DELETE', '/iot/devices/d', JSON_TENANT)).status).toBe(204)
  })
})
