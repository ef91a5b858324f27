import type { InspectorBadgeDto, InspectorHopDto, InspectorSourceDto, InspectorVerdictDto } from '../../../shared/contract'
import type { InspectedMessage } from './inspector'

/**
 * Who published an inspected message, the leg it is on, what became of it and its badges, from
 * facts only: the engine tags its own publications (PublishOptions.by), and the agent's outcome
 * says whether the topic is one the agent reads. Computed when a message is handed to the GUI,
 * never on the message path.
 */

type Facts = Pick<InspectedMessage, 'origin' | 'publisher' | 'outcome'>

/** Rejections meaning that no device is provisioned for the message and none can be created. */
const UNPROVISIONED = new Set(['NO_GROUP', 'AUTOPROVISION_DISABLED'])

export function messageSource(m: Facts): InspectorSourceDto {
  if (m.publisher !== undefined) return m.publisher
  if (m.origin === 'engine') return 'agent-other'
  // A client (of the embedded or the external broker) on a topic the agent reads is a device.
  return m.outcome ? 'device' : 'external-client'
}

export function messageHop(m: Facts): InspectorHopDto {
  const source = messageSource(m)
  if (source === 'agent-command' || source === 'agent-configuration') return 'agent→device'
  // The simulator and the publish panel speak as devices when they publish on an agent topic.
  if (m.outcome) return 'device→broker'
  return source === 'agent-other' ? 'engine→broker' : 'client→broker'
}

export function messageVerdict(m: Facts): InspectorVerdictDto {
  if (m.outcome) return m.outcome.error === undefined ? 'accepted' : 'rejected'
  const source = messageSource(m)
  // The agent's own publications are not on the topics it reads; they are its output, not ignored input.
  return source === 'agent-command' || source === 'agent-configuration' ? 'published-by-agent' : 'not-for-agent'
}

/** Payloads above this are not parsed for the JSON badge. */
const JSON_PARSE_LIMIT = 256 * 1024

/** Whether a (whole) payload is a JSON object or array. */
export function isJsonPayload(payload: Buffer, truncated: boolean): boolean {
  if (truncated || payload.length < 2 || payload.length > JSON_PARSE_LIMIT) return false
  let i = 0
  while (i < payload.length && (payload[i] === 0x20 || payload[i] === 0x09 || payload[i] === 0x0a || payload[i] === 0x0d)) i++
  const first = payload[i]
  if (first !== 0x7b && first !== 0x5b) return false
  try {
    const v: unknown = JSON.parse(payload.toString('utf8'))
    return typeof v === 'object' && v !== null
  } catch {
    return false
  }
}

export function messageBadges(m: Facts & Pick<InspectedMessage, 'payload' | 'size'>): InspectorBadgeDto[] {
  const out: InspectorBadgeDto[] = []
  const o = m.outcome
  if (o && (o.autoprovisioned === true || o.autoprovisionedDevice === true)) out.push('autoprovisioned')
  if (o?.error !== undefined && UNPROVISIONED.has(o.error)) out.push('unprovisioned')
  if (isJsonPayload(m.payload, m.size > m.payload.length)) out.push('json')
  return out
}
