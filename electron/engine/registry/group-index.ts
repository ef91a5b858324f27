import type { ServiceGroup } from './types'
import { addTo, removeFrom, scopedKey } from './records'

const NONE: readonly ServiceGroup[] = Object.freeze([])

/**
 * In-memory indexes of the config groups. Every lookup the southbound path makes is a map access.
 * The lists handed out are never modified afterwards (a change builds a new list), so a caller may
 * iterate one while provisioning changes the registry.
 */
export class GroupIndex {
  /** Insertion order = listing order. */
  private readonly byId = new Map<string, ServiceGroup>()
  private readonly byIdentity = new Map<string, ServiceGroup>()
  private readonly byApikey = new Map<string, readonly ServiceGroup[]>()
  private readonly byScope = new Map<string, readonly ServiceGroup[]>()

  get size(): number {
    return this.byId.size
  }

  add(group: ServiceGroup): void {
    this.byId.set(group._id, group)
    this.byIdentity.set(identity(group.resource, group.apikey), group)
    addTo(this.byApikey, group.apikey, group)
    addTo(this.byScope, scopedKey(group.service, group.subservice), group)
  }

  /** Replaces a group by its `_id`, keeping its place in listings. */
  replace(previous: ServiceGroup, next: ServiceGroup): void {
    this.unindex(previous)
    this.byId.set(next._id, next)
    this.byIdentity.set(identity(next.resource, next.apikey), next)
    addTo(this.byApikey, next.apikey, next)
    addTo(this.byScope, scopedKey(next.service, next.subservice), next)
  }

  remove(group: ServiceGroup): void {
    this.unindex(group)
    this.byId.delete(group._id)
  }

  get(id: string): ServiceGroup | undefined {
    return this.byId.get(id)
  }

  find(resource: string, apikey: string): ServiceGroup | undefined {
    return this.byIdentity.get(identity(resource, apikey))
  }

  withApikey(apikey: string): readonly ServiceGroup[] {
    return this.byApikey.get(apikey) ?? NONE
  }

  inScope(service: string, subservice: string): readonly ServiceGroup[] {
    return this.byScope.get(scopedKey(service, subservice)) ?? NONE
  }

  all(): IterableIterator<ServiceGroup> {
    return this.byId.values()
  }

  private unindex(group: ServiceGroup): void {
    const key = identity(group.resource, group.apikey)
    if (this.byIdentity.get(key) === group) this.byIdentity.delete(key)
    removeFrom(this.byApikey, group.apikey, group)
    removeFrom(this.byScope, scopedKey(group.service, group.subservice), group)
  }
}

function identity(resource: string, apikey: string): string {
  return `${resource}\u0001${apikey}`
}
