import type { Scope } from '../context/types'

/** A command waiting for its device to poll (`getCmd=1`). */
export interface QueuedCommand {
  command: string
  /** The value as the context broker forwarded it (the JSON agent answers a poll with these). */
  value: unknown
  /** The payload as the device will receive it (already encoded by the agent's codec). */
  payload: string
  queuedAt: number
}

/** Commands one device may have queued; a device declares far fewer in practice. */
export const MAX_QUEUED_PER_DEVICE = 100

/**
 * The commands of polling devices (HTTP transport, no endpoint; docs/compatibility/iot-agent-ul.md
 * §5.7), in memory. As in the reference's registries, a device has at most one queued command per
 * name: a second one of the same name replaces the value and keeps its place. Bounded: the number
 * of names is capped per device, and a device's entry goes when its queue is taken or emptied.
 */
export class PollingQueue {
  private readonly byDevice = new Map<string, Map<string, QueuedCommand>>()

  /** Queues a command; false when the device already has MAX_QUEUED_PER_DEVICE other commands queued. */
  add(scope: Scope, deviceId: string, queued: Omit<QueuedCommand, 'queuedAt'>, now: number): boolean {
    const { command, value, payload } = queued
    const key = deviceKey(scope, deviceId)
    let q = this.byDevice.get(key)
    if (!q) {
      q = new Map()
      this.byDevice.set(key, q)
    }
    const existing = q.get(command)
    if (existing) {
      existing.value = value
      existing.payload = payload
      return true
    }
    if (q.size >= MAX_QUEUED_PER_DEVICE) return false
    q.set(command, { command, value, payload, queuedAt: now })
    return true
  }

  /** Removes and returns the device's queued commands, oldest first. */
  take(scope: Scope, deviceId: string): QueuedCommand[] {
    const key = deviceKey(scope, deviceId)
    const q = this.byDevice.get(key)
    if (!q) return []
    this.byDevice.delete(key)
    return [...q.values()]
  }

  /** Drops one queued command (it expired); true when it was queued. */
  remove(scope: Scope, deviceId: string, command: string): boolean {
    const key = deviceKey(scope, deviceId)
    const q = this.byDevice.get(key)
    if (!q?.delete(command)) return false
    if (q.size === 0) this.byDevice.delete(key)
    return true
  }

  /** Commands queued over all devices. */
  size(): number {
    let n = 0
    for (const q of this.byDevice.values()) n += q.size
    return n
  }

  clear(): void {
    this.byDevice.clear()
  }
}

function deviceKey(scope: Scope, deviceId: string): string {
  return `${scope.service}\u0000${scope.servicePath}\u0000${deviceId}`
}
