/**
 * Headless entry point (`npm run serve`): the engine in plain Node, for a classroom server, a
 * Raspberry Pi or CI, with the GUI in any browser (the built renderer and its WebSocket). Prints
 * where every service listens.
 */
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { ensureRendererBuilt, rendererOutDir } from '../scripts/renderer-build'
import { networkInterfaces } from 'node:os'
import { JOIN_PARAM } from '../shared/classroom'
import { exposedHosts, isLoopbackHost } from '../shared/loopback'
import { lanDevicePorts, lanPortsText, type EndpointPorts } from '../shared/lan-ports'
import { defaultDataDir } from './engine/config/data-dir'
import { ConfigError, loadConfig, parseCli } from './engine/config/load'
import { boundHeapGrowth, holdYoungGeneration } from './engine/heap-growth'
import { EngineHost } from './engine/host'
import { parseToken } from './engine/transport/access'
import { serveGui, type GuiServer } from './engine/transport/gui-server'
import { PRODUCT_NAME, PRODUCT_VERSION } from './engine/version'
import { labelled } from './engine/endpoint-label'

const HELP = `Usage: npm run serve -- [options]

  --data-dir <dir>        where groups, devices and entities are kept (default: ${defaultDataDir()})
  --host <address>        listen on this address (repeatable; default 127.0.0.1 and ::1)
  --allowed-host <name>   also answer requests for this Host name (repeatable; ULCC_ALLOWED_HOSTS)
  --cors-origin <origin>  CORS on the NGSI port, as Orion's -corsOrigin: __ALL or one origin (ULCC_CORS_ORIGIN)
  --cors-max-age <s>      Access-Control-Max-Age of CORS preflights (default 86400, ULCC_CORS_MAX_AGE)
  --ngsi-port <port>      NGSI-v2 context broker (default 1026)
  --north-port <port>     IoT Agent provisioning API (default 4042, IOTA_NORTH_PORT)
  --json-north-port <port>  IoT Agent JSON provisioning API, its own groups and devices (default 4041,
                          ULCC_JSON_NORTH_PORT)
  --south-port <port>     IoT Agent HTTP south port: UltraLight /iot/d and JSON /iot/json (default 7896, IOTA_HTTP_PORT)
  --mqtt-port <port>      embedded MQTT broker, TCP (default 1883, IOTA_MQTT_PORT)
  --mqtt-ws-port <port>   embedded MQTT broker, WebSocket (default 9001)
  --gui-port <port>       browser GUI (default 8042, ULCC_GUI_PORT)
  --context-provider-port <port>  tutorial 4's context provider, built in (default 5000, ULCC_CONTEXT_PROVIDER_PORT)
  --devices-port <port>   the tutorials' HTTP dummy devices (dummy-device:80/dht22, /device1), built in
                          (default 3001, ULCC_DEVICES_PORT)
  --cygnus-port <port>    history: Cygnus-compatible notification sink /notify (default 5050, ULCC_CYGNUS_PORT)
  --cygnus-api-port <port>  history: Cygnus management API /v1/version (default 5080, ULCC_CYGNUS_API_PORT)
  --sth-port <port>       history: STH-Comet-compatible API /STH/v1/… (default 8666, ULCC_STH_PORT)
  --tutorial-hosts true|false  send requests to the tutorials' host names that do not resolve here
                          (orion, iot-agent, context-provider, cygnus, sth-comet, dummy-device,
                          iot-sensors) to the built-in services instead (default true, ULCC_TUTORIAL_HOSTS)
  --gui-token <hex>       fixed token for the GUI's URL, 16 to 128 hex digits (ULCC_GUI_TOKEN;
                          default: a new random one every run)
  --gui-dir <dir>         serve the GUI from this folder, as built (default: out/renderer,
                          built first when missing or older than its sources)
  --no-gui                no browser GUI
  --classroom             classroom mode: trainees join with a name at the printed trainee URL and
                          get an own tenant, API key and lessons; the trainer's page (the GUI URL)
                          gets the class grid. Add --host 0.0.0.0 (or this computer's LAN address)
                          so that other computers can reach it
  --classroom-code <code> fixed join code, 6 to 64 letters and digits (default: the saved one, else
                          a new one)
  --mqtt-url <url>        use an external MQTT broker instead (mqtt://, mqtts://, ws://, wss://)
  --mqtt-username <name>, --mqtt-password <secret>, --mqtt-ca <file>
  --mqtt-protocol-version 3.1.1|5  external broker: MQTT version of the engine's client (default 3.1.1; ULCC_MQTT_PROTOCOL_VERSION)
  --mqtt-password-file <file>  embedded broker: Mosquitto password file, mosquitto_passwd format (ULCC_MQTT_PASSWORD_FILE)
  --mqtt-acl-file <file>  embedded broker: Mosquitto ACL file, read again when it changes (ULCC_MQTT_ACL_FILE)
  --mqtt-allow-anonymous true|false  embedded broker: clients without user name (default: true on loopback only, else false)
  --mqtt-tls-port <port>  embedded broker: MQTT over TLS, mqtts (off by default; Mosquitto's usual 8883; ULCC_MQTT_TLS_PORT)
  --mqtt-wss-port <port>  embedded broker: MQTT over secure WebSocket, wss (off by default; ULCC_MQTT_WSS_PORT)
  --mqtt-cert <file>, --mqtt-key <file>  embedded broker: PEM certificate and key of the TLS listeners (ULCC_MQTT_CERT, ULCC_MQTT_KEY)
  --mqtt-tls-ca <file>    embedded broker: CA that signs client certificates (ULCC_MQTT_TLS_CA)
  --mqtt-require-certificate true|false  embedded broker: TLS clients must present a certificate from --mqtt-tls-ca (ULCC_MQTT_REQUIRE_CERTIFICATE)
  --cb-url <url>          use an external Orion instead of the embedded context broker (IOTA_CB_URL)
  --cb-token <token>      external Orion: fixed X-Auth-Token for its PEP proxy (ULCC_CB_TOKEN; Keystone/OAuth2: IOTA_AUTH_*)
  --cb-ca <file>          external Orion: CA bundle that verifies an https:// Orion (ULCC_CB_CA)
  --provider-url <url>    URL the context broker forwards commands to (IOTA_PROVIDER_URL)
  --history-retention-days <n>  history: points older than n days are dropped (1-3650, default 30; ULCC_HISTORY_RETENTION_DAYS)
  --history-max-points <n>  history: at most n points kept, the oldest go first (1000-20000000, default 1000000; ULCC_HISTORY_MAX_POINTS)
  --log-level <level>     DEBUG, INFO, WARN, ERROR or FATAL (IOTA_LOG_LEVEL)
  -h, --help

Port 0 picks a free port. Environment variables and <data-dir>/settings.json are read too;
flags win over variables, variables over the settings file.

Open the GUI line's URL in a browser: the page needs its token to reach the engine.`

