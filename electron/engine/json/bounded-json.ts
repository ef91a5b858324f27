/**
 * JSON text from a device, read within bounds (docs/compatibility/iot-agent-json.md §2.1).
 *
 * The reference agent hands every payload to JSON.parse whatever its size or nesting. Here a payload
 * larger than `maxBytes` or nested deeper than `maxDepth` is refused before parsing, so one bad
 * message can neither stall the event loop nor overflow the stack of whatever later walks the value
 * recursively (JSON.stringify, the context broker's checks). Valid text is parsed by JSON.parse;
 * only when it fails is the text scanned again to say where and why, in words a trainee can act on.
 */

import { quote } from '../ultralight/text'
import { JsonParseError } from './errors'

export interface JsonLimits {
  /** Largest payload accepted, in bytes of UTF-8. */
  maxBytes: number
  /** Most containers (objects and arrays) open at once; the top-level object counts as 1. */
  maxDepth: number
}

/**
 * 1 MiB is the context broker's own request limit; 64 levels leave room for Orion's limit of 50
 * nested levels inside an attribute value plus the payload object around it.
 */
export const DEFAULT_JSON_LIMITS: Readonly<JsonLimits> = Object.freeze({ maxBytes: 1_048_576, maxDepth: 64 })

/** The limits to apply, validated (a caller's mistake must not lift the bounds). */
export function resolveLimits(limits: Partial<JsonLimits> | undefined): JsonLimits {
  const maxBytes = limits?.maxBytes ?? DEFAULT_JSON_LIMITS.maxBytes
  const maxDepth = limits?.maxDepth ?? DEFAULT_JSON_LIMITS.maxDepth
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) throw new RangeError(`maxBytes must be a non-negative integer, got ${String(maxBytes)}`)
  if (!Number.isSafeInteger(maxDepth) || maxDepth < 1) throw new RangeError(`maxDepth must be a positive integer, got ${String(maxDepth)}`)
  return { maxBytes, maxDepth }
}

/** Decodes a payload as UTF-8 (invalid sequences become U+FFFD, as Buffer#toString does in the reference). */
export function decodePayload(payload: Buffer | Uint8Array | string, what: string, limits: JsonLimits): string {
  if (typeof payload === 'string') {
    // Cheap bound first: a string never has more UTF-8 bytes than 3 per UTF-16 unit.
    if (payload.length * 3 > limits.maxBytes) {
      const bytes = Buffer.byteLength(payload, 'utf8')
      if (bytes > limits.maxBytes) throw tooLarge(what, bytes, limits)
    }
    return payload
  }
  if (!(payload instanceof Uint8Array)) {
    throw new JsonParseError(`${what} must be bytes or text, got ${payload === null ? 'null' : typeof payload}`)
  }
  if (payload.length > limits.maxBytes) throw tooLarge(what, payload.length, limits)
  return Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8')
}

function tooLarge(what: string, bytes: number, limits: JsonLimits): JsonParseError {
  return new JsonParseError(`${what} has ${bytes} bytes, more than the ${limits.maxBytes} accepted`)
}

const QUOTE = 34
const BACKSLASH = 92
const OPEN_BRACE = 123
const OPEN_BRACKET = 91
const CLOSE_BRACE = 125
const CLOSE_BRACKET = 93

/**
 * Refuses text whose brackets nest deeper than `maxDepth`, counting only brackets outside
 * strings. One pass, no recursion; on valid JSON the count is exact.
 */
export function checkDepth(text: string, what: string, maxDepth: number): void {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === BACKSLASH) i++
      else if (c === QUOTE) inString = false
      continue
    }
    if (c === QUOTE) inString = true
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > maxDepth) {
        throw new JsonParseError(`${what} is nested deeper than ${maxDepth} levels of objects and arrays`, locate(text, i))
      }
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--
  }
}

/** JSON.parse within the limits; throws JsonParseError with the place of the first mistake. */
export function parseJsonText(text: string, what: string, limits: JsonLimits): unknown {
  checkDepth(text, what, limits.maxDepth)
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw syntaxError(text, what, limits.maxDepth)
  }
}

/** Line and column (1-based) of a 0-based position. */
export function locate(text: string, position: number): { position: number; line: number; column: number } {
  let line = 1
  let lineStart = 0
  const end = Math.min(position, text.length)
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) {
    line++
    lineStart = i + 1
  }
  return { position, line, column: position - lineStart + 1 }
}

/** The error for text JSON.parse refused: what is wrong, where, and the text around it. */
export function syntaxError(text: string, what: string, maxDepth: number): JsonParseError {
  if (text.trim() === '') return new JsonParseError(`${what} is empty; expected JSON such as {"temperature": 25}`, locate(text, text.length))
  const found = new Locator(text, maxDepth).firstMistake()
  // JSON.parse failed, so the scanner finds a mistake; the fallback only guards against a gap between the two.
  const { at, reason } = found ?? { at: 0, reason: 'it is not valid JSON' }
  const where = locate(text, at)
  const from = Math.max(0, at - 20)
  const near = text.slice(from, at + 20)
  return new JsonParseError(
    `${what} is not valid JSON: ${reason} at line ${where.line}, column ${where.column} (near ${quote(near)})`,
    where
  )
}

