import type { MqttBroker } from '../broker/types'
import type { MqttPublishConfig, QoS } from '../config/types'
import type { ContextBrokerClient, Scope } from '../context/types'
import type { SourceLogger } from '../log/logger'
import type { CommandDef } from '../registry/types'
import { excerpt, NO_TRACER, type Tracer } from '../trace/tracer'
import { commandTextWithExpression } from '../expressions'
import { encodeCommandPayload, formatCommand, UlCommandError } from '../ultralight'
import type { ContextProvider, ForwardedQuery, ForwardedUpdate } from './context-provider'
import { ProviderError } from './context-provider'
import type { DeviceResolver } from './device-resolver'
import type { EffectiveDevice } from './effective-device'
import { commandStatusUpdate } from './measure-mapping'
import { commandTopic } from './topics'

export type CommandStatus = 'PENDING' | 'OK' | 'ERROR'

/** A step of a command's life, for the GUI and the logs. */
export interface CommandEvent {
  scope: Scope
  entityId: string
  entityType: string
  deviceId: string
  command: string
  status: CommandStatus
  /** `<cmd>_info`: the device's result, `EXPIRED`, or the reason of an error. */
  info?: unknown
  /** Value sent to the device (PENDING only). */
  value?: unknown
  /** Milliseconds between sending and the device's answer (OK only). */
  rttMs?: number
  time: number
  /** The command's trace, when one is recorded (trace/tracer.ts). */
  traceId?: number
}

interface Pending {
  sentAt: number
  timer: NodeJS.Timeout | null
  /** The command's trace (in memory only). */
  trace: number | undefined
}

export interface CommandCenterDeps {
  resolver: DeviceResolver
  broker: MqttBroker
  context: ContextBrokerClient
  publish: MqttPublishConfig
  /** An unanswered command expires after this many ms; 0 = never. */
  timeoutMs: () => number
  logger: SourceLogger
  now?: () => number
  /** Records the hops of commands while someone watches traces. */
  tracer?: Tracer
}

export interface CommandStats {
  sent: number
  ok: number
  errors: number
  expired: number
  pending: number
  unknownCommand: number
}

function qosOf(cmd: CommandDef, defaults: MqttPublishConfig): QoS {
  const q = cmd.mqtt?.qos !== undefined ? Number.parseInt(String(cmd.mqtt.qos), 10) : NaN
  // As iotagent-ul: the command's own QoS when truthy, else the configured one.
  return q === 1 || q === 2 ? q : defaults.qos
}

/**
 * The command side of the agent (docs/compatibility/iot-agent-ul.md §5): the context provider the context broker forwards
 * command updates to, the publisher of `<id>@<cmd>|<value>` on `/<apikey>/<id>/cmd`, and the
 * tracker of each command's status. Deviations from iotagent-ul, all about not leaving a command
 * in an unknowable state: PENDING is written before publishing (a fast reply is never overwritten),
 * an unanswered command expires (`ERROR` / `EXPIRED`) and a null value is rejected.
 */
export class CommandCenter implements ContextProvider {
  private pending = new Map<string, Pending>()
  private listeners = new Set<(e: CommandEvent) => void>()
  private readonly now: () => number
  private readonly tracer: Tracer
  private readonly counters = { sent: 0, ok: 0, errors: 0, expired: 0, unknownCommand: 0 }

  constructor(private readonly deps: CommandCenterDeps) {
    this.now = deps.now ?? Date.now
    this.tracer = deps.tracer ?? NO_TRACER
  }

