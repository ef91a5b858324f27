/**
 * MQTT topics of the UltraLight agent (docs/compatibility/iot-agent-ul.md §3.1–§3.3). Devices publish on
 * `[/][ul/]<apikey>/<deviceId>/attrs[/<attr>]`, `…/cmdexe` and `…/configuration/commands`; the
 * leading slash and the `ul/` prefix are both optional. The agent publishes commands on
 * `/<apikey>/<deviceId>/cmd` and configuration on `/<apikey>/<deviceId>/configuration/values`.
 */

export type AgentTopicKind =
  /** UltraLight multi-measure payload */
  | 'attrs'
  /** one attribute, raw value: `…/attrs/<attribute>` */
  | 'attr'
  /** command result */
  | 'cmdexe'
  /** configuration request */
  | 'configuration'

export interface AgentTopic {
  kind: AgentTopicKind
  apikey: string
  deviceId: string
  /** Attribute name of a single-attribute topic. */
  attribute?: string
}

function classify(seg: string[], from: number): AgentTopic | null {
  // seg[from] = apikey, seg[from + 1] = deviceId, then the suffix.
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
 * Classifies a topic, or returns null for a topic that is not for the agent (other MQTT traffic,
 * the agent's own publications). Unlike the reference dispatcher, which only ever sees topics
 * matching its subscriptions, this is strict about the suffix, because the embedded broker shows
 * the agent every topic.
 */
export function parseAgentTopic(topic: string): AgentTopic | null {
  const seg = topic.split('/')
  // Without a leading slash the first segment is seg[0]; with it, seg[0] is ''.
  const start = seg[0] === '' ? 1 : 0
  if (seg.length - start >= 4 && seg[start]!.toLowerCase() === 'ul') {
    const withPrefix = classify(seg, start + 1)
    if (withPrefix) return withPrefix
  }
  return classify(seg, start)
}

/** Topic of a command for a device (always with the leading slash, as iotagent-ul). */
export function commandTopic(apikey: string, deviceId: string): string {
  return `/${apikey}/${deviceId}/cmd`
}

/** Topic of configuration values sent to a device. */
export function configurationValuesTopic(apikey: string, deviceId: string): string {
  return `/${apikey}/${deviceId}/configuration/values`
}
