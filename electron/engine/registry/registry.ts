import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Logger, SourceLogger } from '../log/logger'
import { DocStore } from '../persist/doc-store'
import { DeviceIndex, type DeviceEntry } from './device-index'
import { iotaErrors } from './errors'
import { GroupIndex } from './group-index'
import { newObjectId, snapshot } from './records'
import type { Device, Listing, Page, RegistryChange, ServiceGroup } from './types'

export interface RegistryOptions {
  /** Directory of `groups.db` and `devices.db`. */
  dataDir: string
  /** NeDB datafiles are compacted at this interval (0 or absent: only on close). */
  compactionIntervalMs?: number
}

/** A group to store; `_id` and `creationDate` are assigned when absent. */
export type NewGroup = Omit<ServiceGroup, '_id'> & { _id?: string }

/** On-disk form of a record: `seq` keeps listings in creation order across restarts. */
interface Stored<T> {
  v: 1
  seq: number
  record: T
}

type ChangeListener = (change: RegistryChange) => void

/**
 * The IoT Agent's registry of config groups and devices (docs/compatibility/iot-agent-ul.md §1.2–§1.3), on two
 * NeDB files loaded whole into memory at open. Reads are synchronous map lookups, for the MQTT hot
 * path. Writes change memory first (so two concurrent requests cannot both pass a uniqueness
 * check) and resolve once the record is on disk; a write the disk refuses is undone in memory.
 *
 * `service` is stored and looked up lower-cased: Orion treats tenants case-insensitively and the
 * FIWARE MongoDB registry lower-cases it too, so `OpenIoT` and `openiot` are one tenant.
 *
 * Records handed out are frozen snapshots; change them with the update methods.
 */
export class Registry {
  private readonly groups = new GroupIndex()
  private readonly devices = new DeviceIndex()
  private readonly groupSeq = new Map<string, number>()
  private readonly docIds = new WeakMap<Device, string>()
  private readonly listeners = new Set<ChangeListener>()
  private readonly pending = new Set<Promise<void>>()
  private nextSeq = 1
  private closed = false

  private constructor(
    private readonly groupStore: DocStore<Stored<ServiceGroup>>,
    private readonly deviceStore: DocStore<Stored<Device>>,
    private readonly log: SourceLogger
  ) {}

  static async open(opts: RegistryOptions, logger: Logger): Promise<Registry> {
    await mkdir(opts.dataDir, { recursive: true })
    const groupStore = await DocStore.open<Stored<ServiceGroup>>(join(opts.dataDir, 'groups.db'), opts.compactionIntervalMs)
    const deviceStore = await DocStore.open<Stored<Device>>(join(opts.dataDir, 'devices.db'), opts.compactionIntervalMs)
    const registry = new Registry(groupStore, deviceStore, logger.child('registry'))
    for (const notice of [groupStore.notice, deviceStore.notice]) if (notice) logger.write('WARN', 'registry', 'DATAFILE-REPAIRED', notice)
    await registry.load()
    return registry
  }

  private async load(): Promise<void> {
    const bySeq = <T>(a: { value: Stored<T> }, b: { value: Stored<T> }): number => a.value.seq - b.value.seq
    for (const { id, value } of (await this.groupStore.all()).sort(bySeq)) {
      const group = snapshot(withCreationDate(value.record))
      if (this.groups.find(group.resource, group.apikey)) {
        this.log.warn('REGISTRY-LOAD', 'duplicate group ignored', { _id: id, resource: group.resource, apikey: group.apikey })
        continue
      }
      this.groups.add(group)
      this.groupSeq.set(group._id, value.seq)
      this.nextSeq = Math.max(this.nextSeq, value.seq + 1)
    }
    for (const { id, value } of (await this.deviceStore.all()).sort(bySeq)) {
      const device = snapshot(value.record)
      if (this.devices.exact(device.service, device.service_path, device.device_id, device.apikey)) {
        this.log.warn('REGISTRY-LOAD', 'duplicate device ignored', { docId: id, device_id: device.device_id })
        continue
      }
      this.devices.add({ docId: id, seq: value.seq, device })
      this.docIds.set(device, id)
      this.nextSeq = Math.max(this.nextSeq, value.seq + 1)
    }
    this.log.info('REGISTRY-LOADED', `${this.groups.size} groups and ${this.devices.size} devices loaded`)
  }

  // ---------------------------------------------------------------- groups: reads

  /** The group of a southbound message: identity (resource, apikey). */
  findGroup(resource: string, apikey: string): ServiceGroup | undefined {
    return this.groups.find(resource, apikey)
  }

  groupById(id: string): ServiceGroup | undefined {
    return this.groups.get(id)
  }

  groupsByApikey(apikey: string): readonly ServiceGroup[] {
    return this.groups.withApikey(apikey)
  }

  /** Groups of exactly this service and subservice, in creation order. */
  groupsOf(service: string, subservice: string): readonly ServiceGroup[] {
    return this.groups.inScope(service.toLowerCase(), subservice)
  }

