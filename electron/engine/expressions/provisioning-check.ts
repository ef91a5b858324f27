import { IotaError } from '../registry/types'
import { compileExpression } from './compile-cache'

/**
 * Expressions are checked when a group or device is provisioned (POST and PUT), so that a typo is
 * a 400 at once rather than an attribute silently missing from every update (the library stores
 * any text and fails on each measure). Refused: a syntax error, an empty expression, an unknown
 * transform. The answer is the library's own error for a bad expression, `INVALID_EXPRESSION`
 * (docs/compatibility/iot-agent-ul.md §4.7).
 */

interface ItemWithExpression {
  expression?: unknown
  metadata?: unknown
}

/** The provisioning fields holding expressions, whatever the item kind (group or device, create or update). */
export interface ProvisionedExpressions {
  attributes?: unknown
  commands?: unknown
  static_attributes?: unknown
  entityNameExp?: unknown
  explicitAttrs?: unknown
}

export function invalidExpression(source: string, where: string, detail: string): IotaError {
  return new IotaError(400, 'INVALID_EXPRESSION', `Invalid expression in evaluation [${source}] at ${where}: ${detail}`)
}

function check(source: unknown, where: string): void {
  // The library ignores an absent or empty expression; a non-string is the schema's business.
  if (typeof source !== 'string' || source === '') return
  const compiled = compileExpression(source)
  if (!compiled.ok) throw invalidExpression(source, where, compiled.error)
}

function checkMetadata(metadata: unknown, where: string): void {
  if (metadata === null || typeof metadata !== 'object') return
  for (const [name, meta] of Object.entries(metadata as Record<string, unknown>)) {
    if (meta !== null && typeof meta === 'object') check((meta as ItemWithExpression).expression, `${where}.metadata.${name}.expression`)
  }
}

/** Throws INVALID_EXPRESSION (400) for the first expression of `item` that does not compile. */
export function checkProvisionedExpressions(item: ProvisionedExpressions, where = ''): void {
  const at = (field: string): string => (where ? `${where}.${field}` : field)
  // PUT bodies of groups are not schema-checked: anything may be here.
  const items = (list: unknown): ItemWithExpression[] =>
    Array.isArray(list) ? (list as unknown[]).map((x): ItemWithExpression => (x !== null && typeof x === 'object' ? (x as ItemWithExpression) : {})) : []
  items(item.attributes).forEach((a, i) => {
    check(a.expression, at(`attributes[${i}].expression`))
    checkMetadata(a.metadata, at(`attributes[${i}]`))
  })
  items(item.static_attributes).forEach((s, i) => checkMetadata(s.metadata, at(`static_attributes[${i}]`)))
  items(item.commands).forEach((c, i) => check(c.expression, at(`commands[${i}].expression`)))
  check(item.entityNameExp, at('entityNameExp'))
  check(item.explicitAttrs, at('explicitAttrs'))
}
