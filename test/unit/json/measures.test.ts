import { describe, expect, it } from 'vitest'
import {
  formatMeasures,
  formatMultiMeasures,
  JsonFormatError,
  JsonParseError,
  measuresFromJson,
  parseMeasures,
  parseSingleMeasure,
  singleMeasureFromHttpBody,
  type JsonMeasureGroup
} from '../../../electron/engine/json'

/** Groups as plain objects (with the timestamp as `@t` when present), for readable expectations. */
function shape(groups: JsonMeasureGroup[]): unknown[] {
  return groups.map((g) => {
    const o: Record<string, unknown> = Object.fromEntries(g.values)
    if (g.timestamp !== undefined) o['@t'] = g.timestamp
    return o
  })
}

function parseError(run: () => unknown): JsonParseError {
  try {
    run()
  } catch (e) {
    expect(e).toBeInstanceOf(JsonParseError)
    return e as JsonParseError
  }
  throw new Error('expected a JsonParseError')
}

describe('parseMeasures (docs/compatibility/iot-agent-json.md §2.1)', () => {
  it('keeps JSON types: text stays text, numbers, booleans, null, objects and arrays as sent', () => {
    const payload = JSON.stringify({
      humidity: '41',
      temperature: '19',
      luminosity: 7,
      pollution: 12.5,
      configuration: { firmware: { version: '2.0.1', hash: 'abc' } },
      tags: ['garden', 'north'],
      enabled: false,
      alive: null
    })
    expect(shape(parseMeasures(payload))).toStrictEqual([
      {
        humidity: '41',
        temperature: '19',
        luminosity: 7,
        pollution: 12.5,
        configuration: { firmware: { version: '2.0.1', hash: 'abc' } },
        tags: ['garden', 'north'],
        enabled: false,
        alive: null
      }
    ])
  })

  it('reads Buffers as UTF-8 and tolerates surrounding whitespace and a final line break', () => {
    expect(shape(parseMeasures(Buffer.from('  {"t": 21.5, "name": "sala é"}\r\n')))).toStrictEqual([{ t: 21.5, name: 'sala é' }])
  })

  it('an array of objects is a multi-measure: one group per element, in order', () => {
    const payload = '[{"humidity":"30","temperature":"80"},{"humidity":"31","temperature":"82"},{"humidity":"32"}]'
    expect(shape(parseMeasures(payload))).toStrictEqual([
      { humidity: '30', temperature: '80' },
      { humidity: '31', temperature: '82' },
      { humidity: '32' }
    ])
  })

  it('a one-element array is one group (deviation: the reference MQTT binding would name an attribute "0")', () => {
    expect(shape(parseMeasures('[{"t":5}]'))).toStrictEqual([{ t: 5 }])
  })

  it('an empty array carries no measure; an empty object is one group without values', () => {
    expect(parseMeasures('[]')).toStrictEqual([])
    expect(shape(parseMeasures('{}'))).toStrictEqual([{}])
  })

  it('TimeInstant in the payload is an ordinary measure; the HTTP t= parameter becomes every group\'s timestamp', () => {
    expect(shape(parseMeasures('{"humidity":"32","TimeInstant":"2007-11-03T13:18:05Z"}'))).toStrictEqual([
      { humidity: '32', TimeInstant: '2007-11-03T13:18:05Z' }
    ])
    const t = '2020-02-22T22:22:22Z'
    expect(shape(parseMeasures('[{"a":1,"TimeInstant":"2001-01-01T00:00:00Z"},{"a":2}]', { timestamp: t }))).toStrictEqual([
      { a: 1, TimeInstant: '2001-01-01T00:00:00Z', '@t': t },
      { a: 2, '@t': t }
    ])
  })

  it('keeps JSON.parse semantics for keys: the last duplicate wins, integer-like keys come first, __proto__ is a measure', () => {
    const [g] = parseMeasures('{"b":1,"2":"two","a":2,"b":3,"__proto__":{"x":1}}')
    expect([...g!.values.keys()]).toStrictEqual(['2', 'b', 'a', '__proto__'])
    expect(g!.values.get('b')).toBe(3)
    expect(g!.values.get('__proto__')).toStrictEqual({ x: 1 })
    expect(({} as Record<string, unknown>).x).toBeUndefined()
  })

  it.each([
    ['5', 'the measure payload is the number 5'],
    ['"on"', 'the measure payload is the text "on"'],
    ['true', 'the measure payload is the boolean true'],
    ['null', 'the measure payload is null']
  ])('%s is not a measure payload', (payload, message) => {
    const err = parseError(() => parseMeasures(payload))
    expect(err.message).toContain(message)
    expect(err.code).toBe('PARSE_ERROR')
    expect(err.element).toBeUndefined()
  })

  it.each([
    ['[{"a":1},5]', 2, 'element 2 of the measure array is the number 5'],
    ['[null]', 1, 'element 1 of the measure array is null'],
    ['[{"a":1},{"b":2},[1,2]]', 3, 'element 3 of the measure array is an array'],
    ['[[]]', 1, 'is an empty array']
  ])('%s: array elements must be objects (element %i)', (payload, element, message) => {
    const err = parseError(() => parseMeasures(payload))
    expect(err.element).toBe(element)
    expect(err.message).toContain(message)
  })

  it.each([
    ['{"humidity": " }(}', 13, 'a string is not closed'],
    ['{"a":1,}', 7, "a trailing comma before '}'"],
    ["{'a':1}", 1, 'JSON keys use double quotes'],
    ['{"a": None}', 6, "found the word 'None'"],
    ['{"a": True}', 6, 'lower case'],
    ['{"a": on}', 6, 'text values must be quoted'],
    ['{"a": 007}', 6, 'leading zeros'],
    ['{"a":1} {"b":2}', 8, 'more text after the JSON value'],
    ['{"a" 1}', 5, "expected ':' after the key"],
    ['{"a":1 "b":2}', 7, "expected ',' or '}'"],
    ['[1 2]', 3, "expected ',' or ']'"],
    ['{"a":"x\ny"}', 7, 'a line break (U+000A)'],
    ['{"a":"\\q"}', 6, "invalid escape '\\q'"],
    ['{"a":"\\u12"}', 6, 'four hexadecimal digits'],
    ['\ufeff{"a":1}', 0, 'byte-order mark'],
    ['{"a":', 5, 'the text ends where a value was expected']
  ])('%j: syntax error at position %i', (payload, position, reason) => {
    const err = parseError(() => parseMeasures(payload))
    expect(err.message).toContain('the measure payload is not valid JSON: ')
    expect(err.message).toContain(reason)
    expect(err.position).toBe(position)
    expect(err.line).toBe(1)
    expect(err.column).toBe(position + 1)
  })

  it('gives line and column on multi-line payloads, and quotes the text around the mistake', () => {
    const err = parseError(() => parseMeasures('{\n  "t": 21,\n  "h": 40,\n}'))
    expect(err.line).toBe(4)
    expect(err.column).toBe(1)
    expect(err.message).toContain('at line 4, column 1 (near ')
  })

  it('an empty or blank payload says so', () => {
    expect(parseError(() => parseMeasures('')).message).toBe('the measure payload is empty; expected JSON such as {"temperature": 25}')
    expect(parseError(() => parseMeasures(Buffer.from(' \n'))).message).toContain('is empty')
  })

  it('rejects a timestamp that is not text and input that is neither bytes nor text', () => {
    expect(parseError(() => parseMeasures('{"a":1}', { timestamp: 5 as unknown as string })).message).toBe('the timestamp (t) must be text, got number')
    expect(parseError(() => parseMeasures(42 as unknown as string)).message).toBe('the measure payload must be bytes or text, got number')
  })
})

