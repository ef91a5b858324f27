/**
 * `npm run chaos -- --kills N`: the kill -9 campaign (test/campaigns/chaos-kill.ts). kill -9 of
 * the engine at random moments during provisioning and QoS 1 measures at --rate per second, a
 * restart after each, and a check that everything acknowledged is there; then a damaged data
 * file, which must be refused with its name and a way out, never dropped silently.
 *
 * With --orion-down S it also runs the external-Orion outage campaign (test/campaigns/outage-orion.ts):
 * that Orion down for S seconds while measures flow at --rate; every PUBACKed measure must reach it.
 *
 * Options: --kills N (20) --rate R (1000) --devices N (10) --max-run-ms MS (3000) --seed S --orion-down S (0: not run)
 * Prints the counts, then one JSON line; exits with 1 on any failure.
 */
import { parseArgs } from 'node:util'
import { runChaos } from '../test/campaigns/chaos-kill'
import { runOrionOutage } from '../test/campaigns/outage-orion'

const { values: opt } = parseArgs({
  options: {
    kills: { type: 'string', default: '20' },
    rate: { type: 'string', default: '1000' },
    devices: { type: 'string', default: '10' },
    'max-run-ms': { type: 'string', default: '3000' },
    seed: { type: 'string' },
    'orion-down': { type: 'string', default: '0' }
  }
})
const o = await runChaos({
  kills: Number(opt.kills),
  rate: Number(opt.rate),
  devices: Number(opt.devices),
  maxRunMs: Number(opt['max-run-ms']),
  seed: opt.seed === undefined ? undefined : Number(opt.seed)
})
console.log(
  `chaos (seed ${o.seed}): ${o.kills} kills, ${o.restarts} restarts, ${o.provisioned.toLocaleString('en')} devices provisioned (201), ` +
    `${o.measuresSent.toLocaleString('en')} measures sent, ${o.measuresAcked.toLocaleString('en')} PUBACKed; damaged data file: ${o.corruptedFile}`
)
const orionDown = Number(opt['orion-down'])
const outage = orionDown > 0 ? await runOrionOutage({ downSeconds: orionDown, rate: Number(opt.rate), devices: Number(opt.devices) }) : undefined
if (outage) {
  console.log(
    `external Orion down ${outage.downSeconds} s: ${outage.measuresSent.toLocaleString('en')} measures sent, ${outage.measuresAcked.toLocaleString('en')} PUBACKed, ` +
      `${outage.missing} never reached Orion, ${outage.dropped} dropped, ${outage.retried} retried`
  )
}
const failures = [...o.failures, ...(outage?.failures ?? [])]
for (const f of failures) console.error(f)
console.log(JSON.stringify({ ok: failures.length === 0, ...o, failures: failures.length, ...(outage && { orionOutage: { ...outage, failures: outage.failures.length } }) }))
process.exit(failures.length === 0 ? 0 : 1)
