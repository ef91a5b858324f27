/**
 * Measures of the IoT Agent JSON (docs/compatibility/iot-agent-json.md §2.1, §2.2, §4.2).
 *
 * A payload is a JSON object whose keys are attribute names and whose values are kept exactly as
 * JSON gives them (no casting: `"25"` stays text, `25` a number, objects and arrays stay compound),
 * or an array of such objects, each one a separate update. A `TimeInstant` key is an ordinary
 * measure here, as in the reference, where the library picks it up as the update's time.
 *
 * Deliberate differences, each rejecting or fixing input the reference mishandles:
 * - a one-element array `[{…}]` is one update, as over HTTP; the reference's MQTT binding turns it
 *   into an attribute named "0" (a side effect of its fix for single-attribute arrays, §2.1);
 * - array elements that are not objects (`null`, numbers, nested arrays), and payloads that are not
 *   an object or an array, are parse errors naming the element; the reference drops the message
 *   with a log line (MQTT) or answers 200 after writing nothing or index-named attributes (HTTP);
 * - payloads beyond the size or nesting limits are refused (bounded-json.ts).
 */

import { describeType, quote } from '../ultralight/text'
import { decodePayload, parseJsonText, resolveLimits, checkDepth, type JsonLimits } from './bounded-json'
import { JsonFormatError, JsonParseError } from './errors'

/**
 * One update's measures. `values` keeps the payload's keys in JSON.parse's order (integer-like
 * keys first, as every JavaScript object, the reference's included); a key sent twice keeps its
 * last value. `timestamp` is the HTTP `t=` parameter, which the reference writes into every
 * element as `TimeInstant` (§4.2); it takes the place of UltraLight's timestamp prefix, so the
 * measure mapping treats both alike (the parameter wins over a `TimeInstant` key).
 */
export interface JsonMeasureGroup {
  kind: 'measures'
  values: Map<string, unknown>
  timestamp?: string
}

export interface JsonMeasureOptions {
  /** The HTTP `t=` query parameter (§4.2). */
  timestamp?: string
  limits?: Partial<JsonLimits>
}

const EXAMPLE = '{"temperature": 25, "humidity": 60}'

/** Parses a measure payload from MQTT (`…/attrs`) or an HTTP body (§2.1). Throws JsonParseError. */
export function parseMeasures(payload: Buffer | Uint8Array | string, options: JsonMeasureOptions = {}): JsonMeasureGroup[] {
  const limits = resolveLimits(options.limits)
  const what = 'the measure payload'
  const value = parseJsonText(decodePayload(payload, what, limits), what, limits)
  return measuresFromJson(value, options.timestamp)
}

/**
 * The measure groups of an already parsed JSON value (an HTTP body read by the server, a `d=`
 * query parameter): an object gives one group, an array one group per element, `[]` none.
 */
export function measuresFromJson(value: unknown, timestamp?: string): JsonMeasureGroup[] {
  if (timestamp !== undefined && typeof timestamp !== 'string') {
    throw new JsonParseError(`the timestamp (t) must be text, got ${describeType(timestamp)}`)
  }
  if (Array.isArray(value)) {
    const groups = new Array<JsonMeasureGroup>(value.length)
    for (let i = 0; i < value.length; i++) {
      const element: unknown = value[i]
      if (!isPlainObject(element)) {
        throw new JsonParseError(
          `element ${i + 1} of the measure array is ${describeJson(element)}; each element must be an object of measures such as ${EXAMPLE}`,
          { element: i + 1 }
        )
      }
      groups[i] = group(element, timestamp)
    }
    return groups
  }
  if (!isPlainObject(value)) {
    throw new JsonParseError(`the measure payload is ${describeJson(value)}; expected an object of measures such as ${EXAMPLE}, or an array of such objects`)
  }
  return [group(value, timestamp)]
}

function group(obj: Record<string, unknown>, timestamp: string | undefined): JsonMeasureGroup {
  const values = new Map<string, unknown>()
  for (const key of Object.keys(obj)) values.set(key, obj[key])
  return timestamp === undefined ? { kind: 'measures', values } : { kind: 'measures', values, timestamp }
}

/** A JSON object (not null, not an array). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Describes a JSON value for an error message: `null`, `an array`, `the number 5`, `the text "on"`. */
export function describeJson(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : 'an array'
  switch (typeof value) {
    case 'string':
      return `the text ${quote(value)}`
    case 'number':
    case 'boolean':
      return `the ${typeof value} ${String(value)}`
    case 'object':
      return 'an object'
    default:
      return describeType(value)
  }
}

/**
 * The value of a single-attribute measure (§2.2): what JSON.parse gives when the payload is JSON
 * (`87` → 87, `"on"` → "on", `[1,2]` → the array, `[5]` → the one-element array), otherwise the
 * payload's bytes in hexadecimal (`A$Ci1` → "4124436931", `on` → "6f6e", empty → ""), as the
 * reference does for raw binary sensors. `encoding` says which, for the inspector.
 */
export interface JsonSingleMeasure {
  value: unknown
  /** `json`: parsed; `hex`: not JSON, sent as the hex of its bytes; `text`: an HTTP text/plain body, as is. */
  encoding: 'json' | 'hex' | 'text'
}

/** §2.2 MQTT `…/attrs/<attribute>`. Throws JsonParseError only beyond the size or nesting limits. */
export function parseSingleMeasure(payload: Buffer | Uint8Array | string, options: { limits?: Partial<JsonLimits> } = {}): JsonSingleMeasure {
  const limits = resolveLimits(options.limits)
  const what = 'the single measure payload'
  const text = decodePayload(payload, what, limits)
  checkDepth(text, what, limits.maxDepth)
  try {
    return { value: JSON.parse(text) as unknown, encoding: 'json' }
  } catch {
    const bytes = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength)
    return { value: bytes.toString('hex'), encoding: 'hex' }
  }
}

