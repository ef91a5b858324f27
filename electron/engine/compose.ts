import type { FastifyInstance } from 'fastify'
import { join } from 'node:path'
import { jsonProtocol, ulProtocol } from './agent-protocol'
import type { CommandCenter } from './agent/commands'
import type { DeviceResolver } from './agent/device-resolver'
import { agentIngress } from './agent/mqtt-dispatch'
import type { Provisioning } from './agent/provisioning'
import type { Southbound } from './agent/southbound'
import { createBroker } from './broker'
import type { MqttBroker } from './broker/types'
import { jsonAgentIota, openAgent, type AgentEnv, type AgentParts } from './compose-agent'
import { openContextSide, type ContextSide } from './compose-context'
import { openHistory, type HistorySide } from './compose-history'
import { Teardown } from './compose-teardown'
import { serveTutorialServices, tutorialRouting, type TutorialRouting, type TutorialServices } from './compose-tutorial'
import { applyLiveSettings } from './config/live-settings'
import { SettingsStore } from './config/settings-store'
import type { EngineConfig } from './config/types'
import { Inspector } from './inspector/inspector'
import { Classroom, type ClassroomOptions } from './classroom/classroom'
import { loadLessons } from './lessons/catalog'
import { LessonsRuntime } from './lessons/runtime'
import { tenantContext } from './lessons/tenant-context'
import type { Logger } from './log/logger'
import { createHostGuard } from './net/host-guard'
import { serveHttp, type HttpHostCheck, type HttpService } from './north/http-service'
import { FIWARE_AGENT_VERSION, FIWARE_JSON_AGENT_VERSION } from './north/iota/admin-routes'
import { createNgsiApp } from './north/ngsi/app'
import { RequestObservers } from './north/request-observer'
import { Registry } from './registry/registry'
import { Simulator } from './simulator/simulator'
import { createSouthApp } from './south-http/south-app'
import { jsonHttpBinding } from './south-http/json-http-binding'
import { UL_HTTP_PATH, ulHttpBinding } from './south-http/ul-http-binding'
import { Tracer } from './trace/tracer'
import { agentDeviceLookup, joinLookups } from './tutorial-services/http-device-lookup'

export type { ContextSide } from './compose-context'
export { Teardown } from './compose-teardown'

/** The components of one engine, built by `composeEngine` in this order. */
export interface EngineParts {
  readonly config: EngineConfig
  /** The settings store: the only way the configuration changes while the engine runs. */
  readonly settings: SettingsStore
  readonly logger: Logger
  readonly registry: Registry
  /** The context broker, embedded or an external Orion. */
  readonly context: ContextSide
  readonly broker: MqttBroker
  readonly provisioning: Provisioning
  readonly resolver: DeviceResolver
  readonly commands: CommandCenter
  readonly southbound: Southbound
  /** The IoT Agent JSON: its own registry, provisioning, commands and north API (compose-agent.ts). */
  readonly jsonAgent: AgentParts
  readonly inspector: Inspector
  readonly simulator: Simulator
  /** Hops of each measure and command, recorded while someone watches. */
  readonly tracer: Tracer
  /** The guided lessons and their progress, checked against this engine (docs/lessons.md). */
  readonly lessons: LessonsRuntime
  /** The trainees of classroom mode; none otherwise. */
  readonly classroom: Classroom | undefined
  /** The tutorials' host names routed to the built-in services (compose-tutorial.ts): `tutorial.hosts.route(url)`. */
  readonly tutorial: TutorialRouting
}

/** What the engine is given besides its configuration. */
export interface ComposeOptions {
  /** Folders of lesson files (`resources/lessons`); none: the engine has no lessons. */
  lessonsDirs?: readonly string[]
  /** Classroom mode (`serve --classroom`, docs/classroom.md): trainees with own tenants and lessons. */
  classroom?: ClassroomOptions
}

/** The engine as composed and listening. */
export interface Composition {
  readonly parts: EngineParts
  /** Closes everything composed, in the reverse order. */
  readonly teardown: Teardown
  readonly north: HttpService
  /** The IoT Agent JSON's north API (`ports.jsonNorth`, FIWARE's 4041). */
  readonly jsonNorth: HttpService
  /** The embedded broker's NGSI-v2 API; none with an external Orion. */
  readonly ngsi: HttpService | undefined
  /** The built-in history: Cygnus's sink and management API, STH-Comet's API, their store. */
  readonly history: HistorySide
  /** The agents' HTTP south port (UltraLight `/iot/d`, JSON `/iot/json`). */
  readonly south: HttpService
  /** The tutorials' services built in (tutorial 4's context provider). */
  readonly tutorial: TutorialServices
  /** The URL the context broker forwards commands to (IOTA_PROVIDER_URL, else the north API). */
  providerUrl(): string
}

