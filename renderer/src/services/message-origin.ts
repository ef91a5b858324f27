/**
 * Who published an inspected message, its leg and what became of it, as the inspector words them.
 * The engine says it (`source`, `hop`, `verdict`, `badges`); a message from an engine that does not
 * is described from its transport origin and the agent's outcome.
 */
import type { InspectorBadgeDto, InspectorHopDto, InspectorMessageDto, InspectorSourceDto, InspectorVerdictDto } from '../../../shared/contract'
import { k, type MessageKey } from '../i18n'

type Message = Pick<InspectorMessageDto, 'origin' | 'agent' | 'source' | 'hop' | 'verdict' | 'badges'>

export function sourceOf(m: Message): InspectorSourceDto {
  if (m.source) return m.source
  if (m.origin === 'engine') return 'agent-other'
  return m.agent ? 'device' : 'external-client'
}

export function hopOf(m: Message): InspectorHopDto {
  if (m.hop) return m.hop
  const s = sourceOf(m)
  if (s === 'agent-command' || s === 'agent-configuration') return 'agent→device'
  if (m.agent) return 'device→broker'
  return s === 'agent-other' ? 'engine→broker' : 'client→broker'
}

export function verdictOf(m: Message): InspectorVerdictDto {
  if (m.verdict) return m.verdict
  if (m.agent) return m.agent.error ? 'rejected' : 'accepted'
  const s = sourceOf(m)
  return s === 'agent-command' || s === 'agent-configuration' ? 'published-by-agent' : 'not-for-agent'
}

/** The badges to show; without the engine's list, only what the outcome tells. */
export function badgesOf(m: Message): InspectorBadgeDto[] {
  if (m.badges) return m.badges
  return m.agent?.error === 'NO_GROUP' || m.agent?.error === 'AUTOPROVISION_DISABLED' ? ['unprovisioned'] : []
}

/** The attributes an accepted message wrote; none for a rejected one (the agent wrote nothing). */
export function mappedAttributes(m: Message): string[] {
  return verdictOf(m) === 'accepted' ? (m.agent?.attributes ?? []) : []
}

const SOURCE: Record<InspectorSourceDto, { short: MessageKey; long: MessageKey }> = {
  device: { short: k('ins.src.device'), long: k('ins.srcLong.device') },
  'agent-command': { short: k('ins.src.agentCommand'), long: k('ins.srcLong.agentCommand') },
  'agent-configuration': { short: k('ins.src.agentConfiguration'), long: k('ins.srcLong.agentConfiguration') },
  simulator: { short: k('ins.src.simulator'), long: k('ins.srcLong.simulator') },
  gui: { short: k('ins.src.gui'), long: k('ins.srcLong.gui') },
  'external-client': { short: k('ins.src.externalClient'), long: k('ins.srcLong.externalClient') },
  'agent-other': { short: k('ins.src.agentOther'), long: k('ins.srcLong.agentOther') }
}

const HOP: Record<InspectorHopDto, MessageKey> = {
  'device→broker': k('ins.hop.deviceBroker'),
  'agent→device': k('ins.hop.agentDevice'),
  'client→broker': k('ins.hop.clientBroker'),
  'engine→broker': k('ins.hop.engineBroker')
}

const BADGE: Record<InspectorBadgeDto, { label: MessageKey; hint: MessageKey }> = {
  autoprovisioned: { label: k('ins.badge.autoprovisioned'), hint: k('ins.badgeHint.autoprovisioned') },
  unprovisioned: { label: k('ins.badge.unprovisioned'), hint: k('ins.badgeHint.unprovisioned') },
  json: { label: k('ins.badge.json'), hint: k('ins.badgeHint.json') }
}

export const sourceShortKey = (m: Message): MessageKey => SOURCE[sourceOf(m)].short
export const sourceLongKey = (m: Message): MessageKey => SOURCE[sourceOf(m)].long
export const hopKey = (m: Message): MessageKey => HOP[hopOf(m)]
export const badgeKeys = (b: InspectorBadgeDto): { label: MessageKey; hint: MessageKey } => BADGE[b]

/** What became of the message, in one sentence. */
export function verdictKey(m: Message): MessageKey {
  switch (verdictOf(m)) {
    case 'accepted':
      if (m.agent?.kind === 'cmdexe') return k('ins.verdict.commandResult')
      if (m.agent?.kind === 'configuration') return k('ins.verdict.configuration')
      return k('ins.verdict.measure')
    case 'rejected':
      return k('ins.verdict.rejected')
    case 'published-by-agent':
      return sourceOf(m) === 'agent-configuration' ? k('ins.verdict.agentConfiguration') : k('ins.verdict.agentCommand')
    case 'not-for-agent':
      return k('ins.notAgentTopic')
  }
}
