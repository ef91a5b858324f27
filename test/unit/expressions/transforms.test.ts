import { describe, expect, it } from 'vitest'
import { compileExpression, evaluate, TRANSFORMS, type ExpressionContext } from '../../../electron/engine/expressions'

/** Evaluates as the measure pipeline does (compiled once, evaluated synchronously); throws on a runtime error. */
function run(source: string, ctx: ExpressionContext = {}): unknown {
  return evaluate(compileExpression(source), ctx)
}

// The measures of the library's "Examples of JEXL expressions" table.
const DOC_CTX = { value: 6, ts: 1637245214901, name: 'DevId629', object: { name: 'John', surname: 'Doe' }, array: [1, 3] }

describe('JEXL expressions: the documented examples of the IoT Agent library', () => {
  it.each([
    ['5 * value', 30],
    ['(6 + value) * 3', 36],
    ['value / 12 + 1', 1.5],
    ['(5 + 2) * (value + 7)', 91],
    ['"Pruebas " + "De Strings"', 'Pruebas De Strings'],
    ['name + "value is " +value', 'DevId629value is 6'],
    ["{coordinates: [value,value], type: 'Point'}", { coordinates: [6, 6], type: 'Point' }],
    ['ts|toisodate', '2021-11-18T14:20:14.901Z'],
    ['" a "| trim', 'a'],
    ['name|length', 8],
    ['name|indexOf("e")', 1],
    ['name|substr(0,name|indexOf("e")+1)', 'De']
  ])('%s → %j', (source, expected) => {
    expect(run(source, DOC_CTX)).toEqual(expected)
  })

  it('value * 5.2 → 31.2 (in floating point)', () => {
    expect(run('value * 5.2', DOC_CTX)).toBeCloseTo(31.2)
  })

  it('chains transformations with the pipe', () => {
    expect(run("variable | trim | replacestr('hello','hi')", { variable: ' hello world ' })).toBe('hi world')
    expect(run("location | split(', ')[1] | parsefloat()", { location: '40.4165, -3.70256' })).toBe(-3.70256)
  })

  it('evaluates the measurement transformation examples', () => {
    expect(run("{coordinates: [longitude,latitude], type: 'Point'}", { longitude: 1, latitude: 2 })).toEqual({ coordinates: [1, 2], type: 'Point' })
    expect(run('level / 100', { level: 85.3 })).toBeCloseTo(0.853)
    // A missing variable gives NaN, which the pipeline turns into "no attribute".
    expect(run('level / 100', {})).toBeNaN()
  })
})

