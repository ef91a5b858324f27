/**
 * Errors raised by the IoT Agent JSON codec (docs/compatibility/iot-agent-json.md §2).
 *
 * Parse errors are shown to trainees in the topic inspector and in HTTP answers, so each message
 * says in plain words what is wrong and where; the location is also kept as numbers so the GUI
 * can highlight the spot without parsing the text.
 */

/** Where a parse error was found. */
export interface JsonErrorLocation {
  /** 0-based index in the decoded text, as JSON.parse counts positions. */
  position?: number
  /** 1-based line of `position`. */
  line?: number
  /** 1-based column of `position` (in UTF-16 code units). */
  column?: number
  /** 1-based element of a multi-measure array (or of an array of command results / requests). */
  element?: number
}

/** A payload coming from a device cannot be used (the reference agent logs and drops it). */
export class JsonParseError extends Error {
  readonly code = 'PARSE_ERROR' as const
  readonly position: number | undefined
  readonly line: number | undefined
  readonly column: number | undefined
  readonly element: number | undefined

  constructor(message: string, where: JsonErrorLocation = {}) {
    super(message)
    this.name = 'JsonParseError'
    this.position = where.position
    this.line = where.line
    this.column = where.column
    this.element = where.element
  }
}

/** A payload cannot be built from the given values (agent or simulator side). */
export class JsonFormatError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'JsonFormatError'
  }
}

/** A command payload cannot be built. */
export class JsonCommandError extends JsonFormatError {
  constructor(message: string) {
    super(message)
    this.name = 'JsonCommandError'
  }
}
