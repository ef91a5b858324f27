import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { EmbeddedContextBroker } from '../../../electron/engine/context/embedded/broker'
import type { EntityChange } from '../../../electron/engine/context/embedded/entity-store'
import { EmbeddedContextClient } from '../../../electron/engine/context/embedded-client'
import { NgsiError } from '../../../electron/engine/context/types'
import { silentLogger } from '../../../electron/engine/log/logger'
import { tempDir } from '../../helpers/temp-dir'
import { PERSISTENCE } from './support/ngsi-server'

/** Attribute update semantics of the domain layer (docs/compatibility/ngsi-v2.md §1.4), without HTTP. */

const W = { service: '', servicePath: '/' }
const Q = { service: '', servicePaths: [] as string[] }

describe('attribute update semantics', () => {
  let dir: ReturnType<typeof tempDir>
  let broker: EmbeddedContextBroker
  let changes: Array<Omit<EntityChange, 'entity'>>

  beforeEach(async () => {
    dir = tempDir('ulcc-ngsi-unit-')
    broker = await EmbeddedContextBroker.open({ dataDir: dir.path, persistence: PERSISTENCE, logger: silentLogger() })
    changes = []
    broker.onChange(({ entity, ...c }) => {
      // The live entity travels with the event so that listeners can read current values.
      expect(entity.id).toBe(c.id)
      if (c.kind !== 'deleted') expect([...entity.attrs.keys()]).toEqual(expect.arrayContaining(c.attrs))
      changes.push(c)
    })
  })

  afterEach(async () => {
    await broker.close()
    dir.cleanup()
  })

  const get = (id: string, attrs?: string[]) => broker.getEntity(Q, { id }, attrs ? { attrs } : {})

  it('defaults the entity type to Thing and attribute types from the values', async () => {
    const r = await broker.createEntity(W, { id: 'E', attrs: { a: { value: 'x' }, b: { value: 2 }, c: {} } })
    expect(r).toEqual({ created: true, id: 'E', type: 'Thing' })
    const v = await get('E')
    expect(v.type).toBe('Thing')
    expect(v.attrs.map((a) => [a.name, a.type, a.value])).toEqual([
      ['a', 'Text', 'x'],
      ['b', 'Number', 2],
      ['c', 'None', null]
    ])
  })

  it('re-defaults an omitted type on update (Orion test 1784) but keeps it on PUT value (test 0999)', async () => {
    await broker.createEntity(W, { id: 'E', type: 'T', attrs: { a: { type: 'at1', value: '01' }, n: { type: 'Number', value: 1, metadata: { m: { value: 'k' } } } } })
    await broker.updateAttributes(W, { id: 'E' }, { a: { value: '02' } })
    await broker.updateAttributeValue(W, { id: 'E', type: 'T' }, 'n', true)
    const v = await get('E')
    expect(v.attrs[0]).toMatchObject({ name: 'a', type: 'Text', value: '02' })
    expect(v.attrs[1]).toMatchObject({ name: 'n', type: 'Number', value: true, metadata: [{ name: 'm', type: 'Text', value: 'k' }] })
  })

  it('keeps metadata not mentioned (sticky), request metadata first; overrideMetadata replaces the set', async () => {
    await broker.createEntity(W, {
      id: 'E',
      attrs: { t: { type: 'Number', value: 1, metadata: { unitCode: { value: 'CEL' }, accuracy: { value: 0.5 }, TimeInstant: { type: 'DateTime', value: '2024-01-01T00:00:00Z' } } } }
    })
    await broker.updateAttributes(W, { id: 'E' }, { t: { type: 'Number', value: 2, metadata: { TimeInstant: { type: 'DateTime', value: '2024-01-01T00:01:00Z' } } } })
    let md = (await get('E')).attrs[0]!.metadata
    expect(md.map((m) => m.name)).toEqual(['TimeInstant', 'accuracy', 'unitCode'])
    expect(md[0]!.value).toBe('2024-01-01T00:01:00.000Z')
    await broker.updateAttributes(W, { id: 'E' }, { t: { type: 'Number', value: 3, metadata: {} } })
    expect((await get('E')).attrs[0]!.metadata).toHaveLength(3)
    await broker.updateAttributes(W, { id: 'E' }, { t: { type: 'Number', value: 4, metadata: { accuracy: { value: 1 } } } }, { overrideMetadata: true })
    md = (await get('E')).attrs[0]!.metadata
    expect(md).toEqual([{ name: 'accuracy', type: 'Number', value: 1 }])
  })

  it('appends new attributes at the end, updates existing ones in place; replace resets the order', async () => {
    await broker.createEntity(W, { id: 'E', attrs: { a: { value: 1 }, b: { value: 2 } } })
    await broker.appendAttributes(W, { id: 'E' }, { c: { value: 3 }, a: { value: 10 } })
    expect((await get('E')).attrs.map((a) => `${a.name}=${String(a.value)}`)).toEqual(['a=10', 'b=2', 'c=3'])
    await broker.replaceAttributes(W, { id: 'E' }, { c: { value: 30 }, z: { value: 0 } })
    expect((await get('E')).attrs.map((a) => `${a.name}=${String(a.value)}`)).toEqual(['c=30', 'z=0'])
  })

  it('normalizes DateTime values and rejects invalid ones before changing anything', async () => {
    await broker.createEntity(W, { id: 'E', attrs: { when: { type: 'DateTime', value: '2024-05-06T07:08+02:00' } } })
    expect((await get('E')).attrs[0]!.value).toBe('2024-05-06T05:08:00.000Z')
    await expect(broker.updateAttributes(W, { id: 'E' }, { when: { type: 'DateTime', value: 'tomorrow' } })).rejects.toMatchObject({
      status: 400,
      description: 'date has invalid format in attribute value'
    })
    await expect(broker.updateAttributeValue(W, { id: 'E' }, 'when', 'later')).rejects.toMatchObject({ status: 400 })
    expect((await get('E')).attrs[0]!.value).toBe('2024-05-06T05:08:00.000Z')
  })

  it('allows one location attribute per entity unless the others are ignoreType', async () => {
    const point = (x: number) => ({ type: 'geo:json', value: { type: 'Point', coordinates: [x, 0] } })
    await expect(broker.createEntity(W, { id: 'E', attrs: { l1: point(1), l2: point(2) } })).rejects.toMatchObject({ status: 413, error: 'NoResourcesAvailable' })
    await broker.createEntity(W, { id: 'E', attrs: { l1: point(1), l2: { ...point(2), metadata: { ignoreType: { value: true } } } } })
    await expect(broker.appendAttributes(W, { id: 'E' }, { l3: point(3) })).rejects.toMatchObject({ status: 413 })
    await broker.appendAttributes(W, { id: 'E' }, { l1: point(5) })
  })

  it('emits one synchronous change event per entity change, with what actually changed', async () => {
    await broker.createEntity(W, { id: 'E', type: 'T', attrs: { a: { value: 1 }, b: { value: 2 } } })
    await broker.updateAttributes(W, { id: 'E' }, { a: { value: 1 }, b: { value: 3 } })
    await broker.deleteAttribute(W, { id: 'E' }, 'a')
    await broker.deleteEntity(W, { id: 'E' })
    expect(changes).toEqual([
      { kind: 'created', service: '', servicePath: '/', id: 'E', type: 'T', attrs: ['a', 'b'], changed: ['a', 'b'], removed: [] },
      { kind: 'updated', service: '', servicePath: '/', id: 'E', type: 'T', attrs: ['a', 'b'], changed: ['b'], removed: [] },
      { kind: 'updated', service: '', servicePath: '/', id: 'E', type: 'T', attrs: [], changed: [], removed: ['a'] },
      { kind: 'deleted', service: '', servicePath: '/', id: 'E', type: 'T', attrs: [], changed: [], removed: ['b'] }
    ])
  })

  it('keeps the same id and type apart in different service paths and tenants', async () => {
    await broker.createEntity(W, { id: 'E', type: 'T', attrs: { a: { value: 1 } } })
    await broker.createEntity({ service: '', servicePath: '/x' }, { id: 'E', type: 'T', attrs: { a: { value: 2 } } })
    await broker.createEntity({ service: 'OpenIoT', servicePath: '/' }, { id: 'E', type: 'T', attrs: { a: { value: 3 } } })
    await expect(broker.getEntity(Q, { id: 'E' })).rejects.toMatchObject({ status: 409, error: 'TooManyResults' })
    expect((await broker.getEntity({ service: '', servicePaths: ['/x'] }, { id: 'E' })).attrs[0]!.value).toBe(2)
    expect((await broker.getEntity({ service: 'openiot', servicePaths: [] }, { id: 'E' })).attrs[0]!.value).toBe(3)
  })
})

