import { mkdirSync } from 'node:fs'
import type { EndpointRole, ServiceEndpoint } from '../../shared/contract'
import { isLoopbackHost } from '../../shared/loopback'
import type { CommandCenter } from './agent/commands'
import type { DeviceResolver } from './agent/device-resolver'
import type { Provisioning } from './agent/provisioning'
import type { Southbound } from './agent/southbound'
import type { MqttBroker } from './broker/types'
import { composeEngine, type Composition, type ContextSide, type EngineParts } from './compose'
import type { AgentParts } from './compose-agent'
import type { HistorySide } from './compose-history'
import type { TutorialRouting } from './compose-tutorial'
import type { SettingsStore } from './config/settings-store'
import type { EngineConfig } from './config/types'
import type { EmbeddedContextBroker } from './context/embedded/broker'
import type { ExternalContextClient } from './context/external/external-client'
import type { OrionClient } from './context/external/orion-client'
import type { ContextBrokerClient } from './context/types'
import type { Inspector } from './inspector/inspector'
import type { Classroom, ClassroomOptions } from './classroom/classroom'
import type { LessonsRuntime } from './lessons/runtime'
import { consoleSink, Logger, type LogSink } from './log/logger'
import { formatHostPort } from './net/listen'
import type { HttpService } from './north/http-service'
import type { Registry } from './registry/registry'
import type { Simulator } from './simulator/simulator'
import type { Tracer } from './trace/tracer'
import type { HttpDevices } from './tutorial-services/http-devices'
import { labelled } from './endpoint-label'

export interface EngineOptions {
  /** Where log entries go besides the in-memory ring (default: stderr). */
  logSinks?: LogSink[]
  /**
   * A logger that outlives this engine (EngineHost: the log and its ring survive restarts); its
   * level is set to the configuration's. `logSinks` is then not used.
   */
  logger?: Logger
  /** Folders of lesson files (`resources/lessons`, docs/lessons.md); none: no lessons. */
  lessonsDirs?: readonly string[]
  /** Classroom mode (`serve --classroom`, docs/classroom.md). */
  classroom?: ClassroomOptions
}

/** The endpoint name of an external Orion (the embedded NGSI-v2 API is then not served). */
const EXTERNAL_CB = 'NGSI-v2 context broker (external)'

/** How long the start waits for an external Orion's first answer before going on without it. */
const ORION_PROBE_MS = 2000

/** The embedded broker's endpoints, by listener protocol. */
const MQTT_ENDPOINTS = {
  mqtt: { role: 'mqtt', name: 'MQTT broker (TCP)' },
  ws: { role: 'mqtt-ws', name: 'MQTT broker (WebSocket)' },
  mqtts: { role: 'mqtts', name: 'MQTT broker (TLS)' },
  wss: { role: 'mqtt-wss', name: 'MQTT broker (secure WebSocket)' }
} as const

/**
 * The whole FIWARE stack of the seed tutorial in one process: MQTT broker (embedded or external),
 * UltraLight 2.0 agent with its registry and north API, and the NGSI-v2 context broker — embedded
 * and served on its port, or an external Orion the agent talks to as iotagent-ul does (`context`
 * says which). Runs in plain Node (serve mode, tests, bench) and inside Electron's main process
 * alike. The components are built by the composition root (compose.ts); the engine runs them and
 * stops them. The API areas (api/*.ts) are given the components they use, not the engine.
 */
export class Engine implements EngineParts {
  readonly startedAt = Date.now()
  private stopping: Promise<void> | null = null
  private resyncing: Promise<void> | null = null
  private resyncAgain = false
  private offReachability: () => void = () => {}

  readonly config: EngineConfig
  readonly settings: SettingsStore
  readonly logger: Logger
  readonly registry: Registry
  /** The context broker: embedded, or an external Orion. */
  readonly context: ContextSide
  readonly broker: MqttBroker
  readonly provisioning: Provisioning
  readonly resolver: DeviceResolver
  readonly commands: CommandCenter
  readonly southbound: Southbound
  /** The IoT Agent JSON beside the UltraLight one (compose-agent.ts). */
  readonly jsonAgent: AgentParts
  readonly inspector: Inspector
  readonly simulator: Simulator
  readonly tracer: Tracer
  readonly lessons: LessonsRuntime
  /** The trainees of classroom mode; none otherwise. */
  readonly classroom: Classroom | undefined
  /** The tutorials' host names routed to the built-in services (compose-tutorial.ts). */
  readonly tutorial: TutorialRouting

