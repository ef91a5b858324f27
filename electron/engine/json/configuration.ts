/**
 * Configuration retrieval of the JSON agent (docs/compatibility/iot-agent-json.md §2.5): a device
 * asks with `{"type": "configuration", "fields": ["sleepTime", "warningLevel"]}` on
 * `…/configuration/commands` (MQTT) or `POST /iot/json/configuration` (HTTP), and receives
 * `{"sleepTime": "200", "warningLevel": "80", "dt": "20190626T154200Z"}` on
 * `/<apikey>/<deviceId>/configuration/values` (MQTT) or in a POST to `<endpoint>/configuration` (HTTP).
 */

import { formatConfigurationTime } from '../ultralight'
import { describeType, quote } from '../ultralight/text'
import { decodePayload, parseJsonText, resolveLimits, type JsonLimits } from './bounded-json'
import { JsonFormatError, JsonParseError } from './errors'
import { checkJsonValue, describeJson, isPlainObject } from './measures'

export interface JsonConfigurationRequest {
  /** As given: the agent answers `configuration`, subscribes for `subscription` and ignores other types. */
  type: string
  /** The requested attributes; empty when `fields` is absent, which asks the context broker for every attribute. */
  attributes: string[]
}

const EXPECTED = 'expected {"type": "configuration", "fields": ["<attribute>", …]}'

/**
 * §2.5: an object gives one request, an array of objects one request per element. Deviations
 * (the reference logs "unknown command type", asks for attributes named after the letters of a
 * text, or throws on `null`): a request that is not an object, has no text `type`, or has
 * `fields` that are not a list of non-empty texts is a JsonParseError; `[{…}]` is read as its element.
 */
export function parseConfigurationRequests(payload: Buffer | Uint8Array | string, options: { limits?: Partial<JsonLimits> } = {}): JsonConfigurationRequest[] {
  const limits = resolveLimits(options.limits)
  const what = 'the configuration request'
  return configurationRequestsFromJson(parseJsonText(decodePayload(payload, what, limits), what, limits))
}

/** §2.5 on an already parsed value (an HTTP body). */
export function configurationRequestsFromJson(value: unknown): JsonConfigurationRequest[] {
  if (Array.isArray(value)) return value.map((element: unknown, i) => request(element, i + 1))
  return [request(value, undefined)]
}

function request(value: unknown, element: number | undefined): JsonConfigurationRequest {
  const where = element === undefined ? {} : { element }
  const what = element === undefined ? 'the configuration request' : `element ${element} of the configuration requests`
  if (!isPlainObject(value)) throw new JsonParseError(`${what} is ${describeJson(value)}; ${EXPECTED}`, where)
  const type = value.type
  if (typeof type !== 'string') {
    throw new JsonParseError(`${what} has ${type === undefined ? 'no "type"' : `a "type" that is ${describeJson(type)}`}; ${EXPECTED}`, where)
  }
  const fields = value.fields
  if (fields === undefined) return { type, attributes: [] }
  if (!Array.isArray(fields)) throw new JsonParseError(`${what} has "fields" that are ${describeJson(fields)}; "fields" must be a list of attribute names`, where)
  const attributes: string[] = []
  for (let i = 0; i < fields.length; i++) {
    const f: unknown = fields[i]
    if (typeof f !== 'string' || f === '') {
      throw new JsonParseError(`${what}: field ${i + 1} is ${describeJson(f)}; each field must be a non-empty attribute name`, where)
    }
    attributes.push(f)
  }
  return { type, attributes }
}

/**
 * §2.5 the answer `{"<attr>": <value>, …, "dt": "yyyymmddTHHMMssZ"}`: values as JSON (an object
 * stays an object), the stamp being the agent's local time followed by a literal `Z`, as in the
 * reference and in the UltraLight answer. As in the reference the object is filled in order and
 * `dt` set last, so an attribute called `dt` keeps its place but gets the stamp; integer-like
 * attribute names come first, as in any JavaScript object; undefined values are left out.
 */
export function formatConfigurationValues(values: Iterable<[string, unknown]>, now: Date = new Date()): string {
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    throw new JsonFormatError(`the configuration time must be a valid Date, got ${describeType(now)}`)
  }
  if (values === null || typeof values !== 'object' || typeof (values as Partial<Iterable<unknown>>)[Symbol.iterator] !== 'function') {
    throw new JsonFormatError(`configuration values must be given as [attribute, value] pairs, got ${describeType(values)}`)
  }
  const out = Object.create(null) as Record<string, unknown>
  for (const entry of values as Iterable<unknown>) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || entry[0] === '') {
      throw new JsonFormatError('each configuration value must be an [attribute, value] pair with a non-empty attribute name')
    }
    const [name, value] = entry as [string, unknown]
    if (value === undefined) continue
    checkJsonValue(value, `the value of attribute ${quote(name)}`)
    out[name] = value
  }
  out.dt = formatConfigurationTime(now)
  return JSON.stringify(out)
}
