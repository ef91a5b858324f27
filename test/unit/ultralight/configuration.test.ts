import { describe, expect, it } from 'vitest'
import {
  formatConfigurationTime,
  formatConfigurationValues,
  parseConfigurationRequest,
  UlFormatError,
  UlParseError
} from '../../../electron/engine/ultralight'

describe('parseConfigurationRequest (§2.4)', () => {
  it.each([
    ['configuration|pollingInterval|publishInterval', { type: 'configuration', attributes: ['pollingInterval', 'publishInterval'] }],
    ['subscription|a', { type: 'subscription', attributes: ['a'] }],
    ['other|a', { type: 'other', attributes: ['a'] }],
    ['configuration', { type: 'configuration', attributes: [] }],
    ['configuration|a\r\n', { type: 'configuration', attributes: ['a'] }],
    ['|a', { type: '', attributes: ['a'] }]
  ])('%j', (payload, expected) => {
    expect(parseConfigurationRequest(payload)).toStrictEqual(expected)
  })

  it('rejects an empty request', () => {
    expect(() => parseConfigurationRequest('')).toThrow(UlParseError)
    expect(() => parseConfigurationRequest('\n')).toThrow('the configuration request is empty')
  })

  it('rejects an empty attribute name, saying which field', () => {
    let err: unknown
    try {
      parseConfigurationRequest('configuration||a')
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(UlParseError)
    expect((err as UlParseError).message).toBe('the configuration request "configuration||a" has an empty attribute name (field 2)')
    expect((err as UlParseError).field).toBe(2)
    expect(() => parseConfigurationRequest('configuration|a|')).toThrow('(field 3)')
  })
})

describe('formatConfigurationValues (§2.4)', () => {
  it('formats the spec example, dt from local time with a literal Z', () => {
    const now = new Date(2019, 5, 26, 15, 42, 0)
    expect(
      formatConfigurationValues(
        'device_1',
        [
          ['pollingInterval', 200],
          ['publishInterval', 80]
        ],
        now
      )
    ).toBe('device_1@configuration|pollingInterval=200|publishInterval=80|dt=20190626T154200Z')
  })

  it('pads every part of the stamp', () => {
    expect(formatConfigurationTime(new Date(2021, 0, 2, 3, 4, 5))).toBe('20210102T030405Z')
  })

  it('stamps with the current time by default', () => {
    const out = formatConfigurationValues('dev', new Map([['a', 1]]))
    const dt = out.split('|dt=')[1]
    expect(out.startsWith('dev@configuration|a=1|dt=')).toBe(true)
    expect(dt).toMatch(/^\d{8}T\d{6}Z$/)
  })

  it('renders values as the reference concatenates them', () => {
    const now = new Date(2020, 0, 1, 0, 0, 0)
    expect(
      formatConfigurationValues('dev', [['s', 'on'], ['o', { a: 1 }], ['l', [1, 2]], ['n', null], ['b', true]], now)
    ).toBe('dev@configuration|s=on|o=[object Object]|l=1,2|n=null|b=true|dt=20200101T000000Z')
  })

  it('gives an attribute named dt the stamp, in its place', () => {
    const now = new Date(2020, 0, 1, 0, 0, 0)
    expect(formatConfigurationValues('dev', [['dt', 'x'], ['a', 1]], now)).toBe('dev@configuration|dt=20200101T000000Z|a=1')
  })

  it('sends only the stamp when there are no values', () => {
    expect(formatConfigurationValues('dev', [], new Date(2020, 0, 1))).toBe('dev@configuration|dt=20200101T000000Z')
  })

  it.each([
    ['', [['a', 1]], new Date(), 'the device id is empty'],
    ['a|b', [['a', 1]], new Date(), `contains '@' or '|'`],
    ['dev', [['a', 1]], new Date(Number.NaN), 'must be a valid Date'],
    ['dev', [['', 1]], new Date(), 'non-empty attribute name'],
    ['dev', 5, new Date(), 'must be given as [attribute, value] pairs'],
    ['dev', [['f', Symbol('x')]], new Date(), 'the value of attribute "f" cannot be written as text']
  ])('rejects device %j with %j', (deviceId, values, now, message) => {
    const call = (): string => formatConfigurationValues(deviceId, values as [string, unknown][], now)
    expect(call).toThrow(UlFormatError)
    expect(call).toThrow(message)
  })
})
