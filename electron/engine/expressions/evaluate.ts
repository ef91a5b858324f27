import type { Compiled, ExpressionContext } from './types'

/**
 * How the IoT Agent library runs an expression (docs/compatibility/iot-agent-ul.md §4.7): null
 * and NaN entries are removed from the context first (JEXL would otherwise see them as values),
 * `undefined` becomes `null`, and an error is thrown to the caller.
 */

/** Sets `ctx[key]`, or removes it for null/undefined/NaN, so the context never holds them. */
export function setContextValue(ctx: ExpressionContext, key: string, value: unknown): void {
  if (value === null || value === undefined || Number.isNaN(value)) delete ctx[key]
  else ctx[key] = value
}

/** Removes the null and NaN entries of a context (in place), as the library does before evaluating. */
export function withoutNulls(ctx: ExpressionContext): ExpressionContext {
  for (const key of Object.keys(ctx)) if (ctx[key] === null || Number.isNaN(ctx[key])) delete ctx[key]
  return ctx
}

/** The result of `expr` over `ctx` (`undefined` → `null`); throws when it does not compile or fails. */
export function evaluate(expr: Compiled, ctx: ExpressionContext): unknown {
  if (!expr.ok) throw new Error(expr.error)
  const r = expr.evaluate(ctx)
  return r === undefined ? null : r
}

/** An attribute value: null when the result is null, undefined, NaN or an error (the attribute is then left out). */
export function evaluateValue(expr: Compiled, ctx: ExpressionContext): unknown {
  try {
    const r = evaluate(expr, ctx)
    return Number.isNaN(r) ? null : r
  } catch {
    return null
  }
}

/** A result used as a name (entity id, target entity): the result when truthy, else undefined. */
export function evaluateName(expr: Compiled, ctx: ExpressionContext): unknown {
  try {
    const r = evaluate(expr, ctx)
    return r ? r : undefined
  } catch {
    return undefined
  }
}

/**
 * The library's context of `{name, value}` items for commands and entity names: numeric-looking
 * text becomes a number (`"001"` → 1, `"2.5"` → 2.5), `"true"`/`"false"` become booleans; null
 * entries are dropped.
 */
export function contextOfItems(items: ReadonlyArray<{ name?: string; value?: unknown }>): ExpressionContext {
  const ctx = Object.create(null) as ExpressionContext
  for (const item of items) {
    if (!item.name) continue
    setContextValue(ctx, item.name, likeLibraryNumber(item.value))
  }
  return ctx
}

function likeLibraryNumber(v: unknown): unknown {
  if (Number.isNaN(Number(v))) return v
  const asFloat = Number.parseFloat(String(v))
  if (!Number.isNaN(asFloat) && !Number.isInteger(asFloat)) return asFloat
  const asInt = Number.parseInt(String(v))
  if (!Number.isNaN(asInt)) return asInt
  if (String(v) === 'true') return true
  if (String(v) === 'false') return false
  return v
}