/**
 * The composition root: opens the registry, the context broker (embedded or external), builds
 * the MQTT broker and the agent around them, serves the HTTP APIs and starts the MQTT broker.
 * Every component that holds files, sockets or timers is put in the teardown as soon as it is
 * open; when a step fails, what was opened before it is closed in the reverse order and the
 * error is thrown.
 */
export async function composeEngine(config: EngineConfig, logger: Logger, options: ComposeOptions = {}): Promise<Composition> {
  const teardown = new Teardown()
  try {
    return await compose(config, logger, teardown, options)
  } catch (err) {
    const errors = await teardown.close()
    for (const e of errors) logger.write('WARN', 'engine', 'START_CLEANUP', `closing after the failed start: ${e.message}`)
    throw err
  }
}

async function compose(config: EngineConfig, logger: Logger, teardown: Teardown, options: ComposeOptions): Promise<Composition> {
  const registry = await Registry.open({ dataDir: config.dataDir, compactionIntervalMs: config.persistence.compactionIntervalMs }, logger)
  teardown.defer('registry', () => registry.close())

  const tracer = new Tracer()
  teardown.defer('tracer', () => tracer.close())
  const tutorial = tutorialRouting(config)
  const context = await openContextSide(config, logger, teardown, tracer, tutorial.hosts)

  const broker = await createBroker(config, logger)
  const agentEnv: AgentEnv = {
    config,
    logger,
    teardown,
    context,
    broker,
    tracer,
    // HTTP push commands to a tutorial host name (`dummy-device:80`) go to the built-in service when it does not resolve.
    rewriteUrl: async (url) => {
      const r = await tutorial.hosts.route(url)
      return r.routed ? { url: new URL(r.url), via: r.routed.via } : { url }
    }
  }
  // Two agents share the engine (compose-agent.ts): UltraLight, and JSON with its own registry and north port.
  const ul = await openAgent({ protocol: ulProtocol, registry, iota: config.iota, logSource: 'agent', northName: 'IoT Agent UltraLight north API', agentVersion: FIWARE_AGENT_VERSION }, agentEnv)
  const jsonAgent = await openAgent(
    { protocol: jsonProtocol, registry: join(config.dataDir, 'iota-json'), iota: jsonAgentIota(config.iota), logSource: 'agent-json', northName: 'IoT Agent JSON north API', agentVersion: FIWARE_JSON_AGENT_VERSION },
    agentEnv
  )
  const { provisioning, resolver, commands, southbound } = ul
  const settings = new SettingsStore(config)
  const deviceCache = { invalidate: (): void => (ul.resolver.invalidate(), jsonAgent.resolver.invalidate()) }
  teardown.defer('live settings', applyLiveSettings(settings, { logger, deviceCache }))
  const inspector = new Inspector(config.limits)
  teardown.defer('inspector', () => inspector.close())
  // The north and NGSI apps report answered requests here while a started lesson watches them.
  const requests = new RequestObservers()
  const catalog = options.lessonsDirs?.length ? await loadLessons(options.lessonsDirs) : { lessons: [], errors: [] }
  const lessonDeps = { dataDir: config.dataDir, dirs: [], catalog, registry, context: tenantContext(context), commands, jsonAgent: { registry: jsonAgent.registry, commands: jsonAgent.commands }, requests, logger: logger.child('lessons') }
  const lessons = await LessonsRuntime.open(lessonDeps)
  teardown.defer('lessons', () => lessons.close())
  const classroom = options.classroom ? await Classroom.open({ ...lessonDeps, logger: logger.child('classroom') }, options.classroom) : undefined
  if (classroom) teardown.defer('classroom', () => classroom.close())
  const ingress = agentIngress(ul.dispatch, jsonAgent.dispatch)
  broker.setIngress((msg, done) => {
    const outcome = ingress(msg, done)
    inspector.record(msg, outcome)
    lessons.observeMessage(outcome, msg.topic)
    classroom?.observeMessage(outcome, msg.topic)
  })
  const simulator = new Simulator(broker, logger.child('simulator'))
  const parts: EngineParts = { config, settings, logger, registry, context, broker, provisioning, resolver, commands, southbound, jsonAgent, inspector, simulator, tracer, lessons, classroom, tutorial }

  // One Host allowlist for both HTTP APIs (DNS rebinding, net/host-guard.ts); each refuses in its own error format.
  // The host of a configured provider URL is the name a context broker forwards commands to: allowed too.
  const providerHost = config.iota.providerUrl ? new URL(config.iota.providerUrl).hostname : undefined
  const hostGuard = createHostGuard({ hosts: config.hosts, allowedHosts: [...config.allowedHosts, ...(providerHost ? [providerHost] : [])], log: logger.child('http') })
  const notAllowed = (host: string): string => `Host not allowed: ${host.replace(/[<>"'=;()]/g, '')}. Use localhost, a listening address or a name given with --allowed-host`
  const northCheck: HttpHostCheck = { guard: hostGuard, refusal: (host) => ({ status: 400, body: { name: 'BAD_REQUEST', message: notAllowed(host) } }) }
  const ngsiCheck: HttpHostCheck = { guard: hostGuard, refusal: (host) => ({ status: 400, body: { error: 'BadRequest', description: notAllowed(host) } }) }
  const serve = async (app: FastifyInstance, port: number, what: string, hostCheck: HttpHostCheck): Promise<HttpService> => {
    const svc = await serveHttp(app, config.hosts, port, what, hostCheck)
    teardown.defer(what, () => svc.close())
    for (const s of svc.skipped) logger.write('WARN', 'engine', 'LISTEN_SKIPPED', `${what}: address ${s.host} not available here (${s.reason})`)
    return svc
  }
  const north = await ul.serveNorth({ settings, requests, port: config.ports.north, hostCheck: northCheck, serve })
  tutorial.bound.set('north', north.bound)
  const jsonNorth = await jsonAgent.serveNorth({ settings, requests, port: config.ports.jsonNorth, hostCheck: northCheck, serve })
  tutorial.bound.set('jsonNorth', jsonNorth.bound)
  // With an external Orion, that Orion is the context broker: no second one on the NGSI port.
  const ngsi = context.mode === 'embedded' ? await serve(createNgsiApp({ broker: context.broker, logger, tracer, requests, cors: config.cors }), config.ports.ngsi, 'NGSI-v2 context broker', ngsiCheck) : undefined
  if (ngsi) tutorial.bound.set('ngsi', ngsi.bound)
  // The agents' HTTP south port: each agent adds its binding (docs/compatibility/iot-agent-ul.md §3.7).
  const ulHttp = ulHttpBinding({
    ingest: southbound.ingest,
    commands,
    context: context.client,
    tracer,
    defaultResource: config.iota.defaultResource,
    observe: (outcome, where) => {
      lessons.observeMessage(outcome, where)
      classroom?.observeMessage(outcome, where)
    }
  })
  const jsonHttp = jsonHttpBinding({
    ingest: jsonAgent.southbound.ingest,
    commands: jsonAgent.commands,
    context: context.client,
    tracer,
    defaultResource: jsonAgent.iota.defaultResource,
    configuration: jsonAgent.southbound,
    rewriteUrl: agentEnv.rewriteUrl,
    observe: (outcome, where) => {
      lessons.observeMessage(outcome, where)
      classroom?.observeMessage(outcome, where)
    }
  })
  const south = await serve(createSouthApp([ulHttp, jsonHttp], { bodyLimit: config.iota.bodyLimit }), config.ports.south, 'IoT Agent HTTP south port', northCheck)
  tutorial.bound.set('south', south.bound)
  // The built-in HTTP devices find the provisioned devices behind a path in each agent's registry (tutorial-services/http-device-lookup.ts).
  const ulDevices = agentDeviceLookup(registry, { protocol: 'ul', measurePath: () => config.iota.defaultResource || UL_HTTP_PATH, defaultKey: () => config.iota.defaultKey })
  const jsonDevices = agentDeviceLookup(jsonAgent.registry, { protocol: 'json', measurePath: () => jsonAgent.iota.defaultResource, defaultKey: () => jsonAgent.iota.defaultKey })
  const tutorialServices = await serveTutorialServices(config, logger, tutorial, serve, ngsiCheck, { lookup: joinLookups(ulDevices, jsonDevices) })
  const history = await openHistory(config, logger, teardown, { hostGuard, notAllowed, serve })
  for (const name of ['cygnus', 'cygnusApi', 'sth'] as const) tutorial.bound.set(name, history[name]?.bound ?? [])
  // A broker whose start fails half-way is stopped too.
  teardown.defer('MQTT broker', () => broker.stop())
  await broker.start()
  // Simulated devices are MQTT clients of the broker: they go first.
  teardown.defer('simulator', () => simulator.stopAll())
  return { parts, teardown, north, jsonNorth, ngsi, south, tutorial: tutorialServices, history, providerUrl: ul.providerUrl }
}
