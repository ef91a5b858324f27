/**
 * Command results sent by a device on `…/cmdexe` (docs/compatibility/iot-agent-ul.md §2.3): `<deviceId>@<command>|<result>`.
 * Only the first two fields matter (extra fields are ignored, as in the reference) and the device
 * id in the payload is informative: the agent takes the device from the topic.
 */

import { castValue } from './cast'
import { parseCommandHead } from './command-line'
import { UlParseError } from './errors'
import { describeType, quote, stripLineEnd } from './text'

const EXPECTED = 'expected "<device>@<command>|<result>", e.g. "device001@switch|switched on"'

/**
 * §2.3: `result` is castValue(field 1) (`1234567890` → number, `Ping ok` → text), or undefined
 * when there is no `|`. Throws UlParseError when field 0 has no '@', or (deviation from the
 * reference, which goes on with a wrong name) when the command name is empty or field 0 has more
 * than one '@'. The device id may be empty. A trailing line break of the payload is dropped.
 */
export function parseCommandResult(payload: string): { deviceId: string; command: string; result: unknown } {
  if (typeof payload !== 'string') {
    throw new UlParseError(`the command result must be text, got ${describeType(payload)}`)
  }
  const text = stripLineEnd(payload)
  if (text === '') throw new UlParseError(`the command result is empty; ${EXPECTED}`)
  const bar = text.indexOf('|')
  const head = bar < 0 ? text : text.slice(0, bar)
  const at = head.indexOf('@')
  const context = (): string => `the command result ${quote(text)}`
  if (at < 0) {
    throw new UlParseError(`${context()} has no '@' in its first field ${quote(head)}; ${EXPECTED}`, { field: 1 })
  }
  const { deviceId, command } = parseCommandHead(head, at, context, { field: 1 })
  if (bar < 0) return { deviceId, command, result: undefined }
  const next = text.indexOf('|', bar + 1)
  const raw = next < 0 ? text.slice(bar + 1) : text.slice(bar + 1, next)
  return { deviceId, command, result: castValue(raw) }
}