  private constructor(private readonly composition: Composition) {
    const p = composition.parts
    this.config = p.config
    this.settings = p.settings
    this.logger = p.logger
    this.registry = p.registry
    this.context = p.context
    this.broker = p.broker
    this.provisioning = p.provisioning
    this.resolver = p.resolver
    this.commands = p.commands
    this.southbound = p.southbound
    this.jsonAgent = p.jsonAgent
    this.inspector = p.inspector
    this.simulator = p.simulator
    this.tracer = p.tracer
    this.lessons = p.lessons
    this.classroom = p.classroom
    this.tutorial = p.tutorial
  }

  // Views of `context` for tests and tools; the engine's own code asks `context.mode`.

  /** The embedded NGSI-v2 broker; undefined when the context broker is an external Orion. */
  get contextBroker(): EmbeddedContextBroker | undefined {
    return this.context.mode === 'embedded' ? this.context.broker : undefined
  }

  /** The HTTP client of the external Orion (entity reads and commands for the GUI); undefined in embedded mode. */
  get orion(): OrionClient | undefined {
    return this.context.mode === 'external' ? this.context.orion : undefined
  }

  /** The agent's client of the context broker, embedded or external. */
  get contextClient(): ContextBrokerClient {
    return this.context.client
  }

  /** The built-in history: Cygnus's sink, STH-Comet's API and their store (compose-history.ts). */
  get history(): HistorySide {
    return this.composition.history
  }

  /** The tutorials' HTTP dummy devices built in (tutorial-services/http-devices.ts); undefined when their port was taken. */
  get httpDevices(): HttpDevices | undefined {
    return this.composition.tutorial.devices?.state
  }

  /** The URL the context broker forwards commands to (IOTA_PROVIDER_URL, else this engine's north API). */
  get providerUrl(): string {
    return this.composition.providerUrl()
  }

  /**
   * Composes and starts an engine. A start that fails at any step closes what it had opened
   * (in the reverse order) before the error is thrown: nothing stays listening or open.
   */
  static async start(config: EngineConfig, opts: EngineOptions = {}): Promise<Engine> {
    mkdirSync(config.dataDir, { recursive: true })
    const logger = opts.logger ?? new Logger(config.logLevel, config.limits.logEntries, opts.logSinks ?? [consoleSink])
    logger.level = config.logLevel
    const engine = new Engine(await composeEngine(config, logger, { lessonsDirs: opts.lessonsDirs ?? [], ...(opts.classroom ? { classroom: opts.classroom } : {}) }))
    try {
      if (engine.context.mode === 'external') await engine.startExternal(engine.context.client)
      else await engine.resyncAgents()
    } catch (err) {
      await engine.stop().catch(() => undefined)
      throw err
    }
    logger.write('INFO', 'engine', 'STARTED', `engine started, data in ${config.dataDir}`)
    return engine
  }

  /**
   * External Orion: says where commands come from, then makes the registrations point at this
   * agent. If Orion does not answer at once the engine starts anyway (measures wait in the queue)
   * and the registrations are made again each time Orion comes back after an outage.
   */
  private async startExternal(client: ExternalContextClient): Promise<void> {
    const provider = this.providerUrl
    this.logger.write('INFO', 'engine', 'CB-EXTERNAL', `context broker: external Orion at ${client.url} (the embedded NGSI-v2 API is not served); Orion forwards commands to ${provider}`)
    if (isLoopbackHost(new URL(provider).hostname) && !isLoopbackHost(new URL(client.url).hostname)) {
      this.logger.write('WARN', 'engine', 'CB-PROVIDER-URL', `Orion at ${client.url} is given the provider URL ${provider}, a loopback address it cannot reach from another machine: set IOTA_PROVIDER_URL (--provider-url) and listen on that address (--host)`)
    }
    this.offReachability = client.onReachability((up) => {
      if (up) void this.resync()
    })
    let version: string | undefined
    try {
      version = (await client.orion.version(ORION_PROBE_MS)).orion?.version ?? 'unknown version'
    } catch (err) {
      this.logger.write('WARN', 'engine', 'CB-EXTERNAL', `Orion at ${client.url} does not answer yet (${(err as Error).message}); measures are queued on disk until it does`)
    }
    if (version) {
      this.logger.write('INFO', 'engine', 'CB-EXTERNAL', `Orion at ${client.url} answers (version ${version})`)
      await this.resync()
    } else void this.resync()
  }

