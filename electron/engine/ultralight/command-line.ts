/**
 * The `<device>@<command>|…` line shared by command results (§2.3, topic `…/cmdexe`) and by
 * command lines found inside a measure payload (§2.1: a group with `@` after its first character).
 */

import { UlParseError, type UlErrorLocation } from './errors'
import { quote } from './text'

/** A command line found in a measure payload (`dev@ping|MADE_OK`, `dev@ping|a=1|b=2`). */
export interface UlCommandLine {
  kind: 'command'
  deviceId: string
  command: string
  /** The single field after the head when it has no `=`; raw text, not cast (as the reference). */
  value?: unknown
  /** `name=value` fields after the head (values are raw text). */
  params?: Record<string, string>
}

/**
 * Splits the first field `<device>@<command>`. The caller has checked that it contains `@`.
 * Deviations from the reference (which would keep going and fail later with a less clear
 * "command not found"): an empty command name and a second `@` are rejected here.
 */
export function parseCommandHead(
  head: string,
  at: number,
  context: () => string,
  where: UlErrorLocation
): { deviceId: string; command: string } {
  const command = head.slice(at + 1)
  if (command === '') {
    throw new UlParseError(`${context()} has no command name after '@' in ${quote(head)}`, where)
  }
  if (command.indexOf('@') >= 0) {
    throw new UlParseError(
      `${context()} has more than one '@' in ${quote(head)}; expected "<device>@<command>"`,
      where
    )
  }
  return { deviceId: head.slice(0, at), command }
}

/**
 * Parses a measure group that is a command line. `group` has its leading `|` already removed and
 * `@` somewhere after its first character; `number` is the 1-based group number for messages.
 *
 * The data after the head follows the reference exactly:
 * - nothing (`dev@ping`) → `params: {}`;
 * - one field without `=` (`dev@ping|MADE_OK`) → `value` (also when empty: `dev@ping|` → "");
 * - otherwise every field must be `name=value` → `params`. This includes a single `k=v` field:
 *   `dev@ping|a=1` gives `params {a:"1"}` and no value, so a result text containing `=` cannot be
 *   reported as a value through a measure payload (use the `cmdexe` topic for that).
 * Parameter names must not be empty (deviation: the reference accepts `=1` with an empty name).
 * Duplicate names: the last one wins.
 */
export function parseCommandLine(group: string, number: number): UlCommandLine {
  const fields = group.split('|')
  const head = fields[0]!
  // Built only when an error is thrown: command lines are parsed on the hot path too.
  const context = (): string => `group ${number} (${quote(group)})`
  const at = head.indexOf('@')
  if (at < 0) {
    throw new UlParseError(
      `${context()} contains '@', so it is read as a command line "<device>@<command>|…", ` +
        `but its first field ${quote(head)} has no '@'. UltraLight has no escaping: ` +
        `'@' cannot appear in a measure key or value`,
      { group: number, field: 1 }
    )
  }
  const { deviceId, command } = parseCommandHead(head, at, context, { group: number, field: 1 })

  if (fields.length === 2 && fields[1]!.indexOf('=') < 0) {
    return { kind: 'command', deviceId, command, value: fields[1]! }
  }

  const params = Object.create(null) as Record<string, string>
  for (let f = 1; f < fields.length; f++) {
    const field = fields[f]!
    const eq = field.indexOf('=')
    const where = { group: number, field: f + 1 }
    if (eq < 0 || field.indexOf('=', eq + 1) >= 0) {
      throw new UlParseError(
        `${context()} is a command line with parameters, so every field after ${quote(head)} must be ` +
          `name=value, but field ${f + 1} (${quote(field)}) has ${eq < 0 ? "no '='" : "more than one '='"}`,
        where
      )
    }
    if (eq === 0) {
      throw new UlParseError(`${context()} has a command parameter without a name in field ${f + 1} (${quote(field)})`, where)
    }
    params[field.slice(0, eq)] = field.slice(eq + 1)
  }
  return { kind: 'command', deviceId, command, params }
}
