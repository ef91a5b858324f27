/**
 * The states of the stack's components that the engine reports as endpoints only (the IoT Agent
 * JSON, the history): measured from where each one listens in the engine status, never assumed.
 * A component none of whose ports is bound is absent; one with some of them bound is partly there.
 */
import type { ComponentCondition, ComponentStatusDto, EndpointRole, EngineStatus } from '../../../../shared/contract'

/** What the overview says of a component: the engine's conditions, and `absent` / `partial` for one read from its endpoints. */
export type ShownCondition = ComponentCondition | 'absent' | 'partial'

export interface ShownState extends Omit<ComponentStatusDto, 'condition'> {
  condition: ShownCondition
}

/** Whether an endpoint of this role is bound to at least one address. */
export function bound(status: EngineStatus, role: EndpointRole): boolean {
  return status.endpoints.some((e) => e.role === role && e.addresses.length > 0)
}

/** The URL a user can paste for a role, or null when nothing of that role listens. */
export function portUrl(status: EngineStatus, role: EndpointRole): string | null {
  const e = status.endpoints.find((x) => x.role === role && x.addresses.length > 0)
  return e?.urls[0] ?? null
}

/** The state of a component made of the endpoints of `roles`: listening when all are bound, absent when none is. */
export function hopState(status: EngineStatus, roles: readonly EndpointRole[]): ShownState {
  if (status.state === 'stopped') return { kind: 'embedded', up: false, condition: 'stopped', since: status.startedAt }
  const n = roles.filter((r) => bound(status, r)).length
  if (n === roles.length && n > 0) return { kind: 'embedded', up: true, condition: 'listening' }
  return { kind: 'embedded', up: false, condition: n === 0 ? 'absent' : 'partial' }
}
