// Load generator of the benchmark, run as a child process so that it does not share the
// engine's event loop. N simulated UltraLight devices, one MQTT/TCP connection each, publish
// `t|..|rh|..|s|<seq>|ts|<send time>` on `ul/<apikey>/<device>/attrs` — or, with `format: 'json'`,
// IoT Agent JSON devices publish `{"t":..,"rh":..,"s":<seq>,"ts":<send time>}` on `json/<apikey>/<device>/attrs`.
// Input: one JSON argument. Output: progress lines `progress <sent>` and a final `result <json>`.
import mqtt from 'mqtt'
import { performance } from 'node:perf_hooks'

const cfg = JSON.parse(process.argv[2])
// `count` (flood only): stop after that many messages in total, even before `durationSec`.
const { url, apikey, devices, mode, rate, durationSec, qos, prefix, window: win = 32, count = Infinity, format = 'ul' } = cfg
const now = () => performance.timeOrigin + performance.now()

const clients = []
for (let i = 0; i < devices; i += 50) {
  const batch = []
  for (let j = i; j < Math.min(devices, i + 50); j++) {
    batch.push(mqtt.connectAsync(url, { clientId: `${prefix}${j}`, reconnectPeriod: 0, keepalive: 120 }))
  }
  clients.push(...(await Promise.all(batch)))
}
const seq = new Array(devices).fill(0)
let sent = 0
let acked = 0
const payload = (i) => {
  seq[i]++
  const t = (20 + Math.random() * 10).toFixed(1)
  const rh = Math.floor(Math.random() * 100)
  const ts = now().toFixed(3)
  return format === 'json' ? `{"t":${t},"rh":${rh},"s":${seq[i]},"ts":${ts}}` : `t|${t}|rh|${rh}|s|${seq[i]}|ts|${ts}`
}
const topic = (i) => `${format === 'json' ? 'json' : 'ul'}/${apikey}/${prefix}${i}/attrs`
process.stdout.write('ready\n')

const start = now()
const end = start + durationSec * 1000
let lastProgress = start

function progress() {
  const t = now()
  if (t - lastProgress >= 500) {
    lastProgress = t
    process.stdout.write(`progress ${sent}\n`)
  }
}

await new Promise((resolve) => {
  if (mode === 'flood') {
    // Each connection writes while its socket buffer is below HIGH bytes and, for QoS 1, while
    // fewer than `win` publications await their PUBACK; then it waits for the socket to drain.
    // TCP back-pressure from the broker therefore paces the devices.
    const HIGH = 64 * 1024
    let running = devices
    const pump = (i) => {
      const c = clients[i]
      let inflight = 0
      const step = () => {
        if (now() >= end || sent >= count) {
          if (--running === 0) resolve()
          return
        }
        let n = 0
        while (n++ < win && inflight < win && c.stream.writableLength < HIGH && sent < count) {
          inflight++
          sent++
          c.publish(topic(i), payload(i), { qos }, () => {
            inflight--
            acked++
          })
        }
        progress()
        if (c.stream.writableLength >= HIGH) c.stream.once('drain', step)
        else setImmediate(step)
      }
      step()
    }
    for (let i = 0; i < devices; i++) pump(i)
  } else {
    // Paced: `rate` messages per second in total, spread round-robin over the devices, every 5 ms.
    let next = 0
    const tick = setInterval(() => {
      const t = now()
      const due = Math.min(rate * durationSec, Math.floor(((Math.min(t, end) - start) / 1000) * rate))
      while (sent < due) {
        const i = next
        next = (next + 1) % devices
        sent++
        clients[i].publish(topic(i), payload(i), { qos }, () => acked++)
      }
      progress()
      if (t >= end) {
        clearInterval(tick)
        const wait = setInterval(() => {
          if (acked >= sent) {
            clearInterval(wait)
            resolve()
          }
        }, 5)
      }
    }, 5)
  }
})
// Wait until every publication has been written (QoS 0) or acknowledged (QoS 1).
while (acked < sent) await new Promise((r) => setTimeout(r, 5))
const elapsed = (now() - start) / 1000
process.stdout.write(`result ${JSON.stringify({ sent, acked, elapsedSec: elapsed, lastSeq: seq })}\n`)
await Promise.all(clients.map((c) => c.endAsync()))
process.exit(0)
