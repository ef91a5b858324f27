/**
 * Errors raised by the UltraLight 2.0 codec.
 *
 * Parse errors are shown to trainees in the topic inspector, so each message says in plain words
 * what is wrong and where; the location is also kept as numbers (1-based, like the message) so the
 * GUI can highlight the offending group or field without parsing the text.
 */

/** Where a parse error was found. Both numbers are 1-based, as in the error message. */
export interface UlErrorLocation {
  /** Group number in a measure payload (groups are separated by `#`). */
  group?: number
  /** Field number inside the group or payload (fields are separated by `|`). */
  field?: number
}

/** A payload coming from a device is not valid UltraLight 2.0 (the reference agent's PARSE_ERROR). */
export class UlParseError extends Error {
  readonly code = 'PARSE_ERROR' as const
  readonly group: number | undefined
  readonly field: number | undefined

  constructor(message: string, where: UlErrorLocation = {}) {
    super(message)
    this.name = 'UlParseError'
    this.group = where.group
    this.field = where.field
  }
}

/** A payload cannot be built from the given values (agent or simulator side). */
export class UlFormatError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UlFormatError'
  }
}
