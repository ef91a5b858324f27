import { parseCommandResult, UlParseError } from '../ultralight'
import type { HttpDeviceProtocol } from './http-device-lookup'

/**
 * What the tutorials' dummy device reads in a command request and what it answers
 * (docs/compatibility/tutorial-services.md §4.1): pure functions, no I/O.
 *
 * The IoT Agent JSON POSTs `{"<command>": <value>}`; the UltraLight agent POSTs
 * `<device>@<command>|<value>` as text. The answer is the device's result in the same syntax:
 * `{"<command>": "<text>"}` or `<device>@<command>|<text>`, which the agent turns into
 * `<command>_status` OK and `<command>_info` <text>.
 */

/** The commands the tutorials' HTTP devices understand. */
export const DEVICE_COMMANDS = ['start', 'stop', 'interval', 'switch'] as const
export type DeviceCommandName = (typeof DEVICE_COMMANDS)[number]

/** The tutorial device's default measure interval, in seconds. */
export const DEFAULT_INTERVAL_S = 5
/** Shortest and longest interval accepted (the tutorial device takes any whole number). */
export const MIN_INTERVAL_S = 0.2
export const MAX_INTERVAL_S = 86_400

/** A command request as read: its syntax, the device id (UltraLight names it), the command and its value. */
export interface DeviceCommandRequest {
  protocol: HttpDeviceProtocol
  /** The device id of an UltraLight command line; undefined for JSON. */
  deviceId?: string
  command: DeviceCommandName
  value: unknown
}

/** Why a request is not answered with a result: the status and the JSON body to send. */
export interface DeviceCommandRefusal {
  status: number
  body: { error: string; description?: string }
}

/** The tutorial device's answer to a command it does not know, or to an interval it cannot read. */
export const METHOD_NOT_ALLOWED: DeviceCommandRefusal = { status: 405, body: { error: 'Method not allowed' } }

function badRequest(description: string): DeviceCommandRefusal {
  return { status: 400, body: { error: 'BadRequest', description } }
}

const isCommand = (name: string): name is DeviceCommandName => (DEVICE_COMMANDS as readonly string[]).includes(name)

/**
 * Reads a command request body. A JSON object is the JSON agent's (its first key that is a known
 * command wins, in the tutorial device's order start, stop, interval, switch); a text with `@` is
 * UltraLight. A body that is neither is a 400; a command the device does not know, a 405 as the
 * tutorial device answers.
 */
export function parseDeviceCommand(body: string, contentType: string | undefined): DeviceCommandRequest | DeviceCommandRefusal {
  const text = body.trim()
  if (text === '') return badRequest('empty command request')
  const json = /json/i.test(contentType ?? '') || text.startsWith('{') || text.startsWith('[')
  if (json) {
    let raw: unknown
    try {
      raw = JSON.parse(text)
    } catch {
      return badRequest('the command request is not valid JSON')
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return badRequest('the command request must be a JSON object such as {"start": ""}')
    const obj = raw as Record<string, unknown>
    const command = DEVICE_COMMANDS.find((c) => Object.hasOwn(obj, c))
    return command === undefined ? METHOD_NOT_ALLOWED : { protocol: 'json', command, value: obj[command] }
  }
  let parsed: { deviceId: string; command: string; result: unknown }
  try {
    parsed = parseCommandResult(text)
  } catch (err) {
    if (err instanceof UlParseError) return badRequest(`not a command: ${err.message.replace('command result', 'command')}`)
    throw err
  }
  if (!isCommand(parsed.command)) return METHOD_NOT_ALLOWED
  return { protocol: 'ul', deviceId: parsed.deviceId, command: parsed.command, value: parsed.result ?? '' }
}

/** The interval a command value gives, in seconds, or undefined when it is not a number in range. */
export function intervalSeconds(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\+?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN
  return Number.isFinite(n) && n >= MIN_INTERVAL_S && n <= MAX_INTERVAL_S ? n : undefined
}

/**
 * What a `switch` value asks for: on, off, or (the tutorials send `""`) the other state.
 */
export function switchWanted(value: unknown): 'on' | 'off' | 'toggle' {
  if (value === true || value === 1) return 'on'
  if (value === false || value === 0) return 'off'
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase()
    if (v === 'on' || v === 'true' || v === '1') return 'on'
    if (v === 'off' || v === 'false' || v === '0') return 'off'
  }
  return 'toggle'
}

/** How a device calls itself in its answers: the last segment of its path, upper case (`/dht22` → DHT22). */
export function deviceLabel(path: string): string {
  const segment = path.split('/').filter((s) => s !== '').pop()
  return segment ? segment.toUpperCase().slice(0, 40) : 'DEVICE'
}

/** The answer body of a result, in the request's syntax. */
export function formatDeviceAnswer(req: DeviceCommandRequest, result: string): { contentType: string; body: string } {
  if (req.protocol === 'json') return { contentType: 'application/json', body: JSON.stringify({ [req.command]: result }) }
  return { contentType: 'text/plain; charset=utf-8', body: `${req.deviceId ?? ''}@${req.command}|${result}` }
}
