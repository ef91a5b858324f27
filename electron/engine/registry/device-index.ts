import type { Device } from './types'
import { addTo, removeFrom, scopedKey } from './records'

/** A stored device and the id of its document on disk (the device's identity may change). */
export interface DeviceEntry {
  readonly docId: string
  readonly seq: number
  device: Device
}

const NONE: readonly Device[] = Object.freeze([])

/**
 * In-memory indexes of the devices, one map access per lookup. Several devices may share a
 * device_id inside a scope when their apikeys differ (FIWARE's identity is service, subservice,
 * device_id and apikey), so identity buckets hold short lists.
 */
export class DeviceIndex {
  /** Insertion order = listing order; an update keeps the entry and so its place. */
  private readonly byDoc = new Map<string, DeviceEntry>()
  private readonly byIdentity = new Map<string, readonly DeviceEntry[]>()
  private readonly byDeviceId = new Map<string, readonly Device[]>()
  private readonly byEntity = new Map<string, readonly DeviceEntry[]>()
  private readonly byScope = new Map<string, Set<DeviceEntry>>()

  get size(): number {
    return this.byDoc.size
  }

  entry(docId: string): DeviceEntry | undefined {
    return this.byDoc.get(docId)
  }

  add(entry: DeviceEntry): void {
    this.byDoc.set(entry.docId, entry)
    this.index(entry)
  }

  /** Points an entry at a new version of its device. */
  replace(entry: DeviceEntry, next: Device): void {
    const prev = entry.device
    // A device that stays in its scope keeps its place in the scope's listing.
    const sameScope = prev.service === next.service && prev.service_path === next.service_path
    this.unindex(entry, !sameScope)
    entry.device = next
    this.index(entry, !sameScope)
  }

  remove(entry: DeviceEntry): void {
    this.unindex(entry)
    this.byDoc.delete(entry.docId)
  }

  /**
   * The device with this device_id in the scope: with an apikey, the one stored with that apikey,
   * else one stored without apikey; without an apikey, preferably one stored without apikey.
   */
  find(service: string, subservice: string, deviceId: string, apikey?: string): Device | undefined {
    const bucket = this.byIdentity.get(scopedKey(service, subservice, deviceId))
    if (!bucket) return undefined
    if (apikey !== undefined) {
      const exact = bucket.find((e) => e.device.apikey === apikey)
      if (exact) return exact.device
    }
    const keyless = bucket.find((e) => e.device.apikey === undefined)
    if (keyless) return keyless.device
    return apikey === undefined ? bucket[0]?.device : undefined
  }

  /** The entry with exactly this identity (`apikey` undefined matches a device stored without one). */
  exact(service: string, subservice: string, deviceId: string, apikey: string | undefined): DeviceEntry | undefined {
    return this.byIdentity.get(scopedKey(service, subservice, deviceId))?.find((e) => e.device.apikey === apikey)
  }

  withDeviceId(deviceId: string): readonly Device[] {
    return this.byDeviceId.get(deviceId) ?? NONE
  }

  byEntityName(service: string, subservice: string, entityName: string, entityType?: string): Device | undefined {
    const bucket = this.byEntity.get(scopedKey(service, subservice, entityName))
    if (!bucket) return undefined
    if (entityType === undefined) return bucket[0]?.device
    return bucket.find((e) => e.device.entity_type === entityType)?.device
  }

  inScope(service: string, subservice: string): Device[] {
    const set = this.byScope.get(scopedKey(service, subservice))
    return set ? [...set].map((e) => e.device) : []
  }

  all(): Device[] {
    return [...this.byDoc.values()].map((e) => e.device)
  }

  private index(entry: DeviceEntry, withScope = true): void {
    const d = entry.device
    addTo(this.byIdentity, scopedKey(d.service, d.service_path, d.device_id), entry)
    addTo(this.byDeviceId, d.device_id, d)
    addTo(this.byEntity, scopedKey(d.service, d.service_path, d.entity_name), entry)
    if (!withScope) return
    const scope = scopedKey(d.service, d.service_path)
    let set = this.byScope.get(scope)
    if (!set) this.byScope.set(scope, (set = new Set()))
    set.add(entry)
  }

  private unindex(entry: DeviceEntry, withScope = true): void {
    const d = entry.device
    removeFrom(this.byIdentity, scopedKey(d.service, d.service_path, d.device_id), entry)
    removeFrom(this.byDeviceId, d.device_id, d)
    removeFrom(this.byEntity, scopedKey(d.service, d.service_path, d.entity_name), entry)
    if (!withScope) return
    const scope = scopedKey(d.service, d.service_path)
    const set = this.byScope.get(scope)
    set?.delete(entry)
    if (set && set.size === 0) this.byScope.delete(scope)
  }
}
