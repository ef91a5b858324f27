/**
 * The device protocols of the two agents behind one small interface: UltraLight 2.0
 * (docs/compatibility/iot-agent-ul.md §2) and JSON (docs/compatibility/iot-agent-json.md §2).
 *
 * Both agents share everything after decoding — device resolution, measure mapping, commands,
 * configuration retrieval — and differ only in how bytes become measures and commands become
 * bytes. The southbound code (MQTT and HTTP) picks the codec from the agent that owns the API
 * key's group and then calls only what is below; the codecs themselves stay pure (../ultralight,
 * ./json), and this file adds the one thing that needs the expression engine: a command's
 * `expression`, whose context differs between the agents.
 *
 * Errors: the decoders throw the codec's parse error (`code: 'PARSE_ERROR'`, see isParseError), which
 * the agent reports as PARSE_ERROR (MQTT: counted and dropped; HTTP: 400); the encoders throw the
 * codec's format error (isFormatError), which fails the command with `<cmd>_status` ERROR.
 */

import { commandTextWithExpression, compileExpression, contextOfItems, evaluate, type CommandDevice } from './expressions'
import * as json from './json'
import * as ul from './ultralight'

export type AgentProtocolName = 'ul' | 'json'

/** One update's measures; `timestamp` is the UltraLight prefix or the HTTP `t=` parameter (which wins). */
export interface DecodedMeasures {
  kind: 'measures'
  values: Map<string, unknown>
  timestamp?: string
}

/** A command result written inside a measure payload (UltraLight `dev@cmd|…` only). */
export interface DecodedCommandLine {
  kind: 'command'
  deviceId: string
  command: string
  result: unknown
}

export type DecodedGroup = DecodedMeasures | DecodedCommandLine

export interface DecodedCommandResult {
  command: string
  result: unknown
}

export interface DecodedConfigurationRequest {
  /** `configuration`, `subscription`, or another type the agent ignores. */
  type: string
  /** Empty: every attribute (JSON without `fields`, UltraLight `configuration` alone). */
  attributes: string[]
}

/** What the codec needs of a command definition. */
export interface CommandSpec {
  name: string
  expression?: string
  payloadType?: string
}

export interface AgentProtocolCodec {
  readonly protocol: AgentProtocolName
  /** The optional first topic segment of device topics (`ul/…`, `json/…`). */
  readonly topicPrefix: string
  /** For messages: `UltraLight`, `JSON`. */
  readonly label: string
  /** Content-Type of a command pushed to a device over HTTP. */
  readonly commandContentType: string
  /** Whether a pushed command carries its own `contentType` and `headers` (JSON) or only the agent's (UltraLight). */
  readonly commandOwnHeaders: boolean
  /** Content-Type of the answer to a poll (`getCmd=1`) that carries commands. */
  readonly pollContentType: string
  /** A payload on `…/attrs` or an HTTP measure body; `timestamp` is the HTTP `t=` parameter. */
  decodeMeasures(payload: Buffer, timestamp?: string): DecodedGroup[]
  /** A payload on `…/attrs/<attribute>`: the value, and how it was read (for the inspector). */
  decodeSingleMeasure(payload: Buffer): { value: unknown; encoding: 'cast' | 'json' | 'hex' | 'text' }
  /** A payload on `…/cmdexe` (JSON may report several commands at once). */
  decodeCommandResults(payload: Buffer): DecodedCommandResult[]
  /** A payload on `…/configuration/commands`. */
  decodeConfigurationRequests(payload: Buffer): DecodedConfigurationRequest[]
  /** The command as the device receives it (MQTT payload or HTTP push body). */
  encodeCommand(dev: CommandDevice, command: CommandSpec, value: unknown): string | Buffer
  /**
   * The command as an HTTP device receives it: the body of a push to its endpoint, and the payload
   * queued for a polling device (UltraLight: the text without `payloadType`, as iotagent-ul).
   */
  encodeHttpCommand(dev: CommandDevice, command: CommandSpec, value: unknown): string | Buffer
  /** A device's answer to a pushed command: the results it names (`[]`: none). Throws the codec's parse error. */
  decodeCommandAnswer(body: string): DecodedCommandResult[]
  /** The answer to a poll with the queued commands, oldest first (`value`: as forwarded; `payload`: as encoded). */
  formatPolledCommands(queued: ReadonlyArray<{ command: string; value: unknown; payload: string }>): string
  /** The answer published on `…/configuration/values` (and, for JSON over HTTP, posted to `<endpoint>/configuration`). */
  encodeConfigurationValues(deviceId: string, values: Iterable<[string, unknown]>, now?: Date): string
  isParseError(err: unknown): err is Error & { code: 'PARSE_ERROR' }
  isFormatError(err: unknown): err is Error
}

