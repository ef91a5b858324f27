import { formatCommand } from '../ultralight'
import { renderLikeConcat } from '../ultralight/text'
import { compileExpression } from './compile-cache'
import { contextOfItems, evaluate } from './evaluate'

/** What a command expression may see of its device (docs/compatibility/iot-agent-ul.md §2.2). */
export interface CommandDevice {
  deviceId: string
  entityId: string
  entityType: string
  scope: { service: string; servicePath: string }
  statics: ReadonlyArray<{ name: string; value: unknown }>
}

/**
 * The command text `<id>@<cmd>|…` when the command has an `expression`, as iotagent-ul builds it:
 * the expression is evaluated over `id`, `type`, `service`, `subservice`, `entity_name` and the
 * static attributes (numeric-looking text read as numbers); the command value itself is not in
 * the context. A falsy result or an error sends the expression text itself. With an object value,
 * only its first parameter is replaced by the result (`dev@cmd|<result>|k2=v2…`), a quirk of the
 * reference kept as is. Without expression: undefined (the plain format applies).
 */
export function commandTextWithExpression(dev: CommandDevice, command: { name: string; expression?: string }, value: unknown): string | undefined {
  const source = command.expression
  if (typeof source !== 'string' || source === '') return undefined
  const ctx = contextOfItems([
    { name: 'id', value: dev.deviceId },
    { name: 'type', value: dev.entityType },
    { name: 'service', value: dev.scope.service },
    { name: 'subservice', value: dev.scope.servicePath },
    { name: 'entity_name', value: dev.entityId },
    ...dev.statics
  ])
  let result: unknown
  try {
    result = evaluate(compileExpression(source), ctx)
  } catch {
    result = null
  }
  const text = renderLikeConcat(result ? result : source) ?? source
  if (value === null || typeof value !== 'object') return formatCommand(dev.deviceId, command.name, text)
  const head = formatCommand(dev.deviceId, command.name, {})
  const [first, ...rest] = Object.keys(value)
  if (first === undefined) return head
  const others = formatCommand(dev.deviceId, command.name, Object.fromEntries(rest.map((k) => [k, (value as Record<string, unknown>)[k]])))
  return `${head}|${text}${others.slice(head.length)}`
}
