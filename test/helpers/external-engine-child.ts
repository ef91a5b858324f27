/**
 * An engine in external-Orion mode in a process of its own, for tests that kill it with SIGKILL:
 * `node --import tsx test/helpers/external-engine-child.ts <data-dir> <orion-url>`. It listens on
 * ephemeral loopback ports and prints one JSON line with its URLs once it has started; its log
 * (WARN and above) goes to stderr.
 */
import { defaultConfig } from '../../electron/engine/config/defaults'
import { Engine } from '../../electron/engine/engine'
import { consoleSink } from '../../electron/engine/log/logger'
import { ephemeralPorts } from './ports'

const [dataDir, cbUrl] = process.argv.slice(2)
if (!dataDir || !cbUrl) {
  process.stderr.write('usage: external-engine-child.ts <data-dir> <orion-url>\n')
  process.exit(2)
}
const config = defaultConfig(dataDir)
config.hosts = ['127.0.0.1']
config.ports = ephemeralPorts()
config.contextBroker = { mode: 'external', url: cbUrl, retryMaxMs: 200 }
config.logLevel = 'WARN'
const engine = await Engine.start(config, { logSinks: [consoleSink] })
const port = (name: string): number => engine.endpoints().find((e) => e.name === name)!.addresses[0]!.port
process.stdout.write(
  JSON.stringify({
    pid: process.pid,
    northUrl: `http://127.0.0.1:${port('IoT Agent UltraLight north API')}`,
    mqttUrl: `mqtt://127.0.0.1:${port('MQTT broker (TCP)')}`
  }) + '\n'
)
process.on('SIGTERM', () => {
  void engine.stop().finally(() => process.exit(0))
})