describe('measuresFromJson (already parsed HTTP bodies, §4.2)', () => {
  it('works on values, with the same rules', () => {
    expect(shape(measuresFromJson({ temperature: 10, humidity: 50 }))).toStrictEqual([{ temperature: 10, humidity: 50 }])
    expect(shape(measuresFromJson([{ a: 1 }], 'T'))).toStrictEqual([{ a: 1, '@t': 'T' }])
    expect(() => measuresFromJson('ab')).toThrow(JsonParseError)
  })
})

describe('parseSingleMeasure (§2.2, topic …/attrs/<attribute>)', () => {
  it.each([
    ['87', 87],
    ['"87"', '87'],
    [' 21.5\n', 21.5],
    ['true', true],
    ['null', null],
    ['[1,2]', [1, 2]],
    ['[{"at":"2025-01-27T09:00:00Z","value":10.5}]', [{ at: '2025-01-27T09:00:00Z', value: 10.5 }]],
    ['{"lat":40.4,"lon":-3.7}', { lat: 40.4, lon: -3.7 }]
  ])('%j is JSON → %j', (payload, value) => {
    expect(parseSingleMeasure(payload)).toStrictEqual({ value, encoding: 'json' })
  })

  it.each([
    ['Z#9!', '5a233921'],
    ['on', '6f6e'],
    ['007', '303037'],
    ['', '']
  ])('%j is not JSON → the hex of its bytes %j, as the reference', (payload, hex) => {
    expect(parseSingleMeasure(payload)).toStrictEqual({ value: hex, encoding: 'hex' })
  })

  it('hex-encodes the raw bytes of a Buffer, not their UTF-8 decoding', () => {
    expect(parseSingleMeasure(Buffer.from([0xff, 0x00, 0x41]))).toStrictEqual({ value: 'ff0041', encoding: 'hex' })
  })
})

