import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEngineApi } from '../../electron/engine/api'
import { EVENT_NAMES, EventHub, isEventName } from '../../electron/engine/api/events'
import { dispatchRequest, validateRequest } from '../../electron/engine/transport/validate-request'
import type { EngineApi, EventName, EventSubscribe } from '../../shared/contract'
import { RequestSchemas } from '../../shared/contract'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'
import { waitFor } from '../helpers/wait-for'

/**
 * The gate both transports share (Electron IPC and the WebSocket): request names and arguments
 * checked against the contract, engine errors as data; and the fan-out of event streams.
 */

const scope = { service: 'openiot', servicePath: '/' }
let engine: RunningEngine
let api: ReturnType<typeof createEngineApi>

beforeAll(async () => {
  engine = await startEngine()
  api = createEngineApi(engine.engine)
})

afterAll(async () => {
  api?.close()
  await engine?.dispose()
})

describe('validateRequest', () => {
  it('accepts arguments that match the contract', () => {
    expect(validateRequest('devices.get', { scope, deviceId: 'motion001' })).toEqual({ ok: true, name: 'devices.get', args: { scope, deviceId: 'motion001' } })
    expect(validateRequest('engine.status', {})).toMatchObject({ ok: true })
  })

  it('knows every request of the contract, and nothing else', () => {
    for (const name of Object.keys(RequestSchemas)) expect(validateRequest(name, null).ok, name).toBe(false)
    for (const name of Object.keys(RequestSchemas)) expect(validateRequest(name, null), name).toMatchObject({ error: { message: expect.stringContaining(name) } })
    for (const name of ['hasOwnProperty', 'constructor', '__proto__', '', 'DEVICES.GET', null, undefined, {}]) {
      expect(validateRequest(name, {}), JSON.stringify(name)).toMatchObject({ ok: false, error: { name: 'BAD_REQUEST', status: 400 } })
    }
  })

  it('names at most the first three problems, each with its JSON pointer', () => {
    const r = validateRequest('simulator.startFleet', { apikey: 'a/b', idPrefix: 'd e', count: 0.5, intervalSec: -1, measures: {}, replyLatencyMs: 'x', lossPercent: 101 })
    expect(r.ok).toBe(false)
    if (r.ok) return
    const problems = r.error.message.replace(/^invalid arguments for simulator\.startFleet: /, '').split('; ')
    expect(problems).toHaveLength(3)
    for (const p of problems) expect(p).toMatch(/^\/\w+ /)
  })

  it("accepts a provisioning request's agent only when the engine hosts it", () => {
    expect(validateRequest('groups.create', { agent: 'json', scope, group: { apikey: 'k', resource: '/iot/json' } })).toMatchObject({ ok: true, args: { agent: 'json' } })
    expect(validateRequest('provisioning.export', { agent: 'ul', scope })).toMatchObject({ ok: true })
    const refused: Array<[string, unknown]> = [
      ['groups.create', { agent: 'mqtt', scope, group: { apikey: 'k', resource: '/iot/json' } }],
      ['devices.list', { agent: 'mqtt', scope }],
      ['provisioning.import', { agent: 'JSON', scope, document: {} }]
    ]
    for (const [name, args] of refused) {
      expect(validateRequest(name, args), name).toMatchObject({ ok: false, error: { name: 'BAD_REQUEST', status: 400, message: expect.stringContaining('/agent') } })
    }
  })

  it('lists additional properties by name', () => {
    expect(validateRequest('logs.recent', { since: 1, all: true })).toMatchObject({ error: { message: 'invalid arguments for logs.recent: / must not have additional properties (since, all)' } })
  })
})