/**
 * Where trainees open the GUI: each listening address, a wildcard as this computer's network
 * addresses (the ones other computers can reach), loopback last.
 */
function traineeUrls(bound: ReadonlyArray<{ host: string; port: number }>, code: string): string[] {
  const hosts: string[] = []
  for (const b of bound) {
    if (b.host === '0.0.0.0' || b.host === '::') {
      for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (!a.internal && (a.family === 'IPv4' || b.host === '::')) hosts.push(a.address)
    } else hosts.push(b.host)
  }
  // Loopback addresses all say "this computer": one `localhost` for them, after the addresses others can reach.
  const unique = [...new Set(hosts.map((h) => (isLoopbackHost(h) ? 'localhost' : h)))].sort((a, b) => Number(isLoopbackHost(a)) - Number(isLoopbackHost(b)))
  const port = bound[0]?.port ?? 0
  return (unique.length ? unique : ['localhost']).map((h) => `http://${h.includes(':') ? `[${h}]` : h}:${port}/?${JOIN_PARAM}=${code}`)
}

/**
 * The project root: the nearest folder above this file with a package.json (this file runs as
 * electron/serve.ts from the sources, as out/serve/serve.js once built by scripts/serve-build.mjs).
 */
function projectRoot(from: string): string {
  for (let dir = from; ; ) {
    if (existsSync(join(dir, 'package.json'))) return dir
    const up = resolve(dir, '..')
    if (up === dir) return resolve(from, '..')
    dir = up
  }
}
const ROOT = projectRoot(import.meta.dirname)

