/**
 * Lesson files already parsed when `serve` is built (scripts/serve-build.mjs): the JSON text of
 * each shipped lesson file's YAML value, keyed by lessonTextKey of its text. Parsing YAML is most of
 * what loading the lessons costs at start; a file whose text (and YAML options) are the ones of the
 * build is taken from here, any other file is parsed as usual. Only values that JSON keeps exactly,
 * from files without YAML warnings, are in the table; it is empty when the engine runs from sources.
 */
import { createHash } from 'node:crypto'

declare const __ULCC_PREPARSED_LESSONS__: Record<string, string> | undefined

const table: Readonly<Record<string, string>> = typeof __ULCC_PREPARSED_LESSONS__ === 'undefined' ? {} : __ULCC_PREPARSED_LESSONS__

/** The table's key: the SHA-256 of the YAML options and the file's text, so that changing either misses. */
export function lessonTextKey(yamlOptions: object, text: string): string {
  return createHash('sha256').update(JSON.stringify(yamlOptions)).update('\n').update(text).digest('hex')
}

/** The YAML value of `text` parsed at build time (a fresh copy), or undefined when it was not. */
export function preparsedLesson(yamlOptions: object, text: string): unknown {
  const json = table[lessonTextKey(yamlOptions, text)]
  return json === undefined ? undefined : JSON.parse(json)
}
