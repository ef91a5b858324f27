import { describe, expect, it } from 'vitest'
import { jsonProtocol } from '../../../electron/engine/agent-protocol'
import {
  commandResultsFromJson,
  formatPolledCommands,
  JsonFormatError,
  JsonParseError,
  parseCommandAnswer,
  parseCommandResults
} from '../../../electron/engine/json'

describe('parseCommandResults (docs/compatibility/iot-agent-json.md §2.4, topic …/cmdexe)', () => {
  it.each([
    ['{ "PING": "1234567890" }', [{ command: 'PING', result: '1234567890' }]],
    ['{"switch":"switched on"}\n', [{ command: 'switch', result: 'switched on' }]],
    ['{"interval": 15, "start": {"ok": true}}', [{ command: 'interval', result: 15 }, { command: 'start', result: { ok: true } }]],
    ['{"stop": null}', [{ command: 'stop', result: null }]],
    ['{}', []],
    ['[{"a":1},{"b":2}]', [{ command: 'a', result: 1 }, { command: 'b', result: 2 }]],
    ['[{"a":1}]', [{ command: 'a', result: 1 }]],
    ['[]', []]
  ])('%s → %j', (payload, expected) => {
    expect(parseCommandResults(payload)).toStrictEqual(expected)
  })

  it.each([
    ['null', 'the command result is null; expected {"<command>": <result>}'],
    ['"done"', 'the command result is the text "done"'],
    ['42', 'the command result is the number 42'],
    ['[{"a":1},"x"]', 'element 2 of the command results is the text "x"'],
    ['dev@ping|ok', 'the command result is not valid JSON']
  ])('%s is refused (deviation: the reference reads the keys of anything, or throws on null)', (payload, message) => {
    expect(() => parseCommandResults(payload)).toThrow(JsonParseError)
    expect(() => parseCommandResults(payload)).toThrow(message)
  })

  it('the HTTP body of POST /iot/json/commands is read the same way', () => {
    expect(commandResultsFromJson({ PING: { data: '22' } })).toStrictEqual([{ command: 'PING', result: { data: '22' } }])
  })

  it('is what the JSON protocol codec decodes', () => {
    expect(jsonProtocol.decodeCommandResults(Buffer.from('{"a":"b"}'))).toStrictEqual([{ command: 'a', result: 'b' }])
  })
})

describe("parseCommandAnswer (§4.5: a device's answer to an HTTP push)", () => {
  it('a JSON object names the commands answered', () => {
    expect(parseCommandAnswer('{"PING":{"data":"22"}}')).toStrictEqual([{ command: 'PING', result: { data: '22' } }])
    expect(parseCommandAnswer(Buffer.from('{"interval":"15 s"}'))).toStrictEqual([{ command: 'interval', result: '15 s' }])
  })

  it('an empty body names no command, as the reference', () => {
    expect(parseCommandAnswer('')).toStrictEqual([])
  })

  it.each([
    ['OK', "the device's answer is not valid JSON"],
    ['"OK"', "the device's answer is the text \"OK\""],
    ['[1]', "the device's answer is an array"],
    ['null', "the device's answer is null"]
  ])('%j fails the command', (body, message) => {
    expect(() => parseCommandAnswer(body)).toThrow(JsonParseError)
    expect(() => parseCommandAnswer(body)).toThrow(message)
  })
})

describe('formatPolledCommands (§4.4 getCmd=1)', () => {
  it('one object with every queued command; a later one of the same name wins', () => {
    expect(formatPolledCommands([{ name: 'PING', value: { data: '22' } }, { name: 'interval', value: 15 }, { name: 'PING', value: 'again' }])).toBe(
      '{"PING":"again","interval":15}'
    )
  })

  it('nothing queued: {}', () => {
    expect(formatPolledCommands([])).toBe('{}')
  })

  it('empty and blank values are sent (deviation: the reference drops them while marking them DELIVERED)', () => {
    expect(formatPolledCommands([{ name: 'switch', value: '' }, { name: 'on', value: ' ' }])).toBe('{"switch":"","on":" "}')
  })

  it('refuses what is not a list of named commands', () => {
    expect(() => formatPolledCommands(5 as unknown as [])).toThrow(JsonFormatError)
    expect(() => formatPolledCommands([{ name: '', value: 1 }])).toThrow('non-empty name')
  })
})
