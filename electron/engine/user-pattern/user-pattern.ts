import { RE2JS, RE2JSSyntaxException } from 're2js'

/**
 * A regular expression supplied by a user — an `idPattern`/`typePattern`, a `~=` of `q`/`mq`, the
 * pattern of a JEXL `replaceregexp` — run by a linear-time engine (RE2), so that no pattern and no
 * text can make one request take exponential time (docs/compatibility/ngsi-v2.md §2.2 and
 * iot-agent-ul.md §4.7). The syntax is JavaScript's, as before; what RE2 cannot run (backreferences,
 * lookahead, lookbehind), a pattern longer than MAX_PATTERN_LENGTH and a program larger than
 * MAX_PROGRAM_SIZE are refused with a reason. Compiled patterns are kept in a bounded cache.
 */

/** Longest pattern accepted, in UTF-16 code units. */
export const MAX_PATTERN_LENGTH = 1024

/**
 * Largest compiled program accepted, in RE2 instructions: matching costs up to this many steps
 * per character when the engine cannot use its DFA (e.g. `.{600}`), which keeps a search of a
 * 10,000-character text within a few tens of milliseconds.
 */
export const MAX_PROGRAM_SIZE = 500

/**
 * Largest `program size × text length` a replacement may cost. Replacing needs the positions of
 * the match and of its groups, which RE2 finds without its DFA, a step per instruction and
 * character; beyond this the replacement fails (about 50 ms on a slow computer).
 */
export const MAX_REPLACE_COST = 1_000_000

/** Distinct patterns kept compiled; beyond it the least recently used is dropped. */
export const PATTERN_CACHE_SIZE = 256

/** Why a pattern was refused: `invalid` is invalid for JavaScript too; the others are this engine's limits. */
export type PatternProblemKind = 'invalid' | 'unsupported' | 'too-long' | 'too-complex'

export interface PatternProblem {
  kind: PatternProblemKind
  /** A sentence for an error description (no final period, no parentheses: Orion escapes them); empty for `invalid`. */
  detail: string
}

export interface UserPattern {
  readonly source: string
  /** Whether the pattern matches somewhere in `text` (unanchored search, as Orion's regexec). */
  test(text: string): boolean
  /**
   * `text` with the first match (or every match) replaced, `$1`, `$&`, `$<name>`… expanded as
   * String.prototype.replace does. Throws PatternCostError when the text is too long for the pattern.
   */
  replace(text: string, replacement: string, all: boolean): string
}

export type CompiledPattern = { ok: true; pattern: UserPattern } | { ok: false; problem: PatternProblem }

/** Thrown by `replace` when `program size × text length` exceeds MAX_REPLACE_COST. */
export class PatternCostError extends Error {
  constructor(readonly source: string, readonly textLength: number) {
    super(`the text (${textLength} characters) is too long for the pattern ${source} in the linear-time regex engine`)
    this.name = 'PatternCostError'
  }
}

const ENGINE = 'the linear-time regex engine'

/** RE2's refusal in words: the constructs it leaves out by design get their own name. */
function unsupportedReason(err: RE2JSSyntaxException): string {
  const input = err.input ?? ''
  const at = input === '' ? '' : ` \`${input.slice(0, 20)}\``
  if (err.error === 'invalid escape sequence' && /^\\[1-9]/.test(input)) return `backreferences are not supported: ${input}`
  if (/^\(\?[=!]/.test(input)) return 'lookahead is not supported'
  if (/^\(\?<[=!]/.test(input)) return 'lookbehind is not supported'
  if (err.error === 'invalid repeat count') return `repeat counts above 1000 are not supported${at}`
  return `${err.error}${at}`
}

/** `\k<name>` with named groups is a backreference in JavaScript; RE2's translation would read it as text. */
function hasNamedBackreference(source: string): boolean {
  return /\(\?<[^=!]/.test(source) && /\\k</.test(source)
}

function refused(kind: PatternProblemKind, detail: string): CompiledPattern {
  return { ok: false, problem: { kind, detail } }
}

function compileFresh(source: string): CompiledPattern {
  if (source.length > MAX_PATTERN_LENGTH) return refused('too-long', `longer than ${MAX_PATTERN_LENGTH} characters, the limit of ${ENGINE}`)
  try {
    // Only the syntax is checked here: a JavaScript RegExp is never run on a user's text.
    new RegExp(source)
  } catch {
    return refused('invalid', '')
  }
  if (hasNamedBackreference(source)) return refused('unsupported', `${ENGINE} cannot run it: backreferences are not supported: \\k`)
  let re: RE2JS
  try {
    re = RE2JS.compile(RE2JS.translateRegExp(source))
  } catch (err) {
    if (err instanceof RE2JSSyntaxException) return refused('unsupported', `${ENGINE} cannot run it: ${unsupportedReason(err)}`)
    return refused('unsupported', `${ENGINE} cannot run it: ${(err as Error).message}`)
  }
  const size = re.programSize()
  if (size > MAX_PROGRAM_SIZE) return refused('too-complex', `too complex for ${ENGINE}: ${size} instructions, at most ${MAX_PROGRAM_SIZE}`)
  return {
    ok: true,
    pattern: {
      source,
      test: (text) => re.test(text),
      replace(text, replacement, all) {
        if (size * (text.length + 1) > MAX_REPLACE_COST) throw new PatternCostError(source, text.length)
        const m = re.matcher(text)
        return all ? m.replaceAll(replacement) : m.replaceFirst(replacement)
      }
    }
  }
}

/** Compiled patterns (and refusals) by text, least recently used first. */
export class PatternCache {
  private readonly entries = new Map<string, CompiledPattern>()

  constructor(private readonly capacity = PATTERN_CACHE_SIZE) {}

  get size(): number {
    return this.entries.size
  }

  compile(source: string): CompiledPattern {
    const hit = this.entries.get(source)
    if (hit) {
      this.entries.delete(source)
      this.entries.set(source, hit)
      return hit
    }
    const compiled = compileFresh(source)
    // A refusal for length is not kept: it is found at once, and must not evict useful patterns.
    if (compiled.ok || compiled.problem.kind !== 'too-long') {
      this.entries.set(source, compiled)
      if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string)
    }
    return compiled
  }
}

/** The process-wide cache: a compiled pattern holds no request state, so every engine may share it. */
const cache = new PatternCache()

/** Compiles (or finds compiled) a user's pattern. */
export function compileUserPattern(source: string): CompiledPattern {
  return cache.compile(source)
}

/**
 * An error description for a refused pattern: `base` alone when the pattern is invalid anyway
 * (Orion's text), else `base: <why this engine refuses it>`.
 */
export function patternErrorDescription(base: string, problem: PatternProblem): string {
  return problem.kind === 'invalid' ? base : `${base}: ${problem.detail}`
}
