import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { NgsiError, type ContextBrokerClient, type EntityUpdate, type Scope } from '../../electron/engine/context/types'
import { startNotificationReceiver } from '../helpers/notification-receiver'
import { waitFor } from '../helpers/wait-for'

/**
 * The contract both ContextBrokerClient implementations pass: the embedded client
 * over the in-process broker, and the client of an external Orion talking to a broker in another
 * process. Each implementation supplies a harness; the scenarios only use the client's interface
 * and what the broker itself reports (its entities, and the log of every entity change it
 * applied), never timing: the order of intermediate values is checked with a sequence attribute.
 */

export interface AppliedChange {
  tenant: string
  servicePath: string
  id: string
  type: string
  /** Values of the attributes the update wrote. */
  attrs: Record<string, unknown>
}

export interface ContextHarness {
  client: ContextBrokerClient
  /** The entity as the broker holds it (normalized NGSI-v2), or undefined when it does not exist there. */
  entity(scope: Scope, id: string, type: string): Promise<Record<string, unknown> | undefined>
  /** Every entity change the broker applied so far, in order. */
  changes(): Promise<AppliedChange[]>
  /** Resolves once every update upserted so far reached the broker (or was refused by it). */
  settled(): Promise<void>
  teardown(): Promise<void>
}

export type ContextSetup = () => Promise<ContextHarness>

const ROOT: Scope = { service: 'contract', servicePath: '/' }

export function measure(id: string, attrs: Record<string, unknown>, type = 'Sensor'): EntityUpdate {
  const out: EntityUpdate = { id, type, attrs: {} }
  for (const [name, value] of Object.entries(attrs)) out.attrs[name] = { type: typeof value === 'number' ? 'Number' : 'Text', value }
  return out
}

/** The sequence values the broker applied to one entity, in the order it applied them. */
export async function sequenceOf(h: ContextHarness, id: string, attr = 'seq'): Promise<unknown[]> {
  return (await h.changes()).filter((c) => c.id === id && attr in c.attrs).map((c) => c.attrs[attr])
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i)

