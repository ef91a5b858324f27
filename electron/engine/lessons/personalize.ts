/**
 * A lesson as one classroom trainee does it (docs/classroom.md): in the trainee's own tenant and
 * with the trainee's own API key. Service groups are unique by API key across tenants
 * (docs/compatibility/iot-agent-ul.md §1.2), so trainees who all created the tutorial's group
 * would refuse each other with DUPLICATE_GROUP; and the default tenant ('') of tutorials 1–5 is
 * one store shared by everybody.
 *
 * Every text, check, hint and "show me" action of the lesson is rewritten:
 * - the API keys of its `group` checks become the trainee's (`<key>`, `<key>_2`, …), wherever they
 *   appear (topics, bodies, curl and mosquitto_pub commands, hints);
 * - the lesson's tenant name, as a whole word, becomes the trainee's service (`openiot` in the
 *   tutorial-7 hints);
 * - a curl command of a default-tenant lesson that reaches tenant data gets the two tenant headers,
 *   with the `{service}` and `{servicePath}` placeholders the GUI fills in.
 */
import type { Lesson } from '../../../shared/lessons'
import { isTenantPath } from './hints'

export interface Learner {
  service: string
  apikey: string
}

/** The distinct API keys of a lesson's group checks, in step order. */
export function lessonApikeys(lesson: Lesson): string[] {
  const keys: string[] = []
  for (const s of lesson.steps) if (s.check.kind === 'group' && s.check.apikey && !keys.includes(s.check.apikey)) keys.push(s.check.apikey)
  return keys
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** Adds the tenant headers after the first line of a curl command whose URL is tenant data and that has none. */
export function withTenantHeaders(curl: string): string {
  if (/fiware-service\s*:/i.test(curl)) return curl
  const url = /'\{(?:ngsi|north)\}([^'?\s]*)/.exec(curl)
  if (!url || !isTenantPath(url[1] || '/')) return curl
  const headers = ["  -H 'fiware-service: {service}'", "  -H 'fiware-servicepath: {servicePath}'"]
  const lines = curl.split('\n')
  const first = lines[0]!
  if (first.trimEnd().endsWith('\\')) return [first, ...headers.map((h) => `${h} \\`), ...lines.slice(1)].join('\n')
  if (lines.length === 1) return [`${first} \\`, `${headers[0]} \\`, headers[1]].join('\n')
  return curl
}

function rewrite(value: unknown, replace: (s: string) => string): unknown {
  if (typeof value === 'string') return replace(value)
  if (Array.isArray(value)) return value.map((v) => rewrite(v, replace))
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[replace(k)] = rewrite(v, replace)
    return out
  }
  return value
}

export function personalizeLesson(lesson: Lesson, learner: Learner): Lesson {
  const keys = lessonApikeys(lesson)
  const pairs: Array<[RegExp, string]> = keys.map((k, i) => [new RegExp(escapeRe(k), 'g'), i === 0 ? learner.apikey : `${learner.apikey}_${i + 1}`])
  if (lesson.service !== '') pairs.push([new RegExp(`\\b${escapeRe(lesson.service)}\\b`, 'g'), learner.service])
  const replace = (s: string): string => pairs.reduce((text, [re, to]) => text.replace(re, to), s)
  const { id, order, format } = lesson
  const out = { ...(rewrite(lesson, replace) as Lesson), id, order, format, service: learner.service, servicePath: lesson.servicePath }
  if (lesson.service === '') {
    out.steps = out.steps.map((s) => (s.ways.curl === undefined ? s : { ...s, ways: { ...s.ways, curl: withTenantHeaders(s.ways.curl) } }))
  }
  return out
}
