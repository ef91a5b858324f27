import { ProviderError } from './context-provider'
import type { EffectiveDevice } from './effective-device'
import { MAX_QUEUED_PER_DEVICE, PollingQueue, type QueuedCommand } from './polling-queue'
import type { PollingKey, PollingRecord, PollingStore } from './polling-store'

/** A command taken back from the agent's file at start, with the device it is for. */
export interface RestoredCommand {
  dev: EffectiveDevice
  record: PollingRecord
}

/**
 * The commands of one agent's polling devices (docs/compatibility/iot-agent-ul.md §5.7): the queue
 * a `getCmd=1` empties (polling-queue.ts) and, when the agent has one, its `commands.db`
 * (polling-store.ts), which keeps queued commands and delivered ones waiting for their result
 * across a restart. CommandCenter tells it each step of a command's life.
 */
export class PollingCommands {
  private readonly queue = new PollingQueue()

  constructor(private readonly store?: PollingStore) {}

  /** Queues a command in memory and in the file; refused (503 COMMAND_QUEUE_FULL) past the bounds. */
  enqueue(dev: EffectiveDevice, command: string, value: unknown, payload: string, sentAt: number): void {
    const k = keyOf(dev, command)
    if (this.store && !this.store.hasRoom(k, payload)) {
      throw new ProviderError(503, 'COMMAND_QUEUE_FULL', `the agent already holds ${this.store.size()} commands for polling devices: they must be fetched or expire first`)
    }
    if (!this.queue.add(dev.scope, dev.deviceId, { command, value, payload }, sentAt)) {
      throw new ProviderError(503, 'COMMAND_QUEUE_FULL', `${dev.deviceId} already has ${MAX_QUEUED_PER_DEVICE} commands waiting for its next poll`)
    }
    this.store?.queue({ ...k, entityId: dev.entityId, entityType: dev.entityType, value, payload, sentAt })
  }

  /** Resolves once what was queued is on disk (immediately without a file). */
  durable(): Promise<void> {
    return this.store ? this.store.durable() : Promise.resolve()
  }

  /** Takes back a command the file could not keep; false when the device fetched it meanwhile. */
  withdraw(dev: EffectiveDevice, command: string): boolean {
    if (!this.queue.remove(dev.scope, dev.deviceId, command)) return false
    this.store?.remove(keyOf(dev, command))
    return true
  }

  /**
   * The device's queued commands, oldest first, now delivered: kept in the file while
   * `awaitsResult` says their expiry runs, else dropped (nothing is left to wait for).
   */
  take(dev: EffectiveDevice, awaitsResult: (command: string) => boolean): QueuedCommand[] {
    const taken = this.queue.take(dev.scope, dev.deviceId)
    for (const q of taken) {
      const k = keyOf(dev, q.command)
      if (awaitsResult(q.command)) this.store?.delivered(k)
      else this.store?.remove(k)
    }
    return taken
  }

  /** A delivered command got its result: it leaves the file (a newer queued one of the same name stays). */
  settled(dev: EffectiveDevice, command: string): void {
    this.store?.settled(keyOf(dev, command))
  }

  /** The command expired: it leaves the queue and the file. */
  expired(dev: EffectiveDevice, command: string): void {
    this.queue.remove(dev.scope, dev.deviceId, command)
    this.store?.remove(keyOf(dev, command))
  }

  /**
   * The file's commands at start, queued ones back in their place: those whose device (or its
   * command) is still provisioned, as `resolve` finds it. The others leave the file and are
   * reported by `dropped`; so are delivered ones when no expiry is left to wait for them.
   */
  restore(resolve: (r: PollingRecord) => EffectiveDevice | undefined, keepDelivered: boolean, dropped: (r: PollingRecord) => void): RestoredCommand[] {
    const out: RestoredCommand[] = []
    for (const record of this.store?.all() ?? []) {
      const k: PollingKey = { scope: { service: record.service, servicePath: record.servicePath }, deviceId: record.deviceId, command: record.command }
      const dev = resolve(record)
      if (!dev || dev.deviceId !== record.deviceId || !dev.commands.has(record.command)) {
        dropped(record)
        this.store?.remove(k)
        continue
      }
      if (record.delivered ? !keepDelivered : !this.queue.add(k.scope, record.deviceId, record, record.queuedAt)) {
        this.store?.remove(k)
        continue
      }
      out.push({ dev, record })
    }
    return out
  }

  /** Commands queued (not yet fetched) over all devices. */
  size(): number {
    return this.queue.size()
  }

  clear(): void {
    this.queue.clear()
  }
}

function keyOf(dev: EffectiveDevice, command: string): PollingKey {
  return { scope: dev.scope, deviceId: dev.deviceId, command }
}
