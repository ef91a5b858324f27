import { mkdirSync } from 'node:fs'
import type { FastifyInstance } from 'fastify'
import type { ServiceEndpoint } from '../../shared/contract'
import { CommandCenter } from './agent/commands'
import { DeviceResolver } from './agent/device-resolver'
import { Provisioning } from './agent/provisioning'
import { Southbound } from './agent/southbound'
import { createBroker } from './broker'
import type { MqttBroker } from './broker/types'
import type { EngineConfig } from './config/types'
import { EmbeddedContextBroker } from './context/embedded/broker'
import { EmbeddedContextClient } from './context/embedded-client'
import { ExternalContextClient } from './context/external/external-client'
import type { OrionClient } from './context/external/orion-client'
import type { ContextBrokerClient } from './context/types'
import { Inspector } from './inspector/inspector'
import { consoleSink, Logger, type LogSink } from './log/logger'
import { formatHostPort } from './net/listen'
import { serveHttp, type HttpService } from './north/http-service'
import { createNorthApp } from './north/iota/app'
import { createNgsiApp } from './north/ngsi/app'
import { Registry } from './registry/registry'
import { Simulator } from './simulator/simulator'

export interface EngineOptions {
  /** Where log entries go besides the in-memory ring (default: stderr). */
  logSinks?: LogSink[]
  /**
   * A logger that outlives this engine (EngineHost: the log and its ring survive restarts); its
   * level is set to the configuration's. `logSinks` is then not used.
   */
  logger?: Logger
}

/** The endpoint name of an external Orion (the embedded NGSI-v2 API is then not served). */
const EXTERNAL_CB = 'NGSI-v2 context broker (external)'

/** How long the start waits for an external Orion's first answer before going on without it. */
const ORION_PROBE_MS = 2000

const LOOPBACK = /^(localhost|127\.[\d.]+|\[::1\]|::1)$/i

/** The host to put in a URL for a listening address (wildcards become loopback). */
function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1'
  if (host === '::') return '[::1]'
  return host.includes(':') ? `[${host}]` : host
}

/**
 * The whole FIWARE stack of the seed tutorial in one process: MQTT broker (embedded or external),
 * UltraLight 2.0 agent with its registry and north API, and the NGSI-v2 context broker — embedded
 * and served on its port, or an external Orion the agent talks to as iotagent-ul does (then
 * `contextBroker` is undefined and `orion` is the HTTP client of that Orion). Runs in plain Node
 * (serve mode, tests, bench) and inside Electron's main process alike.
 */
export class Engine {
  readonly startedAt = Date.now()
  private services: HttpService[] = []
  private northService: HttpService | undefined
  private ngsiService: HttpService | undefined
  private stopping: Promise<void> | null = null
  private northPort = 0
  private resyncing: Promise<void> | null = null
  private resyncAgain = false
  private offReachability: () => void = () => {}

  private constructor(
    readonly config: EngineConfig,
    readonly logger: Logger,
    readonly registry: Registry,
    /** The embedded NGSI-v2 broker; undefined when the context broker is an external Orion. */
    readonly contextBroker: EmbeddedContextBroker | undefined,
    /** The HTTP client of the external Orion (entity reads and commands for the GUI); undefined in embedded mode. */
    readonly orion: OrionClient | undefined,
    readonly contextClient: ContextBrokerClient,
    readonly broker: MqttBroker,
    readonly provisioning: Provisioning,
    readonly resolver: DeviceResolver,
    readonly commands: CommandCenter,
    readonly southbound: Southbound,
    readonly inspector: Inspector,
    readonly simulator: Simulator
  ) {}

  /** The URL the context broker forwards commands to (IOTA_PROVIDER_URL, else this engine's north API). */
  get providerUrl(): string {
    return this.config.iota.providerUrl ?? `http://${urlHost(this.config.hosts[0]!)}:${this.northPort}`
  }

