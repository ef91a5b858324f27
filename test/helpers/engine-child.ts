/**
 * An engine in a process of its own, for tests that kill it with SIGKILL:
 * `node --import tsx test/helpers/engine-child.ts <data-dir>`. It listens on ephemeral loopback
 * ports and prints one JSON line with its URLs once it has started; its log goes to stderr.
 */
import { defaultConfig } from '../../electron/engine/config/defaults'
import { Engine } from '../../electron/engine/engine'
import { consoleSink } from '../../electron/engine/log/logger'
import { ephemeralPorts } from './ports'

const dataDir = process.argv[2]
if (!dataDir) {
  process.stderr.write('usage: engine-child.ts <data-dir>\n')
  process.exit(2)
}
const config = defaultConfig(dataDir)
config.hosts = ['127.0.0.1']
config.ports = ephemeralPorts()
config.logLevel = 'WARN'
const engine = await Engine.start(config, { logSinks: [consoleSink] })
const port = (name: string): number => engine.endpoints().find((e) => e.name === name)!.addresses[0]!.port
process.stdout.write(
  JSON.stringify({
    pid: process.pid,
    northUrl: `http://127.0.0.1:${port('IoT Agent UltraLight north API')}`,
    ngsiUrl: `http://127.0.0.1:${port('NGSI-v2 context broker')}`,
    mqttUrl: `mqtt://127.0.0.1:${port('MQTT broker (TCP)')}`
  }) + '\n'
)
process.on('SIGTERM', () => {
  void engine.stop().finally(() => process.exit(0))
})
