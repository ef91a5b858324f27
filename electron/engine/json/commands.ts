/**
 * Commands sent by the JSON agent to a device (docs/compatibility/iot-agent-json.md §2.3), over MQTT
 * on `/<apikey>/<deviceId>/cmd` or in the body of an HTTP push to the device's endpoint (§4.5).
 *
 * The payload is the object `{"<command>": <value>}` with the value exactly as the context broker
 * forwarded it (a JSON-looking string stays a string: `"{\"a\":1}"` is sent as
 * `{"cmd":"{\"a\":1}"}`); with a command `expression` the payload is the expression's result
 * instead (the agent evaluates it, with the command's value in the context, before calling here).
 * The payload is then serialized according to the command's `payloadType`.
 */

import { describeType, renderLikeConcat } from '../ultralight/text'
import { JsonCommandError } from './errors'

/** §2.3: the payload object `{"<command>": <value>}`. The value may be anything JSON carries, null included. */
export function commandPayload(command: string, value: unknown): Record<string, unknown> {
  if (typeof command !== 'string') throw new JsonCommandError(`the command name must be text, got ${describeType(command)}`)
  if (command === '') throw new JsonCommandError('the command name is empty')
  // An ordinary object (so binaryfromstring writes "[object Object]" as the reference), with the
  // command as an own property even when it is called "__proto__".
  const payload: Record<string, unknown> = {}
  Object.defineProperty(payload, command, { value, enumerable: true, writable: true, configurable: true })
  return payload
}

/**
 * §2.3 command `expression`: its result is the whole payload; a falsy result (false, 0, "", null,
 * undefined — an expression that failed included) sends the expression's own text, a quirk of the
 * reference kept as is.
 */
export function expressionCommandPayload(source: string, result: unknown): unknown {
  if (typeof source !== 'string' || source === '') throw new JsonCommandError(`the command expression must be non-empty text, got ${describeType(source)}`)
  return result ? result : source
}

function stringify(payload: unknown, what: string): string {
  let text: string | undefined
  try {
    text = JSON.stringify(payload)
  } catch (err) {
    throw new JsonCommandError(`${what} cannot be written as JSON: ${(err as Error).message}`)
  }
  if (text === undefined) throw new JsonCommandError(`${what} cannot be written as JSON (${describeType(payload)})`)
  return text
}

/**
 * §2.3 serialization by the command's `payloadType` (any case):
 * - none, `json` or an unknown type → the JSON text of the payload (`{"PING":{"data":"22"}}`,
 *   an expression's text result `"command Expression"` with its quotes);
 * - `text` → a text payload as it is (`myText`); a number or boolean as its text;
 * - `binaryfromstring` → the UTF-8 bytes of the payload as JavaScript writes it (`{"a":1}` as an
 *   object gives "[object Object]", as in the reference);
 * - `binaryfromhex` → text decoded as hexadecimal with Node's lenient decoder (`484F4C41` → "HOLA",
 *   stopping at the first pair that is not hex);
 * - `binaryfromjson` → the UTF-8 bytes of the JSON text.
 *
 * Deviations, where the reference crashes or publishes nothing: `text` with an object or array
 * payload and `binaryfromhex` with anything but text throw JsonCommandError (so a plain command,
 * whose payload is always an object, needs an `expression` yielding text to use them).
 */
export function encodeCommandPayload(payload: unknown, payloadType?: string | null): string | Buffer {
  const what = 'the command payload'
  // null and "" count as "not set", as in the reference (a falsy payloadType is ignored).
  if (payloadType === undefined || payloadType === null || payloadType === '') return stringify(payload, what)
  if (typeof payloadType !== 'string') throw new JsonCommandError(`the command payloadType must be text, got ${describeType(payloadType)}`)
  switch (payloadType.toLowerCase()) {
    case 'text':
      if (typeof payload === 'string') return payload
      if (typeof payload === 'number' || typeof payload === 'boolean') return String(payload)
      throw new JsonCommandError(
        `payloadType "text" sends a text payload as it is, but ${what} is ${describeType(payload)}; ` +
          'give the command an expression that yields text, or remove the payloadType'
      )
    case 'binaryfromstring': {
      const text = renderLikeConcat(payload)
      if (text === undefined) throw new JsonCommandError(`${what} cannot be written as text (${describeType(payload)})`)
      return Buffer.from(text, 'utf8')
    }
    case 'binaryfromhex':
      if (typeof payload !== 'string') {
        throw new JsonCommandError(
          `payloadType "binaryFromHex" decodes text of hexadecimal digits, but ${what} is ${describeType(payload)}; ` +
            'give the command an expression that yields the hex text, e.g. "484F4C41"'
        )
      }
      return Buffer.from(payload, 'hex')
    case 'binaryfromjson':
      return Buffer.from(stringify(payload, what), 'utf8')
    default:
      return stringify(payload, what)
  }
}

/** A plain command (no expression): `encodeCommandPayload(commandPayload(command, value), payloadType)`. */
export function formatCommand(command: string, value: unknown, payloadType?: string | null): string | Buffer {
  return encodeCommandPayload(commandPayload(command, value), payloadType)
}