describe('dispatchRequest', () => {
  it('calls the engine with valid arguments', async () => {
    expect(await dispatchRequest(api, 'groups.list', { scope })).toEqual({ ok: true, result: { count: 0, groups: [] } })
  })

  it("passes the agent on: agent 'json' reaches the JSON agent's registry, not UltraLight's", async () => {
    const jsonScope = { service: 'dispatchjson', servicePath: '/' }
    expect(await dispatchRequest(api, 'devices.create', { agent: 'json', scope: jsonScope, device: { device_id: 'viaws' } })).toEqual({ ok: true, result: undefined })
    expect(await dispatchRequest(api, 'devices.get', { agent: 'json', scope: jsonScope, deviceId: 'viaws' })).toMatchObject({ ok: true, result: { device_id: 'viaws' } })
    expect(await dispatchRequest(api, 'devices.get', { scope: jsonScope, deviceId: 'viaws' })).toMatchObject({ ok: false, error: { name: 'DEVICE_NOT_FOUND', status: 404 } })
  })

  it('does not call the engine with invalid ones', async () => {
    let called = false
    const spy = { ...api, 'groups.list': async () => ((called = true), { count: 0, groups: [] }) } as EngineApi
    expect(await dispatchRequest(spy, 'groups.list', { scope: { service: 'Bad-Name', servicePath: '/' } })).toMatchObject({ ok: false, error: { name: 'BAD_REQUEST' } })
    expect(called).toBe(false)
  })

  it('turns engine errors into their FIWARE name and status, whatever is thrown', async () => {
    expect(await dispatchRequest(api, 'devices.delete', { scope, deviceId: 'ghost' })).toMatchObject({ ok: false, error: { name: 'DEVICE_NOT_FOUND', status: 404 } })
    expect(await dispatchRequest(api, 'entities.get', { scope, id: 'urn:ngsi-ld:Nothing:1' })).toMatchObject({ ok: false, error: { name: 'NotFound', status: 404 } })
    const throwing = {
      ...api,
      'logs.recent': () => {
        throw new TypeError('synchronous failure')
      }
    } as unknown as EngineApi
    expect(await dispatchRequest(throwing, 'logs.recent', {})).toEqual({ ok: false, error: { name: 'TypeError', message: 'synchronous failure' } })
  })

  it('reports a request the engine does not implement', async () => {
    const partial = { ...api, 'logs.recent': undefined } as unknown as EngineApi
    expect(await dispatchRequest(partial, 'logs.recent', {})).toMatchObject({ ok: false, error: { name: 'NOT_IMPLEMENTED', status: 501 } })
  })
})

describe('EventHub', () => {
  it('lists every stream of the contract', () => {
    expect([...EVENT_NAMES].sort()).toEqual(['classroom', 'commands', 'entities', 'inspector', 'lessons', 'logs', 'notifications', 'provisioning', 'simulator', 'status', 'telemetry', 'trace'])
    expect(isEventName('dropped')).toBe(false)
    expect(isEventName('toString')).toBe(false)
  })

  it('subscribes the engine API to a stream only while a consumer wants it, and serializes each batch once', async () => {
    const upstream = new Map<EventName, number>()
    const counting: EventSubscribe = (event, listener) => {
      upstream.set(event, (upstream.get(event) ?? 0) + 1)
      const off = api.on(event, listener)
      return () => {
        upstream.set(event, (upstream.get(event) ?? 0) - 1)
        off()
      }
    }
    const hub = EventHub.relay(counting)
    const seen: Array<[string, string]> = []
    const encoders: Array<() => string> = []
    const a = hub.consumer((event, _p, json) => {
      encoders.push(json)
      seen.push(['a', json()])
    })
    const b = hub.consumer((event, _p, json) => {
      encoders.push(json)
      seen.push(['b', json()])
    })
    a.subscribe('logs')
    a.subscribe('logs')
    b.subscribe('logs')
    expect(upstream.get('logs')).toBe(1)
    expect(hub.activeStreams()).toEqual(['logs'])

    engine.engine.logger.write('WARN', 'test', 'HUB', 'one batch')
    await waitFor(() => seen.length === 2, 'the batch for both consumers')
    // Both consumers get the batch's one lazy encoder, which caches its text: serialized once.
    expect(encoders[0]).toBe(encoders[1])
    expect(seen[0]![1]).toBe(seen[1]![1])
    expect(JSON.parse(seen[0]![1])).toMatchObject({ type: 'event', event: 'logs', payload: [{ code: 'HUB' }] })

    a.unsubscribe('logs')
    expect(upstream.get('logs')).toBe(1)
    b.close()
    expect(upstream.get('logs')).toBe(0)
    expect(hub.activeStreams()).toEqual([])
    b.subscribe('logs')
    expect(upstream.get('logs')).toBe(0)
    hub.close()
  })

  it('keeps delivering to the others when a consumer throws', async () => {
    const errors: unknown[] = []
    const hub = EventHub.relay(api.on, (err) => errors.push(err))
    const got: unknown[] = []
    hub.consumer(() => {
      throw new Error('broken consumer')
    }).subscribe('logs')
    hub.consumer((_e, payload) => got.push(payload)).subscribe('logs')
    engine.engine.logger.write('WARN', 'test', 'HUB2', 'another batch')
    await waitFor(() => got.length === 1, 'the batch for the working consumer')
    expect(errors).toEqual([expect.objectContaining({ message: 'broken consumer' })])
    hub.close()
  })
})
