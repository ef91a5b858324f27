/** Filters of the inspector's log and the topic tree. */
import type { InspectorMessageDto } from '../../../shared/contract'

/** MQTT topic filter matching (`+` one level, `#` the rest). */
export function mqttMatch(filter: string, topic: string): boolean {
  const f = filter.split('/')
  const t = topic.split('/')
  for (let i = 0; i < f.length; i++) {
    const part = f[i]
    if (part === '#') return true
    if (i >= t.length) return false
    if (part !== '+' && part !== t[i]) return false
  }
  return f.length === t.length
}

export interface LogFilter {
  /** Substring, or an MQTT filter when it has `+` or `#`. */
  topic: string
  /** Text found in the topic or the payload, whatever the case. */
  text: string
  device: string
  errorsOnly: boolean
}

export function emptyFilter(): LogFilter {
  return { topic: '', text: '', device: '', errorsOnly: false }
}

export function isFilterActive(f: LogFilter): boolean {
  return !!(f.topic.trim() || f.text.trim() || f.device.trim() || f.errorsOnly)
}

export function messagePredicate(f: LogFilter): (m: InspectorMessageDto) => boolean {
  const topic = f.topic.trim()
  const wildcard = /[+#]/.test(topic)
  const needle = topic.toLowerCase()
  const device = f.device.trim()
  const text = f.text.trim()
  // One case-insensitive expression, built once per filter: the payloads (already text in the
  // DTO) are scanned as they are, never copied into lower case.
  const search = text ? new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i') : null
  return (m) => {
    if (f.errorsOnly && !m.agent?.error) return false
    if (topic && !(wildcard ? mqttMatch(topic, m.topic) : m.topic.toLowerCase().includes(needle))) return false
    if (device && m.agent?.deviceId !== device && !m.topic.split('/').includes(device)) return false
    if (search && !search.test(m.topic) && !search.test(m.payload)) return false
    return true
  }
}
