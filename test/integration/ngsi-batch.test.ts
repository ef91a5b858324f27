import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startNgsi, type NgsiServer } from '../unit/ngsi/support/ngsi-server'

/** `POST /v2/op/update` (docs/compatibility/ngsi-v2.md §3.1), with Orion 4.x's texts for partial failures (tests 1715, 3499). */

let s: NgsiServer

beforeEach(async () => {
  s = await startNgsi()
})

afterEach(async () => {
  await s.close()
})

const ent = (id: string, attrs: Record<string, unknown>, type: string | null = 'T') => ({ id, ...(type ? { type } : {}), ...attrs })
const AB = { A: { value: 1, type: 'Number' }, B: { value: 2, type: 'Number' } }

async function batch(actionType: string, entities: unknown[], query = ''): Promise<{ status: number; body: unknown }> {
  const r = await s.req('POST', `/v2/op/update${query}`, { body: { actionType, entities } })
  return { status: r.status, body: r.text ? r.json() : undefined }
}

const kv = async (id: string) => {
  const r = await s.req('GET', `/v2/entities/${id}?options=keyValues`)
  return r.status === 200 ? r.json() : r.status
}

describe('actions', () => {
  it('append creates or upserts; appendStrict fails on existing attributes; NGSIv1 names case-insensitively', async () => {
    expect(await batch('append', [ent('E1', AB), ent('E2', AB)])).toEqual({ status: 204, body: undefined })
    expect(await batch('APPEND', [ent('E1', { C: { value: 3 } })])).toEqual({ status: 204, body: undefined })
    expect(await kv('E1')).toEqual({ id: 'E1', type: 'T', A: 1, B: 2, C: 3 })
    expect(await batch('append_strict', [ent('E3', AB)])).toEqual({ status: 204, body: undefined })
    expect(await batch('APPEND_STRICT', [ent('E1', AB), ent('E2', AB)])).toEqual({
      status: 422,
      body: { error: 'Unprocessable', description: 'one or more of the attributes in the request already exist: E1/T - [ A, B ], E2/T - [ A, B ]' }
    })
    expect(await batch('appendStrict', [ent('E1', { A: { value: 9 }, D: { value: 4 } }), ent('E2', AB), ent('E4', AB)])).toEqual({
      status: 422,
      body: { error: 'PartialUpdate', description: 'one or more of the attributes in the request already exist: E1/T - [ A ], E2/T - [ A, B ]' }
    })
    expect(await kv('E1')).toEqual({ id: 'E1', type: 'T', A: 1, B: 2, C: 3, D: 4 })
    expect(await kv('E4')).toEqual({ id: 'E4', type: 'T', A: 1, B: 2 })
  })

  it('update, replace and delete', async () => {
    await batch('append', [ent('E1', AB), ent('E2', AB)])
    expect((await batch('update', [ent('E1', { A: { value: 10 } }), ent('E2', { B: { value: 20 } })])).status).toBe(204)
    expect(await kv('E1')).toEqual({ id: 'E1', type: 'T', A: 10, B: 2 })
    expect((await batch('Replace', [ent('E2', { Z: { value: 0 } })])).status).toBe(204)
    expect(await kv('E2')).toEqual({ id: 'E2', type: 'T', Z: 0 })
    expect((await batch('delete', [ent('E1', { A: {} }), ent('E2', {})])).status).toBe(204)
    expect(await kv('E1')).toEqual({ id: 'E1', type: 'T', B: 2 })
    expect(await kv('E2')).toBe(404)
  })

  it('an entity without type matches any type; with keyValues attributes are plain values', async () => {
    await batch('append', [ent('E1', AB, 'X')])
    expect((await batch('update', [ent('E1', { A: 5 }, null)], '?options=keyValues')).status).toBe(204)
    expect(await kv('E1')).toEqual({ id: 'E1', type: 'X', A: 5, B: 2 })
    await batch('append', [ent('N1', { a: { value: 1 } }, null)])
    expect(await kv('N1')).toEqual({ id: 'N1', type: 'Thing', a: 1 })
  })
})

