/**
 * ISO 8601 as Orion parses it (parse8601Time in globals.cpp): `YYYY-MM-DD` (no zone), or a date
 * with `Thh`, `Thh:mm`/`Thhmm`, `Thh:mm:ss[.fff]`/`Thhmmss[.fff]`, optionally followed by `Z`,
 * `±hh`, `±hhmm` or `±hh:mm`; no zone means UTC. Values are re-rendered as
 * `YYYY-MM-DDThh:mm:ss.sssZ` (millisecond precision).
 */

const DATE_ONLY = /^(\d{4})-(\d{1,2})-(\d{1,2})$/
const DATE_TIME =
  /^(\d{4})-(\d{1,2})-(\d{1,2})T(\d{2})(?::?(\d{2})(?::?(\d{2}(?:\.\d*)?))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28
  return [4, 6, 9, 11].includes(month) ? 30 : 31
}

/** Milliseconds since the epoch, or null when the text is not a date Orion accepts. */
export function parseIsoDate(text: string): number | null {
  if (text.length > 29) return null
  let m = DATE_ONLY.exec(text)
  let h = 0
  let min = 0
  let sec = 0
  let offsetMin = 0
  if (!m) {
    m = DATE_TIME.exec(text)
    if (!m) return null
    h = Number(m[4])
    min = m[5] === undefined ? 0 : Number(m[5])
    sec = m[6] === undefined ? 0 : Number(m[6])
    const tz = m[7]
    if (tz && tz !== 'Z') {
      const digits = tz.slice(1).replace(':', '')
      const tzH = Number(digits.slice(0, 2))
      const tzM = digits.length > 2 ? Number(digits.slice(2, 4)) : 0
      offsetMin = (tz[0] === '+' ? 1 : -1) * (tzH * 60 + tzM)
    }
  }
  const y = Number(m[1])
  const mo = Number(m[2])
  const d = Number(m[3])
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || min > 59 || sec >= 60) return null
  const whole = Math.floor(sec)
  const ms = Math.round((sec - whole) * 1000)
  const t = Date.UTC(y, mo - 1, d, h, min, whole, ms) - offsetMin * 60_000
  // Date.UTC maps years 0–99 to 1900–1999; set the full year explicitly.
  if (y < 100) {
    const date = new Date(t)
    date.setUTCFullYear(date.getUTCFullYear() - 1900)
    return date.getTime()
  }
  return t
}

export function formatIsoDate(ms: number): string {
  return new Date(ms).toISOString()
}

// One-entry cache: the IoT Agent stamps every attribute of a measure with the same TimeInstant.
let lastText = ''
let lastNormalized: string | null = null

/** The canonical rendering of an ISO 8601 text, or null when it is not a valid date. */
export function normalizeIsoDate(text: string): string | null {
  if (text === lastText) return lastNormalized
  const ms = parseIsoDate(text)
  const normalized = ms === null || Number.isNaN(ms) ? null : formatIsoDate(ms)
  lastText = text
  lastNormalized = normalized
  return normalized
}

/** `DateTime` and its alias `ISO8601` are the only types the broker interprets as dates. */
export function isDateType(type: string): boolean {
  return type === 'DateTime' || type === 'ISO8601'
}
