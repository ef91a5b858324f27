/**
 * JEXL expressions of the IoT Agent (docs/compatibility/iot-agent-ul.md §4.7): compiled once and
 * cached by text, evaluated synchronously on the measure path.
 */
export type { Compiled, CompiledExpression, ExpressionContext, InvalidExpression } from './types'
export { compileExpression, CompileCache, COMPILE_CACHE_SIZE } from './compile-cache'
export { compileJexl } from './jexl'
export { contextOfItems, evaluate, evaluateName, evaluateValue, setContextValue, withoutNulls } from './evaluate'
export { checkProvisionedExpressions, invalidExpression, type ProvisionedExpressions } from './provisioning-check'
export { commandTextWithExpression, type CommandDevice } from './command-expression'
export { TRANSFORMS } from './transforms'
