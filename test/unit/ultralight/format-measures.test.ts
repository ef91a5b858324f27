import { describe, expect, it } from 'vitest'
import { formatMeasures, parseMeasures, UlFormatError } from '../../../electron/engine/ultralight'
import { toReferenceShape } from './reference-shape'

describe('formatMeasures', () => {
  it('builds k|v pairs in order, from a Map or an array', () => {
    expect(formatMeasures(new Map<string, unknown>([['t', 25.3], ['rh', 60]]))).toBe('t|25.3|rh|60')
    expect(formatMeasures([['s', 'on']])).toBe('s|on')
  })

  it('puts the timestamp first', () => {
    expect(formatMeasures([['lle', 100]], '2016-06-13T00:35:30Z')).toBe('2016-06-13T00:35:30Z|lle|100')
  })

  it('writes JSON for objects and arrays, text for scalars', () => {
    expect(
      formatMeasures([
        ['o', { a: 1 }],
        ['arr', [1, 'x']],
        ['n', null],
        ['b', false],
        ['big', 10n],
        ['neg', -0.5]
      ])
    ).toBe('o|{"a":1}|arr|[1,"x"]|n|null|b|false|big|10|neg|-0.5')
  })

  it('produces payloads that parse back to the same values', () => {
    const values: [string, unknown][] = [
      ['t', 21.5],
      ['s', 'switched on'],
      ['ok', true],
      ['none', null],
      ['loc', { type: 'Point', coordinates: [1.5, 2] }],
      ['list', [1, 2, 3]],
      [' spaced key ', 'x y']
    ]
    for (const ts of [undefined, '2024-01-02T03:04:05.000Z']) {
      const parsed = parseMeasures(formatMeasures(values, ts))
      const expected: Record<string, unknown> = Object.fromEntries(values)
      if (ts !== undefined) expected.TimeInstant = ts
      expect(toReferenceShape(parsed)).toStrictEqual([expected])
    }
  })

  it.each([
    [[['a|b', 1]], undefined, `measure key "a|b" contains '|'`],
    [[['a', 'x#y']], undefined, `the value of measure "a" contains '#'`],
    [[['a', 'me@home']], undefined, `the value of measure "a" contains '@'`],
    [[['a', { mail: 'x@y' }]], undefined, `the value of measure "a" contains '@'`],
    [[['', 1]], undefined, 'measure key "" is empty'],
    [[['a', '']], undefined, 'the value of measure "a" is empty'],
    [[['a', 'line\nbreak']], undefined, 'contains a line break'],
    [[['a', Number.NaN]], undefined, 'is NaN, which is not a finite number'],
    [[['a', Infinity]], undefined, 'is Infinity, which is not a finite number'],
    [[['a', undefined]], undefined, 'cannot be sent in UltraLight (undefined)'],
    [[['a', () => 1]], undefined, 'cannot be sent in UltraLight (function)'],
    [[], undefined, 'at least one measure is needed'],
    [[['a', 1]], '', 'the timestamp is empty'],
    [[['a', 1]], '2020|x', `the timestamp contains '|'`]
  ] as [Iterable<[string, unknown]>, string | undefined, string][])('rejects %j (timestamp %j)', (values, ts, message) => {
    expect(() => formatMeasures(values, ts)).toThrow(UlFormatError)
    expect(() => formatMeasures(values, ts)).toThrow(message)
  })

  it('rejects arguments of the wrong shape', () => {
    expect(() => formatMeasures(null as unknown as [string, unknown][])).toThrow('must be given as [key, value] pairs')
    expect(() => formatMeasures([['a', 1], 'b' as unknown as [string, unknown]])).toThrow('measure 2 must be a [key, value] pair')
    expect(() => formatMeasures([['a', 1]], 5 as unknown as string)).toThrow('the timestamp must be text, got number')
  })
})
