import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ProviderError } from '../../electron/engine/agent/context-provider'
import { startNorth, type NorthHarness } from '../helpers/iota-harness'

/** What Orion forwards for `PATCH /v2/entities/urn:ngsi-ld:Device:001/attrs` `{"switch":{…}}` (docs/compatibility/ngsi-v2.md §5). */
const FORWARDED = {
  entities: [{ id: 'urn:ngsi-ld:Device:001', type: 'Device', switch: { type: 'command', value: 'on', metadata: {} } }],
  actionType: 'update'
}
const ORION = { 'content-type': 'application/json', 'fiware-service': 'openiot', 'fiware-servicepath': '/', 'fiware-correlator': 'c0ffee; cbfwd=1' }

describe('north API: context-provider endpoints', () => {
  let h: NorthHarness
  beforeEach(async () => {
    h = await startNorth()
  })
  afterEach(() => h.close())

  for (const path of ['/v2/op/update', '//op/update']) {
    describe(`POST ${path}`, () => {
      it('hands the forwarded update to the provider and answers 204 without body', async () => {
        const res = await h.call('POST', path, ORION, FORWARDED)
        expect(res.status).toBe(204)
        expect(res.text).toBe('')
        expect(h.provider.updates).toEqual([{ scope: { service: 'openiot', servicePath: '/' }, request: FORWARDED }])
      })

      it('requires a JSON content type: UNSUPPORTED_CONTENT_TYPE 400 in NGSI form', async () => {
        for (const type of ['text/plain', undefined]) {
          const headers: Record<string, string> = { ...ORION }
          if (type) headers['content-type'] = type
          else delete headers['content-type']
          const res = await h.call('POST', path, headers, JSON.stringify(FORWARDED))
          expect(res.status).toBe(400)
          expect(res.body).toEqual({ error: 'UNSUPPORTED_CONTENT_TYPE', description: expect.any(String) })
        }
        expect((await h.call('POST', path, { ...ORION, 'content-type': 'application/json; charset=utf-8' }, FORWARDED)).status).toBe(204)
        expect(h.provider.updates).toHaveLength(1)
      })

      it('refuses a body that is not a forwarded update with BAD_REQUEST 400', async () => {
        for (const body of [{ actionType: 'append', entities: FORWARDED.entities }, { entities: [{ id: 'x' }] }, { actionType: 'update' }, '{broken']) {
          const res = await h.call('POST', path, ORION, body)
          expect(res.status).toBe(400)
          expect(res.body.error).toMatch(/^(BAD_REQUEST|WRONG_SYNTAX)$/)
          expect(res.body).toHaveProperty('description')
        }
        expect(h.provider.updates).toEqual([])
      })

      it('answers a ProviderError with its status and {error, description}', async () => {
        h.provider.failure = new ProviderError(404, 'DEVICE_NOT_FOUND', 'No device was found with id:urn:ngsi-ld:Device:001')
        const res = await h.call('POST', path, ORION, FORWARDED)
        expect(res.status).toBe(404)
        expect(res.body).toEqual({ error: 'DEVICE_NOT_FOUND', description: 'No device was found with id:urn:ngsi-ld:Device:001' })
      })
    })
  }

  it('takes the default tenant and service path when Orion omits the headers', async () => {
    await h.call('POST', '//op/update', { 'content-type': 'application/json' }, FORWARDED)
    expect(h.provider.updates[0]!.scope).toEqual({ service: '', servicePath: '/' })
  })

  for (const path of ['/v2/op/query', '//op/query']) {
    describe(`POST ${path}`, () => {
      const query = { entities: [{ id: 'urn:ngsi-ld:Device:001', type: 'Device' }], attrs: ['battery'] }

      it('answers 200 with the entities the provider returns', async () => {
        h.provider.queryAnswer = [{ id: 'urn:ngsi-ld:Device:001', type: 'Device', battery: { type: 'Number', value: null, metadata: {} } }]
        const res = await h.call('POST', path, ORION, query)
        expect(res.status).toBe(200)
        expect(res.body).toEqual(h.provider.queryAnswer)
        expect(h.provider.queries).toEqual([{ scope: { service: 'openiot', servicePath: '/' }, request: query }])
      })

      it('refuses non-JSON, several entities and idPattern with 400 in NGSI form', async () => {
        const plain = await h.call('POST', path, { ...ORION, 'content-type': 'text/plain' }, 'x')
        expect({ status: plain.status, error: plain.body.error }).toEqual({ status: 400, error: 'UNSUPPORTED_CONTENT_TYPE' })
        for (const body of [{ entities: [] }, { entities: [{ id: 'a' }, { id: 'b' }] }, { entities: [{ idPattern: '.*' }] }, { entities: 'x' }]) {
          const res = await h.call('POST', path, ORION, body)
          expect({ status: res.status, error: res.body.error }).toEqual({ status: 400, error: 'BadRequest' })
        }
        expect(h.provider.queries).toEqual([])
      })

      it('answers a ProviderError with its status', async () => {
        h.provider.failure = new ProviderError(404, 'DEVICE_NOT_FOUND', 'no device')
        const res = await h.call('POST', path, ORION, query)
        expect(res.status).toBe(404)
        expect(res.body).toEqual({ error: 'DEVICE_NOT_FOUND', description: 'no device' })
      })
    })
  }

  it('strips the characters Orion forbids from descriptions and hides internal failures behind a 500', async () => {
    h.provider.failure = new ProviderError(400, 'BAD_VALUE', 'value "a=b" (not allowed)')
    const res = await h.call('POST', '/v2/op/update', ORION, FORWARDED)
    expect(res.body).toEqual({ error: 'BAD_VALUE', description: 'value ab not allowed' })
    h.provider.failure = new Error('boom') as ProviderError
    const crash = await h.call('POST', '/v2/op/update', ORION, FORWARDED)
    expect(crash.status).toBe(500)
    expect(crash.body.error).toBe('INTERNAL_ERROR')
    expect((await h.call('GET', '/iot/about')).status).toBe(200)
  })

  it('does not route other double-slash paths', async () => {
    const res = await h.call('POST', '//v2/op/update', ORION, FORWARDED)
    expect(res.status).toBe(404)
  })
})
