import type { MqttBroker, MqttMessage } from '../broker/types'
import type { MqttPublishConfig } from '../config/types'
import type { ContextBrokerClient, EntityUpdate } from '../context/types'
import type { SourceLogger } from '../log/logger'
import { bufferExcerpt, NO_TRACER, type Tracer } from '../trace/tracer'
import { castValue, formatConfigurationValues, parseCommandResult, parseConfigurationRequest, parseMeasures, UlParseError } from '../ultralight'
import type { CommandCenter } from './commands'
import { ConfigurationNotifications, configurationSubscription } from './configuration-subscriptions'
import type { DeviceResolver } from './device-resolver'
import type { EffectiveDevice } from './effective-device'
import { mapMeasures, MappingError } from './measure-mapping'
import { configurationValuesTopic, parseAgentTopic, type AgentTopic } from './topics'

/** What the agent did with a message, for the topic inspector. */
export interface AgentOutcome {
  kind: AgentTopic['kind']
  apikey: string
  deviceId: string
  entityId?: string
  entityType?: string
  /** NGSI attributes written. */
  attributes?: string[]
  /** Error code when the message was rejected (PARSE_ERROR, NO_GROUP, …). */
  error?: string
  message?: string
  /** The device was created by this message. */
  autoprovisioned?: boolean
  /** The device was autoprovisioned (by this message or an earlier one). */
  autoprovisionedDevice?: boolean
  /** The message's trace (recorded only while someone watches traces). */
  traceId?: number
}

export interface SouthboundStats {
  /** Messages on agent topics. */
  messages: number
  /** Measure groups turned into entity updates. */
  measures: number
  /** Entity updates handed to the context broker. */
  updates: number
  commandResults: number
  configurationRequests: number
  autoprovisioned: number
  /** Rejected messages by reason. */
  rejected: Record<string, number>
}

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
}

/** Logs a repeated problem at most once per second per code, with the count of the suppressed ones. */
class ThrottledLog {
  private last = new Map<string, { at: number; suppressed: number }>()
  constructor(private readonly logger: SourceLogger) {}
  warn(code: string, message: string, fields?: Record<string, unknown>): void {
    const now = Date.now()
    const s = this.last.get(code)
    if (s && now - s.at < 1000) {
      s.suppressed++
      return
    }
    const suppressed = s?.suppressed ?? 0
    this.last.set(code, { at: now, suppressed: 0 })
    this.logger.warn(code, suppressed ? `${message} (and ${suppressed} more like it)` : message, fields)
    if (this.last.size > 1000) this.last.clear()
  }
}

/**
 * The southbound side of the UltraLight agent: turns MQTT messages on agent topics into entity
 * updates (docs/compatibility/iot-agent-ul.md §3.2, §4), command results (§5) and configuration answers (§3.5). Called
 * synchronously for every message; nothing here awaits or touches the disk. Bad input is counted,
 * logged (throttled) and reported to the inspector; it never stops the flow.
 */
export class Southbound {
  private readonly counters: SouthboundStats = { messages: 0, measures: 0, updates: 0, commandResults: 0, configurationRequests: 0, autoprovisioned: 0, rejected: {} }
  private readonly log: ThrottledLog
  private readonly tracer: Tracer
  /** Receives the notifications of the configuration subscriptions (`POST /notify`). */
  readonly notifications: ConfigurationNotifications

  constructor(private readonly deps: SouthboundDeps) {
    this.log = new ThrottledLog(deps.logger)
    this.tracer = deps.tracer ?? NO_TRACER
    this.notifications = new ConfigurationNotifications({ resolver: deps.resolver, broker: deps.broker, publish: deps.publish, logger: deps.logger })
  }

  stats(): SouthboundStats {
    return { ...this.counters, rejected: { ...this.counters.rejected } }
  }

  /**
   * Processes a message if its topic is an agent topic; returns what was done, or null for other
   * topics. `done` is called once the effects are durable (at once for QoS 0).
   */
  handle(msg: MqttMessage, done: (err?: Error) => void): AgentOutcome | null {
    const topic = parseAgentTopic(msg.topic)
    if (!topic) {
      done()
      return null
    }
    this.counters.messages++
    const outcome = this.process(topic, msg)
    if (msg.qos > 0 && !outcome.error) this.deps.context.whenDurable(done)
    else done()
    return outcome
  }

  private reject(outcome: AgentOutcome, code: string, message: string, traced = true): AgentOutcome {
    this.counters.rejected[code] = (this.counters.rejected[code] ?? 0) + 1
    outcome.error = code
    outcome.message = message
    if (traced && outcome.traceId !== undefined) this.tracer.hop(outcome.traceId, { step: 'rejected', code, message })
    this.log.warn(code, message, { apikey: outcome.apikey, deviceId: outcome.deviceId })
    return outcome
  }

