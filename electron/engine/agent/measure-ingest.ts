import type { ContextBrokerClient, EntityUpdate } from '../context/types'
import type { SourceLogger } from '../log/logger'
import type { Tracer } from '../trace/tracer'
import type { AgentProtocolName, DecodedGroup } from '../agent-protocol'
import type { CommandCenter } from './commands'
import type { DeviceResolver, Resolution, ResolveFailure } from './device-resolver'
import type { EffectiveDevice } from './effective-device'
import { mapMeasures } from './measure-mapping'
import type { AgentTopicKind } from './topics'
import { timeInstant, zoneOf } from './time-instant'

/** What the agent did with a message, for the topic inspector. */
export interface AgentOutcome {
  /** The agent that handled the message (docs/compatibility/iot-agent-json.md §3.5). */
  agent?: AgentProtocolName
  kind: AgentTopicKind
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
  /** Messages received by the agent: on agent topics and on the HTTP south port. */
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

/** Logs a repeated problem at most once per second per code, with the count of the suppressed ones. */
export class ThrottledLog {
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

export interface MeasureIngestDeps {
  resolver: DeviceResolver
  context: ContextBrokerClient
  commands: CommandCenter
  logger: SourceLogger
  tracer: Tracer
}

/** Why a device could not be resolved, in words (`where`: the topic or request it came by). */
export function resolveFailureMessage(reason: ResolveFailure, apikey: string, deviceId: string, where: string): string {
  const why =
    reason === 'NO_GROUP'
      ? `no service group has API key ${apikey} (provision one with POST /iot/services)`
      : reason === 'AUTOPROVISION_DISABLED'
        ? `device ${deviceId} is not provisioned and its group does not allow autoprovisioning`
        : `no single device ${deviceId} for the default API key`
  return `message on ${where} dropped: ${why}`
}

/**
 * The part of the agent's southbound side every transport shares (MQTT topics, the HTTP south
 * port) of both agents: device resolution with its trace hop, measure groups turned into entity updates
 * (docs/compatibility/iot-agent-ul.md §4), command results inside measure payloads (§5.6), the
 * counters and the throttled log of rejections. Synchronous: nothing here awaits or touches the disk.
 */
export class MeasureIngest {
  readonly counters: SouthboundStats = { messages: 0, measures: 0, updates: 0, commandResults: 0, configurationRequests: 0, autoprovisioned: 0, rejected: {} }
  readonly log: ThrottledLog

  constructor(private readonly deps: MeasureIngestDeps) {
    this.log = new ThrottledLog(deps.logger)
  }

  stats(): SouthboundStats {
    return { ...this.counters, rejected: { ...this.counters.rejected } }
  }

  reject(outcome: AgentOutcome, code: string, message: string, traced = true): AgentOutcome {
    this.counters.rejected[code] = (this.counters.rejected[code] ?? 0) + 1
    outcome.error = code
    outcome.message = message
    if (traced && outcome.traceId !== undefined) this.deps.tracer.hop(outcome.traceId, { step: 'rejected', code, message })
    this.log.warn(code, message, { apikey: outcome.apikey, deviceId: outcome.deviceId })
    return outcome
  }

  /**
   * Resolves (or autoprovisions) the device of a message and records the `resolved` hop. A failure
   * is counted and logged; the outcome then carries its code and message.
   */
  resolve(outcome: AgentOutcome, where: string): Resolution {
    const trace = outcome.traceId
    const r = this.deps.resolver.resolveSouthbound(outcome.apikey, outcome.deviceId)
    if (!r.ok) {
      const message = resolveFailureMessage(r.reason, outcome.apikey, outcome.deviceId, where)
      if (trace !== undefined) this.deps.tracer.hop(trace, { step: 'resolved', outcome: 'rejected', reason: r.reason, message })
      // The resolved hop says why: no second hop for the same reason.
      this.reject(outcome, r.reason, message, false)
      return r
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
      this.deps.tracer.hop(trace, { step: 'resolved', outcome: r.autoprovisioned ? 'autoprovisioned' : 'provisioned', entityId: dev.entityId, entityType: dev.entityType })
      this.deps.tracer.describe(trace, { entityId: dev.entityId })
    }
    return r
  }

  /** The `decoded` hop of a measure payload: every key|value pair (cast), command lines as their command. */
  traceDecoded(trace: number, groups: DecodedGroup[]): void {
    const pairs: Array<{ key: string; value: unknown }> = []
    let timestamp: string | undefined
    for (const g of groups) {
      if (g.kind === 'command') pairs.push({ key: `${g.deviceId}@${g.command}`, value: g.result })
      else {
        timestamp ??= g.timestamp
        for (const [key, value] of g.values) pairs.push({ key, value })
      }
    }
    this.deps.tracer.hop(trace, timestamp === undefined ? { step: 'decoded', pairs, groups: groups.length } : { step: 'decoded', pairs, timestamp, groups: groups.length })
  }

  /** The `mapped` hops: each entity update with its attributes' names, types and values. */
  traceMapped(trace: number, updates: EntityUpdate[]): void {
    for (const u of updates) {
      const attributes = Object.entries(u.attrs).map(([name, a]) => ({ name, type: a.type, value: a.value }))
      this.deps.tracer.hop(trace, { step: 'mapped', entityId: u.id, entityType: u.type, attributes })
    }
  }

  /**
   * The measure groups of one message (UltraLight or JSON, decoded by the agent's protocol): entity
   * updates handed to the context broker, and a command result in the first group (UltraLight only).
   * Throws MappingError, or the context broker's refusal.
   */
  measures(dev: EffectiveDevice, groups: DecodedGroup[], outcome: AgentOutcome): AgentOutcome {
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
        if (firstGroup && this.deps.commands.onResult(dev, g.command, g.result)) this.counters.commandResults++
        firstGroup = false
        continue
      }
      firstGroup = false
      const m = mapMeasures(dev, g.values, g.timestamp, () => timeInstant(new Date(), zoneOf(dev)))
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

  /** One measure `values` (a single-attribute topic): mapped and handed to the context broker. */
  write(dev: EffectiveDevice, values: Array<[string, unknown]>, timestamp: string | undefined, outcome: AgentOutcome): AgentOutcome {
    const m = mapMeasures(dev, new Map(values), timestamp, () => timeInstant(new Date(), zoneOf(dev)))
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
}
