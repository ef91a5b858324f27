/**
 * Configuration retrieval over MQTT (docs/compatibility/iot-agent-ul.md §2.4, §3.5). A device asks on
 * `…/configuration/commands` with `<type>|<attr1>|<attr2>…` and the agent answers on
 * `…/configuration/values` with `<deviceId>@configuration|<attr>=<value>|…|dt=<time>`.
 */

import { checkCommandName } from './commands'
import { UlFormatError, UlParseError } from './errors'
import { describeType, quote, renderLikeConcat, stripLineEnd } from './text'

/**
 * §2.4: the first field is the request type, returned as given (the agent handles
 * `configuration` and `subscription` and ignores the others); the other fields are attribute
 * names. Throws UlParseError on an empty payload and (deviation: the reference would ask the
 * context broker for an attribute named "") on an empty attribute name. A trailing line break is
 * dropped.
 */
export function parseConfigurationRequest(payload: string): { type: string; attributes: string[] } {
  if (typeof payload !== 'string') {
    throw new UlParseError(`the configuration request must be text, got ${describeType(payload)}`)
  }
  const text = stripLineEnd(payload)
  if (text === '') {
    throw new UlParseError('the configuration request is empty; expected "<type>|<attribute>|…", e.g. "configuration|pollingInterval"')
  }
  const fields = text.split('|')
  const type = fields[0]!
  const attributes = fields.slice(1)
  for (let i = 0; i < attributes.length; i++) {
    if (attributes[i] === '') {
      throw new UlParseError(
        `the configuration request ${quote(text)} has an empty attribute name (field ${i + 2})`,
        { field: i + 2 }
      )
    }
  }
  return { type, attributes }
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0')
}

/**
 * The `dt` stamp of the reference (dateformat `yyyymmdd'T'HHMMss'Z'`): the agent's *local* time
 * followed by a literal `Z`, so it is only UTC when the agent runs in UTC. Kept for devices that
 * parse it.
 */
export function formatConfigurationTime(now: Date): string {
  return (
    pad(now.getFullYear(), 4) +
    pad(now.getMonth() + 1, 2) +
    pad(now.getDate(), 2) +
    'T' +
    pad(now.getHours(), 2) +
    pad(now.getMinutes(), 2) +
    pad(now.getSeconds(), 2) +
    'Z'
  )
}

/**
 * §2.4: `<deviceId>@configuration|a=v|…|dt=yyyymmddTHHMMssZ`, values rendered as the reference
 * concatenates them (objects → "[object Object]"). As in the reference the stamp is assigned to
 * the key `dt` last, so an attribute that is itself called `dt` keeps its place but gets the stamp.
 * A key sent twice keeps its first place and its last value.
 */
export function formatConfigurationValues(deviceId: string, values: Iterable<[string, unknown]>, now: Date = new Date()): string {
  checkCommandName(deviceId, 'device id')
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    throw new UlFormatError(`the configuration time must be a valid Date, got ${describeType(now)}`)
  }
  if (values === null || typeof values !== 'object' || typeof (values as Partial<Iterable<unknown>>)[Symbol.iterator] !== 'function') {
    throw new UlFormatError(`configuration values must be given as [attribute, value] pairs, got ${describeType(values)}`)
  }
  const ordered = new Map<string, unknown>()
  for (const entry of values) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || entry[0] === '') {
      throw new UlFormatError('each configuration value must be an [attribute, value] pair with a non-empty attribute name')
    }
    ordered.set(entry[0], entry[1])
  }
  ordered.set('dt', formatConfigurationTime(now))
  let out = deviceId + '@configuration'
  for (const [key, value] of ordered) {
    const text = renderLikeConcat(value)
    if (text === undefined) throw new UlFormatError(`the value of attribute ${quote(key)} cannot be written as text`)
    out += '|' + key + '=' + text
  }
  return out
}