/** Takes out the flags only `serve` has (the GUI's); the rest are the engine's, shared with the desktop app. */
function serveFlags(argv: string[]): { guiToken?: string; guiDir?: string; classroomCode?: string; noGui: boolean; classroom: boolean; rest: string[] } {
  const rest: string[] = []
  const values: { guiToken?: string; guiDir?: string; classroomCode?: string } = {}
  let noGui = false
  let classroom = false
  const withValue = { '--gui-token': 'guiToken', '--gui-dir': 'guiDir', '--classroom-code': 'classroomCode' } as const
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined]
    if (arg === '--no-gui') noGui = true
    else if (arg === '--classroom') classroom = true
    else if (Object.hasOwn(withValue, flag)) {
      const key = withValue[flag as keyof typeof withValue]
      if (inline !== undefined) values[key] = inline
      else if (i + 1 < argv.length) values[key] = argv[++i]
      else throw new ConfigError(`option '${flag} <value>' argument missing`)
    } else rest.push(arg)
  }
  return { ...values, noGui, classroom, rest }
}

function fixedToken(flag: string | undefined, env: string | undefined): string | undefined {
  const [raw, from] = flag !== undefined ? [flag, '--gui-token'] : [env, 'ULCC_GUI_TOKEN']
  if (raw === undefined || raw === '') return undefined
  const token = parseToken(raw)
  if (!token) throw new ConfigError(`${from}: the token must be 16 to 128 hexadecimal digits (0-9, a-f)`)
  return token
}

/**
 * Listening beyond this computer: the ports a real device on the LAN needs open in the firewall,
 * from the running engine's endpoints, and where the MQTT authentication defaults are explained
 * (docs/tutorial-9.md).
 */
function lanDeviceLines(endpoints: readonly EndpointPorts[]): string[] {
  const ports = lanDevicePorts(endpoints)
  if (ports.length === 0) return []
  const lines = [labelled('Firewall (LAN devices)', `allow incoming TCP ${lanPortsText(ports)}`)]
  if (endpoints.some((e) => e.role === 'mqtt' && e.addresses.length > 0)) {
    lines.push(labelled('MQTT from the network', 'anonymous clients refused unless --mqtt-allow-anonymous true; with --mqtt-password-file devices log in (README "Security", docs/tutorial-9.md)'))
  }
  return lines
}

