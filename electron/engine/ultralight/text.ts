/**
 * Small text helpers shared by the UltraLight parsers and formatters.
 */

const CR = 13
const LF = 10

/**
 * Removes the line break(s) that tools append to a whole payload: `echo … | mosquitto_pub -s`
 * sends a final `\n`, Windows tools send `\r\n`. The reference agent only "tolerates" them where
 * JSON.parse ignores whitespace (`t|25\n` → 25) and otherwise keeps them inside the last value
 * (`s|on\n` → "on\n"); stripping them here gives the same result for numbers and the value the
 * user meant for text. Line breaks inside the payload are left alone.
 */
export function stripLineEnd(text: string): string {
  let end = text.length
  while (end > 0) {
    const c = text.charCodeAt(end - 1)
    if (c !== LF && c !== CR) break
    end--
  }
  return end === text.length ? text : text.slice(0, end)
}

const QUOTE_LIMIT = 60

/**
 * Quotes a piece of payload for an error message. JSON string syntax makes invisible characters
 * (line breaks, tabs) visible; long text is cut so one bad 50 kB payload cannot flood the log.
 */
export function quote(text: string): string {
  if (text.length <= QUOTE_LIMIT) return JSON.stringify(text)
  return JSON.stringify(text.slice(0, QUOTE_LIMIT)).slice(0, -1) + `…" (${text.length} characters)`
}

/** Describes the type of an unexpected argument for an error message. */
export function describeType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object' : typeof value
}

/**
 * Renders a value the way the reference agent does when it concatenates it into a payload
 * (`… + '=' + value`): strings as they are, numbers and booleans as text, `null` as "null", nested
 * objects as "[object Object]" and arrays as their comma-joined items. Returns undefined for what
 * cannot be rendered (functions, symbols, objects without a prototype) so callers can raise their
 * own error.
 */
export function renderLikeConcat(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (typeof value === 'function' || typeof value === 'symbol') return undefined
  try {
    return String(value)
  } catch {
    return undefined
  }
}
