import type { MqttPublishConfig, QoS } from '../config/types'
import type { Scope } from '../context/types'
import type { CommandDef } from '../registry/types'
import { excerpt, NO_TRACER, type Tracer } from '../trace/tracer'
import { ulProtocol, type AgentProtocolCodec } from '../agent-protocol'
import type { CommandCenterDeps, CommandEvent, CommandStats, CommandStatus } from './command-types'
import type { ContextProvider, ForwardedQuery, ForwardedUpdate } from './context-provider'
import { ProviderError } from './context-provider'
import type { EffectiveDevice } from './effective-device'
import { CommandPush, FORBIDDEN_IN_VALUES } from './command-push'
import { commandStatusUpdate } from './measure-mapping'
import { PollingCommands } from './polling-commands'
import { commandTopic } from './topics'
import { timeInstant, zoneOf } from './time-instant'

/** `<cmd>_info` of a command the device fetched (as iotagent-ul writes it with DELIVERED). */
const DELIVERED_INFO = ' '

interface Pending {
  sentAt: number
  timer: NodeJS.Timeout | null
  /** The command's trace (in memory only). */
  trace: number | undefined
}

export type { CommandCenterDeps, CommandEvent, CommandStats, CommandStatus } from './command-types'

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
 *
 * Devices on the HTTP transport (§5.7): one with an `endpoint` gets the command POSTed there and its
 * answer is the result; one without (`polling`) gets it queued until its next `getCmd=1` request.
 */
export class CommandCenter implements ContextProvider {
  private pending = new Map<string, Pending>()
  private listeners = new Set<(e: CommandEvent) => void>()
  private readonly now: () => number
  private readonly tracer: Tracer
  private readonly counters = { sent: 0, ok: 0, errors: 0, expired: 0, unknownCommand: 0 }
  private readonly codec: AgentProtocolCodec
  private readonly polling: PollingCommands
  /** Commands POSTed to device endpoints (command-push.ts). */
  private readonly pushes: CommandPush

  constructor(private readonly deps: CommandCenterDeps) {
    this.now = deps.now ?? Date.now
    this.tracer = deps.tracer ?? NO_TRACER
    this.codec = deps.codec ?? ulProtocol
    this.pushes = this.createPushes()
    this.polling = new PollingCommands(deps.pollingStore)
    this.restorePolling()
  }

  /**
   * Takes back the polling commands of the agent's data folder (docs/compatibility/iot-agent-ul.md
   * §5.7): queued ones in their place, delivered ones waiting for their result, each with what is
   * left of its expiry (none left: it expires at once). Their `_status` stays as written.
   */
  private restorePolling(): void {
    const timeout = this.deps.timeoutMs()
    const resolve = (r: { service: string; servicePath: string; entityId: string; entityType: string }): EffectiveDevice | undefined =>
      this.deps.resolver.resolveEntity(r.service, r.servicePath, r.entityId, r.entityType)
    const dropped = (r: { command: string; deviceId: string }): void =>
      this.deps.logger.warn('COMMAND_DROPPED', `queued command ${r.command} of ${r.deviceId} dropped: the device or its command is no longer provisioned`)
    for (const { dev, record } of this.polling.restore(resolve, timeout > 0, dropped)) {
      const key = this.key(dev, record.command)
      const pending: Pending = { sentAt: record.sentAt, timer: null, trace: undefined }
      if (timeout > 0) {
        pending.timer = setTimeout(() => this.expire(dev, record.command, key), Math.max(0, record.sentAt + timeout - this.now()))
        pending.timer.unref?.()
      }
      this.pending.set(key, pending)
    }
  }