describe('singleMeasureFromHttpBody (§4.3)', () => {
  it('text/plain as it is, octet-stream in hex, JSON as parsed (deviation for objects, arrays and falsy values)', () => {
    expect(singleMeasureFromHttpBody({ kind: 'text', text: '32' })).toStrictEqual({ value: '32', encoding: 'text' })
    expect(singleMeasureFromHttpBody({ kind: 'binary', bytes: Buffer.from('32') })).toStrictEqual({ value: '3332', encoding: 'hex' })
    expect(singleMeasureFromHttpBody({ kind: 'json', value: '32' })).toStrictEqual({ value: '32', encoding: 'json' })
    expect(singleMeasureFromHttpBody({ kind: 'json', value: { a: 1 } })).toStrictEqual({ value: { a: 1 }, encoding: 'json' })
    expect(singleMeasureFromHttpBody({ kind: 'json', value: 0 })).toStrictEqual({ value: 0, encoding: 'json' })
  })
})

describe('formatMeasures / formatMultiMeasures (simulated JSON devices)', () => {
  it('writes JSON that parses back to the same values', () => {
    const text = formatMeasures([['temperature', 10], ['humidity', 50], ['state', 'on'], ['loc', { lat: 1 }], ['__proto__', 1]])
    expect(text).toBe('{"temperature":10,"humidity":50,"state":"on","loc":{"lat":1},"__proto__":1}')
    expect(shape(parseMeasures(text))).toStrictEqual([{ temperature: 10, humidity: 50, state: 'on', loc: { lat: 1 }, ['__proto__']: 1 }])
    expect(formatMultiMeasures([new Map([['a', 1]]), [['a', 2]]])).toBe('[{"a":1},{"a":2}]')
  })

  it.each([
    ['at least one measure', []],
    ['empty key', [['', 1]]],
    ['contains undefined', [['a', undefined]]],
    ['contains NaN', [['a', Number.NaN]]],
    ['contains Infinity', [['a', { b: Infinity }]]],
    ['a bigint', [['a', 1n]]],
    ['not a plain object', [['a', new Date(0)]]],
    ['a function', [['a', () => 1]]]
  ])('refuses what JSON cannot carry faithfully: %s', (message, pairs) => {
    expect(() => formatMeasures(pairs as Array<[string, unknown]>)).toThrow(JsonFormatError)
    expect(() => formatMeasures(pairs as Array<[string, unknown]>)).toThrow(message)
  })

  it('refuses cyclic values through the depth bound, and an empty list of groups', () => {
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    expect(() => formatMeasures([['a', cyclic]])).toThrow('nested deeper than 64 levels (or refers to itself)')
    expect(() => formatMultiMeasures([])).toThrow('at least one measure group')
    expect(() => formatMeasures(7 as unknown as Array<[string, unknown]>)).toThrow('got number')
  })
})
