import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  DEFAULT_JSON_LIMITS,
  formatCommand,
  formatMeasures,
  JsonParseError,
  parseCommandAnswer,
  parseCommandResults,
  parseConfigurationRequests,
  parseMeasures,
  parseSingleMeasure
} from '../../../electron/engine/json'

/** Text close to JSON: brackets, quotes, escapes, digits, words and garbage mixed. */
const jsonish = fc.oneof(
  fc.string({ unit: fc.constantFrom('{', '}', '[', ']', '"', ':', ',', '\\', 'u', '0', '1', '-', '.', 'e', 't', 'r', 'n', 'l', ' ', '\n', 'a', "'"), maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  // Valid JSON cut short or with one character changed.
  fc.tuple(fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)), fc.nat(), fc.constantFrom('', '}', ',', '"', 'x')).map(([t, n, c]) => {
    const at = t.length === 0 ? 0 : n % t.length
    return t.slice(0, at) + c + t.slice(at + 1)
  })
)

/** JSON.parse and back: the value a receiver of the JSON text gets (-0 becomes 0). */
function viaJson(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v)) as unknown
}

function onlyParseErrors(run: () => unknown): void {
  try {
    run()
  } catch (err) {
    if (!(err instanceof JsonParseError)) throw err
  }
}

describe('JSON codec properties (fast-check)', () => {
  it('every decoder answers or throws JsonParseError, whatever the text', () => {
    fc.assert(
      fc.property(jsonish, (text) => {
        onlyParseErrors(() => parseMeasures(text))
        onlyParseErrors(() => parseCommandResults(text))
        onlyParseErrors(() => parseConfigurationRequests(text))
        onlyParseErrors(() => parseCommandAnswer(text))
        // Below the limits a single measure never fails: JSON or the hex of the bytes.
        const single = parseSingleMeasure(text)
        expect(['json', 'hex']).toContain(single.encoding)
      }),
      { numRuns: 2000 }
    )
  })

  it('a syntax error is reported exactly when JSON.parse refuses the text, with a position inside it', () => {
    fc.assert(
      fc.property(jsonish, (text) => {
        let valid = true
        try {
          JSON.parse(text)
        } catch {
          valid = false
        }
        try {
          parseMeasures(text)
        } catch (err) {
          if (!(err instanceof JsonParseError)) throw err
          const syntax = err.message.includes('is not valid JSON') || err.message.includes('is empty')
          expect(syntax).toBe(!valid)
          if (syntax) {
            expect(err.position).toBeGreaterThanOrEqual(0)
            expect(err.position).toBeLessThanOrEqual(text.length)
            // The scanner always finds the mistake itself (never the generic fallback).
            expect(err.message).not.toContain('it is not valid JSON')
          }
          return
        }
        expect(valid).toBe(true)
      }),
      { numRuns: 3000 }
    )
  })

  it('command payloads parse back as command results (round trip of §2.3 and §2.4)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue({ maxDepth: 4 }), (command, value) => {
        const payload = formatCommand(command, value)
        expect(parseCommandResults(payload)).toStrictEqual([{ command, result: viaJson(value) }])
      }),
      { numRuns: 1000 }
    )
  })

  it('formatMeasures output parses back to the same values', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(fc.string({ minLength: 1, maxLength: 8 }), fc.jsonValue({ maxDepth: 3 })), { minLength: 1, maxLength: 8, selector: ([k]) => k }),
        (pairs) => {
          const [group] = parseMeasures(formatMeasures(pairs))
          expect(group!.values.size).toBe(pairs.length)
          for (const [k, v] of pairs) expect(group!.values.get(k)).toStrictEqual(viaJson(v))
        }
      ),
      { numRuns: 1000 }
    )
  })

  it('payloads beyond the limits are refused without parsing: deep nesting, any size', () => {
    fc.assert(
      fc.property(fc.integer({ min: DEFAULT_JSON_LIMITS.maxDepth + 1, max: 200_000 }), fc.constantFrom('[', '{"a":'), (depth, open) => {
        const text = open.repeat(depth)
        expect(() => parseMeasures(text)).toThrow(`nested deeper than ${DEFAULT_JSON_LIMITS.maxDepth} levels`)
        expect(() => parseSingleMeasure(text)).toThrow(JsonParseError)
      }),
      { numRuns: 30 }
    )
  })
})

describe('limits (bounded-json.ts)', () => {
  it('accepts nesting up to the limit, valid or not, and reports the place of the first level too deep', () => {
    const depth = DEFAULT_JSON_LIMITS.maxDepth
    const ok = '['.repeat(depth) + ']'.repeat(depth)
    expect(() => parseSingleMeasure(ok)).not.toThrow()
    const err = (() => {
      try {
        parseMeasures('{"a":' + '['.repeat(depth) + ']'.repeat(depth) + '}')
      } catch (e) {
        return e as JsonParseError
      }
      return undefined
    })()
    expect(err).toBeInstanceOf(JsonParseError)
    expect(err!.position).toBe(5 + depth - 1)
  })

  it('brackets inside strings do not count', () => {
    const text = JSON.stringify({ a: '['.repeat(1000) + '\\"{' })
    expect(parseMeasures(text)[0]!.values.get('a')).toBe('['.repeat(1000) + '\\"{')
  })

  it('refuses a payload over maxBytes, counted in UTF-8 bytes, for text and Buffers', () => {
    const limits = { maxBytes: 10 }
    expect(() => parseMeasures('{"a":"ééé"}', { limits })).toThrow('the measure payload has 14 bytes, more than the 10 accepted')
    expect(() => parseMeasures(Buffer.alloc(11, 32), { limits })).toThrow('has 11 bytes')
    expect(parseMeasures('{"a":"é"}', { limits })).toHaveLength(1)
    expect(() => parseSingleMeasure('x'.repeat(11), { limits })).toThrow(JsonParseError)
  })

  it('handles a 1 MiB payload of each kind (no stack overflow, one answer)', () => {
    const mib = DEFAULT_JSON_LIMITS.maxBytes
    const big = JSON.stringify({ blob: 'x'.repeat(mib - 20) })
    expect(parseMeasures(big)[0]!.values.get('blob')).toHaveLength(mib - 20)
    const many = '[' + Array.from({ length: 40_000 }, (_, i) => `{"v":${i}}`).join(',') + ']'
    expect(parseMeasures(many)).toHaveLength(40_000)
    expect(() => parseMeasures('{"a":[' + '1,'.repeat(300_000) + '}')).toThrow(JsonParseError)
    expect(() => parseMeasures('x'.repeat(mib + 1))).toThrow(`more than the ${mib} accepted`)
  })

  it('refuses limits that would lift the bounds', () => {
    expect(() => parseMeasures('{}', { limits: { maxDepth: 0 } })).toThrow(RangeError)
    expect(() => parseMeasures('{}', { limits: { maxBytes: Number.NaN } })).toThrow(RangeError)
  })
})