  private process(topic: AgentTopic, msg: MqttMessage): AgentOutcome {
    const outcome: AgentOutcome = { kind: topic.kind, apikey: topic.apikey, deviceId: topic.deviceId }
    const trace = this.tracer.sampleMeasure() ? this.beginTrace(topic, msg) : undefined
    if (trace !== undefined) outcome.traceId = trace
    const r = this.deps.resolver.resolveSouthbound(topic.apikey, topic.deviceId)
    if (!r.ok) {
      const why =
        r.reason === 'NO_GROUP'
          ? `no service group has API key ${topic.apikey} (provision one with POST /iot/services)`
          : r.reason === 'AUTOPROVISION_DISABLED'
            ? `device ${topic.deviceId} is not provisioned and its group does not allow autoprovisioning`
            : `no single device ${topic.deviceId} for the default API key`
      const message = `message on ${msg.topic} dropped: ${why}`
      if (trace !== undefined) this.tracer.hop(trace, { step: 'resolved', outcome: 'rejected', reason: r.reason, message })
      // The resolved hop says why: no second hop for the same reason.
      return this.reject(outcome, r.reason, message, false)
    }
    const dev = r.device
    outcome.entityId = dev.entityId
    outcome.entityType = dev.entityType
    if (dev.device.autoprovisioned === true) outcome.autoprovisionedDevice = true
    if (r.autoprovisioned) {
      outcome.autoprovisioned = true
      this.counters.autoprovisioned++
    }
    if (trace !== undefined) {
      this.tracer.hop(trace, { step: 'resolved', outcome: r.autoprovisioned ? 'autoprovisioned' : 'provisioned', entityId: dev.entityId, entityType: dev.entityType })
      this.tracer.describe(trace, { entityId: dev.entityId })
    }
    const text = msg.payload.toString('utf8')
    try {
      switch (topic.kind) {
        case 'attrs':
          return this.measures(dev, text, outcome)
        case 'attr': {
          const value = castValue(text)
          if (trace !== undefined) this.tracer.hop(trace, { step: 'decoded', pairs: [{ key: topic.attribute!, value }], groups: 1 })
          return this.write(dev, [[topic.attribute!, value]], undefined, outcome)
        }
        case 'cmdexe': {
          const res = parseCommandResult(text)
          if (trace !== undefined) this.tracer.hop(trace, { step: 'decoded', pairs: [{ key: res.command, value: res.result }], groups: 1 })
          if (!this.deps.commands.onResult(dev, res.command, res.result, { topic: msg.topic, payload: text })) {
            return this.reject(outcome, 'COMMAND_NOT_FOUND', `${dev.deviceId} answered command "${res.command}", which it does not declare`)
          }
          this.counters.commandResults++
          outcome.attributes = [`${res.command}_status`, `${res.command}_info`]
          return outcome
        }
        case 'configuration':
          this.configuration(dev, topic, text, outcome)
          return outcome
      }
    } catch (err) {
      if (err instanceof UlParseError) return this.reject(outcome, 'PARSE_ERROR', `bad UltraLight payload on ${msg.topic}: ${err.message}`)
      if (err instanceof MappingError) return this.reject(outcome, err.code, `${msg.topic}: ${err.message}`)
      const e = err as Error & { status?: number; error?: string }
      // The context broker refused the update (an invalid attribute name, for instance).
      return this.reject(outcome, e.error ? `NGSI_${e.error}` : 'UPDATE_FAILED', `${msg.topic}: ${e.message}`)
    }
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

  /** The `decoded` hop of a measure payload: every key|value pair (cast), command lines as their command. */
  private traceDecoded(trace: number, groups: ReturnType<typeof parseMeasures>): void {
    const pairs: Array<{ key: string; value: unknown }> = []
    let timestamp: string | undefined
    for (const g of groups) {
      if (g.kind === 'command') pairs.push({ key: `${g.deviceId}@${g.command}`, value: g.value ?? g.params })
      else {
        timestamp ??= g.timestamp
        for (const [key, value] of g.values) pairs.push({ key, value })
      }
    }
    this.tracer.hop(trace, timestamp === undefined ? { step: 'decoded', pairs, groups: groups.length } : { step: 'decoded', pairs, timestamp, groups: groups.length })
  }

  /** The `mapped` hops: each entity update with its attributes' names, types and values. */
  private traceMapped(trace: number, updates: EntityUpdate[]): void {
    for (const u of updates) {
      const attributes = Object.entries(u.attrs).map(([name, a]) => ({ name, type: a.type, value: a.value }))
      this.tracer.hop(trace, { step: 'mapped', entityId: u.id, entityType: u.type, attributes })
    }
  }

  private measures(dev: EffectiveDevice, text: string, outcome: AgentOutcome): AgentOutcome {
    const groups = parseMeasures(text)
    const trace = outcome.traceId
    if (trace !== undefined) this.traceDecoded(trace, groups)
    const updates: EntityUpdate[] = []
    const times: Array<string | undefined> = []
    const names: string[] = []
    // The entity of the first measure group: entityNameExp may name one other than the stored one.
    let entityId: string | undefined
    let firstGroup = true
    for (const g of groups) {
      if (g.kind === 'command') {
        // A command result inside a measure payload counts in the first group only (docs/compatibility/iot-agent-ul.md §5.6).
        if (firstGroup && this.deps.commands.onResult(dev, g.command, g.value ?? g.params)) this.counters.commandResults++
        firstGroup = false
        continue
      }
      firstGroup = false
      const m = mapMeasures(dev, g.values, g.timestamp, () => new Date().toISOString())
      this.counters.measures++
      entityId ??= m.entityId
      for (const u of m.updates) {
        updates.push(u)
        times.push(m.timeInstant)
        for (const n in u.attrs) names.push(n)
      }
      for (const r of m.commandReports) this.deps.commands.onReportedStatus(dev, r.command, r.status, r.info)
    }
    if (updates.length > 1 && times.every((t) => t !== undefined)) {
      // As iotagent-ul: a batch whose elements all carry TimeInstant is sent oldest first.
      const order = updates.map((u, i) => ({ u, t: times[i]! }))
      order.sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : 0))
      updates.splice(0, updates.length, ...order.map((o) => o.u))
    }
    if (trace !== undefined) this.traceMapped(trace, updates)
    if (updates.length) {
      this.deps.context.upsert(dev.scope, updates, trace)
      this.counters.updates += updates.length
    }
    if (entityId !== undefined) outcome.entityId = entityId
    outcome.attributes = names
    return outcome
  }

  private write(dev: EffectiveDevice, values: Array<[string, unknown]>, timestamp: string | undefined, outcome: AgentOutcome): AgentOutcome {
    const m = mapMeasures(dev, new Map(values), timestamp, () => new Date().toISOString())
    this.counters.measures++
    outcome.entityId = m.entityId
    for (const r of m.commandReports) this.deps.commands.onReportedStatus(dev, r.command, r.status, r.info)
    if (outcome.traceId !== undefined) this.traceMapped(outcome.traceId, m.updates)
    if (m.updates.length) {
      this.deps.context.upsert(dev.scope, m.updates, outcome.traceId)
      this.counters.updates += m.updates.length
    }
    outcome.attributes = m.updates.flatMap((u) => Object.keys(u.attrs))
    return outcome
  }

  /** Configuration retrieval (docs/compatibility/iot-agent-ul.md §3.5): answered asynchronously, outside the hot path. */
  private configuration(dev: EffectiveDevice, topic: AgentTopic, text: string, outcome: AgentOutcome): void {
    const req = parseConfigurationRequest(text)
    this.counters.configurationRequests++
    outcome.attributes = req.attributes
    if (req.type === 'subscription') {
      this.subscribe(dev, req.attributes)
      return
    }
    if (req.type !== 'configuration') {
      this.log.warn('CONFIGURATION_TYPE', `configuration request of type "${req.type}" from ${dev.deviceId} ignored (only "configuration" and "subscription" are supported)`)
      return
    }
    void this.deps.context
      .getAttributes(dev.scope, dev.entityId, dev.entityType, req.attributes)
      .then((attrs) => {
        const values: Array<[string, unknown]> = req.attributes.filter((a) => attrs[a] !== undefined).map((a) => [a, attrs[a]!.value])
        // The answer goes to the apikey and device id of the incoming topic, as iotagent-ul does.
        return this.deps.broker.publish(configurationValuesTopic(topic.apikey, topic.deviceId), formatConfigurationValues(dev.deviceId, values), {
          qos: this.deps.publish.qos,
          retain: this.deps.publish.retain,
          by: 'agent-configuration'
        })
      })
      .catch((err: Error) => this.log.warn('CONFIGURATION_FAILED', `configuration for ${dev.deviceId}: ${err.message}`))
  }

  /**
   * `subscription|a|b` (docs/compatibility/iot-agent-ul.md §3.5): a context-broker subscription to
   * those attributes of the device's entity, notified to this agent's `/notify`. As in iotagent-ul
   * the subscription id is not kept, and each request makes a new subscription.
   */
  private subscribe(dev: EffectiveDevice, attributes: string[]): void {
    void this.deps.context
      .createSubscription(dev.scope, configurationSubscription(dev, attributes, this.deps.providerUrl()))
      .then((id) => this.deps.logger.info('CONFIGURATION_SUBSCRIBED', `${dev.deviceId} subscribed to ${attributes.join(', ')} of ${dev.entityId} (subscription ${id})`))
      .catch((err: Error) => this.log.warn('CONFIGURATION_SUBSCRIPTION_FAILED', `configuration subscription for ${dev.deviceId}: ${err.message}`))
  }
}
