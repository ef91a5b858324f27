import type { MqttBroker, MqttMessage } from '../broker/types'
import type { MqttPublishConfig } from '../config/types'
import type { ContextBrokerClient } from '../context/types'
import type { SourceLogger } from '../log/logger'
import { bufferExcerpt, NO_TRACER, type Tracer } from '../trace/tracer'
import { ulProtocol, type AgentProtocolCodec, type DecodedConfigurationRequest } from '../agent-protocol'
import type { CommandCenter } from './commands'
import { ConfigurationNotifications, configurationSubscription } from './configuration-subscriptions'
import type { DeviceResolver } from './device-resolver'
import type { EffectiveDevice } from './effective-device'
import { MeasureIngest, type AgentOutcome, type SouthboundStats } from './measure-ingest'
import { MappingError } from './measure-mapping'
import { configurationValuesTopic, type AgentTopic } from './topics'

export type { AgentOutcome, SouthboundStats } from './measure-ingest'

export interface SouthboundDeps {
  resolver: DeviceResolver
  context: ContextBrokerClient
  commands: CommandCenter
  broker: MqttBroker
  publish: MqttPublishConfig
  logger: SourceLogger
  /** The agent's URL for the context broker (IOTA_PROVIDER_URL): configuration subscriptions notify `<it>/notify`. */
  providerUrl: () => string
  /** Records the hops of each message while someone watches (trace/tracer.ts). */
  tracer?: Tracer
  /** The agent's device protocol (UltraLight by default). */
  protocol?: AgentProtocolCodec
}

/** A device topic as the MQTT dispatch read it (agent/mqtt-dispatch.ts). */
export interface RoutedTopic extends AgentTopic {
  /**
   * False when the reference agent would not receive the topic (the JSON agent has no subscription
   * for `<apikey>/<id>/…` without leading slash, docs/compatibility/iot-agent-json.md §3.1).
   */
  subscribed?: boolean
}

/**
 * The southbound side of one agent (UltraLight or JSON, by its protocol codec): turns MQTT messages
 * on agent topics into entity updates (docs/compatibility/iot-agent-ul.md §3.2, §4;
 * iot-agent-json.md §2), command results (§5) and configuration answers (§3.5). Called
 * synchronously for every message; nothing here awaits or touches the disk. Bad input is counted,
 * logged (throttled) and reported to the inspector; it never stops the flow.
 */
export class Southbound {
  private readonly tracer: Tracer
  readonly protocol: AgentProtocolCodec
  /** Resolution, measure mapping, counters and the rejection log, shared with the HTTP south port. */
  readonly ingest: MeasureIngest
  /** Receives the notifications of the configuration subscriptions (`POST /notify`). */
  readonly notifications: ConfigurationNotifications

  constructor(private readonly deps: SouthboundDeps) {
    this.tracer = deps.tracer ?? NO_TRACER
    this.protocol = deps.protocol ?? ulProtocol
    this.ingest = new MeasureIngest({ resolver: deps.resolver, context: deps.context, commands: deps.commands, logger: deps.logger, tracer: this.tracer })
    this.notifications = new ConfigurationNotifications({ resolver: deps.resolver, broker: deps.broker, publish: deps.publish, logger: deps.logger, protocol: this.protocol })
  }

  /** The counters of every transport (MQTT topics and the HTTP south port). */
  stats(): SouthboundStats {
    return this.ingest.stats()
  }

  private get counters(): SouthboundStats {
    return this.ingest.counters
  }

  private get log(): MeasureIngest['log'] {
    return this.ingest.log
  }

  /**
   * Processes a message whose topic the MQTT dispatch (mqtt-dispatch.ts) gave to this agent;
   * returns what was done. `done` is called once the effects are durable (at once for QoS 0).
   */
  handleTopic(topic: RoutedTopic, msg: MqttMessage, done: (err?: Error) => void): AgentOutcome {
    this.counters.messages++
    const outcome = this.process(topic, msg)
    if (msg.qos > 0 && !outcome.error) this.deps.context.whenDurable(done)
    else done()
    return outcome
  }

  private reject(outcome: AgentOutcome, code: string, message: string): AgentOutcome {
    return this.ingest.reject(outcome, code, message)
  }

  private process(topic: RoutedTopic, msg: MqttMessage): AgentOutcome {
    const codec = this.protocol
    const outcome: AgentOutcome = { agent: codec.protocol, kind: topic.kind, apikey: topic.apikey, deviceId: topic.deviceId }
    const trace = this.tracer.sampleMeasure() ? this.beginTrace(topic, msg) : undefined
    if (trace !== undefined) outcome.traceId = trace
    if (topic.subscribed === false) {
      const why = `${msg.topic} dropped: the ${codec.label} agent does not subscribe to topics without a leading slash or the "${codec.topicPrefix}/" prefix (publish on /${topic.apikey}/${topic.deviceId}/…)`
      return this.reject(outcome, 'TOPIC_NOT_SUBSCRIBED', why)
    }
    const r = this.ingest.resolve(outcome, msg.topic)
    if (!r.ok) return outcome
    const dev = r.device
    try {
      switch (topic.kind) {
        case 'attrs':
          return this.ingest.measures(dev, codec.decodeMeasures(msg.payload), outcome)
        case 'attr': {
          const { value } = codec.decodeSingleMeasure(msg.payload)
          if (trace !== undefined) this.tracer.hop(trace, { step: 'decoded', pairs: [{ key: topic.attribute!, value }], groups: 1 })
          return this.ingest.write(dev, [[topic.attribute!, value]], undefined, outcome)
        }
        case 'cmdexe':
          return this.commandResults(dev, msg, outcome)
        case 'configuration':
          this.configuration(dev, topic, codec.decodeConfigurationRequests(msg.payload), outcome)
          return outcome
      }
    } catch (err) {
      if (codec.isParseError(err)) return this.reject(outcome, 'PARSE_ERROR', `bad ${codec.label} payload on ${msg.topic}: ${err.message}`)
      if (err instanceof MappingError) return this.reject(outcome, err.code, `${msg.topic}: ${err.message}`)
      const e = err as Error & { status?: number; error?: string }
      // The context broker refused the update (an invalid attribute name, for instance).
      return this.reject(outcome, e.error ? `NGSI_${e.error}` : 'UPDATE_FAILED', `${msg.topic}: ${e.message}`)
    }
  }

