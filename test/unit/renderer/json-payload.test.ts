import { describe, expect, it } from 'vitest'
import { decodeJsonPayload } from '../../../renderer/src/services/json-payload'

describe("the inspector's reading of IoT Agent JSON payloads (docs/compatibility/iot-agent-json.md §2)", () => {
  it('measures: one object is one group, an array one group per object, TimeInstant as the group’s time', () => {
    expect(decodeJsonPayload('{"temperature":21.5,"humidity":50,"on":true,"pos":{"x":1}}', '/json/key/device001/attrs')).toEqual({
      kind: 'measures',
      groups: [{ pairs: [['temperature', '21.5'], ['humidity', '50'], ['on', 'true'], ['pos', '{"x":1}']] }]
    })
    expect(decodeJsonPayload('[{"t":1,"TimeInstant":"2026-12-07T10:00:00Z"},{"t":2}]', 'json/key/d1/attrs')).toEqual({
      kind: 'measures',
      groups: [{ timestamp: '2026-12-07T10:00:00Z', pairs: [['t', '1']] }, { pairs: [['t', '2']] }]
    })
    // The shared topic shape, as the JSON agent reads it.
    expect(decodeJsonPayload('{"s":"open"}', '/key/d1/attrs')).toEqual({ kind: 'measures', groups: [{ pairs: [['s', 'open']] }] })
  })

  it('a single attribute is the whole payload, JSON or not', () => {
    expect(decodeJsonPayload('23', '/json/key/d1/attrs/temperature')).toEqual({ kind: 'measures', groups: [{ pairs: [['temperature', '23']] }] })
    expect(decodeJsonPayload('not json', '/json/key/d1/attrs/label')).toEqual({ kind: 'measures', groups: [{ pairs: [['label', 'not json']] }] })
  })

  it('commands and their results name the device of the topic', () => {
    expect(decodeJsonPayload('{"interval":"15"}', '/json/key/device001/cmd')).toEqual({ kind: 'command', device: 'device001', command: 'interval', value: '15' })
    expect(decodeJsonPayload('{"ring":{"times":2}}', '/json/key/bell/cmd')).toEqual({ kind: 'command', device: 'bell', command: 'ring', value: '{"times":2}' })
    expect(decodeJsonPayload('{"interval":"Interval changed"}', '/json/key/device001/cmdexe')).toEqual({
      kind: 'commandResult',
      device: 'device001',
      command: 'interval',
      result: 'Interval changed'
    })
  })

  it('configuration requests and the agent’s values, with dt as the stamp', () => {
    expect(decodeJsonPayload('{"type":"configuration","fields":["sleepTime","warningLevel"]}', '/json/key/d1/configuration/commands')).toEqual({
      kind: 'configurationRequest',
      type: 'configuration',
      attributes: ['sleepTime', 'warningLevel']
    })
    expect(decodeJsonPayload('{"sleepTime":"200","dt":"20190626T154200Z"}', '/key/d1/configuration/values')).toEqual({
      kind: 'configurationValues',
      device: 'd1',
      values: [['sleepTime', '200']],
      stamp: '20190626T154200Z'
    })
  })

  it('shows nothing decoded for what the agent could not read either', () => {
    for (const [payload, topic] of [
      ['{', '/json/key/d1/attrs'],
      ['[1,2]', '/json/key/d1/attrs'],
      ['[]', '/json/key/d1/attrs'],
      ['"text"', '/json/key/d1/cmd'],
      ['{}', '/json/key/d1/cmdexe'],
      ['{"a":1}', '/json/key'],
      ['', '/json/key/d1/attrs'],
      ['{"fields":[]}', '/json/key/d1/configuration/commands']
    ]) {
      expect(decodeJsonPayload(payload!, topic!), `${payload} on ${topic}`).toEqual({ kind: 'none' })
    }
  })
})
