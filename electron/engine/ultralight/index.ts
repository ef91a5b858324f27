/**
 * UltraLight 2.0 codec: pure functions, no I/O. See docs/compatibility/iot-agent-ul.md §2.
 */

export { UlParseError, UlFormatError, type UlErrorLocation } from './errors'
export { castValue, parseSingleMeasure } from './cast'
export { parseMeasures, formatMeasures, type UlMeasureGroup, type UlGroup } from './measures'
export type { UlCommandLine } from './command-line'
export { UlCommandError, formatCommand, encodeCommandPayload } from './commands'
export { parseCommandResult } from './results'
export { parseConfigurationRequest, formatConfigurationValues, formatConfigurationTime } from './configuration'