/** A request body on the HTTP single-attribute route, as the server read it by its Content-Type (§4.3). */
export type HttpSingleMeasureBody =
  /** `application/json` (and any type the server reads as JSON). */
  | { kind: 'json'; value: unknown }
  /** `text/plain`: kept as text, never parsed. */
  | { kind: 'text'; text: string }
  /** `application/octet-stream`: the hex of the bytes. */
  | { kind: 'binary'; bytes: Uint8Array }

/**
 * §4.3 `POST /iot/json/attrs/<attribute>`: text as it is, bytes in hex, JSON as parsed. Deviation:
 * the reference calls `toString('hex')` on JSON values too, so an object becomes "[object Object]",
 * an array its comma-joined items and `true` "true", and it ignores falsy values (`0`, `false`,
 * `""`, `null`); here a JSON body gives its value as the MQTT topic does.
 */
export function singleMeasureFromHttpBody(body: HttpSingleMeasureBody): JsonSingleMeasure {
  switch (body.kind) {
    case 'json':
      return { value: body.value, encoding: 'json' }
    case 'text':
      if (typeof body.text !== 'string') throw new JsonParseError(`a text/plain body must be text, got ${describeType(body.text)}`)
      return { value: body.text, encoding: 'text' }
    case 'binary':
      if (!(body.bytes instanceof Uint8Array)) throw new JsonParseError(`an octet-stream body must be bytes, got ${describeType(body.bytes)}`)
      return { value: Buffer.from(body.bytes.buffer, body.bytes.byteOffset, body.bytes.byteLength).toString('hex'), encoding: 'hex' }
    default:
      throw new JsonParseError(`unknown body kind ${quote(String((body as { kind: unknown }).kind))}`)
  }
}

/**
 * Builds a measure payload `{"k": v, …}` as a simulated JSON device sends it (values keep their
 * JSON types). Throws JsonFormatError for what JSON cannot carry faithfully or NGSI cannot name:
 * no measures, an empty key, undefined, functions, symbols, bigints, NaN or infinite numbers
 * (JSON.stringify would silently drop them or write null), cyclic values.
 */
export function formatMeasures(values: Iterable<[string, unknown]>): string {
  return JSON.stringify(measureObject(values, 'measures'))
}

/** Several updates in one payload: `[{…}, {…}]` (§2.1 multi-measure). */
export function formatMultiMeasures(groups: Iterable<Iterable<[string, unknown]>>): string {
  if (!isIterable(groups)) throw new JsonFormatError(`measure groups must be given as a list, got ${describeType(groups)}`)
  const out: Record<string, unknown>[] = []
  for (const g of groups) out.push(measureObject(g, `measure group ${out.length + 1}`))
  if (out.length === 0) throw new JsonFormatError('at least one measure group is needed to build a payload')
  return JSON.stringify(out)
}

function isIterable(value: unknown): value is Iterable<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as Partial<Iterable<unknown>>)[Symbol.iterator] === 'function'
}

function measureObject(values: Iterable<[string, unknown]>, what: string): Record<string, unknown> {
  if (!isIterable(values)) throw new JsonFormatError(`${what} must be given as [key, value] pairs (a Map or an array), got ${describeType(values)}`)
  // No prototype: a key such as "__proto__" is an ordinary measure.
  const obj = Object.create(null) as Record<string, unknown>
  let count = 0
  for (const entry of values as Iterable<unknown>) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string') throw new JsonFormatError(`${what}: entry ${count + 1} must be a [key, value] pair with a text key`)
    const key = entry[0]
    if (key === '') throw new JsonFormatError(`${what}: entry ${count + 1} has an empty key`)
    checkJsonValue(entry[1], `the value of measure ${quote(key)}`)
    obj[key] = entry[1]
    count++
  }
  if (count === 0) throw new JsonFormatError(`${what}: at least one measure is needed to build a payload`)
  return obj
}

/** Throws JsonFormatError unless JSON.stringify writes `value` faithfully (an iterative walk, bounded in depth). */
export function checkJsonValue(value: unknown, what: string, maxDepth = 64): void {
  const stack: Array<{ v: unknown; depth: number }> = [{ v: value, depth: 0 }]
  while (stack.length > 0) {
    const { v, depth } = stack.pop()!
    switch (typeof v) {
      case 'string':
      case 'boolean':
        continue
      case 'number':
        if (!Number.isFinite(v)) throw new JsonFormatError(`${what} contains ${String(v)}, which JSON cannot carry`)
        continue
      case 'object': {
        if (v === null) continue
        // A cyclic value never ends, so the depth bound catches it too.
        if (depth >= maxDepth) throw new JsonFormatError(`${what} is nested deeper than ${maxDepth} levels (or refers to itself)`)
        if (Array.isArray(v)) {
          for (const item of v as unknown[]) stack.push({ v: item, depth: depth + 1 })
        } else {
          const proto = Object.getPrototypeOf(v) as unknown
          if (proto !== Object.prototype && proto !== null) throw new JsonFormatError(`${what} contains a ${describeType(v)} that is not a plain object`)
          for (const k of Object.keys(v)) stack.push({ v: (v as Record<string, unknown>)[k], depth: depth + 1 })
        }
        continue
      }
      default:
        throw new JsonFormatError(`${what} contains ${v === undefined ? 'undefined' : `a ${typeof v}`}, which JSON cannot carry`)
    }
  }
}