  /** Groups of a service (all its subservices when `subservice` is absent), paginated. */
  listGroups(filter: { service: string; subservice?: string }, page: Page = {}): Listing<ServiceGroup> {
    const service = filter.service.toLowerCase()
    const all =
      filter.subservice === undefined
        ? [...this.groups.all()].filter((g) => g.service === service)
        : [...this.groups.inScope(service, filter.subservice)]
    return paginate(all, page)
  }

  allGroups(): ServiceGroup[] {
    return [...this.groups.all()]
  }

  // ---------------------------------------------------------------- groups: writes

  async addGroup(input: NewGroup): Promise<ServiceGroup> {
    this.assertOpen()
    const id = input._id ?? newObjectId()
    const creationDate = input.creationDate ?? Date.now()
    const group = snapshot<ServiceGroup>(Object.assign({ _id: id }, input, { _id: id, service: input.service.toLowerCase(), creationDate }))
    if (this.groups.find(group.resource, group.apikey)) throw iotaErrors.duplicateGroup(group.resource, group.apikey)
    const seq = this.nextSeq++
    this.groups.add(group)
    this.groupSeq.set(group._id, seq)
    await this.persist(this.groupStore, group._id, { v: 1, seq, record: group }, () => {
      this.groups.remove(group)
      this.groupSeq.delete(group._id)
    })
    this.emit({ kind: 'group', op: 'created', group })
    return group
  }

  /** Replaces the group with `current._id` by `next` (its `_id` and `creationDate` are kept). */
  async updateGroup(current: ServiceGroup, next: NewGroup): Promise<ServiceGroup> {
    this.assertOpen()
    const stored = this.groups.get(current._id)
    if (!stored) throw iotaErrors.groupNotFound({ _id: current._id })
    const kept = stored.creationDate === undefined ? {} : { creationDate: stored.creationDate }
    const group = snapshot<ServiceGroup>({ ...next, _id: stored._id, service: next.service.toLowerCase(), ...kept })
    const clash = this.groups.find(group.resource, group.apikey)
    if (clash && clash._id !== group._id) throw iotaErrors.duplicateGroup(group.resource, group.apikey)
    this.groups.replace(stored, group)
    const seq = this.groupSeq.get(group._id) ?? this.nextSeq++
    await this.persist(this.groupStore, group._id, { v: 1, seq, record: group }, () => this.groups.replace(group, stored))
    this.emit({ kind: 'group', op: 'updated', group })
    return group
  }

  async removeGroup(group: ServiceGroup): Promise<void> {
    this.assertOpen()
    const stored = this.groups.get(group._id)
    if (!stored) throw iotaErrors.groupNotFound({ _id: group._id })
    this.groups.remove(stored)
    await this.persist(this.groupStore, stored._id, null, () => this.groups.add(stored))
    this.groupSeq.delete(stored._id)
    this.emit({ kind: 'group', op: 'deleted', group: stored })
  }

  // ---------------------------------------------------------------- devices: reads

  /**
   * The device `deviceId` of a scope for a message carrying `apikey`: the device stored with that
   * apikey, else the one stored without apikey. (FIWARE's MongoDB registry requires the apikey to
   * match, so the seed tutorial's device001, provisioned without apikey, is duplicated by its first
   * measure; see docs/compatibility/iot-agent-ul.md §3.4 step 3.)
   */
  findDevice(service: string, subservice: string, deviceId: string, apikey?: string): Device | undefined {
    return this.devices.find(service.toLowerCase(), subservice, deviceId, apikey)
  }

  /** The device with exactly this identity (apikey undefined = stored without apikey). */
  deviceWithIdentity(service: string, subservice: string, deviceId: string, apikey: string | undefined): Device | undefined {
    return this.devices.exact(service.toLowerCase(), subservice, deviceId, apikey)?.device
  }

  /** Devices with this device_id in every service (the defaultKey path, docs/compatibility/iot-agent-ul.md §3.4 step 1). */
  devicesById(deviceId: string): readonly Device[] {
    return this.devices.withDeviceId(deviceId)
  }

  /** The device behind an entity, for commands forwarded by the context broker. */
  findDeviceByEntity(service: string, subservice: string, entityName: string, entityType?: string): Device | undefined {
    return this.devices.byEntityName(service.toLowerCase(), subservice, entityName, entityType)
  }

  devicesOf(service: string, subservice: string): Device[] {
    return this.devices.inScope(service.toLowerCase(), subservice)
  }

  listDevices(filter: { service: string; subservice: string }, page: Page = {}): Listing<Device> {
    return paginate(this.devicesOf(filter.service, filter.subservice), page)
  }

  allDevices(): Device[] {
    return this.devices.all()
  }

  /** The stored version of the same device record (after updates), or undefined once removed. */
  current(device: Device): Device | undefined {
    const docId = this.docIds.get(device)
    return docId === undefined ? undefined : this.devices.entry(docId)?.device
  }

  counts(): { groups: number; devices: number } {
    return { groups: this.groups.size, devices: this.devices.size }
  }

  // ---------------------------------------------------------------- devices: writes