export const ulProtocol: AgentProtocolCodec = {
  protocol: 'ul',
  topicPrefix: 'ul',
  label: 'UltraLight',
  commandContentType: 'text/plain',
  // docs/compatibility/iot-agent-ul.md §5.7: iotagent-ul has no per-command contentType or headers.
  commandOwnHeaders: false,
  pollContentType: 'text/plain; charset=utf-8',
  decodeMeasures(payload, timestamp) {
    return ul.parseMeasures(payload.toString('utf8')).map((g): DecodedGroup => {
      if (g.kind === 'command') return { kind: 'command', deviceId: g.deviceId, command: g.command, result: g.value ?? g.params }
      // iotagent-ul writes the HTTP `t` over each group's TimeInstant, prefix included.
      const t = timestamp ?? g.timestamp
      return t === undefined ? { kind: 'measures', values: g.values } : { kind: 'measures', values: g.values, timestamp: t }
    })
  },
  decodeSingleMeasure: (payload) => ({ value: ul.parseSingleMeasure(payload.toString('utf8')), encoding: 'cast' }),
  decodeCommandResults(payload) {
    const r = ul.parseCommandResult(payload.toString('utf8'))
    return [{ command: r.command, result: r.result }]
  },
  decodeConfigurationRequests: (payload) => [ul.parseConfigurationRequest(payload.toString('utf8'))],
  encodeCommand(dev, command, value) {
    const text = commandTextWithExpression(dev, command, value) ?? ul.formatCommand(dev.deviceId, command.name, value)
    // As iotagent-ul: payloadType only applies to plain values, not to key=value parameter lists.
    return value !== null && typeof value === 'object' ? text : ul.encodeCommandPayload(text, command.payloadType)
  },
  encodeHttpCommand: (dev, command, value) => commandTextWithExpression(dev, command, value) ?? ul.formatCommand(dev.deviceId, command.name, value),
  decodeCommandAnswer(body) {
    const r = ul.parseCommandResult(body)
    return [{ command: r.command, result: r.result }]
  },
  // As iotagent-ul: queued commands joined with `|` (its docs say `#`), docs/compatibility/iot-agent-ul.md §5.7.
  formatPolledCommands: (queued) => queued.map((q) => q.payload).join('|'),
  encodeConfigurationValues: (deviceId, values, now) => ul.formatConfigurationValues(deviceId, values, now),
  isParseError: (err): err is ul.UlParseError => err instanceof ul.UlParseError,
  isFormatError: (err): err is ul.UlFormatError => err instanceof ul.UlFormatError
}

/**
 * The result of a JSON command's expression (docs/compatibility/iot-agent-json.md §2.3): evaluated
 * over `id`, `type`, `service`, `subservice`, `entity_name`, the static attributes and — unlike
 * UltraLight — the command itself, named after it with the forwarded value. A failing expression
 * gives null, so the expression text is sent (expressionCommandPayload).
 */
export function jsonCommandExpressionResult(dev: CommandDevice, command: { name: string; expression: string }, value: unknown): unknown {
  const ctx = contextOfItems([
    { name: 'id', value: dev.deviceId },
    { name: 'type', value: dev.entityType },
    { name: 'service', value: dev.scope.service },
    { name: 'subservice', value: dev.scope.servicePath },
    { name: 'entity_name', value: dev.entityId },
    ...dev.statics,
    { name: command.name, value }
  ])
  try {
    return evaluate(compileExpression(command.expression), ctx)
  } catch {
    return null
  }
}

export const jsonProtocol: AgentProtocolCodec = {
  protocol: 'json',
  topicPrefix: 'json',
  label: 'JSON',
  commandContentType: 'application/json',
  commandOwnHeaders: true,
  pollContentType: 'application/json; charset=utf-8',
  decodeMeasures: (payload, timestamp) => json.parseMeasures(payload, { timestamp }),
  decodeSingleMeasure: (payload) => json.parseSingleMeasure(payload),
  decodeCommandResults: (payload) => json.parseCommandResults(payload),
  decodeConfigurationRequests: (payload) => json.parseConfigurationRequests(payload),
  encodeCommand(dev, command, value) {
    const expression = command.expression
    const payload =
      typeof expression === 'string' && expression !== ''
        ? json.expressionCommandPayload(expression, jsonCommandExpressionResult(dev, { name: command.name, expression }, value))
        : json.commandPayload(command.name, value)
    return json.encodeCommandPayload(payload, command.payloadType)
  },
  encodeHttpCommand(dev, command, value) {
    return jsonProtocol.encodeCommand(dev, command, value)
  },
  decodeCommandAnswer: (body) => json.parseCommandAnswer(body),
  // docs/compatibility/iot-agent-json.md §4.4: the forwarded values, without expression or payloadType.
  formatPolledCommands: (queued) => json.formatPolledCommands(queued.map((q) => ({ name: q.command, value: q.value }))),
  encodeConfigurationValues: (_deviceId, values, now) => json.formatConfigurationValues(values, now),
  isParseError: (err): err is json.JsonParseError => err instanceof json.JsonParseError,
  isFormatError: (err): err is json.JsonFormatError => err instanceof json.JsonFormatError
}

export const AGENT_PROTOCOLS: Readonly<Record<AgentProtocolName, AgentProtocolCodec>> = Object.freeze({ ul: ulProtocol, json: jsonProtocol })
