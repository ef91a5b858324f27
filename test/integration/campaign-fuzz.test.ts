import { describe, expect, it } from 'vitest'
import { runLiveFuzz } from '../campaigns/fuzz-live'
import { runProperties } from '../campaigns/fuzz-properties'
import { startEngine } from '../helpers/engine-harness'

/**
 * The short version of `npm run fuzz` (scripts/fuzz.ts): every parser property for a fixed number
 * of runs, then a live engine fed random MQTT traffic and malformed HTTP requests for a few
 * seconds. A failure names fast-check's seed and path (or the live seed) to replay it.
 */
describe('campaign: fuzz (short)', () => {
  it('the parsers answer or throw their own errors for any input', () => {
    const outcomes = runProperties({ numRuns: 300 })
    expect(outcomes.length).toBeGreaterThanOrEqual(7)
    expect(outcomes.filter((o) => o.failed).map((o) => o.report)).toEqual([])
    for (const o of outcomes) expect(o.runs).toBe(300)
  })

  it('a live engine answers every request with a success or a FIWARE 4xx, and still serves afterwards', async () => {
    const o = await runLiveFuzz({ seconds: 4 })
    expect(o.failures, `replay with npm run fuzz -- --seed ${o.seed}`).toEqual([])
    expect(o.routes).toBeGreaterThanOrEqual(25)
    expect(o.mqttMessages).toBeGreaterThan(0)
    expect(o.httpRequests).toBeGreaterThan(o.routes)
    expect(o.statuses['4xx']).toBeGreaterThan(0)
    expect(o.statuses['2xx']).toBeGreaterThan(0)
  }, 40_000)

  it('what the campaign found: a percent escape that is not UTF-8 gets a FIWARE 400 on both APIs', async () => {
    const run = await startEngine()
    try {
      const north = await fetch(`${run.northUrl}/iot/devices/%C0`)
      expect(north.status).toBe(400)
      expect(await north.json()).toEqual({ name: 'BAD_REQUEST', message: expect.stringContaining('/iot/devices/%C0') })
      const ngsi = await fetch(`${run.ngsiUrl}/v2/entities/%C0/attrs`)
      expect(ngsi.status).toBe(400)
      expect(await ngsi.json()).toEqual({ error: 'BadRequest', description: expect.stringContaining('/v2/entities/%C0/attrs') })
      const long = await fetch(`${run.northUrl}/iot/devices/${'x'.repeat(1100)}`)
      expect(long.status).toBe(400)
      expect(await long.json()).toMatchObject({ name: 'BAD_REQUEST' })
    } finally {
      await run.dispose()
    }
  })
})
