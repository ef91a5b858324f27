/**
 * Runs startGuiServer() (test/helpers/gui-server.ts) in its own Node process for the Playwright
 * tests: Playwright's module loader cannot load the engine itself (it imports package.json without
 * an import attribute, which only tsx accepts). Prints one JSON line with the addresses, then
 * serves a few commands, one JSON line each on stdin, and stops on "stop", stdin's end or SIGTERM.
 */
import { createInterface } from 'node:readline'
import { startGuiServer } from '../helpers/gui-server'
import { jsonNorthUrl, southUrl } from '../helpers/json-agent'

type Command = { id: number; op: 'stop' } | { id: number; op: 'startSeed'; args: { apikey: string; deviceId: string; intervalSec: number; switchedOn: boolean } } | { id: number; op: 'publish'; topic: string; payload: string }

const gui = await startGuiServer()
const e = gui.engine
process.stdout.write(JSON.stringify({ ready: true, url: gui.url, northUrl: e.northUrl, jsonNorthUrl: jsonNorthUrl(e), southUrl: southUrl(e), ngsiUrl: e.ngsiUrl, mqttUrl: e.mqttUrl }) + '\n')

let stopping: Promise<void> | null = null
function stop(): Promise<void> {
  stopping ??= gui.stop().then(() => process.exit(0))
  return stopping
}
process.on('SIGTERM', () => void stop())

const rl = createInterface({ input: process.stdin })
rl.on('close', () => void stop())
rl.on('line', (line) => {
  const cmd = JSON.parse(line) as Command
  const reply = (ok: boolean, error?: string): void => void process.stdout.write(JSON.stringify({ id: cmd.id, ok, error }) + '\n')
  const run = async (): Promise<void> => {
    if (cmd.op === 'stop') return stop()
    if (cmd.op === 'startSeed') await e.host.engine.simulator.startSeedDevice(cmd.args)
    if (cmd.op === 'publish') await e.host.engine.broker.publish(cmd.topic, cmd.payload, { qos: 0, retain: false })
  }
  run().then(
    () => reply(true),
    (err: Error) => reply(false, err.message)
  )
})