describe('EmbeddedContextClient (the IoT Agent side)', () => {
  let dir: ReturnType<typeof tempDir>
  let broker: EmbeddedContextBroker
  let client: EmbeddedContextClient
  const scope = { service: 'openiot', servicePath: '/' }

  beforeEach(async () => {
    dir = tempDir('ulcc-ngsi-client-')
    broker = await EmbeddedContextBroker.open({ dataDir: dir.path, persistence: PERSISTENCE, logger: silentLogger() })
    client = new EmbeddedContextClient(broker)
  })

  afterEach(async () => {
    await client.close()
    await broker.close()
    dir.cleanup()
  })

  const measure = (id: string, t: number) => ({
    id,
    type: 'Device',
    attrs: {
      temperature: { type: 'Number', value: t, metadata: { TimeInstant: { type: 'DateTime', value: '2024-01-01T00:00:00.000Z' } } },
      TimeInstant: { type: 'DateTime', value: '2024-01-01T00:00:00.000Z' }
    }
  })

  it('upserts synchronously: creates, then appends, one or several entities in order', async () => {
    client.upsert(scope, [measure('urn:ngsi-ld:Device:001', 21)])
    client.upsert(scope, [measure('urn:ngsi-ld:Device:001', 22), measure('urn:ngsi-ld:Device:002', 5)])
    const v = await broker.getEntity({ service: 'openiot', servicePaths: ['/'] }, { id: 'urn:ngsi-ld:Device:001' })
    expect(v.attrs.map((a) => [a.name, a.value])).toEqual([
      ['temperature', 22],
      ['TimeInstant', '2024-01-01T00:00:00.000Z']
    ])
    expect(client.stats()).toEqual({ updates: 3, failed: 0 })
    await new Promise<void>((resolve, reject) => client.whenDurable((err) => (err ? reject(err) : resolve())))
  })

  it('throws NgsiError synchronously for invalid input and applies nothing of that call', async () => {
    expect(() => client.upsert(scope, [measure('ok', 1), measure('bad id', 2)])).toThrow(NgsiError)
    expect(() => client.upsert(scope, [{ id: 'E', type: 'Device', attrs: { 'a/b': { type: 'Text', value: 'x' } } }])).toThrow('Invalid characters in attribute name')
    expect(() => client.upsert({ service: 'bad-tenant', servicePath: '/' }, [measure('E', 1)])).toThrow(NgsiError)
    await expect(broker.getEntity({ service: 'openiot', servicePaths: [] }, { id: 'ok' })).rejects.toMatchObject({ status: 404 })
    expect(client.stats().failed).toBe(4)
  })

  it('does not keep references to caller-owned compound values', async () => {
    const value = { nested: [1, 2] }
    client.upsert(scope, [{ id: 'E', type: 'T', attrs: { c: { type: 'StructuredValue', value } } }])
    value.nested.push(3)
    const v = await broker.getEntity({ service: 'openiot', servicePaths: [] }, { id: 'E' })
    expect(v.attrs[0]!.value).toEqual({ nested: [1, 2] })
  })

  it('registers and deregisters through the registration API; a missing registration is fine', async () => {
    const id = await client.createRegistration(scope, {
      dataProvided: { entities: [{ type: 'Device', id: 'urn:ngsi-ld:Device:001' }], attrs: ['switch'] },
      provider: { http: { url: 'http://127.0.0.1:4042' } }
    })
    expect(id).toMatch(/^[0-9a-f]{24}$/)
    expect(broker.getRegistration({ service: 'openiot' }, id).dataProvided.entities).toEqual([{ id: 'urn:ngsi-ld:Device:001', type: 'Device' }])
    await client.deleteRegistration(scope, id)
    await client.deleteRegistration(scope, id)
    await expect(client.createRegistration(scope, { dataProvided: { entities: [] }, provider: { http: { url: 'nope' } } })).rejects.toMatchObject({
      status: 400,
      description: '/url/ field of /http/ is invalid'
    })
  })

  it('appends attributes and reads some of them back', async () => {
    client.upsert(scope, [measure('urn:ngsi-ld:Device:001', 20)])
    await client.appendAttributes(scope, {
      id: 'urn:ngsi-ld:Device:001',
      type: 'Device',
      attrs: { switch_status: { type: 'commandStatus', value: 'UNKNOWN' }, switch_info: { type: 'commandResult', value: ' ' } }
    })
    const got = await client.getAttributes(scope, 'urn:ngsi-ld:Device:001', 'Device', ['switch_status', 'temperature', 'nope'])
    expect(got).toEqual({
      switch_status: { type: 'commandStatus', value: 'UNKNOWN' },
      temperature: { type: 'Number', value: 20, metadata: { TimeInstant: { type: 'DateTime', value: '2024-01-01T00:00:00.000Z' } } }
    })
  })
})
