/**
 * `npm run fuzz -- --seconds N`: the fuzz campaigns (test/campaigns/fuzz-properties.ts and
 * test/campaigns/fuzz-live.ts). A third of the time goes to the parser properties, the rest to a
 * live engine fed random MQTT traffic and malformed HTTP requests on every route.
 *
 * Options: --seconds N (60) --seed S (replays: the properties' seed, and the live campaign's)
 *          --path P --only NAME (replay one property's counterexample, as a failure prints it)
 *          --live false (properties only)
 * Prints the counts, then one JSON line; exits with 1 on any failure.
 */
import { parseArgs } from 'node:util'
import { runLiveFuzz } from '../test/campaigns/fuzz-live'
import { runProperties } from '../test/campaigns/fuzz-properties'

const { values: opt } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    seed: { type: 'string' },
    path: { type: 'string' },
    only: { type: 'string' },
    live: { type: 'string', default: 'true' }
  }
})
const seconds = Number(opt.seconds)
if (!(seconds > 0)) throw new Error('--seconds must be a positive number')
const seed = opt.seed === undefined ? undefined : Number(opt.seed)
const replay = opt.path !== undefined || opt.only !== undefined
const live = opt.live !== 'false' && !replay

const propertySeconds = live ? seconds / 3 : seconds
const properties = runProperties({ msPerProperty: replay ? undefined : (propertySeconds * 1000) / 9, numRuns: replay ? 1 : undefined, seed, path: opt.path, only: opt.only })
for (const p of properties) console.log(`${p.failed ? 'FAIL' : 'ok  '} ${p.runs.toLocaleString('en')} runs  ${p.name}`)
const failures = properties.filter((p) => p.failed).map((p) => p.report!)

const liveOutcome = live ? await runLiveFuzz({ seconds: seconds - propertySeconds, seed }) : undefined
if (liveOutcome) {
  const o = liveOutcome
  console.log(`live (seed ${o.seed}): ${o.mqttMessages.toLocaleString('en')} MQTT messages (${o.mqttDisconnects} connections closed by the broker), ` +
    `${o.httpRequests.toLocaleString('en')} HTTP requests on ${o.routes} routes ${JSON.stringify(o.statuses)}, ${o.rawRequests} raw requests; engine serving afterwards: ${o.failures.some((f) => f.startsWith('afterwards')) ? 'NO' : 'yes'}`)
  failures.push(...o.failures.map((f) => `live (replay with --seed ${o.seed}): ${f}`))
}
for (const f of failures.slice(0, 50)) console.error(f)
const propertyRuns = properties.reduce((n, p) => n + p.runs, 0)
console.log(
  JSON.stringify({
    ok: failures.length === 0,
    failures: failures.length,
    propertyRuns,
    properties: Object.fromEntries(properties.map((p) => [p.name, p.runs])),
    ...(liveOutcome && { live: { ...liveOutcome, failures: liveOutcome.failures.length } })
  })
)
process.exit(failures.length === 0 ? 0 : 1)