  /** Stores a new device; resolves once it is on disk (a refused write is undone and rejects). */
  async addDevice(input: Device): Promise<Device> {
    const { device, persisted } = this.insertDevice(input, true)
    await persisted
    return device
  }

  /**
   * Stores a new device in memory now (visible to every lookup on return) and on disk in the
   * background: for autoprovisioning on the MQTT hot path, which must not wait for the disk. A
   * refused disk write rejects `persisted` but leaves the device in memory, so its measures keep
   * flowing; it is autoprovisioned again after a restart.
   */
  addDeviceNow(input: Device): { device: Device; persisted: Promise<void> } {
    return this.insertDevice(input, false)
  }

  private insertDevice(input: Device, undoOnFailure: boolean): { device: Device; persisted: Promise<void> } {
    this.assertOpen()
    const device = snapshot<Device>({ ...input, service: input.service.toLowerCase() })
    if (this.devices.exact(device.service, device.service_path, device.device_id, device.apikey)) {
      throw iotaErrors.duplicateDevice(device.device_id, device.apikey, device.service, device.service_path)
    }
    const entry: DeviceEntry = { docId: newObjectId(), seq: this.nextSeq++, device }
    this.devices.add(entry)
    this.docIds.set(device, entry.docId)
    const undo = (): void => {
      if (undoOnFailure && this.devices.entry(entry.docId) === entry) this.devices.remove(entry)
    }
    const persisted = this.persist(this.deviceStore, entry.docId, { v: 1, seq: entry.seq, record: device }, undo).then(() =>
      this.emit({ kind: 'device', op: 'created', device })
    )
    return { device, persisted }
  }

  /** Replaces a device record (found by `current`, any version of it) with `next`. */
  async updateDevice(current: Device, input: Device): Promise<Device> {
    this.assertOpen()
    const entry = this.entryOf(current)
    const previous = entry.device
    const next = snapshot<Device>({ ...input, service: input.service.toLowerCase() })
    const clash = this.devices.exact(next.service, next.service_path, next.device_id, next.apikey)
    if (clash && clash !== entry) throw iotaErrors.duplicateDevice(next.device_id, next.apikey, next.service, next.service_path)
    this.devices.replace(entry, next)
    this.docIds.set(next, entry.docId)
    await this.persist(this.deviceStore, entry.docId, { v: 1, seq: entry.seq, record: next }, () => {
      if (entry.device === next) this.devices.replace(entry, previous)
    })
    this.emit({ kind: 'device', op: 'updated', device: next })
    return next
  }

  async removeDevice(device: Device): Promise<void> {
    this.assertOpen()
    const entry = this.entryOf(device)
    const removed = entry.device
    this.devices.remove(entry)
    await this.persist(this.deviceStore, entry.docId, null, () => this.devices.add(entry))
    this.emit({ kind: 'device', op: 'deleted', device: removed })
  }

  // ---------------------------------------------------------------- events and lifecycle

  /** Calls `listener` after every change is on disk (autoprovisioned devices: once written). */
  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Waits for writes in flight, then compacts and closes both files. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await Promise.allSettled([...this.pending])
    this.listeners.clear()
    await Promise.all([this.groupStore.close(), this.deviceStore.close()])
  }

  private entryOf(device: Device): DeviceEntry {
    const docId = this.docIds.get(device)
    const entry = docId === undefined ? undefined : this.devices.entry(docId)
    if (!entry) throw iotaErrors.deviceNotFound(device.device_id, { service: device.service, subservice: device.service_path })
    return entry
  }

  private assertOpen(): void {
    if (this.closed) throw iotaErrors.internalDb('the registry is closed')
  }

  /** Writes (or, with `record` null, removes) one document; on failure runs `undo` and rejects. */
  private persist<T>(store: DocStore<T>, id: string, record: T | null, undo: () => void): Promise<void> {
    const write = record === null ? store.remove(id) : store.put(id, record)
    const done = write.then(
      () => {
        this.pending.delete(done)
      },
      (err: Error) => {
        this.pending.delete(done)
        undo()
        this.log.error('REGISTRY-WRITE', `cannot write ${store.filename}: ${err.message}`, { id })
        throw iotaErrors.internalDb(err.message)
      }
    )
    this.pending.add(done)
    return done
  }

  private emit(change: RegistryChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change)
      } catch (err) {
        this.log.error('REGISTRY-LISTENER', `change listener failed: ${(err as Error).message}`)
      }
    }
  }
}

/**
 * A group stored before groups had `creationDate` gets the creation time its ObjectId-style `_id`
 * carries (seconds); it is written with the group's next update.
 */
function withCreationDate(group: ServiceGroup): ServiceGroup {
  if (group.creationDate !== undefined || !/^[0-9a-f]{24}$/.test(group._id)) return group
  return { ...group, creationDate: parseInt(group._id.slice(0, 8), 16) * 1000 }
}

function paginate<T>(all: T[], page: Page): Listing<T> {
  const offset = page.offset ?? 0
  const items = page.limit ? all.slice(offset, offset + page.limit) : all.slice(offset)
  return { count: all.length, items }
}