  static async start(config: EngineConfig, opts: EngineOptions = {}): Promise<Engine> {
    mkdirSync(config.dataDir, { recursive: true })
    const logger = opts.logger ?? new Logger(config.logLevel, config.limits.logEntries, opts.logSinks ?? [consoleSink])
    logger.level = config.logLevel
    const registry = await Registry.open({ dataDir: config.dataDir, compactionIntervalMs: config.persistence.compactionIntervalMs }, logger)
    let contextBroker: EmbeddedContextBroker | undefined
    let external: ExternalContextClient | undefined
    const cb = config.contextBroker
    if (cb.mode === 'external') {
      external = await ExternalContextClient.open({
        url: cb.url,
        dataDir: config.dataDir,
        logger,
        flushIntervalMs: config.persistence.flushIntervalMs,
        commitDelayMs: config.persistence.commitDelayMs,
        queueMaxUpdates: cb.queueMaxUpdates,
        queueMaxBytes: cb.queueMaxBytes,
        timeoutMs: cb.timeoutMs,
        retryMaxMs: cb.retryMaxMs
      })
    } else {
      contextBroker = await EmbeddedContextBroker.open({ dataDir: config.dataDir, persistence: config.persistence, logger })
    }
    const contextClient: ContextBrokerClient = external ?? new EmbeddedContextClient(contextBroker!)
    const broker = createBroker(config, logger)
    let engine: Engine | undefined
    const provisioning = new Provisioning({
      registry,
      contextBroker: contextClient,
      iota: config.iota,
      providerUrl: () => engine!.providerUrl,
      logger
    })
    const resolver = new DeviceResolver(registry, provisioning, config.iota)
    const agentLog = logger.child('agent')
    const commands = new CommandCenter({
      resolver,
      broker,
      context: contextClient,
      publish: config.mqttPublish,
      timeoutMs: () => config.iota.commandTimeoutMs,
      logger: agentLog
    })
    const southbound = new Southbound({ resolver, context: contextClient, commands, broker, publish: config.mqttPublish, logger: agentLog })
    const inspector = new Inspector(config.limits)
    broker.setIngress((msg, done) => {
      const outcome = southbound.handle(msg, done)
      inspector.record(msg, outcome)
    })
    const simulator = new Simulator(broker, logger.child('simulator'))
    engine = new Engine(config, logger, registry, contextBroker, external?.orion, contextClient, broker, provisioning, resolver, commands, southbound, inspector, simulator)
    try {
      await engine.listen()
      if (external) await engine.startExternal(external)
      else await provisioning.resyncRegistrations()
    } catch (err) {
      await engine.stop()
      throw err
    }
    logger.write('INFO', 'engine', 'STARTED', `engine started, data in ${config.dataDir}`)
    return engine
  }

  private async listen(): Promise<void> {
    const { hosts, ports } = this.config
    const north = createNorthApp({
      provisioning: this.provisioning,
      registry: this.registry,
      provider: this.commands,
      logger: this.logger,
      northPort: () => this.northPort,
      bodyLimit: this.config.iota.bodyLimit
    })
    this.northService = await this.serve(north, ports.north, 'IoT Agent north API')
    this.northPort = this.northService.bound[0]!.port
    // With an external Orion, that Orion is the context broker: no second one on the NGSI port.
    if (this.contextBroker) this.ngsiService = await this.serve(createNgsiApp({ broker: this.contextBroker, logger: this.logger }), ports.ngsi, 'NGSI-v2 context broker')
    await this.broker.start()
  }

