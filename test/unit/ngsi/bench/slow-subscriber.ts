/**
 * Preload for `npm run bench` (test/bench/run.ts): every context broker the engine opens gets a
 * catch-all subscription whose receiver is slow, so the bench measures ingestion while each
 * measure also triggers a notification that cannot be delivered as fast as it comes. The
 * receiver runs in a child process, as a real one would (not on the engine's event loop).
 *
 *   npx tsx --import ./test/unit/ngsi/bench/slow-subscriber.ts test/bench/run.ts --devices 1000 --duration 5 --phases raw,flood
 *
 * BENCH_RECEIVER_DELAY_MS (default 200) sets how long the receiver takes to answer. When the
 * broker closes, its notification counters are printed on stderr.
 */
import { spawn } from 'node:child_process'
import { EmbeddedContextBroker } from '../../../../electron/engine/context/embedded/broker'

const delay = Number(process.env.BENCH_RECEIVER_DELAY_MS ?? 200)
// The receiver prints its port, then the number of requests it got whenever asked (a line on stdin).
const receiverCode = `
let n = 0
const srv = require('node:http').createServer((req, res) => { req.resume(); req.on('end', () => { n++; setTimeout(() => res.writeHead(204).end(), ${delay}) }) })
srv.listen(0, '127.0.0.1', () => console.log(srv.address().port))
process.stdin.on('data', () => console.log(n))
process.stdin.on('end', () => process.exit(0))
`
const child = spawn(process.execPath, ['-e', receiverCode], { stdio: ['pipe', 'pipe', 'inherit'] })
const lines: string[] = []
let waiting: ((line: string) => void) | null = null
child.stdout.setEncoding('utf8').on('data', (d: string) => {
  for (const line of d.split('\n').filter(Boolean)) {
    if (waiting) {
      const w = waiting
      waiting = null
      w(line)
    } else lines.push(line)
  }
})
const nextLine = (): Promise<string> => (lines.length > 0 ? Promise.resolve(lines.shift()!) : new Promise((resolve) => (waiting = resolve)))
const url = `http://127.0.0.1:${await nextLine()}/slow`
child.unref()

const open = EmbeddedContextBroker.open.bind(EmbeddedContextBroker)
EmbeddedContextBroker.open = async (opts) => {
  const broker = await open(opts)
  // The bench provisions its devices in tenant "bench"; no service path = all of them.
  const id = await broker.createSubscription({ service: 'bench' }, { subject: { entities: [{ idPattern: '.*' }] }, notification: { http: { url } } })
  process.stderr.write(`catch-all subscription ${id} → ${url} (answers after ${delay} ms)\n`)
  const close = broker.close.bind(broker)
  broker.close = async () => {
    const n = broker.stats().notifications
    // Orion's subscription JSON: `timesSent` is left out until the first notification.
    const v = broker.getSubscription({ service: 'bench' }, id) as { notification: { timesSent?: number } }
    child.stdin.write('count\n')
    const received = await nextLine()
    child.stdin.end()
    process.stderr.write(`notifications: fired ${v.notification.timesSent ?? 0}, received by the slow receiver ${received}, ${JSON.stringify(n)}\n`)
    process.stderr.write(`subscription: ${JSON.stringify(v.notification)}\n`)
    await close()
  }
  return broker
}
