import { describe, expect, it } from 'vitest'
import { parseCommandResult, UlParseError } from '../../../electron/engine/ultralight'

describe('parseCommandResult (§2.3)', () => {
  it.each([
    ['device001@switch|switched on', { deviceId: 'device001', command: 'switch', result: 'switched on' }],
    ['MQTT_2@PING|1234567890', { deviceId: 'MQTT_2', command: 'PING', result: 1234567890 }],
    ['dev@ping|Ping ok', { deviceId: 'dev', command: 'ping', result: 'Ping ok' }],
    ['dev@cmd|a|b', { deviceId: 'dev', command: 'cmd', result: 'a' }],
    ['dev@cmd', { deviceId: 'dev', command: 'cmd', result: undefined }],
    ['dev@cmd|', { deviceId: 'dev', command: 'cmd', result: '' }],
    ['dev@cmd|{"a":1}', { deviceId: 'dev', command: 'cmd', result: { a: 1 } }],
    ['dev@cmd|mail@example.org', { deviceId: 'dev', command: 'cmd', result: 'mail@example.org' }],
    ['dev@cmd|k=v', { deviceId: 'dev', command: 'cmd', result: 'k=v' }],
    ['@cmd|ok', { deviceId: '', command: 'cmd', result: 'ok' }],
    ['dev@cmd|ok\r\n', { deviceId: 'dev', command: 'cmd', result: 'ok' }],
    ['dev@cmd\n', { deviceId: 'dev', command: 'cmd', result: undefined }]
  ])('%j', (payload, expected) => {
    expect(parseCommandResult(payload)).toStrictEqual(expected)
  })

  it.each([
    ['switch|on', `the command result "switch|on" has no '@' in its first field "switch"`, 1],
    ['on', `has no '@' in its first field "on"`, 1],
    ['', 'the command result is empty', undefined],
    ['dev@|on', `has no command name after '@'`, 1],
    ['a@b@c|on', `has more than one '@' in "a@b@c"`, 1]
  ])('rejects %j', (payload, message, field) => {
    let err: unknown
    try {
      parseCommandResult(payload)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(UlParseError)
    expect((err as UlParseError).code).toBe('PARSE_ERROR')
    expect((err as UlParseError).message).toContain(message)
    expect((err as UlParseError).field).toBe(field)
  })

  it('rejects a payload that is not text', () => {
    expect(() => parseCommandResult(null as unknown as string)).toThrow('the command result must be text, got null')
  })
})
