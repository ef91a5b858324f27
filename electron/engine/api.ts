import type {
  ApiErrorDto,
  CommandEventDto,
  EngineApi,
  EngineStatus,
  EventName,
  EventPayloads,
  EventSubscribe,
  InspectorMessageDto,
  LogEntryDto,
  RequestArgs
} from '../../shared/contract'
import { groupToApi, deviceToApi } from './agent/provisioning-format'
import type { DeviceInput, DevicePatch, GroupInput, GroupPatch } from './agent/provisioning-types'
import type { CommandEvent } from './agent/commands'
import { entityText } from './context/embedded/render'
import { NgsiError, type Scope } from './context/types'
import type { Engine } from './engine'
import type { InspectedMessage } from './inspector/inspector'
import { bodyChecker } from './north/iota/request'
import { DeviceItem, GroupItem, UpdateDeviceBody, UpdateGroupBody } from './north/iota/schemas'
import { IotaError } from './registry/types'
import { PRODUCT_VERSION } from './version'

const checkGroup = bodyChecker(GroupItem)
const checkGroupPatch = bodyChecker(UpdateGroupBody)
const checkDevice = bodyChecker(DeviceItem)
const checkDevicePatch = bodyChecker(UpdateDeviceBody)

/** Events of one stream are sent at most this often (DESIGN §3: ~10 per second). */
const BATCH_MS = 100
/** Engine status is pushed once a second. */
const STATUS_MS = 1000
/** At most this many items per batch; the rest are counted as dropped from the live view. */
const MAX_BATCH = 500

/** An error as both transports report it: the FIWARE name and status when there is one. */
export function toApiError(err: unknown): ApiErrorDto {
  if (err instanceof IotaError) return { name: err.name, message: err.message, status: err.status }
  if (err instanceof NgsiError) return { name: err.error, message: err.description, status: err.status }
  const e = err as Error & { status?: number; error?: string; description?: string }
  if (e && typeof e.error === 'string' && typeof e.status === 'number') return { name: e.error, message: e.description ?? e.message, status: e.status }
  return { name: e?.name ?? 'Error', message: e?.message ?? String(err) }
}

function inspectorDto(m: InspectedMessage): InspectorMessageDto {
  const o = m.outcome
  return {
    seq: m.seq,
    time: m.time,
    topic: m.topic,
    payload: m.payload.toString('utf8'),
    size: m.size,
    truncated: m.size > m.payload.length,
    qos: m.qos,
    retain: m.retain,
    origin: m.origin,
    clientId: m.clientId,
    agent: o ? { kind: o.kind, deviceId: o.deviceId, entityId: o.entityId, attributes: o.attributes, error: o.error, message: o.message } : null
  }
}

function commandDto(e: CommandEvent): CommandEventDto {
  return {
    service: e.scope.service,
    servicePath: e.scope.servicePath,
    entityId: e.entityId,
    entityType: e.entityType,
    deviceId: e.deviceId,
    command: e.command,
    status: e.status,
    info: e.info,
    rttMs: e.rttMs,
    time: e.time
  }
}

/** Collects items and hands them to listeners in batches, at most every BATCH_MS. */
class Batcher<T> {
  private items: T[] = []
  private timer: NodeJS.Timeout | null = null
  constructor(private readonly flush: (items: T[]) => void) {}
  push(item: T): void {
    if (this.items.length < MAX_BATCH) this.items.push(item)
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null
        const items = this.items
        this.items = []
        this.flush(items)
      }, BATCH_MS)
      this.timer.unref?.()
    }
  }
  close(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }
}

export function engineStatus(engine: Engine): EngineStatus {
  const b = engine.broker.status()
  const sb = engine.southbound.stats()
  const ins = engine.inspector.stats()
  return {
    version: PRODUCT_VERSION,
    startedAt: engine.startedAt,
    dataDir: engine.config.dataDir,
    mqtt: { kind: b.kind, up: b.up, clients: b.clients, url: b.url, lastError: b.lastError, messagesIn: b.messagesIn, messagesOut: b.messagesOut },
    contextBroker: { kind: engine.contextClient.kind, url: engine.config.contextBroker.mode === 'external' ? engine.config.contextBroker.url : undefined },
    endpoints: engine.endpoints(),
    agent: {
      messages: sb.messages,
      measures: sb.measures,
      updates: sb.updates,
      commandResults: sb.commandResults,
      autoprovisioned: sb.autoprovisioned,
      rejected: sb.rejected,
      commands: engine.commands.stats()
    },
    inspector: { messages: ins.messages, rate: ins.rate, buffered: ins.buffered, bufferedBytes: ins.bufferedBytes, topics: ins.topics },
    registry: engine.registry.counts(),
    entities: engine.contextBroker.stats().entities
  }
}

/**
 * The engine's API for the GUI (shared/contract.ts), transport-independent: Electron IPC and the
 * WebSocket of `serve` mode both call it after validating arguments against the contract's schemas.
 * Provisioning goes through the same rules as the north HTTP API, and commands through the context
 * broker exactly as a client of Orion sends them, so the GUI shows what really happens.
 */
