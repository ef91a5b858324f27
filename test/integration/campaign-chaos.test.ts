import { describe, expect, it } from 'vitest'
import { runChaos } from '../campaigns/chaos-kill'

/**
 * The short version of `npm run chaos` (scripts/chaos.ts): a kill -9 of the engine during
 * provisioning and QoS 1 measures, a check after each restart that everything acknowledged is
 * there, and a damaged devices.db that is refused with its name and repaired as the message says.
 */
describe('campaign: chaos (short)', () => {
  it('kill -9 loses nothing acknowledged; a damaged data file is refused, not dropped silently', async () => {
    const o = await runChaos({ kills: 1, maxRunMs: 800 })
    expect(o.failures, `replay with npm run chaos -- --kills 1 --max-run-ms 800 --seed ${o.seed}`).toEqual([])
    expect(o.kills).toBe(1)
    expect(o.restarts).toBe(1)
    expect(o.measuresAcked).toBeGreaterThan(0)
    expect(o.provisioned).toBeGreaterThan(0)
    expect(o.corruptedFile).toBe('refused')
  }, 60_000)
})
