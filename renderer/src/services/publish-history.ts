/**
 * The last payloads published from the inspector, newest first, kept in this browser's
 * localStorage (storage.ts): offered again in the publish panel, and the newest one fills the
 * panel after a reload. Bounded in count and in size; a stored value of any other shape is ignored.
 */
import { loadJson, saveJson } from './storage'

export interface PublishEntry {
  topic: string
  payload: string
  qos: 0 | 1 | 2
  retain: boolean
}

export const HISTORY_KEY = 'publish.history'
/** Entries kept. */
export const HISTORY_MAX = 10
/** Larger payloads are published but not remembered: localStorage is small and shared. */
export const HISTORY_PAYLOAD_MAX = 4096
const TOPIC_MAX = 65535

export function isPublishEntry(v: unknown): v is PublishEntry {
  if (typeof v !== 'object' || v === null) return false
  const e = v as Record<string, unknown>
  return (
    typeof e.topic === 'string' &&
    e.topic.length > 0 &&
    e.topic.length <= TOPIC_MAX &&
    typeof e.payload === 'string' &&
    e.payload.length <= HISTORY_PAYLOAD_MAX &&
    (e.qos === 0 || e.qos === 1 || e.qos === 2) &&
    typeof e.retain === 'boolean'
  )
}

export function isHistory(v: unknown): v is PublishEntry[] {
  return Array.isArray(v) && v.length <= HISTORY_MAX && v.every(isPublishEntry)
}

/** The history with `entry` first: an identical earlier entry moves up instead of repeating. */
export function remember(history: readonly PublishEntry[], entry: PublishEntry): PublishEntry[] {
  if (!isPublishEntry(entry)) return [...history]
  const same = (e: PublishEntry): boolean => e.topic === entry.topic && e.payload === entry.payload && e.qos === entry.qos && e.retain === entry.retain
  const { topic, payload, qos, retain } = entry
  return [{ topic, payload, qos, retain }, ...history.filter((e) => !same(e))].slice(0, HISTORY_MAX)
}

export function loadHistory(): PublishEntry[] {
  return loadJson(HISTORY_KEY, [], isHistory)
}

export function saveHistory(history: readonly PublishEntry[]): void {
  saveJson(HISTORY_KEY, history.slice(0, HISTORY_MAX))
}
