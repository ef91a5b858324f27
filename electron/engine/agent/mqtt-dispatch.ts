/**
 * One MQTT ingress for the two agents (docs/compatibility/iot-agent-json.md §3.5). With FIWARE both
 * agents subscribe on the same broker and each drops what its registry does not know; here one
 * engine receives every message once and hands it to one agent:
 * - `[/]ul/<apikey>/<id>/…` always goes to the UltraLight agent, `[/]json/<apikey>/<id>/…` always
 *   to the JSON agent;
 * - the shared shapes `[/]<apikey>/<id>/…` go to the JSON agent when the API key belongs to it and
 *   not to the UltraLight agent, to the UltraLight agent otherwise (both or neither: UltraLight).
 *
 * Per message: a topic split and one map lookup per registry, nothing else.
 */

import type { AgentProtocolName } from '../agent-protocol'
import type { MqttMessage } from '../broker/types'
import type { AgentOutcome } from './measure-ingest'
import type { RoutedTopic, Southbound } from './southbound'
import { parseAgentTopic } from './topics'

/** An agent as the dispatch sees it: its southbound side and whether an API key is its own. */
export interface DispatchedAgent {
  southbound: Southbound
  /** True when the agent has a group with this API key, or the key is its own default key. */
  ownsApikey(apikey: string): boolean
}

/** Where a topic goes, or null when it is no agent's topic. */
export interface TopicRoute {
  agent: AgentProtocolName
  topic: RoutedTopic
}

/**
 * Reads a topic as the agents do: a `ul/` or `json/` prefix (any case) names the agent when what
 * follows is a device topic; otherwise the topic is a shared shape and `jsonOwns` decides.
 */
export function routeAgentTopic(topic: string, jsonOwns: (apikey: string) => boolean): TopicRoute | null {
  const parsed = parseAgentTopic(topic.replace(/^(\/?)json\//i, '$1ul/'))
  if (!parsed) return null
  const seg = topic.split('/')
  const start = seg[0] === '' ? 1 : 0
  const head = seg[start]!.toLowerCase()
  // parseAgentTopic takes the prefix first: the apikey and device then sit one segment further.
  const prefixed = (head === 'ul' || head === 'json') && parsed.apikey === seg[start + 1] && parsed.deviceId === seg[start + 2]
  if (prefixed) return { agent: head === 'json' ? 'json' : 'ul', topic: parsed }
  // The first segment was rewritten above: read it back from the topic.
  const plain: RoutedTopic = { ...parsed, apikey: seg[start]! }
  if (!jsonOwns(plain.apikey)) return { agent: 'ul', topic: plain }
  // The JSON agent has no subscription for `<apikey>/<id>/…` without the leading slash (§3.1).
  return { agent: 'json', topic: { ...plain, subscribed: start === 1 } }
}

/**
 * The broker's ingress for both agents: returns the outcome of the agent that handled the message
 * (its `agent` field says which), or null for a topic that is no agent's (then `done` is called at once).
 */
export function agentIngress(ul: DispatchedAgent, json: DispatchedAgent): (msg: MqttMessage, done: (err?: Error) => void) => AgentOutcome | null {
  const jsonOwns = (apikey: string): boolean => json.ownsApikey(apikey) && !ul.ownsApikey(apikey)
  return (msg, done) => {
    const route = routeAgentTopic(msg.topic, jsonOwns)
    if (!route) {
      done()
      return null
    }
    return (route.agent === 'json' ? json : ul).southbound.handleTopic(route.topic, msg, done)
  }
}