  /** Re-runs the registration resync; calls during a run make it run once more afterwards. */
  private resync(): Promise<void> {
    if (this.resyncing) {
      this.resyncAgain = true
      return this.resyncing
    }
    this.resyncing = (async () => {
      do {
        this.resyncAgain = false
        await this.resyncAgents()
      } while (this.resyncAgain && !this.stopping)
    })().finally(() => {
      this.resyncing = null
    })
    // A stop waits for it once the context broker's client is closed (see compose-context.ts).
    this.composition.teardown.track(this.resyncing)
    return this.resyncing
  }

  /** Both agents' registrations of their devices' commands, made again at the context broker. */
  private async resyncAgents(): Promise<void> {
    await this.provisioning.resyncRegistrations()
    await this.jsonAgent.provisioning.resyncRegistrations()
  }

  /** Where every service listens, for the console, the README's promise and the GUI. */
  endpoints(): ServiceEndpoint[] {
    const http = (role: EndpointRole, name: string, svc: HttpService | undefined): ServiceEndpoint => {
      const addresses = svc?.bound ?? []
      return { role, name, protocol: 'http', addresses, urls: addresses.length ? [`http://localhost:${addresses[0]!.port}`] : [] }
    }
    const out = [
      http('iota-north', 'IoT Agent UltraLight north API', this.composition.north),
      http('iota-json-north', 'IoT Agent JSON north API', this.composition.jsonNorth),
      http('iota-south', 'IoT Agent HTTP south port', this.composition.south)
    ]
    if (this.context.mode === 'external') out.push({ role: 'ngsi-external', name: EXTERNAL_CB, protocol: 'http', addresses: [], urls: [this.context.url] })
    else out.push(http('ngsi', 'NGSI-v2 context broker', this.composition.ngsi))
    out.push(http('context-provider', 'Context provider', this.composition.tutorial.contextProvider))
    out.push(http('http-devices', 'HTTP devices', this.composition.tutorial.devices?.service))
    out.push(http('cygnus', 'Cygnus notifications', this.composition.history.cygnus))
    out.push(http('cygnus-api', 'Cygnus management API', this.composition.history.cygnusApi))
    out.push(http('sth', 'STH-Comet API', this.composition.history.sth))
    const st = this.broker.status()
    if (st.kind === 'embedded') {
      for (const protocol of ['mqtt', 'ws', 'mqtts', 'wss'] as const) {
        const addresses = st.listeners.filter((l) => l.protocol === protocol).map((l) => ({ host: l.host, port: l.port }))
        // The TLS listeners are listed only when they are on (--mqtt-tls-port, --mqtt-wss-port).
        if (addresses.length === 0 && (protocol === 'mqtts' || protocol === 'wss')) continue
        out.push({
          role: MQTT_ENDPOINTS[protocol].role,
          name: MQTT_ENDPOINTS[protocol].name,
          protocol,
          addresses,
          urls: addresses.length ? [`${protocol}://localhost:${addresses[0]!.port}`] : []
        })
      }
    } else {
      out.push({ role: 'mqtt-external', name: 'MQTT broker (external)', protocol: 'mqtt', addresses: [], urls: st.url ? [st.url] : [] })
    }
    return out
  }

  /** One line per service, as `serve` prints them. */
  describeEndpoints(): string[] {
    return this.endpoints().map((e) => {
      const where = e.addresses.map((a) => formatHostPort(a.host, a.port)).join(', ')
      const note = e.name === EXTERNAL_CB ? `  (not served here; Orion forwards commands to ${this.providerUrl})` : ''
      return labelled(e.name, `${e.urls.join(' ')}${where ? `  (listening on ${where})` : ''}${note}`)
    })
  }

  /** Stops accepting traffic, then writes everything pending to disk. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= this.doStop()
    return this.stopping
  }

  private async doStop(): Promise<void> {
    this.offReachability()
    // Traffic first (simulated devices, MQTT, HTTP), then the agent, the context broker and the
    // registry: the reverse of the order in which compose.ts opened them.
    const errors = await this.composition.teardown.close()
    this.logger.write('INFO', 'engine', 'STOPPED', 'engine stopped')
    if (errors.length) throw new AggregateError(errors, `engine stopped with ${errors.length} error(s): ${errors.map((e) => e.message).join('; ')}`)
  }
}