  /** `…/cmdexe`: each result the payload carries (JSON may answer several commands at once). */
  private commandResults(dev: EffectiveDevice, msg: MqttMessage, outcome: AgentOutcome): AgentOutcome {
    const results = this.protocol.decodeCommandResults(msg.payload)
    const trace = outcome.traceId
    if (trace !== undefined) this.tracer.hop(trace, { step: 'decoded', pairs: results.map((r) => ({ key: r.command, value: r.result })), groups: 1 })
    const via = { topic: msg.topic, payload: msg.payload.toString('utf8') }
    const unknown: string[] = []
    outcome.attributes = []
    for (const res of results) {
      if (!this.deps.commands.onResult(dev, res.command, res.result, via)) {
        unknown.push(res.command)
        continue
      }
      this.counters.commandResults++
      outcome.attributes.push(`${res.command}_status`, `${res.command}_info`)
    }
    if (unknown.length) return this.reject(outcome, 'COMMAND_NOT_FOUND', `${dev.deviceId} answered command "${unknown.join('", "')}", which it does not declare`)
    return outcome
  }

  /** The first hops of a message's trace: received and parsed. */
  private beginTrace(topic: AgentTopic, msg: MqttMessage): number | undefined {
    const payload = bufferExcerpt(msg.payload)
    const received = { step: 'received', topic: msg.topic, qos: msg.qos, bytes: msg.payload.length, payload: payload.text, truncated: payload.truncated } as const
    const id = this.tracer.begin('measure', msg.clientId === undefined ? received : { ...received, clientId: msg.clientId }, { deviceId: topic.deviceId })
    const parsed = { step: 'parsed', apikey: topic.apikey, deviceId: topic.deviceId, kind: topic.kind } as const
    this.tracer.hop(id, topic.attribute === undefined ? parsed : { ...parsed, attribute: topic.attribute })
    return id
  }

  /** Configuration retrieval (docs/compatibility/iot-agent-ul.md §3.5): answered asynchronously, outside the hot path. */
  private configuration(dev: EffectiveDevice, topic: AgentTopic, requests: DecodedConfigurationRequest[], outcome: AgentOutcome): void {
    outcome.attributes = []
    for (const req of requests) {
      this.configurationRequest(dev, topic, req)
      outcome.attributes.push(...req.attributes)
    }
  }

  private configurationRequest(dev: EffectiveDevice, topic: AgentTopic, req: DecodedConfigurationRequest): void {
    this.counters.configurationRequests++
    if (req.type === 'subscription') {
      this.subscribe(dev, req.attributes)
      return
    }
    if (req.type !== 'configuration') {
      this.log.warn('CONFIGURATION_TYPE', `configuration request of type "${req.type}" from ${dev.deviceId} ignored (only "configuration" and "subscription" are supported)`)
      return
    }
    void this.configurationValues(dev, req.attributes)
      .then((values) => {
        // The answer goes to the apikey and device id of the incoming topic, as iotagent-ul does.
        return this.deps.broker.publish(configurationValuesTopic(topic.apikey, topic.deviceId), this.protocol.encodeConfigurationValues(dev.deviceId, values), {
          qos: this.deps.publish.qos,
          retain: this.deps.publish.retain,
          by: 'agent-configuration'
        })
      })
      .catch((err: Error) => this.log.warn('CONFIGURATION_FAILED', `configuration for ${dev.deviceId}: ${err.message}`))
  }

  /** The values of a configuration request's attributes, read from the context broker (docs/compatibility/iot-agent-ul.md §3.5). */
  async configurationValues(dev: EffectiveDevice, attributes: string[]): Promise<Array<[string, unknown]>> {
    const attrs = await this.deps.context.getAttributes(dev.scope, dev.entityId, dev.entityType, attributes)
    // A JSON request without `fields` asks for every attribute (docs/compatibility/iot-agent-json.md §2.5).
    const names = attributes.length || this.protocol.protocol === 'ul' ? attributes : Object.keys(attrs)
    return names.filter((a) => attrs[a] !== undefined).map((a): [string, unknown] => [a, attrs[a]!.value])
  }

  /**
   * `subscription|a|b` (docs/compatibility/iot-agent-ul.md §3.5): a context-broker subscription to
   * those attributes of the device's entity, notified to this agent's `/notify`. As in iotagent-ul
   * the subscription id is not kept, and each request makes a new subscription.
   */
  subscribe(dev: EffectiveDevice, attributes: string[]): void {
    void this.deps.context
      .createSubscription(dev.scope, configurationSubscription(dev, attributes, this.deps.providerUrl()))
      .then((id) => this.deps.logger.info('CONFIGURATION_SUBSCRIBED', `${dev.deviceId} subscribed to ${attributes.join(', ')} of ${dev.entityId} (subscription ${id})`))
      .catch((err: Error) => this.log.warn('CONFIGURATION_SUBSCRIPTION_FAILED', `configuration subscription for ${dev.deviceId}: ${err.message}`))
  }
}
