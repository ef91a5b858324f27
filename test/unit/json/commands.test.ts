import { describe, expect, it } from 'vitest'
import { jsonProtocol, jsonCommandExpressionResult, ulProtocol } from '../../../electron/engine/agent-protocol'
import type { CommandDevice } from '../../../electron/engine/expressions'
import {
  commandPayload,
  encodeCommandPayload,
  expressionCommandPayload,
  formatCommand,
  JsonCommandError,
  JsonFormatError
} from '../../../electron/engine/json'

describe('formatCommand (docs/compatibility/iot-agent-json.md §2.3)', () => {
  it.each([
    ['PING', { data: '41' }, '{"PING":{"data":"41"}}'],
    ['interval', '15', '{"interval":"15"}'],
    ['switch', '', '{"switch":""}'],
    ['start', 5, '{"start":5}'],
    ['on', true, '{"on":true}'],
    ['off', null, '{"off":null}'],
    ['list', [1, 'a'], '{"list":[1,"a"]}'],
    ['cfg', '{"a":1}', '{"cfg":"{\\"a\\":1}"}'],
    ['__proto__', 1, '{"__proto__":1}']
  ])('%s with %j → %s', (command, value, expected) => {
    expect(formatCommand(command, value)).toBe(expected)
  })

  it('a missing value gives an empty object, as JSON.stringify in the reference', () => {
    expect(formatCommand('ping', undefined)).toBe('{}')
  })

  it('refuses an empty or non-text command name, and values JSON cannot write', () => {
    expect(() => formatCommand('', 'x')).toThrow('the command name is empty')
    expect(() => formatCommand(3 as unknown as string, 'x')).toThrow('the command name must be text, got number')
    expect(() => formatCommand('c', 1n)).toThrow(JsonCommandError)
    const cyclic: Record<string, unknown> = {}
    cyclic.me = cyclic
    expect(() => formatCommand('c', cyclic)).toThrow('cannot be written as JSON')
  })

  it('JsonCommandError is a JsonFormatError', () => {
    const err = new JsonCommandError('x')
    expect(err).toBeInstanceOf(JsonFormatError)
    expect(err.name).toBe('JsonCommandError')
  })
})

describe('encodeCommandPayload: payloadType (§2.3)', () => {
  it('none, json or an unknown type: the JSON text', () => {
    expect(encodeCommandPayload(commandPayload('a', 1))).toBe('{"a":1}')
    expect(encodeCommandPayload(commandPayload('a', 1), 'JSON')).toBe('{"a":1}')
    expect(encodeCommandPayload(commandPayload('a', 1), 'xml')).toBe('{"a":1}')
    expect(encodeCommandPayload('command Expression', '')).toBe('"command Expression"')
    expect(encodeCommandPayload('x', null)).toBe('"x"')
  })

  it('text: a text payload as it is, numbers and booleans as text, objects refused (deviation)', () => {
    expect(encodeCommandPayload('plainText', 'text')).toBe('plainText')
    expect(encodeCommandPayload(12, 'Text')).toBe('12')
    expect(() => encodeCommandPayload(commandPayload('a', 1), 'text')).toThrow('payloadType "text" sends a text payload as it is')
  })

  it('binaryfromhex: lenient hex decoding of text, anything else refused (deviation: the reference throws)', () => {
    const out = encodeCommandPayload('4F4B21', 'binaryFromHex')
    expect(Buffer.isBuffer(out)).toBe(true)
    expect(out.toString()).toBe('OK!')
    expect([...(encodeCommandPayload('0aZZ', 'binaryfromhex') as Buffer)]).toStrictEqual([0x0a])
    expect(() => encodeCommandPayload(commandPayload('a', '0a'), 'binaryfromhex')).toThrow('decodes text of hexadecimal digits')
  })

  it('binaryfromstring: the bytes of the payload as JavaScript writes it ("[object Object]" for an object, as the reference)', () => {
    expect((encodeCommandPayload('é', 'binaryfromstring') as Buffer).toString('utf8')).toBe('é')
    expect((encodeCommandPayload(commandPayload('a', 1), 'binaryfromstring') as Buffer).toString()).toBe('[object Object]')
  })

  it('binaryfromjson: the bytes of the JSON text', () => {
    const out = encodeCommandPayload(commandPayload('a', 'é'), 'BinaryFromJSON')
    expect(Buffer.isBuffer(out)).toBe(true)
    expect(out.toString('utf8')).toBe('{"a":"é"}')
  })

  it('refuses a payloadType that is not text', () => {
    expect(() => encodeCommandPayload('x', 7 as unknown as string)).toThrow('payloadType must be text, got number')
  })
})