  /**
   * External Orion: says where commands come from, then makes the registrations point at this
   * agent. If Orion does not answer at once the engine starts anyway (measures wait in the queue)
   * and the registrations are made again each time Orion comes back after an outage.
   */
  private async startExternal(client: ExternalContextClient): Promise<void> {
    const provider = this.providerUrl
    this.logger.write('INFO', 'engine', 'CB-EXTERNAL', `context broker: external Orion at ${client.url} (the embedded NGSI-v2 API is not served); Orion forwards commands to ${provider}`)
    if (LOOPBACK.test(new URL(provider).hostname) && !LOOPBACK.test(new URL(client.url).hostname)) {
      this.logger.write('WARN', 'engine', 'CB-PROVIDER-URL', `Orion at ${client.url} is given the provider URL ${provider}, a loopback address it cannot reach from another machine: set IOTA_PROVIDER_URL (--provider-url) and listen on that address (--host)`)
    }
    this.offReachability = client.onReachability((up) => {
      if (up) void this.resync()
    })
    let version: string | undefined
    try {
      version = (await this.orion!.version(ORION_PROBE_MS)).orion?.version ?? 'unknown version'
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
        await this.provisioning.resyncRegistrations()
      } while (this.resyncAgain && !this.stopping)
    })().finally(() => {
      this.resyncing = null
    })
    return this.resyncing
  }

  private async serve(app: FastifyInstance, port: number, what: string): Promise<HttpService> {
    const svc = await serveHttp(app, this.config.hosts, port, what)
    this.services.push(svc)
    for (const s of svc.skipped) this.logger.write('WARN', 'engine', 'LISTEN_SKIPPED', `${what}: address ${s.host} not available here (${s.reason})`)
    return svc
  }

  /** Where every service listens, for the console, the README's promise and the GUI. */
  endpoints(): ServiceEndpoint[] {
    const http = (name: string, svc: HttpService | undefined): ServiceEndpoint => {
      const addresses = svc?.bound ?? []
      return { name, protocol: 'http', addresses, urls: addresses.length ? [`http://localhost:${addresses[0]!.port}`] : [] }
    }
    const out = [http('IoT Agent north API', this.northService)]
    const cb = this.config.contextBroker
    if (cb.mode === 'external') out.push({ name: EXTERNAL_CB, protocol: 'http', addresses: [], urls: [cb.url] })
    else out.push(http('NGSI-v2 context broker', this.ngsiService))
    const st = this.broker.status()
    if (st.kind === 'embedded') {
      for (const protocol of ['mqtt', 'ws'] as const) {
        const addresses = st.listeners.filter((l) => l.protocol === protocol).map((l) => ({ host: l.host, port: l.port }))
        out.push({
          name: protocol === 'mqtt' ? 'MQTT broker (TCP)' : 'MQTT broker (WebSocket)',
          protocol,
          addresses,
          urls: addresses.length ? [`${protocol}://localhost:${addresses[0]!.port}`] : []
        })
      }
    } else {
      out.push({ name: 'MQTT broker (external)', protocol: 'mqtt', addresses: [], urls: st.url ? [st.url] : [] })
    }
    return out
  }

  /** One line per service, as `serve` prints them. */
  describeEndpoints(): string[] {
    return this.endpoints().map((e) => {
      const where = e.addresses.map((a) => formatHostPort(a.host, a.port)).join(', ')
      const note = e.name === EXTERNAL_CB ? `  (not served here; Orion forwards commands to ${this.providerUrl})` : ''
      return `${e.name.padEnd(26)} ${e.urls.join(' ')}${where ? `  (listening on ${where})` : ''}${note}`
    })
  }

  /** Stops accepting traffic, then writes everything pending to disk. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= this.doStop()
    return this.stopping
  }

  private async doStop(): Promise<void> {
    const errors: unknown[] = []
    const attempt = async (f: () => unknown): Promise<void> => {
      try {
        await f()
      } catch (err) {
        errors.push(err)
      }
    }
    this.offReachability()
    await attempt(() => this.simulator.stopAll())
    await attempt(() => this.broker.stop())
    await Promise.all(this.services.map((s) => attempt(() => s.close())))
    this.commands.close()
    this.inspector.close()
    this.resolver.close()
    await attempt(() => this.provisioning.settle())
    await attempt(() => this.contextClient.close())
    // A resync still running ends quickly once the client is closed (its requests are aborted).
    await attempt(() => this.resyncing)
    await attempt(() => this.contextBroker?.close())
    await attempt(() => this.registry.close())
    this.logger.write('INFO', 'engine', 'STOPPED', 'engine stopped')
    if (errors.length) throw new AggregateError(errors, `engine stopped with ${errors.length} error(s): ${errors.map((e) => (e as Error).message).join('; ')}`)
  }
}
