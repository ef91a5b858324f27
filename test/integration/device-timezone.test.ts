import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'

/**
 * A device's `timezone` (tutorial 9's devices on a LAN): the TimeInstant the agent writes when the
 * device sends none is that zone's local time with its offset (docs/compatibility/iot-agent-ul.md
 * §4.5), which the context broker stores as the same instant.
 */
describe('device timezone', () => {
  let run: RunningEngine
  let south: string
  const TENANT = { 'fiware-service': 'lan', 'fiware-servicepath': '/' }

  beforeAll(async () => {
    run = await startEngine()
    const ep = run.engine.endpoints().find((e) => e.role === 'iota-south')
    south = `http://127.0.0.1:${ep!.addresses[0]!.port}`
    const post = async (path: string, body: unknown): Promise<void> => {
      const r = await fetch(`${run.northUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...TENANT }, body: JSON.stringify(body) })
      expect(r.status).toBe(201)
    }
    await post('/iot/services', { services: [{ apikey: 'lankey', resource: '/iot/d', entity_type: 'Sensor', timezone: 'Asia/Kathmandu' }] })
    await post('/iot/devices', {
      devices: [
        { device_id: 'sp', entity_name: 'urn:ngsi-ld:Sensor:sp', entity_type: 'Sensor', apikey: 'lankey', transport: 'HTTP', timezone: 'America/Sao_Paulo', attributes: [{ object_id: 't', name: 'temperature', type: 'Number' }] },
        { device_id: 'np', entity_name: 'urn:ngsi-ld:Sensor:np', entity_type: 'Sensor', apikey: 'lankey', transport: 'HTTP', attributes: [{ object_id: 't', name: 'temperature', type: 'Number' }] }
      ]
    })
  })
  afterAll(async () => {
    await run.dispose()
  })

  const measure = async (device: string): Promise<{ before: number; after: number; entity: Record<string, { value: unknown; metadata?: Record<string, { value: unknown }> }> }> => {
    const before = Date.now()
    const r = await fetch(`${south}/iot/d?k=lankey&i=${device}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 't|21' })
    expect(r.status).toBe(200)
    const after = Date.now()
    const e = await fetch(`${run.ngsiUrl}/v2/entities/urn:ngsi-ld:Sensor:${device}?type=Sensor`, { headers: TENANT })
    expect(e.status).toBe(200)
    return { before, after, entity: (await e.json()) as never }
  }

  const within = (iso: unknown, before: number, after: number): void => {
    expect(typeof iso).toBe('string')
    const t = Date.parse(iso as string)
    expect(t).toBeGreaterThanOrEqual(before - 1)
    expect(t).toBeLessThanOrEqual(after + 1)
  }

  it('the device’s zone and the group’s zone give the same instant, stored by the context broker', async () => {
    for (const device of ['sp', 'np']) {
      const { before, after, entity } = await measure(device)
      within(entity.TimeInstant!.value, before, after)
      within(entity.temperature!.metadata!.TimeInstant!.value, before, after)
    }
  })

  it('the update the agent sends carries the zone’s offset (the trace shows it)', async () => {
    const stop = run.engine.tracer.watch()
    try {
      await measure('sp')
      await measure('np')
    } finally {
      stop()
    }
    const text = JSON.stringify(run.engine.tracer.recent())
    expect(text).toMatch(/"TimeInstant","type":"DateTime","value":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}-03:00"/)
    expect(text).toMatch(/"TimeInstant","type":"DateTime","value":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+05:45"/)
  })
})