  onEvent(listener: (e: CommandEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  stats(): CommandStats {
    return { ...this.counters, pending: this.pending.size, queued: this.polling.size() }
  }

  close(): void {
    for (const p of this.pending.values()) if (p.timer) clearTimeout(p.timer)
    this.pending.clear()
    this.polling.clear()
    this.pushes.close()
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

  /**
   * Sends one command to a device and tracks it. Resolves once published (MQTT), queued (HTTP
   * polling) or handed to the HTTP client (HTTP push: the device's answer settles it later).
   */
  async execute(dev: EffectiveDevice, cmd: CommandDef, value: unknown, trace?: number): Promise<void> {
    const http = dev.device.transport === 'HTTP'
    let payload: string | Buffer
    try {
      // The agent's protocol writes the command (docs/compatibility/iot-agent-json.md §2.3, iot-agent-ul.md §2.2).
      payload = http ? this.codec.encodeHttpCommand(dev, cmd, value) : this.codec.encodeCommand(dev, cmd, value)
    } catch (err) {
      if (!this.codec.isFormatError(err)) throw err
      // The value cannot be written in the device's protocol: the command ends ERROR with the reason
      // (docs/compatibility/iot-agent-json.md §2.3), and the context broker's update is refused.
      this.clearPending(this.key(dev, cmd.name))
      this.counters.errors++
      this.setStatus(dev, cmd.name, 'ERROR', err.message.replace(FORBIDDEN_IN_VALUES, ''))
      this.emit(dev, cmd.name, 'ERROR', err.message, trace === undefined ? {} : { traceId: trace })
      throw new ProviderError(400, 'BAD_REQUEST', err.message)
    }
    const text = typeof payload === 'string' ? payload : payload.toString('utf8')
    const endpoint = http ? this.endpointOf(dev) : undefined
    const key = this.key(dev, cmd.name)
    this.clearPending(key)
    if (http && endpoint === undefined) this.polling.enqueue(dev, cmd.name, value, text, this.now())
    this.setStatus(dev, cmd.name, 'PENDING', undefined)
    const sentAt = this.now()
    // A pushed command ends with the device's answer or the request's own timeout (no second timer).
    const timeout = endpoint === undefined ? this.deps.timeoutMs() : 0
    const pending: Pending = { sentAt, timer: null, trace }
    if (timeout > 0) {
      pending.timer = setTimeout(() => this.expire(dev, cmd.name, key), timeout)
      pending.timer.unref?.()
    }
    this.pending.set(key, pending)
    if (trace !== undefined) this.tracer.hop(trace, { step: 'pending', entityId: dev.entityId, command: cmd.name })
    this.emit(dev, cmd.name, 'PENDING', undefined, trace === undefined ? { value } : { value, traceId: trace })
    if (http && endpoint === undefined) await this.queuedDurably(dev, cmd.name, key, trace)
    if (http) {
      this.counters.sent++
      if (endpoint !== undefined) this.pushes.push(dev, cmd, endpoint, payload, key, pending)
      return
    }
    try {
      const topic = commandTopic(dev.apikey, dev.deviceId)
      const qos = qosOf(cmd, this.deps.publish)
      // The publish hop is timed when the publish starts: an in-process device may answer inside it.
      const publishAt = trace === undefined ? undefined : performance.now()
      await this.deps.broker.publish(topic, payload, { qos, retain: cmd.mqtt?.retain || this.deps.publish.retain, by: 'agent-command' })
      this.counters.sent++
      if (trace !== undefined) this.tracer.hop(trace, { step: 'published', topic, payload: excerpt(text), qos, deviceId: dev.deviceId, command: cmd.name }, publishAt)
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
   * A polling device asked for its commands (`getCmd=1`): the queued ones, written as the agent's
   * protocol answers a poll (undefined when none), each now `DELIVERED` and still waiting for its result.
   */
  takePolled(dev: EffectiveDevice): string | undefined {
    // Kept on disk while its expiry runs; without one, nothing is left to wait for.
    const queued = this.polling.take(dev, (command) => !!this.pending.get(this.key(dev, command))?.timer)
    if (queued.length === 0) return undefined
    for (const q of queued) {
      this.setStatus(dev, q.command, 'DELIVERED', DELIVERED_INFO)
      const trace = this.pending.get(this.key(dev, q.command))?.trace
      if (trace !== undefined) this.tracer.hop(trace, { step: 'delivered', deviceId: dev.deviceId, command: q.command, payload: excerpt(q.payload) })
    }
    return this.codec.formatPolledCommands(queued)
  }

  /**
   * The context broker is answered once the queued command is on disk (group commit), so that it
   * survives a restart. When the disk refuses it, a command still queued is taken back: `ERROR`
   * with the reason, and the update fails. One the device fetched meanwhile has reached it.
   */
  private async queuedDurably(dev: EffectiveDevice, command: string, key: string, trace: number | undefined): Promise<void> {
    try {
      await this.polling.durable()
    } catch (err) {
      if (!this.polling.withdraw(dev, command)) return
      this.clearPending(key)
      const reason = `cannot store the command: ${(err as Error).message}`.replace(FORBIDDEN_IN_VALUES, '')
      this.counters.errors++
      this.setStatus(dev, command, 'ERROR', reason)
      if (trace !== undefined) this.tracer.hop(trace, { step: 'result', status: 'ERROR', command, info: reason })
      this.emit(dev, command, 'ERROR', reason, trace === undefined ? {} : { traceId: trace })
      throw new ProviderError(500, 'INTERNAL_DB_ERROR', reason)
    }
  }

  /** The endpoint of an HTTP device: its own, else its group's; undefined for a polling device. */
  private endpointOf(dev: EffectiveDevice): string | undefined {
    if (dev.device.polling === true) return undefined
    return dev.device.endpoint || dev.group?.endpoint || undefined
  }

  /** The HTTP push of commands, settling them here (docs/compatibility/iot-agent-ul.md §5.7). */
  private createPushes(): CommandPush {
    const { logger, timeoutMs, rewriteUrl } = this.deps
    return new CommandPush({
      codec: this.codec,
      tracer: this.tracer,
      logger,
      timeoutMs,
      ...(rewriteUrl ? { rewriteUrl } : {}),
      settle: {
        isCurrent: (key, ticket) => this.pending.get(key) === ticket,
        result: (dev, command, result) => void this.onResult(dev, command, result),
        fail: (dev, command, key, reason) => this.fail(dev, command, key, reason),
        expireLater: (dev, command, key) => this.expireLater(dev, command, key)
      }
    })
  }

  /** A pushed command whose answer named no command: it expires as an unanswered MQTT command does. */
  private expireLater(dev: EffectiveDevice, command: string, key: string): void {
    const p = this.pending.get(key)
    const timeout = this.deps.timeoutMs()
    if (!p || p.timer || timeout <= 0) return
    p.timer = setTimeout(() => this.expire(dev, command, key), timeout)
    p.timer.unref?.()
  }

  private fail(dev: EffectiveDevice, command: string, key: string, reason: string): void {
    const p = this.pending.get(key)
    if (!p) return
    this.clearPending(key)
    this.counters.errors++
    this.deps.logger.warn('COMMAND_PUSH_FAILED', `command ${command} of ${dev.deviceId}: ${reason}`)
    this.setStatus(dev, command, 'ERROR', reason)
    if (p.trace !== undefined) this.tracer.hop(p.trace, { step: 'result', status: 'ERROR', command, info: reason })
    this.emit(dev, command, 'ERROR', reason, p.trace === undefined ? {} : { traceId: p.trace })
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
    this.polling.settled(dev, command)
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
    this.polling.expired(dev, command)
    this.counters.expired++
    this.deps.logger.warn('COMMAND_EXPIRED', `command ${command} of ${dev.deviceId} got no answer in ${this.deps.timeoutMs()} ms`)
    this.setStatus(dev, command, 'ERROR', 'EXPIRED')
    if (p.trace !== undefined) this.tracer.hop(p.trace, { step: 'result', status: 'EXPIRED', command, info: 'EXPIRED' })
    this.emit(dev, command, 'ERROR', 'EXPIRED', p.trace === undefined ? {} : { traceId: p.trace })
  }

  private setStatus(dev: EffectiveDevice, command: string, status: CommandStatus | 'DELIVERED', info: unknown): void {
    const nowIso = (): string => timeInstant(new Date(this.now()), zoneOf(dev))
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
