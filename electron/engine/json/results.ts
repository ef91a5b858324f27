/**
 * Command results sent by a device (docs/compatibility/iot-agent-json.md §2.4): the object
 * `{"<command>": <result>}` on the MQTT topic `…/cmdexe`, in the body of `POST /iot/json/commands`
 * (§4.4), or in the answer of a device to an HTTP push (§4.5). Every key is a command name and its
 * value, kept as JSON gives it, becomes `<command>_info` with `<command>_status` OK. The device id
 * is not in the payload: the agent takes it from the topic or the query.
 */

import { describeType } from '../ultralight/text'
import { decodePayload, parseJsonText, resolveLimits, type JsonLimits } from './bounded-json'
import { JsonFormatError, JsonParseError } from './errors'
import { describeJson, isPlainObject } from './measures'

export interface JsonCommandResult {
  command: string
  result: unknown
}

const EXPECTED = 'expected {"<command>": <result>}, e.g. {"switch": "switched on"}'

/**
 * §2.4 `…/cmdexe`: an object gives one result per key (`{}` none); an array of objects gives the
 * results of each element in turn. Deviations (the reference reads the keys of whatever it gets, so
 * a text payload reports commands "0", "1"…, a one-element array a command "0", and `null` throws
 * inside the agent): anything but an object or an array of objects is a JsonParseError, and
 * `[{…}]` is read as its element.
 */
export function parseCommandResults(payload: Buffer | Uint8Array | string, options: { limits?: Partial<JsonLimits> } = {}): JsonCommandResult[] {
  const limits = resolveLimits(options.limits)
  const what = 'the command result'
  return commandResultsFromJson(parseJsonText(decodePayload(payload, what, limits), what, limits))
}

/** §2.4 on an already parsed value (the body of `POST /iot/json/commands`). */
export function commandResultsFromJson(value: unknown): JsonCommandResult[] {
  if (isPlainObject(value)) return entries(value)
  if (Array.isArray(value)) {
    const out: JsonCommandResult[] = []
    for (let i = 0; i < value.length; i++) {
      const element: unknown = value[i]
      if (!isPlainObject(element)) {
        throw new JsonParseError(`element ${i + 1} of the command results is ${describeJson(element)}; ${EXPECTED}`, { element: i + 1 })
      }
      out.push(...entries(element))
    }
    return out
  }
  throw new JsonParseError(`the command result is ${describeJson(value)}; ${EXPECTED}`)
}

function entries(obj: Record<string, unknown>): JsonCommandResult[] {
  return Object.keys(obj).map((command) => ({ command, result: obj[command] }))
}

/**
 * §4.5 the body of a device's 2xx answer to an HTTP push command. The reference asks for a JSON
 * answer: an empty body names no command (the command's status is left as it is, PENDING), a body
 * that is not JSON fails the command. Deviation: a JSON answer that is not an object (text, a
 * number, an array, null) is a JsonParseError here, where the reference reads the keys of a text
 * as commands "0", "1"… or throws on null.
 */
export function parseCommandAnswer(body: Buffer | Uint8Array | string, options: { limits?: Partial<JsonLimits> } = {}): JsonCommandResult[] {
  const limits = resolveLimits(options.limits)
  const what = "the device's answer"
  const text = decodePayload(body, what, limits)
  if (text === '') return []
  const value = parseJsonText(text, what, limits)
  if (!isPlainObject(value)) throw new JsonParseError(`${what} is ${describeJson(value)}; ${EXPECTED}`)
  return entries(value)
}

/**
 * §4.4 the answer to a poll (`getCmd=1`): the queued commands as one object `{"<cmd>": <value>, …}`
 * (a later command of the same name replaces an earlier one), `{}` when none is queued. Deviation:
 * the reference leaves out commands whose value is empty or blank text (`""`, `" "`) while still
 * marking them DELIVERED, so the device never learns of them; here they are sent with their value.
 */
export function formatPolledCommands(commands: Iterable<{ name: string; value: unknown }>): string {
  if (commands === null || typeof commands !== 'object' || typeof (commands as Partial<Iterable<unknown>>)[Symbol.iterator] !== 'function') {
    throw new JsonFormatError(`the polled commands must be a list, got ${describeType(commands)}`)
  }
  const out = Object.create(null) as Record<string, unknown>
  for (const c of commands) {
    if (c === null || typeof c !== 'object' || typeof c.name !== 'string' || c.name === '') {
      throw new JsonFormatError('each polled command needs a non-empty name')
    }
    out[c.name] = c.value
  }
  return JSON.stringify(out)
}