describe('partial failures (Orion 4.x wording)', () => {
  beforeEach(async () => {
    await batch('appendStrict', [ent('E1', AB), ent('E2', AB)])
  })

  it.each([
    ['update', [ent('E3', AB), ent('E4', AB)], 404, 'NotFound', 'do not exist: E3/T - [entity itself], E4/T [entity itself]'],
    ['update', [ent('E1', AB), ent('E3', AB)], 422, 'PartialUpdate', 'do not exist: E3/T - [entity itself]'],
    ['update', [ent('E1', { A: {}, C: {} }), ent('E2', AB)], 422, 'PartialUpdate', 'do not exist: E1/T - [ C ]'],
    ['update', [ent('E1', { A: {}, C: {} }), ent('E3', AB)], 422, 'PartialUpdate', 'do not exist: E1/T - [ C ], E3/T [entity itself]'],
    ['update', [ent('E1', { A: {}, C: {} }), ent('E2', { A: {}, C: {} })], 422, 'PartialUpdate', 'do not exist: E1/T - [ C ], E2/T - [ C ]'],
    ['update', [ent('E1', { C: {}, D: {} }), ent('E3', AB)], 422, 'Unprocessable', 'do not exist: E1/T - [ C, D ], E3/T [entity itself]'],
    ['delete', [ent('E1', { C: {} }), ent('E2', { D: {} })], 422, 'Unprocessable', 'do not exist: E1/T - [ C ], E2/T - [ D ]'],
    ['delete', [ent('F', {}), ent('G', {})], 404, 'NotFound', 'do not exist: F/T - [entity itself], G/T [entity itself]'],
    ['replace', [ent('E9', AB, null)], 404, 'NotFound', 'do not exist: E9 - [entity itself]']
  ])('%s %j → %i %s', async (action, entities, status, name, description) => {
    expect(await batch(action, entities)).toEqual({ status, body: { error: name, description } })
  })

  it('applies what it can before answering a partial failure', async () => {
    await batch('update', [ent('E1', { A: { value: 100 }, C: {} }), ent('E3', AB)])
    expect(await kv('E1')).toEqual({ id: 'E1', type: 'T', A: 100, B: 2 })
  })
})

describe('payload errors', () => {
  const raw = async (body: unknown) => {
    const r = await s.req('POST', '/v2/op/update', { body })
    return { status: r.status, body: r.json() }
  }
  const bad = (description: string) => ({ status: 400, body: { error: 'BadRequest', description } })

  it.each([
    [{ entities: [] }, 'Invalid JSON payload, mandatory field /actionType/ not found'],
    [{ actionType: 'append' }, 'Invalid JSON payload, mandatory field /entities/ not found'],
    [{ actionType: 'append', entities: [], foo: 1 }, 'Unrecognized field in JSON payload: /foo/'],
    [{ actionType: 'upsert', entities: [{ id: 'a' }] }, 'invalid update action type: right ones are: append, appendStric, delete, replace, update'],
    [{ actionType: 'append', entities: [] }, 'empty entities vector'],
    [{ actionType: 'append', entities: {} }, 'not a JSON array'],
    [{ actionType: 'append', entities: [{ type: 'T' }] }, 'nor /id/ nor /idPattern/ present'],
    [{ actionType: 'append', entities: [5] }, 'entity is not a JSON object'],
    [{ actionType: 'append', entities: [{ id: 'a', x: 5 }] }, 'attribute must be a JSON object, unless keyValues option is used'],
    [{ actionType: 'append', entities: [{ id: 'a', type: '' }] }, 'entity type length: 0, min length supported: 1']
  ])('%j → 400 %s', async (body, description) => {
    expect(await raw(body)).toEqual(bad(description))
  })

  it('answers 501 for idPattern, as Orion', async () => {
    expect(await raw({ actionType: 'update', entities: [{ idPattern: '.*', type: 'T', a: { value: 1 } }] })).toEqual({
      status: 501,
      body: { error: 'NotImplemented', description: 'NotImplemented' }
    })
  })
})
