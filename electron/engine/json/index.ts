/**
 * IoT Agent JSON codec: pure functions, no I/O. See docs/compatibility/iot-agent-json.md §2–§4.
 * It sits beside the UltraLight codec (../ultralight) behind the small protocol interface of
 * ../agent-protocol.ts, which is how the agent's southbound code should use either.
 */

export { JsonParseError, JsonFormatError, JsonCommandError, type JsonErrorLocation } from './errors'
export { DEFAULT_JSON_LIMITS, type JsonLimits } from './bounded-json'
export {
  parseMeasures,
  measuresFromJson,
  parseSingleMeasure,
  singleMeasureFromHttpBody,
  formatMeasures,
  formatMultiMeasures,
  type JsonMeasureGroup,
  type JsonMeasureOptions,
  type JsonSingleMeasure,
  type HttpSingleMeasureBody
} from './measures'
export { commandPayload, expressionCommandPayload, encodeCommandPayload, formatCommand } from './commands'
export { parseCommandResults, commandResultsFromJson, parseCommandAnswer, formatPolledCommands, type JsonCommandResult } from './results'
export {
  parseConfigurationRequests,
  configurationRequestsFromJson,
  formatConfigurationValues,
  type JsonConfigurationRequest
} from './configuration'