/** Internal: the first mistake found by the Locator (never leaves this module). */
class Mistake extends Error {
  constructor(
    readonly at: number,
    readonly reason: string
  ) {
    super(reason)
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y
const WORD = /[A-Za-z_][A-Za-z0-9_]*/y

/** A recursive-descent JSON checker that reports the first mistake (depth bounded by the caller's limit). */
class Locator {
  private i = 0
  constructor(
    private readonly s: string,
    private readonly maxDepth: number
  ) {}

  firstMistake(): { at: number; reason: string } | undefined {
    try {
      if (this.s.charCodeAt(0) === 0xfeff) throw new Mistake(0, 'the text starts with a byte-order mark (U+FEFF), which JSON does not allow')
      this.space()
      this.value(1)
      this.space()
      if (this.i < this.s.length) throw new Mistake(this.i, `there is more text after the JSON value (${this.describe()})`)
      return undefined
    } catch (e) {
      if (e instanceof Mistake) return { at: e.at, reason: e.reason }
      throw e
    }
  }

  private describe(): string {
    if (this.i >= this.s.length) return 'the end of the text'
    const c = this.s[this.i]!
    if (c === '\n') return 'a line break'
    if (c === '\r') return 'a carriage return'
    if (c === '\t') return 'a tab'
    return `'${c}'`
  }

  private space(): void {
    const s = this.s
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i)
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break
      this.i++
    }
  }

  private value(depth: number): void {
    const s = this.s
    if (this.i >= s.length) throw new Mistake(this.i, 'the text ends where a value was expected')
    const c = s[this.i]!
    if (c === '{' || c === '[') {
      if (depth > this.maxDepth) throw new Mistake(this.i, `the value is nested deeper than ${this.maxDepth} levels`)
      if (c === '{') this.object(depth)
      else this.array(depth)
      return
    }
    if (c === '"') return this.string()
    if (c === "'") throw new Mistake(this.i, "found a single quote: JSON strings and keys use double quotes")
    if (c === '-' || (c >= '0' && c <= '9')) return this.number()
    WORD.lastIndex = this.i
    const word = WORD.exec(s)?.[0]
    if (word === 'true' || word === 'false' || word === 'null') {
      this.i += word.length
      return
    }
    if (word !== undefined) {
      const hint = word === 'True' || word === 'False' || word === 'None' || word === 'TRUE' || word === 'FALSE' || word === 'NULL'
        ? ` (JSON writes true, false and null in lower case)`
        : ' (text values must be quoted, e.g. "on")'
      throw new Mistake(this.i, `found the word '${word}' where a value was expected${hint}`)
    }
    throw new Mistake(this.i, `found ${this.describe()} where a value was expected`)
  }

  private object(depth: number): void {
    const s = this.s
    this.i++ // {
    this.space()
    if (s[this.i] === '}') {
      this.i++
      return
    }
    for (;;) {
      this.space()
      if (s[this.i] === '}') throw new Mistake(this.i, "a trailing comma before '}' is not allowed in JSON")
      if (s[this.i] !== '"') {
        if (s[this.i] === "'") throw new Mistake(this.i, 'found a single quote: JSON keys use double quotes')
        throw new Mistake(this.i, `expected a key in double quotes, found ${this.describe()}`)
      }
      this.string()
      this.space()
      if (s[this.i] !== ':') throw new Mistake(this.i, `expected ':' after the key, found ${this.describe()}`)
      this.i++
      this.space()
      this.value(depth + 1)
      this.space()
      if (s[this.i] === ',') {
        this.i++
        continue
      }
      if (s[this.i] === '}') {
        this.i++
        return
      }
      throw new Mistake(this.i, `expected ',' or '}' after a value in an object, found ${this.describe()}`)
    }
  }

  private array(depth: number): void {
    const s = this.s
    this.i++ // [
    this.space()
    if (s[this.i] === ']') {
      this.i++
      return
    }
    for (;;) {
      this.space()
      if (s[this.i] === ']') throw new Mistake(this.i, "a trailing comma before ']' is not allowed in JSON")
      this.value(depth + 1)
      this.space()
      if (s[this.i] === ',') {
        this.i++
        continue
      }
      if (s[this.i] === ']') {
        this.i++
        return
      }
      throw new Mistake(this.i, `expected ',' or ']' after a value in an array, found ${this.describe()}`)
    }
  }

  private string(): void {
    const s = this.s
    const start = this.i
    this.i++ // opening quote
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i)
      if (c === QUOTE) {
        this.i++
        return
      }
      if (c < 32) {
        const name = c === 10 ? 'a line break' : c === 13 ? 'a carriage return' : c === 9 ? 'a tab' : 'a control character'
        throw new Mistake(this.i, `a string contains ${name} (U+${c.toString(16).toUpperCase().padStart(4, '0')}); write it as an escape such as \\n or \\t`)
      }
      if (c === BACKSLASH) {
        const e = s[this.i + 1]
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(s.slice(this.i + 2, this.i + 6))) throw new Mistake(this.i, 'a \\u escape needs four hexadecimal digits')
          this.i += 6
          continue
        }
        if (e === undefined || '"\\/bfnrt'.indexOf(e) < 0) throw new Mistake(this.i, `invalid escape '\\${e ?? ''}' in a string`)
        this.i += 2
        continue
      }
      this.i++
    }
    throw new Mistake(start, 'a string is not closed (missing ")')
  }

  private number(): void {
    NUMBER.lastIndex = this.i
    const m = NUMBER.exec(this.s)
    if (!m) throw new Mistake(this.i, 'invalid number')
    const end = this.i + m[0].length
    const next = this.s[end]
    if (next !== undefined && /[0-9.eE+\-A-Za-z_]/.test(next)) {
      const zero = m[0] === '0' || m[0] === '-0'
      throw new Mistake(this.i, zero && next >= '0' && next <= '9' ? 'numbers cannot have leading zeros (quote the value to keep them)' : 'invalid number')
    }
    this.i = end
  }
}
