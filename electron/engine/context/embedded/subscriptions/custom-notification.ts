import { defaultType } from '../attribute-input'
import { formatNumber, toJsonText } from '../json-text'
import type { StoredAttribute } from '../model'
import type { ResolvedEntity } from '../render'
import type { HttpCustomTarget } from './model'

/**
 * `${...}` macros of custom notifications (docs/compatibility/ngsi-v2.md §4.4; macroSubstitute.cpp and Notifier.cpp
 * buildSenderParamsCustom), for the common case of plain names: `id`, `type`, any attribute of
 * the entity (its value), `service`, `servicePath` and `authToken` (attributes of the same name
 * win). Expressions beyond a name (JEXL) resolve to "not found". A `${` without `}` makes the
 * notification unsendable, as in Orion.
 */

export interface MacroContext {
  entity: ResolvedEntity
  tenant: string
  authToken: string | undefined
}

const NOT_FOUND = Symbol('not found')

function lookup(ctx: MacroContext, rawName: string): unknown {
  const name = rawName.trim()
  if (name === 'id') return ctx.entity.id
  if (name === 'type') return ctx.entity.type
  const a = ctx.entity.attrs.get(name)
  if (a) return a.value
  if (name === 'service') return ctx.tenant
  if (name === 'servicePath') return ctx.entity.servicePath
  if (name === 'authToken') return ctx.authToken ?? NOT_FOUND
  return NOT_FOUND
}

/** A value inside a text: strings without quotes, the rest as JSON. */
function text(v: unknown): string {
  if (typeof v === 'string') return v
  if (typeof v === 'number') return formatNumber(v)
  return toJsonText(v)
}

export type Resolved = { status: 'ok' | 'null'; value: string } | { status: 'error' }

/** macroSubstitute(): every macro replaced; `null` status when the text was one macro that was not found. */
export function substitute(template: string, ctx: MacroContext, notFound: string): Resolved {
  let out = ''
  let at = 0
  let macros = 0
  let lastMissing = false
  for (;;) {
    const start = template.indexOf('${', at)
    if (start === -1) break
    const end = template.indexOf('}', start)
    if (end === -1) return { status: 'error' }
    const v = lookup(ctx, template.slice(start + 2, end))
    lastMissing = v === NOT_FOUND
    out += template.slice(at, start) + (lastMissing ? notFound : text(v))
    at = end + 1
    macros++
  }
  out += template.slice(at)
  return { status: macros === 1 && lastMissing && out === notFound ? 'null' : 'ok', value: out }
}

/** A JSON template string: a lone macro keeps the value's JSON type, otherwise a string results. */
function templateValue(s: string, ctx: MacroContext): unknown {
  const m = /^\$\{([^}]*)\}$/.exec(s)
  if (m) {
    const v = lookup(ctx, m[1]!)
    return v === NOT_FOUND ? null : v
  }
  const r = substitute(s, ctx, 'null')
  return r.status === 'error' ? s : r.value
}

/** The `json` payload with its string leaves resolved (keys are left alone). */
export function resolveJson(template: unknown, ctx: MacroContext): unknown {
  if (typeof template === 'string') return templateValue(template, ctx)
  if (Array.isArray(template)) return template.map((v) => resolveJson(v, ctx))
  if (typeof template === 'object' && template !== null) {
    return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, resolveJson(v, ctx)]))
  }
  return template
}

/** The entity patched by `ngsi`: its attributes first (macros in values), then the entity's other ones. */
export function patchEntity(ngsi: Record<string, unknown>, ctx: MacroContext): ResolvedEntity {
  const e = ctx.entity
  const asString = (v: unknown, fallback: string): string => {
    if (typeof v !== 'string') return fallback
    const r = templateValue(v, ctx)
    return r === null ? fallback : text(r)
  }
  const attrs = new Map<string, StoredAttribute>()
  for (const [name, raw] of Object.entries(ngsi)) {
    if (name === 'id' || name === 'type') continue
    const a = raw as { type?: string; value?: unknown }
    const value = resolveJson(a.value === undefined ? null : a.value, ctx)
    attrs.set(name, { type: a.type ?? defaultType(value), value, metadata: null, creDate: 0, modDate: 0 })
  }
  for (const [name, a] of e.attrs) if (!attrs.has(name)) attrs.set(name, a)
  return { ...e, id: asString(ngsi.id, e.id), type: asString(ngsi.type, e.type), attrs }
}

/** curl_unescape(): %XX sequences decoded, invalid ones kept. */
export function unescapeText(s: string): string {
  if (!s.includes('%')) return s
  return s.replace(/(%[0-9a-fA-F]{2})+/g, (seq) => {
    try {
      return decodeURIComponent(seq)
    } catch {
      return seq
    }
  })
}

/** URL and query string of a custom notification; null when a macro is broken. */
export function customUrl(target: HttpCustomTarget, ctx: MacroContext): string | null {
  const url = substitute(target.url, ctx, '')
  if (url.status === 'error') return null
  let out = url.value
  if (target.qs) {
    const pairs: string[] = []
    for (const key of Object.keys(target.qs).sort()) {
      const k = substitute(key, ctx, '')
      const v = substitute(target.qs[key]!, ctx, '')
      if (k.status === 'error' || v.status === 'error') return null
      // Empty names or values are left out (no "?a=&b=").
      if (k.value !== '' && v.value !== '') pairs.push(`${k.value}=${v.value}`)
    }
    if (pairs.length > 0) out += (out.includes('?') ? '&' : '?') + pairs.join('&')
  }
  return out
}

/** Custom headers, lower-cased names; a header resolving to nothing is skipped. null when a macro is broken. */
export function customHeaders(target: HttpCustomTarget, ctx: MacroContext): Map<string, string> | null {
  const out = new Map<string, string>()
  for (const [key, value] of Object.entries(target.headers ?? {})) {
    const k = substitute(key, ctx, 'null')
    const v = substitute(value, ctx, 'null')
    if (k.status === 'error' || v.status === 'error') return null
    if (k.value === '' || k.value === 'null' || v.status === 'null') continue
    out.set(k.value.toLowerCase(), unescapeText(v.value))
  }
  return out
}
