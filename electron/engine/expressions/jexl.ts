import jexl from 'jexl'
import type Ast from 'jexl/Ast'
import { compileUserPattern } from '../user-pattern/user-pattern'
import { REGEX_TRANSFORMS, TRANSFORMS } from './transforms'
import type { Compiled, ExpressionContext } from './types'

/**
 * The expression language of the IoT Agent (docs/compatibility/iot-agent-ul.md §4.7): JEXL 2.3
 * with the library's transformations. An instance of our own, so that nothing else in the process
 * can add transforms to it.
 */
const language = new jexl.Jexl()
language.addTransforms(TRANSFORMS)

type Call = Extract<Ast, { type: 'FunctionCall' }>

/** Calls `visit` for every function or transform call of the expression. */
function forEachCall(ast: Ast | null | undefined, visit: (call: Call) => void): void {
  if (!ast) return
  switch (ast.type) {
    case 'UnaryExpression':
      forEachCall(ast.right, visit)
      break
    case 'BinaryExpression':
      forEachCall(ast.left, visit)
      forEachCall(ast.right, visit)
      break
    case 'ConditionalExpression':
      forEachCall(ast.test, visit)
      forEachCall(ast.consequent, visit)
      forEachCall(ast.alternate, visit)
      break
    case 'FilterExpression':
      forEachCall(ast.subject, visit)
      forEachCall(ast.expr, visit)
      break
    case 'ArrayLiteral':
      for (const v of ast.value) forEachCall(v, visit)
      break
    case 'ObjectLiteral':
      for (const v of Object.values(ast.value)) forEachCall(v, visit)
      break
    case 'Identifier':
      forEachCall(ast.from, visit)
      break
    case 'FunctionCall':
      visit(ast)
      for (const a of ast.args) forEachCall(a, visit)
      break
    case 'Literal':
      break
  }
}

/**
 * Names used as transforms (`x|name(…)`) or functions (`name(…)`) that the language does not
 * define: JEXL only notices them when evaluating, we refuse them when compiling.
 */
function unknownCalls(ast: Ast | null): string[] {
  const out: string[] = []
  forEachCall(ast, (call) => {
    if (call.pool === 'functions') out.push(`function ${call.name}()`)
    else if (!Object.hasOwn(TRANSFORMS, call.name)) out.push(`transform ${call.name}`)
  })
  return out
}

/**
 * Literal patterns of `replaceregexp`/`replaceallregexp` that the linear-time engine refuses
 * although JavaScript accepts them (a backreference, a lookaround, too long): refused when
 * compiling, since they could never work. An invalid pattern stays the library's runtime `null`.
 */
function refusedPatterns(ast: Ast | null): string[] {
  const out: string[] = []
  forEachCall(ast, (call) => {
    const pattern = call.args[1]
    if (call.pool !== 'transforms' || !REGEX_TRANSFORMS.has(call.name) || pattern?.type !== 'Literal' || typeof pattern.value !== 'string') return
    const compiled = compileUserPattern(pattern.value)
    if (!compiled.ok && compiled.problem.kind !== 'invalid') out.push(`pattern ${JSON.stringify(pattern.value)} of ${call.name}: ${compiled.problem.detail}`)
  })
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
  const unknown = unknownCalls(ast)
  if (unknown.length) return { source, ok: false, error: `unknown ${unknown.join(', ')} (available transforms: ${Object.keys(TRANSFORMS).join(', ')})` }
  const refused = refusedPatterns(ast)
  if (refused.length) return { source, ok: false, error: refused.join('; ') }
  return { source, ok: true, evaluate: (context: ExpressionContext): unknown => expression.evalSync(context) as unknown }
}
