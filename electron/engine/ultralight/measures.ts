/**
 * UltraLight 2.0 measure payloads (docs/compatibility/iot-agent-ul.md §2.1): `key|value|key|value…`, several groups separated by
 * `#`, an optional timestamp as the first field of a group. Parsing follows the reference parser
 * (iotagent-ul `ulParser.parse`), quirks included:
 * - one leading `|` of a group is ignored (`|c|7|b|18`);
 * - a group with an odd number of fields takes its first field as the timestamp, so `a|1|b`
 *   means timestamp "a" and measure `1` = "b";
 * - a group with `@` after its first character is a command line (`dev@cmd|…`), which makes
 *   `email|foo@bar.com` a parse error (there is no escaping);
 * - keys and values are never trimmed; values are cast with castValue.
 *
 * Deliberate differences, each safer for a trainee and never accepting less of a valid payload:
 * trailing line breaks of the whole payload are dropped (see stripLineEnd), an empty timestamp
 * (`||a|1|b|2`) is an error instead of being ignored, and values are kept in a Map so that keys
 * such as `__proto__` are ordinary measures.
 */

import { castValue } from './cast'
import { parseCommandLine, type UlCommandLine } from './command-line'
import { UlFormatError, UlParseError } from './errors'
import { describeType, quote, stripLineEnd } from './text'

export { castValue, parseSingleMeasure } from './cast'
export { UlParseError } from './errors'
export type { UlCommandLine } from './command-line'

/**
 * One group of measures. A key sent twice keeps the last value but the position of its first
 * occurrence (Map semantics); only the values matter to the agent.
 * `timestamp` is the group's timestamp prefix, not validated here; the reference stores it as the
 * measure `TimeInstant`, overriding a `TimeInstant` key sent in the same group.
 */
export interface UlMeasureGroup {
  kind: 'measures'
  values: Map<string, unknown>
  timestamp?: string
}

export type UlGroup = UlMeasureGroup | UlCommandLine

const BAR = 124 // '|'

/** Parses a measure payload (§2.1). Throws UlParseError. */
export function parseMeasures(payload: string): UlGroup[] {
  if (typeof payload !== 'string') {
    throw new UlParseError(`the payload must be text, got ${describeType(payload)}`)
  }
  const text = stripLineEnd(payload)
  if (text === '') {
    throw new UlParseError('the payload is empty; expected measures such as "t|25|rh|60"')
  }
  const groups = text.split('#')
  const result: UlGroup[] = new Array<UlGroup>(groups.length)
  for (let g = 0; g < groups.length; g++) {
    result[g] = parseGroup(groups[g]!, g + 1, groups.length)
  }
  return result
}

function parseGroup(written: string, number: number, count: number): UlGroup {
  if (written === '') throw emptyGroup(number, count)
  const group = written.charCodeAt(0) === BAR ? written.slice(1) : written
  if (group === '') {
    throw new UlParseError(`${groupContext(written, number)} has no key|value pair after its leading '|'`, { group: number })
  }
  if (group.indexOf('@') > 0) return parseCommandLine(group, number)

  const fields = group.split('|')
  if (fields.length === 1) {
    throw new UlParseError(
      `${groupContext(written, number)} is not a list of key|value pairs: it has no '|' separator`,
      { group: number }
    )
  }
  // Field numbers in messages count from the first field after an ignored leading '|'.
  const hasTimestamp = fields.length % 2 === 1
  const values = new Map<string, unknown>()
  let f = 0
  if (hasTimestamp) {
    if (fields[0] === '') throw emptyField(written, number, 1, 'the timestamp')
    f = 1
  }
  for (; f < fields.length; f += 2) {
    const key = fields[f]!
    const raw = fields[f + 1]!
    if (key === '' || raw === '') {
      // The odd-field-count rule silently shifts every pair; say so, or "key 1" makes no sense.
      const note = hasTimestamp
        ? `The group has an odd number of fields, so its first field ${quote(fields[0]!)} was read as a timestamp. `
        : ''
      if (key === '') throw emptyField(written, number, f + 1, 'where a key is expected', note)
      throw emptyField(written, number, f + 2, `the value of key ${quote(key)}`, note)
    }
    values.set(key, castValue(raw))
  }
  return hasTimestamp ? { kind: 'measures', values, timestamp: fields[0]! } : { kind: 'measures', values }
}

