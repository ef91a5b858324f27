/**
 * "Show me" (docs/lessons.md): a step's requests and publications, done for real and in order —
 * HTTP to the engine's own north API or to the context broker (embedded, or the external Orion)
 * over its listening address, MQTT through the engine's broker as a device's message — each with
 * what was sent and answered, for the GUI to show.
 *
 * A path with `{latestSubscriptionId}` needs the id of a subscription the trainee created: the
 * tenant's subscriptions are listed first (`GET /v2/subscriptions`, shown as an action of its own)
 * and the newest one's id is put in the path; with no subscription the action is not sent.
 */
import type { LessonStep, ShowMeActionDto, ShowMeApi } from '../../../shared/lessons'

/** Each action gets at most this long. */
export const SHOW_ME_TIMEOUT_MS = 10_000
/** The answer's body is shown up to this many characters. */
export const ANSWER_CHARS = 4096
/** The path placeholder resolved by listing the tenant's subscriptions. */
export const LATEST_SUBSCRIPTION = '{latestSubscriptionId}'

export interface ShowMeTargets {
  /** Base URL of each API, as requests reach them; '' for an API the engine does not serve now. */
  urls: Readonly<Record<ShowMeApi, string>>
  service: string
  servicePath: string
  publish(topic: string, payload: string): Promise<void>
}

function fill(text: string, t: ShowMeTargets): string {
  return text.replaceAll('{service}', t.service).replaceAll('{servicePath}', t.servicePath)
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms / 1000} s`)), ms)
  })
  return Promise.race([p, expired]).finally(() => clearTimeout(timer))
}

type HttpAction = Extract<NonNullable<LessonStep['showMe']>[number], { http: unknown }>['http']

/** The action as sent and answered, and the whole answer's text (undefined when none came). */
async function sendHttp(a: HttpAction, t: ShowMeTargets, timeoutMs: number): Promise<{ action: ShowMeActionDto; text?: string }> {
  const base = t.urls[a.api]
  const url = `${base}${fill(a.path, t)}`
  const headers: Record<string, string> = {}
  if (a.tenant !== false) {
    if (t.service) headers['fiware-service'] = t.service
    headers['fiware-servicepath'] = t.servicePath
  }
  let body: string | undefined
  if (a.body !== undefined) {
    body = JSON.stringify(a.body)
    headers['content-type'] = 'application/json'
  }
  const out: ShowMeActionDto = { kind: 'http', method: a.method, url, headers, ...(body === undefined ? {} : { body }) }
  if (!base) {
    // E.g. the history's port was taken by a real Cygnus: the engine does not serve this API.
    out.error = `the ${a.api} API is not served by the app now`
    return { action: out }
  }
  try {
    const res = await fetch(url, { method: a.method, headers, ...(body === undefined ? {} : { body }), signal: AbortSignal.timeout(timeoutMs) })
    out.status = res.status
    const text = await res.text()
    out.answer = text.length > ANSWER_CHARS ? text.slice(0, ANSWER_CHARS) : text
    return { action: out, text }
  } catch (err) {
    out.error = (err as Error).name === 'TimeoutError' ? `no answer in ${timeoutMs / 1000} s` : (err as Error).message
  }
  return { action: out }
}

/** Lists the tenant's subscriptions (an action shown like the others) and gives the newest one's id. */
async function latestSubscription(t: ShowMeTargets, timeoutMs: number): Promise<{ action: ShowMeActionDto; id?: string }> {
  const { action, text } = await sendHttp({ api: 'ngsi', method: 'GET', path: '/v2/subscriptions?limit=1000' }, t, timeoutMs)
  if (text === undefined || action.kind !== 'http' || action.status !== 200) return { action }
  try {
    const list: unknown = JSON.parse(text)
    // Listed in creation order, as Orion lists them: the newest is the last.
    const last: unknown = Array.isArray(list) ? list[list.length - 1] : undefined
    const id = typeof last === 'object' && last !== null ? (last as { id?: unknown }).id : undefined
    return { action, ...(typeof id === 'string' ? { id } : {}) }
  } catch {
    return { action }
  }
}

/** The actions one `http` action of the step makes: itself, preceded by the listing its placeholder needs. */
async function httpActions(a: HttpAction, t: ShowMeTargets, timeoutMs: number): Promise<ShowMeActionDto[]> {
  if (!a.path.includes(LATEST_SUBSCRIPTION)) return [(await sendHttp(a, t, timeoutMs)).action]
  const latest = await latestSubscription(t, timeoutMs)
  if (latest.id === undefined) {
    const skipped: ShowMeActionDto = { kind: 'http', method: a.method, url: `${t.urls.ngsi}${fill(a.path, t)}`, headers: {}, error: 'no subscription in this tenant yet: create one first' }
    return [latest.action, skipped]
  }
  const path = a.path.replaceAll(LATEST_SUBSCRIPTION, encodeURIComponent(latest.id))
  return [latest.action, (await sendHttp({ ...a, path }, t, timeoutMs)).action]
}

/** Does the step's actions in order; a failed one is reported and the next ones still run. */
export async function runShowMe(step: LessonStep, targets: ShowMeTargets, timeoutMs = SHOW_ME_TIMEOUT_MS): Promise<ShowMeActionDto[]> {
  const out: ShowMeActionDto[] = []
  for (const action of step.showMe ?? []) {
    if ('http' in action) {
      out.push(...(await httpActions(action.http, targets, timeoutMs)))
      continue
    }
    const topic = fill(action.mqtt.topic, targets)
    const done: ShowMeActionDto = { kind: 'mqtt', topic, payload: action.mqtt.payload }
    try {
      await withTimeout(targets.publish(topic, action.mqtt.payload), timeoutMs, `publishing on ${topic}`)
    } catch (err) {
      done.error = (err as Error).message
    }
    out.push(done)
  }
  return out
}
