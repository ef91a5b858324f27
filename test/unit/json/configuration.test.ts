import { describe, expect, it } from 'vitest'
import { jsonProtocol } from '../../../electron/engine/agent-protocol'
import {
  configurationRequestsFromJson,
  formatConfigurationValues,
  JsonFormatError,
  JsonParseError,
  parseConfigurationRequests
} from '../../../electron/engine/json'

describe('parseConfigurationRequests (docs/compatibility/iot-agent-json.md §2.5)', () => {
  it.each([
    ['{"type":"configuration","fields":["sleepTime","warningLevel"]}', [{ type: 'configuration', attributes: ['sleepTime', 'warningLevel'] }]],
    ['{"type":"subscription","fields":["alarm"]}', [{ type: 'subscription', attributes: ['alarm'] }]],
    ['{"type":"configuration"}', [{ type: 'configuration', attributes: [] }]],
    ['{"type":"configuration","fields":[]}', [{ type: 'configuration', attributes: [] }]],
    ['{"type":"other","fields":["a"]}', [{ type: 'other', attributes: ['a'] }]],
    [
      '[{"type":"configuration","fields":["a"]},{"type":"subscription","fields":["b"]}]',
      [
        { type: 'configuration', attributes: ['a'] },
        { type: 'subscription', attributes: ['b'] }
      ]
    ],
    ['[{"type":"configuration","fields":["a"]}]', [{ type: 'configuration', attributes: ['a'] }]]
  ])('%s → %j', (payload, expected) => {
    expect(parseConfigurationRequests(payload)).toStrictEqual(expected)
  })

  it.each([
    ['null', 'the configuration request is null'],
    ['{"fields":["a"]}', 'has no "type"'],
    ['{"type":5}', 'has a "type" that is the number 5'],
    ['{"type":"configuration","fields":"sleepTime"}', '"fields" must be a list of attribute names'],
    ['{"type":"configuration","fields":["a",""]}', 'field 2 is the text ""'],
    ['{"type":"configuration","fields":["a",7]}', 'field 2 is the number 7'],
    ['[{"type":"configuration"},3]', 'element 2 of the configuration requests is the number 3'],
    ['configuration|sleepTime', 'not valid JSON']
  ])('%s is refused: %s', (payload, message) => {
    expect(() => parseConfigurationRequests(payload)).toThrow(JsonParseError)
    expect(() => parseConfigurationRequests(payload)).toThrow(message)
  })

  it('keeps the element number of a bad request in an array', () => {
    try {
      configurationRequestsFromJson([{ type: 'configuration' }, { type: 1 }])
      throw new Error('expected an error')
    } catch (e) {
      expect(e).toBeInstanceOf(JsonParseError)
      expect((e as JsonParseError).element).toBe(2)
    }
  })
})

describe('formatConfigurationValues (§2.5 answer)', () => {
  const at = new Date(2019, 5, 26, 15, 42, 0)

  it('values as JSON and dt as the local time with a literal Z', () => {
    expect(formatConfigurationValues([['sleepTime', '200'], ['warningLevel', 80], ['limits', { max: 3 }]], at)).toBe(
      '{"sleepTime":"200","warningLevel":80,"limits":{"max":3},"dt":"20190626T154200Z"}'
    )
  })

  it('dt is set last: an attribute called dt keeps its place and gets the stamp; integer-like names come first', () => {
    expect(formatConfigurationValues([['a', 1], ['dt', 'mine'], ['7', 'seven']], at)).toBe('{"7":"seven","a":1,"dt":"20190626T154200Z"}')
  })

  it('leaves out undefined values and keeps null', () => {
    expect(formatConfigurationValues([['gone', undefined], ['empty', null]], at)).toBe('{"empty":null,"dt":"20190626T154200Z"}')
  })

  it('is what the JSON protocol codec publishes (no device id in the body, unlike UltraLight)', () => {
    expect(jsonProtocol.encodeConfigurationValues('dev1', [['a', 1]], at)).toBe('{"a":1,"dt":"20190626T154200Z"}')
  })

  it('refuses bad arguments', () => {
    expect(() => formatConfigurationValues([['a', 1]], new Date(Number.NaN))).toThrow(JsonFormatError)
    expect(() => formatConfigurationValues(3 as unknown as [], at)).toThrow('[attribute, value] pairs, got number')
    expect(() => formatConfigurationValues([['', 1]], at)).toThrow('non-empty attribute name')
    expect(() => formatConfigurationValues([['a', Number.NaN]], at)).toThrow('contains NaN')
  })
})
