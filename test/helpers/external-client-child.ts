/**
 * Child process of the crash test of the external context broker's queue: opens an
 * ExternalContextClient on `<dataDir>` towards `<url>` (where nothing answers), queues `<count>`
 * numbered updates of `urn:E:crash`, prints "durable" once `whenDurable` called back, then idles
 * until it is killed with SIGKILL (never closes the client, so nothing more is written at exit).
 *
 *   node --import tsx test/helpers/external-client-child.ts <dataDir> <url> <count>
 */
import { ExternalContextClient } from '../../electron/engine/context/external/external-client'
import { Logger } from '../../electron/engine/log/logger'

const [dataDir, url, count] = process.argv.slice(2)
if (!dataDir || !url || !count) {
  process.stderr.write('usage: external-client-child.ts <dataDir> <url> <count>\n')
  process.exit(2)
}
// A long flush interval: only the group commit asked for by whenDurable writes the queue.
const client = await ExternalContextClient.open({ url, dataDir, logger: new Logger('FATAL', 1), flushIntervalMs: 60_000, retryMinMs: 60_000, retryMaxMs: 60_000 })
for (let i = 1; i <= Number(count); i++) {
  client.upsert({ service: 'crash', servicePath: '/' }, [{ id: 'urn:E:crash', type: 'Sensor', attrs: { seq: { type: 'Number', value: i } } }])
}
client.whenDurable((err) => {
  process.stdout.write(err ? `error ${err.message}\n` : 'durable\n')
})
setInterval(() => {}, 60_000)
