/**
 * An engine start that fails, in a process of its own:
 * `node --import tsx test/helpers/failed-start-child.ts <data-dir> <embedded|external> [busy-mqtt-port]`.
 * It prints one JSON line, `{error}` (the message of the failed start), and then has nothing
 * left to do: if the failed start left anything open (a file store's timer, a listening socket,
 * a queue), the process does not exit by itself. The test's observable is that it exits.
 */
import { defaultConfig } from '../../electron/engine/config/defaults'
import { Engine } from '../../electron/engine/engine'
import { ephemeralPorts } from './ports'

const [dataDir, mode, busyMqttPort] = process.argv.slice(2)
if (!dataDir || (mode !== 'embedded' && mode !== 'external')) {
  process.stderr.write('usage: failed-start-child.ts <data-dir> <embedded|external> [busy-mqtt-port]\n')
  process.exit(2)
}
const config = defaultConfig(dataDir)
config.hosts = ['127.0.0.1']
config.ports = ephemeralPorts({ mqtt: busyMqttPort ? Number(busyMqttPort) : 0 })
config.logLevel = 'WARN'
// The registry compacts its files on a timer: a registry left open keeps this process alive.
config.persistence.compactionIntervalMs = 60_000
// Nobody listens there; an external client opens its queue without connecting.
if (mode === 'external') config.contextBroker = { mode: 'external', url: 'http://127.0.0.1:9' }

try {
  const engine = await Engine.start(config, { logSinks: [(e) => process.stderr.write(`${e.level} ${e.code} ${e.message}\n`)] })
  process.stdout.write(JSON.stringify({ error: null }) + '\n')
  await engine.stop()
} catch (err) {
  process.stdout.write(JSON.stringify({ error: (err as Error).message }) + '\n')
}
