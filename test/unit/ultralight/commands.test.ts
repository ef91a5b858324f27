import { describe, expect, it } from 'vitest'
import { encodeCommandPayload, formatCommand, UlCommandError, UlFormatError } from '../../../electron/engine/ultralight'

describe('formatCommand (§2.2)', () => {
  it.each([
    ['MQTT_4', 'PING', 22, 'MQTT_4@PING|22'],
    ['dev', 'cmd', '', 'dev@cmd|'],
    ['dev', 'cmd', 'a|b', 'dev@cmd|a|b'],
    ['device001', 'switch', 'on', 'device001@switch|on'],
    ['dev', 'cmd', true, 'dev@cmd|true'],
    ['dev', 'cmd', 2.5, 'dev@cmd|2.5'],
    ['MQTT_2', 'PING', { data: '22' }, 'MQTT_2@PING|data=22'],
    ['dev', 'cmd', { a: 1, b: 'x' }, 'dev@cmd|a=1|b=x'],
    ['dev', 'cmd', { nested: { a: 1 } }, 'dev@cmd|nested=[object Object]'],
    ['dev', 'cmd', { list: [1, 2], none: null }, 'dev@cmd|list=1,2|none=null'],
    ['dev', 'cmd', ['v0', 'v1'], 'dev@cmd|0=v0|1=v1'],
    ['dev', 'cmd', {}, 'dev@cmd']
  ])('%s@%s with %j → %j', (deviceId, command, value, expected) => {
    expect(formatCommand(deviceId, command, value)).toBe(expected)
  })

  it.each([null, undefined])('rejects a %s value instead of hanging (deviation)', (value) => {
    expect(() => formatCommand('dev', 'switch', value)).toThrow(UlCommandError)
    expect(() => formatCommand('dev', 'switch', value)).toThrow(`command "switch" for device "dev" has no value (${value})`)
  })

  it.each([
    ['', 'cmd', 'the device id is empty'],
    ['dev', '', 'the command name is empty'],
    ['a@b', 'cmd', `the device id "a@b" contains '@' or '|'`],
    ['dev', 'c|d', `the command name "c|d" contains '@' or '|'`],
    [7, 'cmd', 'the device id must be text, got number']
  ])('rejects device id %j / command %j', (deviceId, command, message) => {
    expect(() => formatCommand(deviceId as string, command, 'on')).toThrow(message)
  })

  it('rejects values that cannot be written as text', () => {
    expect(() => formatCommand('dev', 'cmd', Symbol('s'))).toThrow('cannot be written as text (symbol)')
    expect(() => formatCommand('dev', 'cmd', { p: Object.create(null) })).toThrow('parameter "p" of command "cmd"')
  })

  it('is a UlFormatError and an Error', () => {
    const err = new UlCommandError('x')
    expect(err).toBeInstanceOf(UlFormatError)
    expect(err).toBeInstanceOf(Error)
    expect(err.name).toBe('UlCommandError')
  })
})

describe('encodeCommandPayload (§2.2 payloadType)', () => {
  it('leaves the text unchanged without a known payloadType', () => {
    expect(encodeCommandPayload('dev@cmd|5')).toBe('dev@cmd|5')
    expect(encodeCommandPayload('dev@cmd|5', '')).toBe('dev@cmd|5')
    expect(encodeCommandPayload('dev@cmd|5', 'text')).toBe('dev@cmd|5')
  })

  it('json: the JSON string literal of the text', () => {
    expect(encodeCommandPayload('dev@cmd|5', 'json')).toBe('"dev@cmd|5"')
    expect(encodeCommandPayload('dev@cmd|"x"', 'JSON')).toBe('"dev@cmd|\\"x\\""')
  })

  it('binaryfromstring: the UTF-8 bytes (case-insensitive)', () => {
    const out = encodeCommandPayload('dev@cmd|é', 'BinaryFromString')
    expect(Buffer.isBuffer(out)).toBe(true)
    expect([...(out as Buffer)]).toStrictEqual([...Buffer.from('dev@cmd|é', 'utf8')])
    expect((out as Buffer).length).toBe(10)
  })

  it('binaryfromjson: the bytes of the JSON string literal', () => {
    const out = encodeCommandPayload('dev@cmd|5', 'binaryfromjson') as Buffer
    expect(Buffer.isBuffer(out)).toBe(true)
    expect(out.toString('utf8')).toBe('"dev@cmd|5"')
  })

  it('binaryfromhex: hex decoding that stops at the first non-hex pair, as the reference', () => {
    expect([...(encodeCommandPayload('0aff10', 'binaryFromHex') as Buffer)]).toStrictEqual([0x0a, 0xff, 0x10])
    expect([...(encodeCommandPayload('dev@cmd|ff', 'binaryfromhex') as Buffer)]).toStrictEqual([0xde])
  })

  it('rejects arguments that are not text', () => {
    expect(() => encodeCommandPayload(5 as unknown as string)).toThrow('the command text must be text, got number')
    expect(() => encodeCommandPayload('x', 3 as unknown as string)).toThrow('payloadType must be text, got number')
    expect(encodeCommandPayload('x', null as unknown as string)).toBe('x')
  })
})
