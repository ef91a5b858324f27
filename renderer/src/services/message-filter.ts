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
  device: string
  errorsOnly: boolean
}

export function emptyFilter(): LogFilter {
  return { topic: '', device: '', errorsOnly: false }
}

export function isFilterActive(f: LogFilter): boolean {
  return !!(f.topic.trim() || f.device.trim() || f.errorsOnly)
}

export function messagePredicate(f: LogFilter): (m: InspectorMessageDto) => boolean {
  const topic = f.topic.trim()
  const wildcard = /[+#]/.test(topic)
  const needle = topic.toLowerCase()
  const device = f.device.trim()
  return (m) => {
    if (f.errorsOnly && !m.agent?.error) return false
    if (topic && !(wildcard ? mqttMatch(topic, m.topic) : m.topic.toLowerCase().includes(needle))) return false
    if (device && m.agent?.deviceId !== device && !m.topic.split('/').includes(device)) return false
    return true
  }
}