export function createEngineApi(engine: Engine): EngineApi & { on: EventSubscribe; close(): void } {
  const listeners = new Map<EventName, Set<(payload: never) => void>>()
  const emit = <E extends EventName>(event: E, payload: EventPayloads[E]): void => {
    for (const l of listeners.get(event) ?? []) (l as (p: EventPayloads[E]) => void)(payload)
  }
  const commands = new Batcher<CommandEventDto>((items) => emit('commands', items))
  const logs = new Batcher<LogEntryDto>((items) => emit('logs', items))
  const offCommands = engine.commands.onEvent((e) => commands.push(commandDto(e)))
  const offLogs = engine.logger.onEntry((e) => logs.push({ time: e.time, level: e.level, source: e.source, code: e.code, message: e.message }))
  const statusTimer = setInterval(() => {
    if (listeners.get('status')?.size) emit('status', engineStatus(engine))
  }, STATUS_MS)
  statusTimer.unref?.()

  const ngsiWrite = (scope: Scope) => ({ service: scope.service, servicePath: scope.servicePath })
  const ngsiQuery = (scope: Scope) => ({ service: scope.service, servicePaths: [scope.servicePath] })
  const normalized = (v: Parameters<typeof entityText>[0]): Record<string, unknown> => JSON.parse(entityText(v, 'normalized')) as Record<string, unknown>

  const api: EngineApi = {
    'engine.status': async () => engineStatus(engine),

    'groups.list': async ({ scope }) => {
      const { count, items } = engine.provisioning.listGroups(scope)
      return { count, groups: items.map(groupToApi) }
    },
    'groups.create': async ({ scope, group }) => {
      await engine.provisioning.createGroups(scope, [checkGroup(group) as GroupInput])
    },
    'groups.update': async ({ scope, resource, apikey, patch }) => {
      await engine.provisioning.updateGroup(scope, resource, apikey, checkGroupPatch(patch) as GroupPatch)
    },
    'groups.delete': async ({ scope, resource, apikey }) => {
      await engine.provisioning.deleteGroup(scope, resource, apikey)
    },

    'devices.list': async ({ scope, limit, offset }) => {
      const { count, items } = engine.provisioning.listDevices(scope, { limit, offset })
      return { count, devices: items.map(deviceToApi) }
    },
    'devices.get': async ({ scope, deviceId }) => deviceToApi(engine.provisioning.getDevice(scope, deviceId)),
    'devices.create': async ({ scope, device }) => {
      await engine.provisioning.createDevices(scope, [checkDevice(device) as DeviceInput])
    },
    'devices.update': async ({ scope, deviceId, patch }) => {
      await engine.provisioning.updateDevice(scope, deviceId, undefined, checkDevicePatch(patch) as DevicePatch)
    },
    'devices.delete': async ({ scope, deviceId }) => {
      await engine.provisioning.deleteDevice(scope, deviceId)
    },

    'entities.list': async ({ scope, type, limit, offset }) => {
      const r = await engine.contextBroker.queryEntities(ngsiQuery(scope), { selector: type ? { types: [type] } : {}, limit: limit ?? 100, offset })
      return { count: r.count, entities: r.entities.map(normalized) }
    },
    'entities.get': async ({ scope, id, type }) => normalized(await engine.contextBroker.getEntity(ngsiQuery(scope), { id, type })),

    'commands.send': async ({ scope, entityId, entityType, command, value }) => {
      await engine.contextBroker.updateAttributes(ngsiWrite(scope), { id: entityId, type: entityType }, { [command]: { type: 'command', value } })
    },

    'mqtt.publish': async ({ topic, payload, qos, retain }) => {
      await engine.broker.publish(topic, payload, { qos, retain })
    },
    'inspector.messages': async ({ afterSeq, limit }) => engine.inspector.messages({ afterSeq, limit: limit ?? 1000 }).map(inspectorDto),
    'inspector.topics': async () => engine.inspector.topicStats(),

    'simulator.startSeed': async (args: RequestArgs<'simulator.startSeed'>) => engine.simulator.startSeedDevice(args),
    'simulator.stop': async ({ apikey, deviceId }) => ({ stopped: await engine.simulator.stopDevice(apikey, deviceId) }),
    'simulator.list': async () => engine.simulator.list(),

    'logs.recent': async () => engine.logger.recent().map((e) => ({ time: e.time, level: e.level, source: e.source, code: e.code, message: e.message }))
  }

  const on: EventSubscribe = (event, listener) => {
    let set = listeners.get(event)
    if (!set) listeners.set(event, (set = new Set()))
    set.add(listener as (payload: never) => void)
    return () => set.delete(listener as (payload: never) => void)
  }

  return {
    ...api,
    on,
    close: () => {
      offCommands()
      offLogs()
      commands.close()
      logs.close()
      clearInterval(statusTimer)
      listeners.clear()
    }
  }
}
