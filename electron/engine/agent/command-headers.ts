import { validateHeaderName, validateHeaderValue } from 'node:http'
import { compileExpression, contextOfItems, evaluate, type CommandDevice, type ExpressionContext } from '../expressions'

/**
 * The headers of a command pushed to a device's endpoint (docs/compatibility/iot-agent-json.md §4.5).
 * Always the tenant headers and a `content-type`; an agent that honours a command's own settings
 * (IoT Agent JSON) takes the command's `contentType` instead of its codec's and adds each of the
 * command's `headers`, whose values are JEXL expressions. The UltraLight agent has neither
 * (docs/compatibility/iot-agent-ul.md §5.7).
 */

/** What a push needs of a command definition. */
export interface CommandPushSettings {
  contentType?: string
  headers?: Record<string, string>
}

export type PushHeaders = { ok: true; headers: Record<string, string> } | { ok: false; reason: string }

/** Headers the agent writes itself, whatever the command says: the body's length is the agent's. */
const AGENT_OWNED = new Set(['content-length'])

/**
 * The context of a header expression, as the reference builds it: `id` (device id), `type`,
 * `service`, `subservice`, `entity_name` and the static attributes — not the command's value.
 */
function headerContext(dev: CommandDevice): ExpressionContext {
  return contextOfItems([
    { name: 'id', value: dev.deviceId },
    { name: 'type', value: dev.entityType },
    { name: 'service', value: dev.scope.service },
    { name: 'subservice', value: dev.scope.servicePath },
    { name: 'entity_name', value: dev.entityId },
    ...dev.statics
  ])
}

/** A header expression's result, or null when it fails or gives nothing (`undefined` is null too). */
function evaluateHeader(source: string, ctx: ExpressionContext): unknown {
  try {
    return evaluate(compileExpression(source), ctx)
  } catch {
    return null
  }
}

/** A result as header text: text, numbers and booleans as written, objects and arrays as JSON. */
function headerText(value: unknown): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value)
  return JSON.stringify(value) ?? ''
}

/** Why `name: value` cannot go on a request (Node's own checks), or undefined when it can. */
function invalidHeader(name: string, value: string): string | undefined {
  try {
    validateHeaderName(name)
    validateHeaderValue(name, value)
    return undefined
  } catch (err) {
    return (err as Error).message
  }
}

/**
 * The headers of one push. With `ownSettings`, the command's `contentType` (when not empty) replaces
 * `contentType`, and each of its `headers` is added under its lower-case name (replacing a tenant
 * header of that name, as the reference's HTTP client does). A header whose expression fails or
 * gives null, an illegal name or value: not ok — the reference's HTTP client refuses such a request
 * before sending it, and so does this one.
 */
export function commandPushHeaders(dev: CommandDevice, cmd: CommandPushSettings, contentType: string, ownSettings: boolean): PushHeaders {
  const type = ownSettings && cmd.contentType ? cmd.contentType : contentType
  const headers: Record<string, string> = { 'fiware-service': dev.scope.service, 'fiware-servicepath': dev.scope.servicePath, 'content-type': type }
  const badType = invalidHeader('content-type', type)
  if (badType !== undefined) return { ok: false, reason: `contentType: ${badType}` }
  if (!ownSettings || !cmd.headers) return { ok: true, headers }
  let ctx: ExpressionContext | undefined
  for (const [name, source] of Object.entries(cmd.headers)) {
    const key = name.toLowerCase()
    if (AGENT_OWNED.has(key)) continue
    ctx ??= headerContext(dev)
    const result = typeof source === 'string' ? evaluateHeader(source, ctx) : null
    if (result === null) return { ok: false, reason: `header ${name}: its expression ${JSON.stringify(source)} gives no value, so the command was not sent` }
    const text = headerText(result)
    const bad = invalidHeader(name, text)
    if (bad !== undefined) return { ok: false, reason: `header ${name}: ${bad}` }
    headers[key] = text
  }
  return { ok: true, headers }
}