export function contextClientContract(name: string, setup: ContextSetup): void {
  describe(`ContextBrokerClient contract: ${name}`, () => {
    let h: ContextHarness
    beforeEach(async () => {
      h = await setup()
    })
    afterEach(async () => {
      await h?.teardown()
    })

    it('upsert of one entity creates it, and a later upsert updates it', async () => {
      h.client.upsert(ROOT, [measure('urn:E:1', { temperature: 21, state: 'on' })])
      await h.settled()
      expect(await h.entity(ROOT, 'urn:E:1', 'Sensor')).toEqual({
        id: 'urn:E:1',
        type: 'Sensor',
        temperature: { type: 'Number', value: 21, metadata: {} },
        state: { type: 'Text', value: 'on', metadata: {} }
      })
      h.client.upsert(ROOT, [measure('urn:E:1', { temperature: 22.5 })])
      await h.settled()
      expect(await h.entity(ROOT, 'urn:E:1', 'Sensor')).toMatchObject({ temperature: { value: 22.5 }, state: { value: 'on' } })
      expect(h.client.stats().updates).toBeGreaterThanOrEqual(2)
    })

    it('several entities in one upsert are applied in the given order, repeats of one entity included', async () => {
      h.client.upsert(ROOT, [measure('urn:E:a', { seq: 1 }), measure('urn:E:b', { seq: 1 }), measure('urn:E:a', { seq: 2 })])
      await h.settled()
      expect(await h.entity(ROOT, 'urn:E:a', 'Sensor')).toMatchObject({ seq: { value: 2 } })
      expect(await h.entity(ROOT, 'urn:E:b', 'Sensor')).toMatchObject({ seq: { value: 1 } })
      expect(await sequenceOf(h, 'urn:E:a')).toEqual([1, 2])
      const ids = (await h.changes()).map((c) => `${c.id}#${String(c.attrs.seq)}`)
      expect(ids).toEqual(['urn:E:a#1', 'urn:E:b#1', 'urn:E:a#2'])
    })

    it('a stream of updates reaches the broker value by value, in order, none merged', async () => {
      for (let i = 1; i <= 600; i++) {
        h.client.upsert(ROOT, [measure('urn:E:stream', { seq: i, temperature: 20 + (i % 7) })])
        if (i % 3 === 0) h.client.upsert(ROOT, [measure('urn:E:other', { seq: i / 3 })])
        // Some turns of the event loop in between, so that updates are sent while others are queued.
        if (i % 50 === 0) await new Promise((r) => setImmediate(r))
      }
      await h.settled()
      expect(await h.entity(ROOT, 'urn:E:stream', 'Sensor')).toMatchObject({ seq: { value: 600 }, temperature: { value: 20 + (600 % 7) } })
      expect(await sequenceOf(h, 'urn:E:stream')).toEqual(range(1, 600))
      expect(await sequenceOf(h, 'urn:E:other')).toEqual(range(1, 200))
    })

    it('registrations: create answers an id, get returns it, delete removes it (twice is fine)', async () => {
      const scope: Scope = { service: 'contract', servicePath: '/regs' }
      const body = {
        dataProvided: { entities: [{ type: 'Device', id: 'urn:ngsi-ld:Device:001' }], attrs: ['switch', 'interval'] },
        provider: { http: { url: 'http://iot-agent:4041' } }
      }
      const id = await h.client.createRegistration(scope, body)
      expect(id).toMatch(/^[0-9a-f]{24}$/)
      const got = await h.client.getRegistration(scope, id)
      expect(got).toMatchObject(body)
      await h.client.deleteRegistration(scope, id)
      expect(await h.client.getRegistration(scope, id)).toBeUndefined()
      await expect(h.client.deleteRegistration(scope, id)).resolves.toBeUndefined()
    })

    it('a registration the broker refuses rejects with its NGSI error', async () => {
      const err = await h.client.createRegistration(ROOT, { provider: { http: { url: 'http://x' } } } as never).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(NgsiError)
      expect(err).toMatchObject({ status: 400, error: 'BadRequest' })
    })

    it('createSubscription answers an id; the broker then notifies changes of the condition attributes', async () => {
      const scope: Scope = { service: 'contract', servicePath: '/subs' }
      h.client.upsert(scope, [measure('urn:E:sub', { pollingInterval: 200, label: 'x' }, 'Device')])
      await h.settled()
      const receiver = await startNotificationReceiver()
      try {
        const id = await h.client.createSubscription(scope, {
          description: 'Managed by IOTA: urn:E:sub Device pollingInterval',
          subject: { entities: [{ id: 'urn:E:sub', type: 'Device' }], condition: { attrs: ['pollingInterval'] } },
          notification: { http: { url: `${receiver.url}/notify` }, attrs: ['pollingInterval'], onlyChangedAttrs: true }
        })
        expect(id).toMatch(/^[0-9a-f]{24}$/)
        // A change of another attribute notifies nothing: the first notification is the later change.
        h.client.upsert(scope, [measure('urn:E:sub', { label: 'y' }, 'Device')])
        h.client.upsert(scope, [measure('urn:E:sub', { pollingInterval: 300 }, 'Device')])
        await h.settled()
        const n = await waitFor(() => receiver.requests[0], 'the notification')
        expect([n.method, n.url, n.headers['fiware-service'], n.headers['fiware-servicepath']]).toEqual(['POST', '/notify', 'contract', '/subs'])
        expect(JSON.parse(n.body)).toEqual({
          subscriptionId: id,
          data: [{ id: 'urn:E:sub', type: 'Device', pollingInterval: { type: 'Number', value: 300, metadata: {} } }]
        })
      } finally {
        await receiver.close()
      }
    })

    it('a subscription the broker refuses rejects with its NGSI error', async () => {
      const err = await h.client
        .createSubscription(ROOT, { subject: { entities: [], condition: { attrs: [] } }, notification: { http: { url: 'not a url' }, attrs: [] } })
        .catch((e: unknown) => e)
      expect(err).toBeInstanceOf(NgsiError)
      expect(err).toMatchObject({ status: 400, error: 'BadRequest' })
    })

    it('appendAttributes adds attributes to an existing entity; a missing entity is a 404', async () => {
      h.client.upsert(ROOT, [measure('urn:E:dev', { temperature: 1 }, 'Device')])
      await h.settled()
      await h.client.appendAttributes(ROOT, {
        id: 'urn:E:dev',
        type: 'Device',
        attrs: { switch_status: { type: 'commandStatus', value: 'UNKNOWN' }, switch_info: { type: 'commandResult', value: ' ' } }
      })
      expect(await h.entity(ROOT, 'urn:E:dev', 'Device')).toMatchObject({
        temperature: { value: 1 },
        switch_status: { type: 'commandStatus', value: 'UNKNOWN' },
        switch_info: { type: 'commandResult', value: ' ' }
      })
      const err = await h.client.appendAttributes(ROOT, { id: 'urn:E:none', type: 'Device', attrs: { a: { type: 'Number', value: 1 } } }).catch((e: unknown) => e)
      expect(err).toMatchObject({ status: 404 })
    })

    it('getAttributes returns the named attributes only; a missing entity is a 404', async () => {
      h.client.upsert(ROOT, [measure('urn:E:cfg', { pollingInterval: 200, publishInterval: 80, label: 'x' }, 'Device')])
      await h.settled()
      const attrs = await h.client.getAttributes(ROOT, 'urn:E:cfg', 'Device', ['pollingInterval', 'publishInterval'])
      expect(Object.keys(attrs).sort()).toEqual(['pollingInterval', 'publishInterval'])
      expect(attrs.pollingInterval).toMatchObject({ type: 'Number', value: 200 })
      await expect(h.client.getAttributes(ROOT, 'urn:E:none', 'Device', ['a'])).rejects.toMatchObject({ status: 404 })
    })

    it('whenDurable calls back, without error, every waiter, also when nothing is pending', async () => {
      const calls: Array<Error | undefined> = []
      await new Promise<void>((resolve) => h.client.whenDurable((err) => (calls.push(err), resolve())))
      for (let i = 0; i < 100; i++) h.client.upsert(ROOT, [measure('urn:E:durable', { seq: i })])
      await Promise.all([0, 1, 2].map(() => new Promise<void>((resolve) => h.client.whenDurable((err) => (calls.push(err), resolve())))))
      expect(calls).toEqual([undefined, undefined, undefined, undefined])
      await h.settled()
    })

    it('tenants and service paths keep their entities apart', async () => {
      const scopes: Scope[] = [
        { service: '', servicePath: '/' },
        { service: 'tenanta', servicePath: '/a' },
        { service: 'tenanta', servicePath: '/b' },
        { service: 'tenantb', servicePath: '/' }
      ]
      scopes.forEach((s, i) => h.client.upsert(s, [measure('urn:E:same', { which: i })]))
      await h.settled()
      for (const [i, s] of scopes.entries()) expect(await h.entity(s, 'urn:E:same', 'Sensor')).toMatchObject({ which: { value: i } })
      expect(await h.entity({ service: 'tenantc', servicePath: '/' }, 'urn:E:same', 'Sensor')).toBeUndefined()
      expect(await h.entity({ service: 'tenanta', servicePath: '/c' }, 'urn:E:same', 'Sensor')).toBeUndefined()
      const applied = (await h.changes()).filter((c) => c.id === 'urn:E:same').map((c) => `${c.tenant}${c.servicePath}=${String(c.attrs.which)}`)
      expect(applied).toEqual(['/=0', 'tenanta/a=1', 'tenanta/b=2', 'tenantb/=3'])
    })

    it('an update the broker refuses (a bad entity id) is counted and does not hold up the next ones', async () => {
      h.client.upsert(ROOT, [measure('urn:E:good', { seq: 1 })])
      // The embedded broker refuses at once (it throws); an external one answers 400 later.
      try {
        h.client.upsert(ROOT, [measure('bad id with spaces', { seq: 99 })])
      } catch (err) {
        expect(err).toMatchObject({ status: 400 })
      }
      h.client.upsert(ROOT, [measure('urn:E:good', { seq: 2 })])
      await h.settled()
      expect(await sequenceOf(h, 'urn:E:good')).toEqual([1, 2])
      await waitFor(() => h.client.stats().failed >= 1, 'the refused update to be counted')
      expect((await h.changes()).some((c) => c.id === 'bad id with spaces')).toBe(false)
    })
  })
}
