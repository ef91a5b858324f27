/**
 * Headless entry point (`npm run serve`): the engine in plain Node, for a classroom server, a
 * Raspberry Pi or CI. Prints where every service listens.
 */
import { resolve } from 'node:path'
import { defaultDataDir } from './engine/config/data-dir'
import { ConfigError, loadConfig, parseCli } from './engine/config/load'
import { Engine } from './engine/engine'
import { PRODUCT_NAME, PRODUCT_VERSION } from './engine/version'

const HELP = `Usage: npm run serve -- [options]

  --data-dir <dir>        where groups, devices and entities are kept (default: ${defaultDataDir()})
  --host <address>        listen on this address (repeatable; default 127.0.0.1 and ::1)
  --ngsi-port <port>      NGSI-v2 context broker (default 1026)
  --north-port <port>     IoT Agent provisioning API (default 4042, IOTA_NORTH_PORT)
  --mqtt-port <port>      embedded MQTT broker, TCP (default 1883, IOTA_MQTT_PORT)
  --mqtt-ws-port <port>   embedded MQTT broker, WebSocket (default 9001)
  --gui-port <port>       browser GUI (default 8042)
  --mqtt-url <url>        use an external MQTT broker instead (mqtt://, mqtts://, ws://, wss://)
  --mqtt-username <name>, --mqtt-password <secret>, --mqtt-ca <file>
  --provider-url <url>    URL the context broker forwards commands to (IOTA_PROVIDER_URL)
  --log-level <level>     DEBUG, INFO, WARN, ERROR or FATAL (IOTA_LOG_LEVEL)
  -h, --help

Port 0 picks a free port. Environment variables and <data-dir>/settings.json are read too;
flags win over variables, variables over the settings file.`

async function main(): Promise<void> {
  const { values } = parseCli(process.argv.slice(2))
  if (values.help) {
    process.stdout.write(HELP + '\n')
    return
  }
  const dataDir = resolve(typeof values['data-dir'] === 'string' ? values['data-dir'] : defaultDataDir())
  const { config, warnings } = loadConfig({ dataDir, env: process.env, flags: values })
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`)
  const exposed = config.hosts.filter((h) => !['127.0.0.1', '::1', 'localhost'].includes(h))
  if (exposed.length) process.stderr.write(`warning: listening beyond this computer (${exposed.join(', ')}): anyone on the network can reach every service\n`)

  const engine = await Engine.start(config)
  const out = [`${PRODUCT_NAME} ${PRODUCT_VERSION} (serve mode)`, `Data directory             ${config.dataDir}`, ...engine.describeEndpoints(), 'Ready. Press Ctrl+C to stop.']
  process.stdout.write(out.join('\n') + '\n')

  let stopping = false
  const shutdown = (signal: string): void => {
    if (stopping) return
    stopping = true
    process.stdout.write(`${signal}: stopping, writing data to disk…\n`)
    engine.stop().then(
      () => process.exit(0),
      (err: Error) => {
        process.stderr.write(`${err.message}\n`)
        process.exit(1)
      }
    )
  }
  process.on('SIGINT', () => shutdown('SIGINT'))
  process.on('SIGTERM', () => shutdown('SIGTERM'))
}

main().catch((err: Error) => {
  process.stderr.write(err instanceof ConfigError ? `configuration error: ${err.message}\nRun with --help for the options.\n` : `cannot start: ${err.message}\n`)
  process.exit(1)
})