describe('JEXL transformations', () => {
  it('provides the library transformation set', () => {
    const names = [
      'jsonparse', 'jsonstringify', 'indexOf', 'length', 'trim', 'substr', 'addreduce', 'lengtharray', 'typeof', 'isarray', 'isnan',
      'parseint', 'parsefloat', 'toisodate', 'timeoffset', 'tostring', 'urlencode', 'urldecode', 'replacestr', 'replaceregexp',
      'replaceallstr', 'replaceallregexp', 'split', 'joinarrtostr', 'concatarr', 'mapper', 'thmapper', 'bitwisemask', 'slice',
      'addset', 'removeset', 'touppercase', 'tolowercase', 'round', 'floor', 'ceil', 'tofixed', 'gettime', 'toisostring',
      'localestring', 'localestringnumber', 'now', 'hextostring', 'valuePicker', 'valuePickerMulti', 'hash'
    ]
    expect(Object.keys(TRANSFORMS).sort()).toEqual([...names].sort())
  })

  it('parses and writes JSON, null when it cannot', () => {
    expect(run('s|jsonparse', { s: '{"a":[1,2]}' })).toEqual({ a: [1, 2] })
    expect(run('s|jsonparse', { s: 'not json' })).toBeNull()
    expect(run('o|jsonstringify', { o: { a: 1 } })).toBe('{"a":1}')
  })

  it('handles text', () => {
    expect(run('s|touppercase', { s: 'abc' })).toBe('ABC')
    expect(run('s|tolowercase', { s: 'AbC' })).toBe('abc')
    expect(run('s|replacestr("a","x")', { s: 'banana' })).toBe('bxnana')
    expect(run('s|replaceallstr("a","x")', { s: 'banana' })).toBe('bxnxnx')
    expect(run('s|replaceregexp("a.","_")', { s: 'banana' })).toBe('b_ana')
    expect(run('s|replaceallregexp("a.","_")', { s: 'banana' })).toBe('b__a')
    expect(run('s|replaceregexp("(","_")', { s: 'banana' })).toBeNull()
    expect(run('s|replaceregexp(p,"_")', { s: 'abab', p: '(ab)\\1' })).toBeNull()
    expect(run('s|replaceallregexp("(a)(n)","$2$1")', { s: 'banana' })).toBe('bnanaa')
    expect(run('s|replaceregexp("^(a+)+$","x")', { s: 'a'.repeat(10_000) + '!' })).toBe('a'.repeat(10_000) + '!')
    expect(run('n|replaceregexp("1","x")', { n: 12 })).toBeNull()
    expect(run('s|split(",")', { s: 'a,b' })).toEqual(['a', 'b'])
    expect(run('s|urlencode', { s: 'a b/ñ' })).toBe('a%20b/%C3%B1')
    expect(run('s|urldecode', { s: 'a%20b' })).toBe('a b')
    expect(run('s|urldecode', { s: '%E0%A4%A' })).toBeNull()
    expect(run('s|hextostring', { s: '48656c6c6f' })).toBe('Hello')
    expect(run('s|hextostring', { s: '486' })).toBeNull()
    expect(run('s|slice(1,3)', { s: 'abcd' })).toBe('bc')
    expect(run('5|tostring', {})).toBe('5')
    expect(run('x|tostring', {})).toBeNull()
    expect(run('x|typeof', { x: 'a' })).toBe('string')
  })

  it('handles numbers', () => {
    expect(run('s|parseint', { s: '42abc' })).toBe(42)
    expect(run('s|parseint', { s: 'abc' })).toBeNull()
    expect(run('s|parsefloat', { s: '4.5' })).toBe(4.5)
    expect(run('x|round', { x: 2.5 })).toBe(3)
    expect(run('x|floor', { x: 2.7 })).toBe(2)
    expect(run('x|ceil', { x: 2.1 })).toBe(3)
    expect(run('x|tofixed(2)', { x: 3.14159 })).toBe('3.14')
    expect(run('x|tofixed(2)', { x: 'abc' })).toBeNull()
    expect(run('x|isnan', { x: 'abc' })).toBe(true)
    expect(run('x|isnan', { x: '12' })).toBe(false)
    expect(run('x|bitwisemask(15,"&",2)', { x: 0b110110 })).toBe(0b01)
    expect(run('x|localestringnumber("en-US")', { x: 1234.5 })).toBe('1,234.5')
    expect(run('x|localestringnumber("en-US")', { x: 'no' })).toBeNull()
  })

  it('handles arrays and sets', () => {
    expect(run('a|addreduce', { a: [1, 2, 3] })).toBe(6)
    expect(run('a|addreduce', { a: 'x' })).toBeNull()
    expect(run('a|lengtharray', { a: [1, 2, 3] })).toBe(3)
    expect(run('a|isarray', { a: [1] })).toBe(true)
    expect(run('a|joinarrtostr("-")', { a: [1, 2] })).toBe('1-2')
    expect(run('a|concatarr([3])', { a: [1, 2] })).toEqual([1, 2, 3])
    expect(run('a|addset(2)', { a: [1, 2] })).toEqual([1, 2])
    expect(run('a|addset(3)', { a: [1, 2] })).toEqual([1, 2, 3])
    expect(run('a|removeset(1)', { a: [1, 2] })).toEqual([2])
  })

  it('maps values and thresholds', () => {
    expect(run('v|mapper(["a","b"],["A","B"])', { v: 'b' })).toBe('B')
    // No match: undefined, which an evaluation turns into null.
    expect(run('v|mapper(["a","b"],["A","B"])', { v: 'z' })).toBeNull()
    expect(run('v|thmapper([10,20,30],["low","mid","high"])', { v: 15 })).toBe('mid')
    expect(run('v|thmapper([10,20,30],["low","mid","high"])', { v: 99 })).toBeNull()
    expect(run('o|valuePicker(true)', { o: { a: true, b: false, c: true } })).toEqual(['a', 'c'])
    expect(run('o|valuePickerMulti([1,2])', { o: { a: 1, b: 3, c: 2 } })).toEqual(['a', 'c'])
  })

  it('handles dates', () => {
    expect(run('d|gettime', { d: '2021-11-18T14:20:14.901Z' })).toBe(1637245214901)
    expect(run('d|toisostring', { d: 1637245214901 })).toBe('2021-11-18T14:20:14.901Z')
    expect(run('d|toisodate', { d: 'not a date' })).toBeNull()
    expect(typeof run('d|timeoffset', { d: '2021-11-18T14:20:14.901Z' })).toBe('number')
    expect(run('d|localestring("en-GB", {timeZone: "UTC"})', { d: '2021-11-18T14:20:14.901Z' })).toBe('18/11/2021, 14:20:14')
    const before = Date.now()
    const n = run('0|now') as number
    expect(n).toBeGreaterThanOrEqual(before)
  })

  it('hashes text into eight hex digits', () => {
    expect(run('s|hash', { s: 'abc' })).toBe('00017862')
    expect(run('s|hash', { s: '' })).toBe('00000000')
  })

  it('throws on transformations the library does not guard (the attribute is then left out)', () => {
    expect(() => run('x|split(",")', { x: 5 })).toThrow(TypeError)
    expect(() => run('x|lengtharray', {})).toThrow(TypeError)
  })
})
