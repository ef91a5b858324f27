/**
 * Micro-benchmark of the measure hot path: EmbeddedContextClient.upsert on 1,000 entities, each
 * update shaped like iotagent-ul's (three attributes and TimeInstant, every one with TimeInstant
 * metadata), persistence on (coalesced writes, default intervals), then the same with a
 * catch-all subscription whose receiver answers after 200 ms (every update fires a notification
 * that cannot be delivered as fast: the queue stays full and drops its oldest). Not a test: prints figures.
 *
 *   node --import tsx test/unit/ngsi/bench/upsert-throughput.ts [updates] [entities]
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { performance } from 'node:perf_hooks'
import { EmbeddedContextBroker } from '../../../../electron/engine/context/embedded/broker'
import { EmbeddedContextClient } from '../../../../electron/engine/context/embedded-client'
import type { EntityUpdate } from '../../../../electron/engine/context/types'
import { silentLogger } from '../../../../electron/engine/log/logger'
import { tempDir } from '../../../helpers/temp-dir'

const total = Number(process.argv[2] ?? 300_000)
const entities = Number(process.argv[3] ?? 1000)
const dir = tempDir('ulcc-ngsi-bench-')
const broker = await EmbeddedContextBroker.open({
  dataDir: dir.path,
  persistence: { flushIntervalMs: 1000, commitDelayMs: 5, compactionIntervalMs: 600_000 },
  logger: silentLogger()
})
const client = new EmbeddedContextClient(broker)
const scope = { service: 'openiot', servicePath: '/' }

function measure(i: number, t: number): EntityUpdate {
  const now = new Date(1_700_000_000_000 + Math.floor(t / entities) * 1000).toISOString()
  const md = { TimeInstant: { type: 'DateTime', value: now } }
  return {
    id: `urn:ngsi-ld:Device:${String(i).padStart(4, '0')}`,
    type: 'Device',
    attrs: {
      refStore: { type: 'Relationship', value: 'urn:ngsi-ld:Store:001', metadata: md },
      temperature: { type: 'Number', value: 20 + (t % 100) / 10, metadata: md },
      relativeHumidity: { type: 'Number', value: t % 100, metadata: md },
      TimeInstant: { type: 'DateTime', value: now }
    }
  }
}

async function run(label: string, n: number): Promise<void> {
  const updates = Array.from({ length: n }, (_, t) => measure(t % entities, t))
  const start = performance.now()
  // Yield to the event loop now and then, as MQTT traffic would, so that flushes can run.
  for (let t = 0; t < n; t++) {
    client.upsert(scope, [updates[t]!])
    if (t % 5000 === 4999) await new Promise((r) => setImmediate(r))
  }
  const applied = performance.now() - start
  await broker.durable()
  const durable = performance.now() - start
  console.log(
    `${label}: ${n} upserts on ${entities} entities in ${applied.toFixed(0)} ms → ${Math.round(n / (applied / 1000)).toLocaleString('en')} updates/s ` +
      `(durable after ${durable.toFixed(0)} ms; writer ${JSON.stringify(broker.stats().writer)})`
  )
}

await run('warm-up', Math.min(total, 50_000))
await run('no listener', total)
let events = 0
const unlisten = broker.onChange(() => events++)
await run('with a change listener', total)
console.log(`change events: ${events}`)
unlisten()

const receiver = createServer((req, res) => {
  req.resume()
  req.on('end', () => setTimeout(() => res.writeHead(204).end(), 200))
})
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/slow`
await broker.createSubscription({ service: 'openiot' }, { subject: { entities: [{ idPattern: '.*' }] }, notification: { http: { url } } })
await run('with a catch-all subscription, slow receiver', total)
console.log(`notifications: ${JSON.stringify(broker.stats().notifications)}`)
await broker.close()
receiver.closeAllConnections()
receiver.close()
dir.cleanup()
