/**
 * UltraLight value casting (docs/compatibility/iot-agent-ul.md §2.1, §4.4): a value is `JSON.parse(raw)` when that succeeds,
 * otherwise the raw text. `" 25 "` → 25, `"007"` → "007", `"1e3"` → 1000, `"None"` → "None".
 *
 * This runs for every value of every measure, so it must not throw and catch an exception for
 * the ordinary case (plain words, dates, `1.2/3.4` coordinates). A cheap look at the first
 * significant character decides which text can be JSON at all; only objects, arrays and quoted
 * strings reach JSON.parse inside a try. Numbers are recognised with the JSON number grammar
 * (compiled once) and converted with Number(), which rounds exactly like JSON.parse.
 * A unit test checks the result against the plain definition on a wide table and on generated text.
 */

import { UlParseError } from './errors'
import { stripLineEnd } from './text'

// The exact JSON number grammar, with the whitespace JSON.parse accepts around a value
// (space, tab, LF, CR only: a no-break space makes JSON.parse fail, so it must fail here too).
const JSON_NUMBER = /^[ \t\n\r]*-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?[ \t\n\r]*$/

const SPACE = 32
const TAB = 9
const LF = 10
const CR = 13
const MINUS = 45
const DIGIT_0 = 48
const DIGIT_9 = 57
const QUOTE = 34
const OPEN_BRACKET = 91
const OPEN_BRACE = 123
const LETTER_F = 102
const LETTER_N = 110
const LETTER_T = 116

function isJsonSpace(c: number): boolean {
  return c === SPACE || c === TAB || c === LF || c === CR
}

/** §2.1 value casting: JSON.parse of the raw text, else the raw string. Never throws. */
export function castValue(raw: string): unknown {
  const n = raw.length
  let start = 0
  while (start < n && isJsonSpace(raw.charCodeAt(start))) start++
  if (start === n) return raw // empty or blank: not JSON

  const first = raw.charCodeAt(start)
  if (first === MINUS || (first >= DIGIT_0 && first <= DIGIT_9)) {
    return JSON_NUMBER.test(raw) ? Number(raw) : raw
  }
  if (first === QUOTE || first === OPEN_BRACKET || first === OPEN_BRACE) {
    try {
      return JSON.parse(raw) as unknown
    } catch {
      return raw
    }
  }
  if (first === LETTER_T || first === LETTER_F || first === LETTER_N) {
    let end = n
    while (isJsonSpace(raw.charCodeAt(end - 1))) end--
    const word = start === 0 && end === n ? raw : raw.slice(start, end)
    if (word === 'true') return true
    if (word === 'false') return false
    if (word === 'null') return null
  }
  return raw
}

/**
 * Value of a single-attribute measure (§3.2, topic `…/<device>/attrs/<attribute>`): the whole
 * payload is one value, with no UltraLight parsing (`a|b` stays "a|b"). A final line break is
 * dropped as for measure payloads; an empty payload gives "" as in the reference.
 */
export function parseSingleMeasure(payload: string): unknown {
  if (typeof payload !== 'string') {
    throw new UlParseError(`a single measure payload must be text, got ${typeof payload}`)
  }
  return castValue(stripLineEnd(payload))
}
