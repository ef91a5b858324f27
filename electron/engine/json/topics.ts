/**
 * MQTT topics of the JSON agent (docs/compatibility/iot-agent-json.md §3.1, §3.2). Devices publish
 * on `/<apikey>/<deviceId>/attrs[/<attr>]`, `…/cmdexe` and `…/configuration/commands`, with or
 * without a `json/` prefix (any case). The agent publishes commands on `/<apikey>/<deviceId>/cmd`
 * and configuration on `/<apikey>/<deviceId>/configuration/values`.
 */

export type JsonTopicKind =
  /** a JSON measure payload (object or array of objects) */
  | 'attrs'
  /** one attribute: `…/attrs/<attribute>` */
  | 'attr'
  /** command results */
  | 'cmdexe'
  /** configuration request */
  | 'configuration'

export interface JsonTopic {
  kind: JsonTopicKind
  apikey: string
  deviceId: string
  /** Attribute name of a single-attribute topic. */
  attribute?: string
  /**
   * False for `<apikey>/<deviceId>/…` with neither a leading slash nor the `json/` prefix: the
   * reference agent does not subscribe to that shape (§3.1), so its messages never reach it.
   */
  subscribed: boolean
}

function classify(seg: string[], from: number): Omit<JsonTopic, 'subscribed'> | null {
  const rest = seg.length - from
  if (rest < 3 || rest > 4) return null
  const apikey = seg[from]!
  const deviceId = seg[from + 1]!
  const a = seg[from + 2]!
  if (apikey === '' || deviceId === '') return null
  if (rest === 3) {
    if (a === 'attrs') return { kind: 'attrs', apikey, deviceId }
    if (a === 'cmdexe') return { kind: 'cmdexe', apikey, deviceId }
    return null
  }
  const b = seg[from + 3]!
  if (a === 'configuration' && b === 'commands') return { kind: 'configuration', apikey, deviceId }
  if (a === 'attrs' && b !== '') return { kind: 'attr', apikey, deviceId, attribute: b }
  return null
}

/**
 * Classifies a topic, or returns null when it is not a JSON agent topic. The `json/` prefix is
 * tried first; when the rest is not a device topic the first segment is read as the API key, so
 * an API key or device called "json" still works (deviation: the reference always drops a first
 * segment "json" and then misreads `/json/dev/attrs` as API key "dev", device "attrs").
 */
export function parseJsonAgentTopic(topic: string): JsonTopic | null {
  if (typeof topic !== 'string') return null
  const seg = topic.split('/')
  const slash = seg[0] === ''
  const start = slash ? 1 : 0
  if (seg.length - start >= 4 && seg[start]!.toLowerCase() === 'json') {
    const prefixed = classify(seg, start + 1)
    if (prefixed) return { ...prefixed, subscribed: true }
  }
  const plain = classify(seg, start)
  return plain ? { ...plain, subscribed: slash } : null
}

/** Topic of a command for a device (always with the leading slash, as the reference). */
export function jsonCommandTopic(apikey: string, deviceId: string): string {
  return `/${apikey}/${deviceId}/cmd`
}

/** Topic of configuration values sent to a device. */
export function jsonConfigurationValuesTopic(apikey: string, deviceId: string): string {
  return `/${apikey}/${deviceId}/configuration/values`
}
