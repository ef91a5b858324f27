import jexl from 'jexl'
import type Ast from 'jexl/Ast'
import { TRANSFORMS } from './transforms'
import type { Compiled, ExpressionContext } from './types'

/**
 * The expression language of the IoT Agent (docs/compatibility/iot-agent-ul.md §4.7): JEXL 2.3
 * with the library's transformations. An instance of our own, so that nothing else in the process
 * can add transforms to it.
 */
const language = new jexl.Jexl()
language.addTransforms(TRANSFORMS)

/**
 * Names used as transforms (`x|name(…)`) or functions (`name(…)`) that the language does not
 * define: JEXL only notices them when evaluating, we refuse them when compiling.
 */
function unknownCalls(ast: Ast | null, out: string[]): string[] {
  if (!ast) return out
  switch (ast.type) {
    case 'UnaryExpression':
      unknownCalls(ast.right, out)
      break
    case 'BinaryExpression':
      unknownCalls(ast.left, out)
      unknownCalls(ast.right, out)
      break
    case 'ConditionalExpression':
      unknownCalls(ast.test, out)
      unknownCalls(ast.consequent, out)
      unknownCalls(ast.alternate, out)
      break
    case 'FilterExpression':
      unknownCalls(ast.subject, out)
      unknownCalls(ast.expr, out)
      break
    case 'ArrayLiteral':
      for (const v of ast.value) unknownCalls(v, out)
      break
    case 'ObjectLiteral':
      for (const v of Object.values(ast.value)) unknownCalls(v, out)
      break
    case 'Identifier':
      if (ast.from) unknownCalls(ast.from, out)
      break
    case 'FunctionCall':
      if (ast.pool === 'functions') out.push(`function ${ast.name}()`)
      else if (!Object.hasOwn(TRANSFORMS, ast.name)) out.push(`transform ${ast.name}`)
      for (const a of ast.args) unknownCalls(a, out)
      break
    case 'Literal':
      break
  }
  return out
}

/**
 * Compiles an expression. A syntax error, an empty expression and an unknown transform make an
 * InvalidExpression (the library would accept them and fail on every message).
 */
export function compileJexl(source: string): Compiled {
  let expression: ReturnType<typeof language.compile>
  try {
    expression = language.compile(source)
  } catch (err) {
    return { source, ok: false, error: (err as Error).message }
  }
  const ast = expression._getAst() as Ast | null
  if (!ast) return { source, ok: false, error: source.trim() === '' ? 'the expression is empty' : `Unexpected end of expression: ${source}` }
  const unknown = unknownCalls(ast, [])
  if (unknown.length) return { source, ok: false, error: `unknown ${unknown.join(', ')} (available transforms: ${Object.keys(TRANSFORMS).join(', ')})` }
  return { source, ok: true, evaluate: (context: ExpressionContext): unknown => expression.evalSync(context) as unknown }
}
