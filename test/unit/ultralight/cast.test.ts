import { describe, expect, it } from 'vitest'
import { castValue, parseSingleMeasure, UlParseError } from '../../../electron/engine/ultralight'

/** The definition castValue must match: the reference agent's JSON.parse with a raw-text fallback. */
function reference(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown
  } catch {
    return raw
  }
}

function expectSameAsReference(raw: string): void {
  const got = castValue(raw)
  const want = reference(raw)
  if (typeof want === 'object' && want !== null) expect(got, JSON.stringify(raw)).toStrictEqual(want)
  else expect(Object.is(got, want), `${JSON.stringify(raw)}: got ${String(got)}, want ${String(want)}`).toBe(true)
}

describe('castValue', () => {
  it.each([
    [' 25 ', 25],
    ['25.3', 25.3],
    ['007', '007'],
    ['1e3', 1000],
    ['None', 'None'],
    ['"quoted"', 'quoted'],
    ['true', true],
    ['false', false],
    ['null', null],
    ['1.2/3.4', '1.2/3.4'],
    ['2016-06-13T00:35:30Z', '2016-06-13T00:35:30Z'],
    ['-', '-'],
    ['.5', '.5'],
    ['1.', '1.'],
    ['NaN', 'NaN'],
    ['Infinity', 'Infinity'],
    ['-Infinity', '-Infinity'],
    ['', ''],
    ['\u00a025', '\u00a025']
  ])('%j → %j', (raw, expected) => {
    expect(castValue(raw)).toStrictEqual(expected)
  })

  it('parses arrays and objects', () => {
    expect(castValue('[1,2]')).toStrictEqual([1, 2])
    expect(castValue('{"a":1}')).toStrictEqual({ a: 1 })
    expect(castValue('["iot","device"]')).toStrictEqual(['iot', 'device'])
  })

  it('keeps -0 as the reference does', () => {
    expect(Object.is(castValue('-0'), -0)).toBe(true)
  })

  // A broad table: whitespace, signs, exponents, leading zeros, unicode, broken JSON, near-literals.
  const table = [
    '0', '-0', '+1', '-1', '- 1', '01', '00', '0.0', '-0.5', '0.', '.', '.5', '1.', '1.5.2', '1e', '1e+', '1e-5', '1E5',
    '1e+5', '1.5e-3', '-1.5E+3', '1e400', '-1e400', '123456789012345678901234567890', '0x10', '0b1', '1_000', '1,5',
    '1 2', ' 1', '1 ', '\t1\t', '\n1\n', '\r1\r', ' \t\n\r1 \t\n\r', '\u00a01', '1\u00a0', '\u20281', '\v1', '\f1',
    '-', '+', 'e5', 'Infinity', '-Infinity', 'NaN', 'infinity', 'nan', 'true', 'false', 'null', 'True', 'FALSE',
    'Null', 'nul', 'nulll', 'truex', ' true ', '\ttrue\n', 'true false', 'tru', 'f', 'n', 't', 'undefined', 'None',
    '""', '"', '"a', 'a"', '"a"', ' "a" ', '"\\n"', '"\\u00e9"', '"\\x41"', "'a'", '"a\tb"', '"é😀"', 'é', '😀',
    '[]', '[', ']', '[1,]', '[1,2]', ' [ 1 , 2 ] ', '[1 2]', '{}', '{', '}', '{"a":1}', "{'a':1}", '{a:1}',
    '{"a":1,}', '{"a":{"b":[1,null,true]}}', '{"__proto__":1}', '[]]', '{}{}', '0 0', '-01', '-.5', '2.5e', '1e1.5',
    '٣', '１', '12:30', '1.2/3.4', '2020-01-01', '192.168.0.1', '-12.5°C', '5%', '$5', '#', '|', '@', '\\', '/',
    ' ', '\t', '\n', '\r\n', '\u0000', '1\u0000'
  ]
  it.each(table)('matches JSON.parse-else-raw for %j', (raw) => {
    expectSameAsReference(raw)
  })

  it('matches JSON.parse-else-raw on generated text', () => {
    // Deterministic generator (mulberry32) over an alphabet rich in JSON syntax, so that numbers,
    // literals and near-misses are all produced. The seed is fixed: the test is reproducible.
    let seed = 0x5eed
    const next = (): number => {
      seed = (seed + 0x6d2b79f5) | 0
      let t = seed
      t = Math.imul(t ^ (t >>> 15), t | 1)
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296
    }
    const alphabet = ['0', '1', '9', '-', '+', '.', 'e', 'E', ' ', '\t', '\n', '\u00a0', '"', '[', ']', '{', '}', ',', ':',
      't', 'r', 'u', 'e', 'f', 'a', 'l', 's', 'n', 'N', 'I', 'é', 'x', '\\']
    const words = ['true', 'false', 'null', '1e3', '-0.5', '"s"', '[1]', '{"k":2}', '007', 'Infinity']
    for (let i = 0; i < 20_000; i++) {
      let raw = ''
      const len = Math.floor(next() * 8)
      for (let j = 0; j < len; j++) {
        raw += next() < 0.15 ? words[Math.floor(next() * words.length)]! : alphabet[Math.floor(next() * alphabet.length)]!
      }
      expectSameAsReference(raw)
    }
  })
})

describe('parseSingleMeasure (§3.2)', () => {
  it('casts the whole payload without UltraLight parsing', () => {
    expect(parseSingleMeasure('23')).toBe(23)
    expect(parseSingleMeasure('a|b')).toBe('a|b')
    expect(parseSingleMeasure('x@y.com')).toBe('x@y.com')
    expect(parseSingleMeasure('{"lat":1}')).toStrictEqual({ lat: 1 })
  })

  it('gives "" for an empty payload and drops a final line break', () => {
    expect(parseSingleMeasure('')).toBe('')
    expect(parseSingleMeasure('on\r\n')).toBe('on')
    expect(parseSingleMeasure('23\n')).toBe(23)
  })

  it('rejects a payload that is not text', () => {
    expect(() => parseSingleMeasure(undefined as unknown as string)).toThrow(UlParseError)
  })
})
