import { describe, expect, it } from 'vitest'
import { commandTopic, configurationValuesTopic, parseAgentTopic } from '../../../electron/engine/agent/topics'

describe('parseAgentTopic', () => {
  const key = '4jggokgpepnvsb2uv4s40d59ov'
  it.each([
    [`/${key}/device001/attrs`, 'attrs'],
    [`${key}/device001/attrs`, 'attrs'],
    [`/ul/${key}/device001/attrs`, 'attrs'],
    [`ul/${key}/device001/attrs`, 'attrs'],
    [`UL/${key}/device001/attrs`, 'attrs'],
    [`/${key}/device001/cmdexe`, 'cmdexe'],
    [`ul/${key}/device001/cmdexe`, 'cmdexe'],
    [`/${key}/device001/configuration/commands`, 'configuration'],
    [`ul/${key}/device001/configuration/commands`, 'configuration']
  ])('%s is %s', (topic, kind) => {
    expect(parseAgentTopic(topic)).toEqual({ kind, apikey: key, deviceId: 'device001' })
  })

  it('recognises single-attribute topics with every prefix', () => {
    for (const prefix of ['/', '', '/ul/', 'ul/']) {
      expect(parseAgentTopic(`${prefix}${key}/device001/attrs/temperature`)).toEqual({ kind: 'attr', apikey: key, deviceId: 'device001', attribute: 'temperature' })
    }
  })

  it.each([
    `/${key}/device001/cmd`,
    `/${key}/device001/configuration/values`,
    `/${key}/device001`,
    `/${key}/device001/attrs/a/b`,
    `/${key}/device001/attrs/`,
    `//device001/attrs`,
    `/${key}//attrs`,
    'sensors/kitchen/temperature',
    '$SYS/broker/uptime',
    ''
  ])('%s is not an agent topic', (topic) => {
    expect(parseAgentTopic(topic)).toBeNull()
  })

  it('takes a first segment "ul" as the apikey when the rest does not fit the prefixed form', () => {
    // `ul/d1/attrs`: without the prefix reading, apikey "ul", device "d1".
    expect(parseAgentTopic('ul/d1/attrs')).toEqual({ kind: 'attrs', apikey: 'ul', deviceId: 'd1' })
  })

  it('builds the agent publication topics with the leading slash', () => {
    expect(commandTopic(key, 'device001')).toBe(`/${key}/device001/cmd`)
    expect(configurationValuesTopic(key, 'd')).toBe(`/${key}/d/configuration/values`)
  })
})
