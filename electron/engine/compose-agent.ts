import type { FastifyInstance } from 'fastify'
import type { AgentProtocolCodec } from './agent-protocol'
import { CommandCenter } from './agent/commands'
import { DeviceResolver } from './agent/device-resolver'
import { PollingStore } from './agent/polling-store'
import type { RewriteUrl } from './agent/http-command-push'
import type { DispatchedAgent } from './agent/mqtt-dispatch'
import { Provisioning } from './agent/provisioning'
import { Southbound } from './agent/southbound'
import type { MqttBroker } from './broker/types'
import type { ContextSide } from './compose-context'
import type { Teardown } from './compose-teardown'
import type { SettingsStore } from './config/settings-store'
import type { EngineConfig, IotaConfig } from './config/types'
import type { Logger } from './log/logger'
import { urlHost } from './net/listen'
import type { HttpHostCheck, HttpService } from './north/http-service'
import { createNorthApp } from './north/iota/app'
import type { RequestObservers } from './north/request-observer'
import { Registry } from './registry/registry'
import type { Tracer } from './trace/tracer'

/** What makes one agent differ from the other (UltraLight, JSON). */
export interface AgentSpec {
  protocol: AgentProtocolCodec
  /**
   * Folder of the agent's registry files (`groups.db`, `devices.db`) and polling commands (`commands.db`), or the registry
   * opened by the caller (who closes it), the commands then in the engine's data folder.
   */
  registry: string | Registry
  /** The agent's defaults (resource, default key…); read at each use, so live settings apply. */
  iota: IotaConfig
  /** Log source of the agent's southbound and command side. */
  logSource: string
  /** Names in the teardown and the logs: `IoT Agent UltraLight north API`, `IoT Agent JSON north API`. */
  northName: string
  /** The FIWARE release `/iot/about` reports. */
  agentVersion: string
}

/** What every agent shares. */
export interface AgentEnv {
  config: EngineConfig
  logger: Logger
  teardown: Teardown
  context: ContextSide
  broker: MqttBroker
  tracer: Tracer
  /** Where an HTTP push command really goes (the tutorial host names). */
  rewriteUrl: RewriteUrl
}

/** One agent's parts, built by `openAgent`. */
export interface AgentParts {
  readonly protocol: AgentProtocolCodec
  readonly iota: IotaConfig
  readonly registry: Registry
  readonly provisioning: Provisioning
  readonly resolver: DeviceResolver
  readonly commands: CommandCenter
  readonly southbound: Southbound
  /** The URL the context broker forwards this agent's commands to: IOTA_PROVIDER_URL, else its north API. */
  readonly providerUrl: () => string
}

/** What the north API needs besides the agent's parts. */
export interface AgentNorthOptions {
  settings: SettingsStore
  requests: RequestObservers
  port: number
  hostCheck: HttpHostCheck
  serve: (app: FastifyInstance, port: number, what: string, hostCheck: HttpHostCheck) => Promise<HttpService>
}

/** An agent whose north API can be served once (the port then known to `providerUrl`). */
export interface ComposedAgent extends AgentParts {
  serveNorth(options: AgentNorthOptions): Promise<HttpService>
  /** The MQTT dispatch's view (agent/mqtt-dispatch.ts). */
  readonly dispatch: DispatchedAgent
}

/**
 * The JSON agent's defaults over the engine's agent settings (docs/compatibility/iot-agent-json.md
 * §0): its own default resource and key, and no IOTA_PROVIDER_URL (that one names the UltraLight
 * agent). Every other setting is read from the engine's configuration at each use.
 */
export function jsonAgentIota(base: IotaConfig): IotaConfig {
  const own: Partial<IotaConfig> = { defaultResource: '/iot/json', defaultKey: '1234', providerUrl: undefined }
  return new Proxy(base, { get: (target, key: string | symbol) => (key in own ? own[key as keyof IotaConfig] : target[key as keyof IotaConfig]) })
}

/**
 * Builds one IoT agent — registry, provisioning, device resolver, command center and southbound
 * side — for a protocol, and puts each part that holds files or timers in the teardown. The MQTT
 * ingress, the HTTP south binding and the north API are wired by the caller (compose.ts).
 */
export async function openAgent(spec: AgentSpec, env: AgentEnv): Promise<ComposedAgent> {
  const { config, logger, teardown, context, broker, tracer } = env
  const name = spec.protocol.label
  let registry: Registry
  if (typeof spec.registry === 'string') {
    const opened = await Registry.open({ dataDir: spec.registry, compactionIntervalMs: config.persistence.compactionIntervalMs }, logger)
    teardown.defer(`${name} registry`, () => opened.close())
    registry = opened
  } else registry = spec.registry
  let northPort = 0
  // Without a provider URL of its own, the agent is reached where IOTA_PROVIDER_URL says the engine is (else its first address).
  const providerHost = (): string => (config.iota.providerUrl ? new URL(config.iota.providerUrl).hostname : urlHost(config.hosts[0]!))
  const providerUrl = (): string => spec.iota.providerUrl ?? `http://${providerHost()}:${northPort}`
  const provisioning = new Provisioning({ registry, contextBroker: context.client, iota: spec.iota, providerUrl, logger })
  teardown.defer(`${name} provisioning`, () => provisioning.settle())
  const resolver = new DeviceResolver(registry, provisioning, spec.iota)
  teardown.defer(`${name} device cache`, () => resolver.close())
  const log = logger.child(spec.logSource)
  const { flushIntervalMs, commitDelayMs } = config.persistence
  const polling = await PollingStore.open(typeof spec.registry === 'string' ? spec.registry : config.dataDir, { flushIntervalMs, commitDelayMs, log })
  teardown.defer(`${name} polling commands`, () => polling.close())
  const commands = new CommandCenter({
    resolver,
    broker,
    context: context.client,
    publish: config.mqttPublish,
    timeoutMs: () => config.iota.commandTimeoutMs,
    pollingStore: polling,
    logger: log,
    tracer,
    codec: spec.protocol,
    rewriteUrl: env.rewriteUrl
  })
  teardown.defer(`${name} commands`, () => commands.close())
  const southbound = new Southbound({ resolver, context: context.client, commands, broker, publish: config.mqttPublish, logger: log, providerUrl, tracer, protocol: spec.protocol })
  const iota = spec.iota
  const dispatch: DispatchedAgent = {
    southbound,
    ownsApikey: (apikey) => registry.groupsByApikey(apikey).length > 0 || apikey === iota.defaultKey
  }
  return {
    protocol: spec.protocol,
    iota,
    registry,
    provisioning,
    resolver,
    commands,
    southbound,
    dispatch,
    providerUrl,
    async serveNorth(o: AgentNorthOptions): Promise<HttpService> {
      const app = createNorthApp({
        provisioning,
        registry,
        provider: commands,
        notifications: southbound.notifications,
        logger,
        settings: o.settings,
        northPort: () => northPort,
        agentVersion: spec.agentVersion,
        bodyLimit: config.iota.bodyLimit,
        tracer,
        requests: o.requests
      })
      const svc = await o.serve(app, o.port, spec.northName, o.hostCheck)
      northPort = svc.bound[0]!.port
      return svc
    }
  }
}
