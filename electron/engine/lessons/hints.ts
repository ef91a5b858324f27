/**
 * Hint selection (docs/lessons.md, "Hints"): which hints of a step an observed event makes apply.
 * Pure: the runtime gives each event to every step not yet done of a started lesson.
 */
import type { LessonStep, ShowMeApi } from '../../../shared/lessons'
import type { ObservedRequest } from '../north/request-observer'
import { decodedPath, evaluateCheck, type TenantSnapshot } from './checks'

/** What went wrong, as the engine observed it. */
export type HintEvent =
  | { kind: 'rejected'; code: string; topic: string }
  | { kind: 'request'; request: ObservedRequest }
  | { kind: 'commandExpired'; deviceId: string; command: string }

/** Paths that are not about a tenant's data: a request there needs no `fiware-service`. */
const UNTENANTED = [/^\/version\/?$/, /^\/iot\/about\/?$/, /^\/statistics/, /^\/admin\//, /^\/ready\/?$/, /^\/health/, /^\/metrics/, /^\/v2\/?$/, /^\/cache\//]

export function isTenantPath(path: string): boolean {
  return !UNTENANTED.some((re) => re.test(path))
}

/**
 * The API a "show me" request's answer is observed as: both agents' provisioning APIs report as
 * `north` (a request check cannot tell 4041 from 4042; the `agent` of a group or device check
 * can). The south port and the history's APIs report nothing: their routes light no request hint.
 */
function observedApi(api: ShowMeApi): string {
  return api === 'json-north' ? 'north' : api
}

/**
 * The HTTP routes a step is about: its request check and its "show me" requests. A request hint
 * (httpError, missingTenant) of a step that names routes applies only to requests of those routes
 * (same API and method, path up to its query), so that a 409 of a device does not light the hint
 * about a duplicate group; a step naming no route hears every request.
 */
function routesOf(step: LessonStep): Array<{ api: string; method?: string; path: string }> {
  const out: Array<{ api: string; method?: string; path: string }> = []
  if (step.check.kind === 'request') out.push({ api: step.check.api, path: step.check.path, ...(step.check.method ? { method: step.check.method } : {}) })
  for (const a of step.showMe ?? []) if ('http' in a) out.push({ api: observedApi(a.http.api), method: a.http.method, path: a.http.path.split('?')[0]! })
  return out
}

export function concernsStep(step: LessonStep, r: ObservedRequest): boolean {
  const routes = routesOf(step)
  if (routes.length === 0) return true
  const path = decodedPath(r.path)
  return routes.some((x) => x.api === r.api && (x.method === undefined || x.method.toUpperCase() === r.method.toUpperCase()) && path.startsWith(x.path))
}

export interface HintMatch {
  index: number
  observed: string
}

/** The hints of `step` that `event` makes apply, with what was observed (English, short). `always` hints are shown on request only. */
export function matchHints(step: LessonStep, event: HintEvent, service: string): HintMatch[] {
  const out: HintMatch[] = []
  ;(step.hints ?? []).forEach((h, index) => {
    const when = h.when
    if ('rejected' in when) {
      if (event.kind === 'rejected' && (when.rejected === 'any' || when.rejected === event.code)) out.push({ index, observed: `${event.topic}: rejected (${event.code})` })
    } else if ('httpError' in when) {
      if (event.kind !== 'request') return
      const r = event.request
      if (r.status < 400 || !concernsStep(step, r)) return
      if (r.tenant && r.service !== service) return
      if (when.httpError.status !== undefined && r.status !== when.httpError.status) return
      if (when.httpError.error !== undefined && r.error !== when.httpError.error) return
      if (when.httpError.status === undefined && when.httpError.error === undefined) return
      out.push({ index, observed: `${r.method} ${r.path}: ${r.status}${r.error ? ` ${r.error}` : ''}` })
    } else if ('missingTenant' in when) {
      if (event.kind !== 'request') return
      const r = event.request
      if (service === '' || r.tenant || !isTenantPath(r.path) || !concernsStep(step, r)) return
      out.push({ index, observed: `${r.method} ${r.path} without fiware-service: answered ${r.status}` })
    } else if ('commandExpired' in when) {
      if (event.kind === 'commandExpired') out.push({ index, observed: `command ${event.command} of ${event.deviceId} expired` })
    }
  })
  return out
}

const AGENT_NAMES = { ul: 'IoT Agent UltraLight', json: 'IoT Agent JSON' } as const

/**
 * The `otherAgent` hints of a step not yet done: its group or device check is met in the other
 * agent's registry (a group sent to port 4042 for a lesson of the JSON agent on 4041, or the
 * reverse). State-based, like the checks: evaluated with them.
 */
export function otherAgentHints(step: LessonStep, snap: TenantSnapshot): HintMatch[] {
  const check = step.check
  if (check.kind !== 'group' && check.kind !== 'device') return []
  const wanted = (step.hints ?? []).flatMap((h, index) => ('otherAgent' in h.when ? [index] : []))
  if (wanted.length === 0) return []
  const other = check.agent === 'json' ? 'ul' : 'json'
  if (!evaluateCheck({ ...check, agent: other }, snap).done) return []
  const observed = `${check.kind === 'group' ? 'the group' : `device ${check.device_id}`} is in the ${AGENT_NAMES[other]}'s registry, not the ${AGENT_NAMES[check.agent ?? 'ul']}'s`
  return wanted.map((index) => ({ index, observed }))
}
