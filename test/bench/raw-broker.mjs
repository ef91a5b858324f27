// Reference rate of the broker alone: one publisher floods QoS 0 messages on a plain topic, one
// subscriber on `#` counts what it receives. Both are real MQTT/TCP clients. Output: `result <json>`.
import mqtt from 'mqtt'
import { performance } from 'node:perf_hooks'

const { url, durationSec, window: win = 64 } = JSON.parse(process.argv[2])
const sub = await mqtt.connectAsync(url, { clientId: 'bench-raw-sub', reconnectPeriod: 0 })
const pub = await mqtt.connectAsync(url, { clientId: 'bench-raw-pub', reconnectPeriod: 0 })
let received = 0
let first = 0
let last = 0
sub.on('message', () => {
  const t = performance.now()
  if (received === 0) first = t
  last = t
  received++
})
await sub.subscribeAsync('#', { qos: 0 })
const payload = Buffer.from('t|25.3|rh|60|s|123456|ts|1790000000000.123')
const end = performance.now() + durationSec * 1000
let sent = 0
const HIGH = 64 * 1024
await new Promise((resolve) => {
  // Write while the socket buffer is below HIGH bytes, then wait for it to drain: the broker's
  // TCP back-pressure paces the publisher.
  const step = () => {
    if (performance.now() >= end) return resolve()
    let n = 0
    while (n++ < win && pub.stream.writableLength < HIGH) {
      sent++
      pub.publish('bench/raw/device', payload, { qos: 0 })
    }
    if (pub.stream.writableLength >= HIGH) pub.stream.once('drain', step)
    else setImmediate(step)
  }
  step()
})
// Let the subscriber drain.
const deadline = performance.now() + 10_000
while (received < sent && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20))
const seconds = (last - first) / 1000
process.stdout.write(`result ${JSON.stringify({ sent, received, msgsPerSec: seconds > 0 ? received / seconds : 0 })}\n`)
await Promise.all([sub.endAsync(), pub.endAsync()])
process.exit(0)
