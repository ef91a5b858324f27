/**
 * Commands sent by the agent to a device (docs/compatibility/iot-agent-ul.md §2.2): `<deviceId>@<command>|<value>`.
 *
 * The text is built exactly as the reference agent builds it, which has no escaping: a value
 * `"a|b"` is sent as `dev@cmd|a|b`, an object becomes `|k=v` pairs and values nested inside it are
 * rendered by string concatenation ("[object Object]", arrays comma-joined). Command expressions
 * (JEXL) are evaluated by the agent before calling formatCommand.
 */

import { UlFormatError } from './errors'
import { describeType, quote, renderLikeConcat } from './text'

/** A command payload cannot be built. */
export class UlCommandError extends UlFormatError {
  constructor(message: string) {
    super(message)
    this.name = 'UlCommandError'
  }
}

/**
 * Checks a device id or command name that goes before `|`. Beyond the reference (which checks
 * nothing), `@` and `|` are refused because the device could not split the line back.
 */
export function checkCommandName(name: unknown, what: string): string {
  if (typeof name !== 'string') throw new UlCommandError(`the ${what} must be text, got ${describeType(name)}`)
  if (name === '') throw new UlCommandError(`the ${what} is empty`)
  if (name.indexOf('@') >= 0 || name.indexOf('|') >= 0) {
    throw new UlCommandError(`the ${what} ${quote(name)} contains '@' or '|', which UltraLight uses as separators`)
  }
  return name
}

/**
 * §2.2: `<deviceId>@<command>|<value>` for a string, number or boolean (`22` → `MQTT_4@PING|22`,
 * `""` → `dev@cmd|`); an object gives `<deviceId>@<command>|k1=v1|k2=v2` (`{}` gives the bare head,
 * an array gives `0=v0|1=v1`). `null`/`undefined` throw UlCommandError — a deviation: the reference
 * agent crashes on null and never answers the forwarded request, and sends the text "undefined".
 */
export function formatCommand(deviceId: string, command: string, value: unknown): string {
  const head = checkCommandName(deviceId, 'device id') + '@' + checkCommandName(command, 'command name')
  if (value === null || value === undefined) {
    throw new UlCommandError(
      `command ${quote(command)} for device ${quote(deviceId)} has no value (${value}); give a value, e.g. "" or "on"`
    )
  }
  if (typeof value === 'object') {
    let out = head
    const params = value as Record<string, unknown>
    for (const key of Object.keys(params)) {
      const text = renderLikeConcat(params[key])
      if (text === undefined) {
        throw new UlCommandError(`parameter ${quote(key)} of command ${quote(command)} cannot be written as text`)
      }
      out += '|' + key + '=' + text
    }
    return out
  }
  const text = renderLikeConcat(value)
  if (text === undefined) {
    throw new UlCommandError(`the value of command ${quote(command)} cannot be written as text (${typeof value})`)
  }
  return head + '|' + text
}

/**
 * §2.2 command `payloadType` (case-insensitive), applied to the whole command text as the
 * reference does (only for non-object values; that choice belongs to the caller):
 * - `binaryfromstring` → the UTF-8 bytes of the text;
 * - `binaryfromhex` → the text decoded as hexadecimal with Node's lenient decoder, which stops at
 *   the first character that is not a hex pair (so `dev@cmd|ff` gives one byte 0xde, as in the
 *   reference: the device id is part of the decoded text);
 * - `binaryfromjson` → the UTF-8 bytes of the JSON string literal of the text;
 * - `json` → the JSON string literal itself (`"\"dev@cmd|5\""`);
 * - anything else, or no payloadType → the text unchanged.
 */
export function encodeCommandPayload(text: string, payloadType?: string): string | Buffer {
  if (typeof text !== 'string') throw new UlCommandError(`the command text must be text, got ${describeType(text)}`)
  // null and "" count as "not set", as in the reference (a falsy payloadType is ignored).
  if (payloadType === undefined || payloadType === null || payloadType === '') return text
  if (typeof payloadType !== 'string') {
    throw new UlCommandError(`the command payloadType must be text, got ${describeType(payloadType)}`)
  }
  switch (payloadType.toLowerCase()) {
    case 'binaryfromstring':
      return Buffer.from(text, 'utf8')
    case 'binaryfromhex':
      return Buffer.from(text, 'hex')
    case 'binaryfromjson':
      return Buffer.from(JSON.stringify(text), 'utf8')
    case 'json':
      return JSON.stringify(text)
    default:
      return text
  }
}