function emptyGroup(number: number, count: number): UlParseError {
  const why =
    number === count && count > 1
      ? "the payload ends with '#'"
      : number === 1
        ? "the payload starts with '#'"
        : "two '#' in a row"
  return new UlParseError(`group ${number} is empty (${why})`, { group: number })
}

/** `group 2 ("a|10||")`: built only when an error is thrown, never on the hot path. */
function groupContext(written: string, number: number): string {
  return `group ${number} (${quote(written)})`
}

function emptyField(written: string, group: number, field: number, what: string, note = ''): UlParseError {
  return new UlParseError(
    `${groupContext(written, group)} has an empty field (field ${field}, ${what}). ${note}UltraLight keys and values cannot be empty`,
    { group, field }
  )
}

/**
 * Builds a measure payload `k|v|k|v…` (with `timestamp|` in front when given), as a simulated
 * device would send it. Objects and arrays are sent as JSON so that castValue reads them back;
 * strings are sent as they are (so "25" is read back as the number 25, as on a real device).
 * Throws UlFormatError for anything the parser would reject or misread: no measures, empty keys
 * or values, the separators `|` `#` `@`, line breaks, non-finite numbers, undefined, functions.
 */
export function formatMeasures(values: Iterable<[string, unknown]>, timestamp?: string): string {
  if (values === null || typeof values !== 'object' || typeof (values as Partial<Iterable<unknown>>)[Symbol.iterator] !== 'function') {
    throw new UlFormatError(`measures must be given as [key, value] pairs (a Map or an array), got ${describeType(values)}`)
  }
  let out = ''
  if (timestamp !== undefined) {
    if (typeof timestamp !== 'string') {
      throw new UlFormatError(`the timestamp must be text, got ${describeType(timestamp)}`)
    }
    out = checkText(timestamp, 'the timestamp') + '|'
  }
  let count = 0
  for (const entry of values) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string') {
      throw new UlFormatError(`measure ${count + 1} must be a [key, value] pair with a text key`)
    }
    const key = checkText(entry[0], `measure key ${quote(entry[0])}`)
    const value = checkText(measureText(entry[1], key), `the value of measure ${quote(key)}`)
    out += (count === 0 ? '' : '|') + key + '|' + value
    count++
  }
  if (count === 0) throw new UlFormatError('at least one measure is needed to build a payload')
  return out
}

function measureText(value: unknown, key: string): string {
  switch (typeof value) {
    case 'string':
      return value
    case 'number':
      if (!Number.isFinite(value)) {
        throw new UlFormatError(`the value of measure ${quote(key)} is ${value}, which is not a finite number`)
      }
      return String(value)
    case 'boolean':
    case 'bigint':
      return String(value)
    case 'object': {
      if (value === null) return 'null'
      const json = JSON.stringify(value) as string | undefined
      if (json !== undefined) return json
      break
    }
  }
  throw new UlFormatError(`the value of measure ${quote(key)} cannot be sent in UltraLight (${describeType(value)})`)
}

function checkText(text: string, what: string): string {
  if (text === '') throw new UlFormatError(`${what} is empty; UltraLight has no empty keys or values`)
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === '|' || c === '#' || c === '@') {
      throw new UlFormatError(`${what} contains '${c}', which UltraLight uses as a separator and cannot escape`)
    }
    if (c === '\n' || c === '\r') throw new UlFormatError(`${what} contains a line break`)
  }
  return text
}
