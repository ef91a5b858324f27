import { describe, expect, it } from 'vitest'
import { jsonCommandTopic, jsonConfigurationValuesTopic, parseJsonAgentTopic } from '../../../electron/engine/json'

describe('parseJsonAgentTopic (docs/compatibility/iot-agent-json.md §3.1, §3.2)', () => {
  it.each([
    ['/k1/dev/attrs', { kind: 'attrs', apikey: 'k1', deviceId: 'dev', subscribed: true }],
    ['/json/k1/dev/attrs', { kind: 'attrs', apikey: 'k1', deviceId: 'dev', subscribed: true }],
    ['json/k1/dev/attrs', { kind: 'attrs', apikey: 'k1', deviceId: 'dev', subscribed: true }],
    ['JSON/k1/dev/attrs/temperature', { kind: 'attr', apikey: 'k1', deviceId: 'dev', attribute: 'temperature', subscribed: true }],
    ['/k1/dev/cmdexe', { kind: 'cmdexe', apikey: 'k1', deviceId: 'dev', subscribed: true }],
    ['/json/k1/dev/configuration/commands', { kind: 'configuration', apikey: 'k1', deviceId: 'dev', subscribed: true }],
    // The reference does not subscribe to topics with neither a leading slash nor the json/ prefix.
    ['k1/dev/attrs', { kind: 'attrs', apikey: 'k1', deviceId: 'dev', subscribed: false }],
    // An API key called "json" (deviation: the reference misreads it as the prefix).
    ['/json/dev/attrs', { kind: 'attrs', apikey: 'json', deviceId: 'dev', subscribed: true }]
  ])('%s', (topic, expected) => {
    expect(parseJsonAgentTopic(topic)).toStrictEqual(expected)
  })

  it.each(['/k1/dev/cmd', '/k1/dev/configuration/values', '/k1//attrs', '//dev/attrs', '/k1/dev/attrs/', '/k1/dev', 'a/b/c/d/e/f', ''])(
    '%j is not an agent topic',
    (topic) => {
      expect(parseJsonAgentTopic(topic)).toBeNull()
    }
  )

  it('publishes with the leading slash', () => {
    expect(jsonCommandTopic('k1', 'dev')).toBe('/k1/dev/cmd')
    expect(jsonConfigurationValuesTopic('k1', 'dev')).toBe('/k1/dev/configuration/values')
  })
})