describe('expressionCommandPayload (§2.3 expression)', () => {
  it('the result is the payload; a falsy result sends the expression text', () => {
    expect(expressionCommandPayload('a + 1', 3)).toBe(3)
    expect(expressionCommandPayload('x', { k: 1 })).toStrictEqual({ k: 1 })
    for (const falsy of [0, '', false, null, undefined]) expect(expressionCommandPayload('cmd | bad', falsy)).toBe('cmd | bad')
    expect(() => expressionCommandPayload('', 1)).toThrow(JsonCommandError)
  })
})

const dev: CommandDevice = {
  deviceId: 'sensor07',
  entityId: 'urn:ngsi-ld:Device:007',
  entityType: 'Device',
  scope: { service: 'openiot', servicePath: '/' },
  statics: [{ name: 'site', value: 'north' }]
}

describe('jsonProtocol.encodeCommand (agent-protocol.ts, with the real expression engine)', () => {
  it('a plain command: {"<cmd>": value}', () => {
    expect(jsonProtocol.encodeCommand(dev, { name: 'interval', payloadType: undefined }, '15')).toBe('{"interval":"15"}')
  })

  it('the expression sees the command value, named after the command (unlike UltraLight)', () => {
    const cmd = { name: 'say', expression: "say | replacestr('Text','Words')" }
    expect(jsonCommandExpressionResult(dev, cmd, 'some Text')).toBe('some Words')
    expect(jsonProtocol.encodeCommand(dev, cmd, 'some Text')).toBe('"some Words"')
  })

  it('the expression sees the device and its static attributes; an object result is the whole payload', () => {
    const cmd = { name: 'locate', expression: '{device: id, where: site, entity: entity_name}' }
    expect(jsonProtocol.encodeCommand(dev, cmd, 'x')).toBe('{"device":"sensor07","where":"north","entity":"urn:ngsi-ld:Device:007"}')
  })

  it('an expression that fails or yields a falsy value sends its own text', () => {
    expect(jsonProtocol.encodeCommand(dev, { name: 'c', expression: 'nothing.here' }, 1)).toBe('"nothing.here"')
    expect(jsonProtocol.encodeCommand(dev, { name: 'c', expression: '((' }, 1)).toBe('"(("')
  })

  it('payloadType applies to the expression result', () => {
    const out = jsonProtocol.encodeCommand(dev, { name: 'raw', expression: 'raw', payloadType: 'binaryfromhex' }, '4F4B')
    expect(Buffer.isBuffer(out) && out.toString()).toBe('OK')
    expect(jsonProtocol.encodeCommand(dev, { name: 'raw', expression: 'raw', payloadType: 'text' }, 'myText')).toBe('myText')
  })

  it('its format errors are recognised, the UltraLight ones are not', () => {
    let caught: unknown
    try {
      jsonProtocol.encodeCommand(dev, { name: 'a', payloadType: 'text' }, { x: 1 })
    } catch (e) {
      caught = e
    }
    expect(jsonProtocol.isFormatError(caught)).toBe(true)
    expect(ulProtocol.isFormatError(caught)).toBe(false)
  })
})

describe('ulProtocol (the same interface over the UltraLight codec)', () => {
  it('encodes and decodes as the UltraLight codec', () => {
    expect(ulProtocol.encodeCommand(dev, { name: 'ping' }, 22)).toBe('sensor07@ping|22')
    expect(ulProtocol.decodeCommandResults(Buffer.from('sensor07@ping|pong'))).toStrictEqual([{ command: 'ping', result: 'pong' }])
    const groups = ulProtocol.decodeMeasures(Buffer.from('t|21#2020-01-01T00:00:00Z|h|40#dev@ping|ok'), undefined)
    expect(groups).toStrictEqual([
      { kind: 'measures', values: new Map([['t', 21]]) },
      { kind: 'measures', values: new Map([['h', 40]]), timestamp: '2020-01-01T00:00:00Z' },
      { kind: 'command', deviceId: 'dev', command: 'ping', result: 'ok' }
    ])
    // The HTTP t= parameter replaces each group's TimeInstant, prefix included, as iotagent-ul does.
    const withT = ulProtocol.decodeMeasures(Buffer.from('T0|h|40'), 'T1')
    expect(withT).toStrictEqual([{ kind: 'measures', values: new Map([['h', 40]]), timestamp: 'T1' }])
  })

  it('reports its parse errors through isParseError', () => {
    let caught: unknown
    try {
      ulProtocol.decodeMeasures(Buffer.from('a|'), undefined)
    } catch (e) {
      caught = e
    }
    expect(ulProtocol.isParseError(caught)).toBe(true)
    expect(jsonProtocol.isParseError(caught)).toBe(false)
  })
})
