import mqtt from 'mqtt'
import { startEngine } from '../helpers/engine-harness'
const run = await startEngine((c) => { c.logLevel = 'ERROR' })
for (const t of ['$SYS/x', '$SYS', 'a//b', 'x/'.repeat(50), '/fuzzkey/fz001/attrs', 'ul/$SYS', '/', 'é']) {
  for (const p of ['t|1', 'x'.repeat(20000), Buffer.from([0xff, 0xfe, 0])]) {
  const c = await mqtt.connectAsync(run.mqttUrl, { reconnectPeriod: 0 })
  const r = await Promise.race([c.publishAsync(t, p, { qos: 1 }).then(() => 'ok', (e) => 'err ' + e.message), new Promise((r) => setTimeout(() => r('timeout'), 1000))])
  console.log(JSON.stringify(t.slice(0, 10)), p.length, r, c.connected)
  c.end(true)
  }
}
await run.dispose(); process.exit(0)
