import { randomBytes } from 'node:crypto'

/**
 * Helpers for the records the registry keeps. Stored records are immutable snapshots: a deep copy
 * (through JSON, which is also how they go to disk, so what is in memory equals what a reopen
 * loads) that is deep-frozen, so no reader on the MQTT hot path can change a device behind the
 * registry's back; changes go through the registry's update methods.
 */

export function snapshot<T>(value: T): T {
  return deepFreeze(JSON.parse(JSON.stringify(value)) as T)
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v)
  }
  return value
}

// MongoDB ObjectId layout (4-byte time, 5-byte process-random, 3-byte counter), so `_id` values look
// like those the FIWARE agent returns and sort roughly by creation time.
const processRandom = randomBytes(5).toString('hex')
let counter = randomBytes(3).readUIntBE(0, 3)

export function newObjectId(): string {
  counter = (counter + 1) % 0x1000000
  const time = Math.floor(Date.now() / 1000)
    .toString(16)
    .padStart(8, '0')
  return time + processRandom + counter.toString(16).padStart(6, '0')
}

/** Key of a (service, subservice, name) triple for the in-memory maps. */
export function scopedKey(service: string, subservice: string, name?: string): string {
  return name === undefined ? `${service}\u0001${subservice}` : `${service}\u0001${subservice}\u0001${name}`
}

/** Appends to the list under `key` without changing the array a reader may hold (copy on write). */
export function addTo<K, V>(map: Map<K, readonly V[]>, key: K, value: V): void {
  map.set(key, [...(map.get(key) ?? []), value])
}

export function removeFrom<K, V>(map: Map<K, readonly V[]>, key: K, value: V): void {
  const rest = (map.get(key) ?? []).filter((v) => v !== value)
  if (rest.length) map.set(key, rest)
  else map.delete(key)
}