async function main(): Promise<void> {
  const gui = serveFlags(process.argv.slice(2))
  const { values } = parseCli(gui.rest)
  if (values.help) {
    process.stdout.write(HELP + '\n')
    return
  }
  const token = fixedToken(gui.guiToken, process.env.ULCC_GUI_TOKEN)
  if (gui.classroomCode !== undefined && !gui.classroom) throw new ConfigError('--classroom-code needs --classroom')
  const classroomCode = gui.classroomCode?.trim().toLowerCase()
  if (classroomCode !== undefined && !/^[a-z0-9]{6,64}$/.test(classroomCode)) throw new ConfigError('--classroom-code: 6 to 64 letters (a-z) and digits')
  if (gui.classroom && gui.noGui) throw new ConfigError('--classroom needs the browser GUI: drop --no-gui')
  const dataDir = resolve(typeof values['data-dir'] === 'string' ? values['data-dir'] : defaultDataDir())
  boundHeapGrowth()
  const releaseYoungGeneration = holdYoungGeneration()
  const { config, warnings } = loadConfig({ dataDir, env: process.env, flags: values })
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`)
  const exposed = exposedHosts(config.hosts)
  if (exposed.length) process.stderr.write(`warning: listening beyond this computer (${exposed.join(', ')}): anyone on the network can reach every service (the ports a LAN device needs are listed once the engine is ready)\n`)

  let guiAvailable = !gui.noGui
  const guiRoot = gui.guiDir !== undefined ? resolve(gui.guiDir) : rendererOutDir(ROOT)
  if (guiAvailable && gui.guiDir === undefined) {
    try {
      const built = await ensureRendererBuilt(ROOT, (reason) => process.stdout.write(`Building the browser GUI (${reason})…\n`))
      if (built.ms !== undefined) process.stdout.write(`Browser GUI built in ${(built.ms / 1000).toFixed(1)} s\n`)
    } catch (err) {
      // A failed build leaves the previous one in place: better an older GUI than none.
      const previous = existsSync(join(guiRoot, 'index.html'))
      guiAvailable = previous
      process.stderr.write(`warning: ${previous ? 'serving the previous build of the browser GUI' : 'no browser GUI'}: ${(err as Error).message}\n`)
    }
  }

  // The trainee URLs are known once the GUI server listens; the classroom asks for them when the trainer's page does.
  let guiServer: GuiServer | undefined
  let classroomUrls: string[] = []
  let ready = false
  const host = await EngineHost.start(
    {
      load: () => loadConfig({ dataDir, env: process.env, flags: values }),
      settings: { env: process.env, flags: values },
      engineOptions: {
        lessonsDirs: [join(ROOT, 'resources', 'lessons')],
        ...(gui.classroom ? { classroom: { ...(classroomCode ? { code: classroomCode } : {}), traineeUrls: () => classroomUrls } } : {})
      },
      onStarted: (engine, restartWarnings) => {
        if (!ready) return
        for (const w of restartWarnings) process.stderr.write(`warning: ${w}\n`)
        process.stdout.write(['Engine restarted with the saved settings.', ...engine.describeEndpoints()].join('\n') + '\n')
      }
    },
    { config, warnings }
  )
  const api = host.api
  if (guiAvailable) {
    try {
      guiServer = await serveGui({
        api,
        hosts: config.hosts,
        allowedHosts: config.allowedHosts,
        port: config.ports.gui,
        root: guiRoot,
        token,
        log: host.logger.child('gui'),
        ...(gui.classroom ? { classroom: () => host.classroom() } : {})
      })
    } catch (err) {
      await host.stop()
      throw err
    }
  }

  const gate = gui.classroom ? host.classroom() : undefined
  if (guiServer && gate) classroomUrls = traineeUrls(guiServer.bound, gate.code)
  if (gate && exposed.length === 0) process.stderr.write('warning: classroom mode listens on this computer only: add --host 0.0.0.0 (or this computer\'s LAN address) so that trainees can reach it\n')
  const out = [
    `${PRODUCT_NAME} ${PRODUCT_VERSION} (serve mode${gate ? ', classroom' : ''})`,
    labelled('Data directory', config.dataDir),
    ...host.engine.describeEndpoints(),
    ...(guiServer ? [guiServer.describe()] : []),
    ...(gate ? [labelled('Trainees join at', `${classroomUrls.join('  ')}  (join code ${gate.code}; the GUI line above is the trainer's page: keep its token to yourself)`)] : []),
    ...(exposed.length ? lanDeviceLines(host.engine.endpoints()) : []),
    'Ready. Press Ctrl+C to stop.'
  ]
  process.stdout.write(out.join('\n') + '\n')
  ready = true
  releaseYoungGeneration()

  let stopping = false
  const shutdown = (signal: string): void => {
    if (stopping) return
    stopping = true
    process.stdout.write(`${signal}: stopping, writing data to disk…\n`)
    const stop = async (): Promise<void> => {
      // The pages first (they are told the server is going away), then the engine.
      await guiServer?.close()
      await host.stop()
    }
    stop().then(
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
