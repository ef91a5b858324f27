/**
 * IoT Agent JSON payloads as the inspector displays them (docs/compatibility/iot-agent-json.md §2),
 * in the same shapes as UltraLight's (ultralight.ts): measures (an object, or an array of them, one
 * group each, `TimeInstant` shown as the group's time), a single attribute (`…/attrs/<name>`), a
 * command `{"<cmd>": value}` on `…/cmd`, its result `{"<cmd>": result}` on `…/cmdexe`, a
 * configuration request and the agent's configuration values. For display only: what the agent did
 * with a message comes from the engine (the message's `agent` field).
 */
import type { DecodedPayload } from './ultralight'

/** `[/][json/]<apikey>/<device>/<suffix…>`: the device id and what follows it. */
function topicParts(topic: string): { device: string; suffix: string[] } | null {
  const parts = topic.replace(/^\//, '').split('/')
  if (parts[0] === 'json') parts.shift()
  if (parts.length < 3) return null
  return { device: parts[1]!, suffix: parts.slice(2) }
}

/** A JSON value as one line of text: strings as they are, anything else as JSON. */
const text = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v))

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function parse(payload: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(payload) as unknown }
  } catch {
    return { ok: false }
  }
}

function measureGroup(o: Record<string, unknown>): { timestamp?: string; pairs: Array<[string, string]> } {
  const pairs: Array<[string, string]> = []
  let timestamp: string | undefined
  for (const [k, v] of Object.entries(o)) {
    if (k === 'TimeInstant' && typeof v === 'string') timestamp = v
    else pairs.push([k, text(v)])
  }
  return timestamp === undefined ? { pairs } : { timestamp, pairs }
}

export function decodeJsonPayload(payload: string, topic: string): DecodedPayload {
  const where = topicParts(topic)
  if (!where || !payload.trim()) return { kind: 'none' }
  const [first, second, third] = where.suffix
  // A single attribute's value is the whole payload, JSON or not (§2.2).
  if (first === 'attrs' && second !== undefined && third === undefined) {
    const p = parse(payload)
    return { kind: 'measures', groups: [{ pairs: [[second, p.ok ? text(p.value) : payload]] }] }
  }
  const p = parse(payload)
  if (!p.ok) return { kind: 'none' }
  const v = p.value
  if (first === 'attrs' && second === undefined) {
    const list = Array.isArray(v) ? v : [v]
    if (!list.length || !list.every(isObject)) return { kind: 'none' }
    return { kind: 'measures', groups: list.map(measureGroup) }
  }
  if ((first === 'cmd' || first === 'cmdexe') && second === undefined && isObject(v)) {
    const [entry] = Object.entries(v)
    if (!entry) return { kind: 'none' }
    const [command, value] = entry
    return first === 'cmd' ? { kind: 'command', device: where.device, command, value: text(value) } : { kind: 'commandResult', device: where.device, command, result: text(value) }
  }
  if (first === 'configuration' && third === undefined) {
    if (second === 'commands' && isObject(v) && typeof v.type === 'string') {
      const fields = Array.isArray(v.fields) ? v.fields.map(text) : []
      return { kind: 'configurationRequest', type: v.type, attributes: fields }
    }
    if (second === 'values' && isObject(v)) {
      const { dt, ...values } = v
      return { kind: 'configurationValues', device: where.device, values: Object.entries(values).map(([k, x]) => [k, text(x)]), ...(typeof dt === 'string' ? { stamp: dt } : {}) }
    }
  }
  return { kind: 'none' }
}