  onEvent(listener: (e: CommandEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  stats(): CommandStats {
    return { ...this.counters, pending: this.pending.size }
  }

  close(): void {
    for (const p of this.pending.values()) if (p.timer) clearTimeout(p.timer)
    this.pending.clear()
  }

  async update(scope: Scope, request: ForwardedUpdate, trace?: number): Promise<void> {
    const work: Array<{ dev: EffectiveDevice; cmd: CommandDef; value: unknown }> = []
    for (const entity of request.entities) {
      const id = entity.id
      const type = entity.type
      if (typeof id !== 'string') throw new ProviderError(400, 'BAD_REQUEST', 'entity without id')
      const dev = this.deps.resolver.resolveEntity(scope.service, scope.servicePath, id, typeof type === 'string' ? type : undefined)
      if (!dev) throw new ProviderError(404, 'DEVICE_NOT_FOUND', `No device was found with entity id ${id} in service ${scope.service} and service path ${scope.servicePath}`)
      for (const [name, attr] of Object.entries(entity)) {
        if (name === 'id' || name === 'type') continue
        const cmd = dev.commands.get(name)
        // Only declared commands are executed; other attributes are ignored, as in iotagent-ul.
        if (!cmd) continue
        const value = attr !== null && typeof attr === 'object' && 'value' in attr ? attr.value : attr
        if (value === null || value === undefined) {
          throw new ProviderError(400, 'BAD_REQUEST', `command ${name} of ${dev.deviceId} has no value (null); send a value, even an empty string`)
        }
        work.push({ dev, cmd, value })
      }
    }
    if (trace !== undefined && work.length) this.tracer.describe(trace, { deviceId: work[0]!.dev.deviceId, entityId: work[0]!.dev.entityId })
    for (const { dev, cmd, value } of work) await this.execute(dev, cmd, value, trace)
  }

  async query(scope: Scope, request: ForwardedQuery): Promise<Array<Record<string, unknown>>> {
    const out: Array<Record<string, unknown>> = []
    for (const e of request.entities ?? []) {
      if (typeof e.id !== 'string') continue
      const dev = this.deps.resolver.resolveEntity(scope.service, scope.servicePath, e.id, e.type)
      if (!dev) continue
      const wanted = request.attrs?.length ? new Set(request.attrs) : undefined
      const entity: Record<string, unknown> = { id: dev.entityId, type: dev.entityType }
      // The device cannot be asked for a value: commands and lazy attributes answer empty, as iotagent-ul's default handler.
      for (const c of dev.commands.values()) if (!wanted || wanted.has(c.name)) entity[c.name] = { type: c.type || 'command', value: '', metadata: {} }
      for (const l of dev.lazy) if (!wanted || wanted.has(l.name)) entity[l.name] = { type: l.type, value: '', metadata: {} }
      if (Object.keys(entity).length > 2) out.push(entity)
    }
    return out
  }

  /** Sends one command to a device and tracks it. Resolves once published. */
  async execute(dev: EffectiveDevice, cmd: CommandDef, value: unknown, trace?: number): Promise<void> {
    let text: string
    try {
      // A command `expression` replaces the value (docs/compatibility/iot-agent-ul.md §2.2).
      text = commandTextWithExpression(dev, cmd, value) ?? formatCommand(dev.deviceId, cmd.name, value)
    } catch (err) {
      if (err instanceof UlCommandError) throw new ProviderError(400, 'BAD_REQUEST', err.message)
      throw err
    }
    const key = this.key(dev, cmd.name)
    this.clearPending(key)
    this.setStatus(dev, cmd.name, 'PENDING', undefined)
    const sentAt = this.now()
    const timeout = this.deps.timeoutMs()
    const pending: Pending = { sentAt, timer: null, trace }
    if (timeout > 0) {
      pending.timer = setTimeout(() => this.expire(dev, cmd.name, key), timeout)
      pending.timer.unref?.()
    }
    this.pending.set(key, pending)
    if (trace !== undefined) this.tracer.hop(trace, { step: 'pending', entityId: dev.entityId, command: cmd.name })
    this.emit(dev, cmd.name, 'PENDING', undefined, trace === undefined ? { value } : { value, traceId: trace })
    try {
      // As iotagent-ul: payloadType only applies to plain values, not to key=value parameter lists.
      const payload = value !== null && typeof value === 'object' ? text : encodeCommandPayload(text, cmd.payloadType)
      const topic = commandTopic(dev.apikey, dev.deviceId)
      const qos = qosOf(cmd, this.deps.publish)
      // The publish hop is timed when the publish starts: an in-process device may answer inside it.
      const publishAt = trace === undefined ? undefined : performance.now()
      await this.deps.broker.publish(topic, payload, { qos, retain: cmd.mqtt?.retain || this.deps.publish.retain, by: 'agent-command' })
      this.counters.sent++
      if (trace !== undefined) this.tracer.hop(trace, { step: 'published', topic, payload: excerpt(String(payload)), qos, deviceId: dev.deviceId, command: cmd.name }, publishAt)
    } catch (err) {
      this.clearPending(key)
      const reason = `cannot publish the command: ${(err as Error).message}`
      this.counters.errors++
      this.setStatus(dev, cmd.name, 'ERROR', reason)
      if (trace !== undefined) this.tracer.hop(trace, { step: 'result', status: 'ERROR', command: cmd.name, info: reason })
      this.emit(dev, cmd.name, 'ERROR', reason, trace === undefined ? {} : { traceId: trace })
      throw new ProviderError(503, 'MQTT_PUBLISH_ERROR', reason)
    }
  }

  /**
   * A device answered a command on `cmdexe` (or inside a measure payload): `_status` OK and
   * `_info` = result. Returns false (and sends nothing) for a command the device does not declare.
   */
  onResult(dev: EffectiveDevice, command: string, result: unknown, via?: { topic: string; payload: string }): boolean {
    if (!dev.commands.has(command)) {
      this.counters.unknownCommand++
      return false
    }
    const trace = this.pending.get(this.key(dev, command))?.trace
    if (trace !== undefined && via) this.tracer.hop(trace, { step: 'reply', topic: via.topic, payload: excerpt(via.payload), command, result })
    this.setStatus(dev, command, 'OK', result)
    this.settle(dev, command, 'OK', result)
    return true
  }

  /**
   * A device reported `<cmd>_status` / `<cmd>_info` as ordinary measures; the measure update
   * already carries them to the context broker, so only the tracking is closed here.
   */
  onReportedStatus(dev: EffectiveDevice, command: string, status: unknown, info: unknown): void {
    if (status === undefined) return
    const s = (typeof status === 'string' ? status : JSON.stringify(status)).toUpperCase()
    this.settle(dev, command, s === 'OK' ? 'OK' : s === 'PENDING' ? 'PENDING' : 'ERROR', info)
  }

  private settle(dev: EffectiveDevice, command: string, status: CommandStatus, info: unknown): void {
    const key = this.key(dev, command)
    const p = this.pending.get(key)
    if (status === 'PENDING') return
    if (p) this.clearPending(key)
    if (status === 'OK') this.counters.ok++
    else this.counters.errors++
    const rttMs = p ? this.now() - p.sentAt : undefined
    if (p?.trace !== undefined) this.tracer.hop(p.trace, { step: 'result', status, command, info, ...(rttMs === undefined ? {} : { rttMs }) })
    this.emit(dev, command, status, info, p ? (p.trace === undefined ? { rttMs } : { rttMs, traceId: p.trace }) : {})
  }

  private expire(dev: EffectiveDevice, command: string, key: string): void {
    const p = this.pending.get(key)
    if (!p) return
    this.pending.delete(key)
    this.counters.expired++
    this.deps.logger.warn('COMMAND_EXPIRED', `command ${command} of ${dev.deviceId} got no answer in ${this.deps.timeoutMs()} ms`)
    this.setStatus(dev, command, 'ERROR', 'EXPIRED')
    if (p.trace !== undefined) this.tracer.hop(p.trace, { step: 'result', status: 'EXPIRED', command, info: 'EXPIRED' })
    this.emit(dev, command, 'ERROR', 'EXPIRED', p.trace === undefined ? {} : { traceId: p.trace })
  }

  private setStatus(dev: EffectiveDevice, command: string, status: CommandStatus, info: unknown): void {
    const nowIso = (): string => new Date(this.now()).toISOString()
    try {
      this.deps.context.upsert(dev.scope, [commandStatusUpdate(dev, command, status, info, nowIso)])
    } catch (err) {
      this.deps.logger.error('COMMAND_STATUS', `cannot store ${command}_status of ${dev.entityId}: ${(err as Error).message}`)
    }
  }

  private clearPending(key: string): void {
    const p = this.pending.get(key)
    if (!p) return
    if (p.timer) clearTimeout(p.timer)
    this.pending.delete(key)
  }

  private key(dev: EffectiveDevice, command: string): string {
    return `${dev.scope.service}\u0000${dev.scope.servicePath}\u0000${dev.entityId}\u0000${dev.entityType}\u0000${command}`
  }

  private emit(dev: EffectiveDevice, command: string, status: CommandStatus, info: unknown, extra: Partial<CommandEvent> = {}): void {
    if (this.listeners.size === 0) return
    const e: CommandEvent = { scope: dev.scope, entityId: dev.entityId, entityType: dev.entityType, deviceId: dev.deviceId, command, status, info, time: this.now(), ...extra }
    for (const l of this.listeners) l(e)
  }
}
