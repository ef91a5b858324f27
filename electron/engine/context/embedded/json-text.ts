/**
 * JSON text as Orion writes it. Orion keeps full doubles but prints them with double2string():
 * integer-like when the fraction is below 1e-9, else at most 9 decimals with trailing zeros
 * stripped — also inside compound values. So `-46.55250126146248` is shown as `-46.552501261`
 * (the tutorial-3 payload of the collection contains exactly these rounded values).
 */

export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return 'null'
  const whole = Math.trunc(n)
  if (Math.abs(n - whole) < 1e-9) return String(whole === 0 ? 0 : whole)
  if (Math.abs(n) >= 1e21) return String(n)
  let s = n.toFixed(9)
  let end = s.length
  while (s.charCodeAt(end - 1) === 48 /* 0 */) end--
  if (s.charCodeAt(end - 1) === 46 /* . */) end--
  s = s.slice(0, end)
  return s === '-0' ? '0' : s
}

const NEEDS_UPPER_HEX = /\\u00[0-9a-f]{2}/

/** JSON string literal; control characters as \u00XX with upper-case hex, as Orion does. */
export function formatString(s: string): string {
  const out = JSON.stringify(s)
  return NEEDS_UPPER_HEX.test(out) ? out.replace(/\\u00([0-9a-f]{2})/g, (_m, hex: string) => `\\u00${hex.toUpperCase()}`) : out
}

/** Compact JSON text of a value, with Orion's number formatting. */
export function toJsonText(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return formatString(value)
    case 'number':
      return formatNumber(value)
    case 'boolean':
      return value ? 'true' : 'false'
    case 'object': {
      if (value === null) return 'null'
      if (Array.isArray(value)) return '[' + value.map((v) => toJsonText(v)).join(',') + ']'
      let out = '{'
      let first = true
      for (const [k, v] of Object.entries(value)) {
        if (v === undefined) continue
        out += (first ? '' : ',') + formatString(k) + ':' + toJsonText(v)
        first = false
      }
      return out + '}'
    }
    default:
      return 'null'
  }
}

/** Builds a JSON object from already rendered member texts, keeping their order. */
export function objectText(members: Array<[string, string]>): string {
  let out = '{'
  for (let i = 0; i < members.length; i++) {
    const [k, v] = members[i]!
    out += (i === 0 ? '' : ',') + formatString(k) + ':' + v
  }
  return out + '}'
}
