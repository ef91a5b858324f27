/** What an expression sees: measures, static attributes, `id`, `type`, `service`… by name. */
export type ExpressionContext = Record<string, unknown>

/**
 * An expression compiled once (at provisioning, or when a device is compiled) and evaluated
 * synchronously for every message. `evaluate` throws on a runtime error (an unknown transform,
 * a transform given the wrong input); callers decide what an error means, as the library does.
 */
export interface CompiledExpression {
  readonly source: string
  readonly ok: true
  evaluate(context: ExpressionContext): unknown
}

/** An expression that does not compile: its text and why. */
export interface InvalidExpression {
  readonly source: string
  readonly ok: false
  readonly error: string
}

export type Compiled = CompiledExpression | InvalidExpression
