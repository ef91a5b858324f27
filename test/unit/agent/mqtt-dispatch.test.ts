import { describe, expect, it } from 'vitest'
import { routeAgentTopic } from '../../../electron/engine/agent/mqtt-dispatch'

/** The MQTT dispatch between the two agents (docs/compatibility/iot-agent-json.md §3.5). */
describe('routeAgentTopic', () => {
  const jsonKeys = new Set(['jk', 'json'])
  const route = (topic: string): ReturnType<typeof routeAgentTopic> => routeAgentTopic(topic, (k) => jsonKeys.has(k))

  it('sends the ul/ and json/ prefixes to their agent whatever the key', () => {
    expect(route('/ul/jk/d1/attrs')).toEqual({ agent: 'ul', topic: { kind: 'attrs', apikey: 'jk', deviceId: 'd1' } })
    expect(route('ul/k/d1/cmdexe')).toEqual({ agent: 'ul', topic: { kind: 'cmdexe', apikey: 'k', deviceId: 'd1' } })
    expect(route('/json/k/d1/attrs')).toEqual({ agent: 'json', topic: { kind: 'attrs', apikey: 'k', deviceId: 'd1' } })
    expect(route('JSON/k/d1/attrs/t')).toEqual({ agent: 'json', topic: { kind: 'attr', apikey: 'k', deviceId: 'd1', attribute: 't' } })
    expect(route('/json/k/d1/configuration/commands')).toEqual({ agent: 'json', topic: { kind: 'configuration', apikey: 'k', deviceId: 'd1' } })
  })

  it('sends a shared shape to the JSON agent only for its keys', () => {
    expect(route('/jk/d1/attrs')).toEqual({ agent: 'json', topic: { kind: 'attrs', apikey: 'jk', deviceId: 'd1', subscribed: true } })
    expect(route('/other/d1/attrs')).toEqual({ agent: 'ul', topic: { kind: 'attrs', apikey: 'other', deviceId: 'd1' } })
    expect(route('other/d1/attrs/t')).toEqual({ agent: 'ul', topic: { kind: 'attr', apikey: 'other', deviceId: 'd1', attribute: 't' } })
  })

  it('flags the JSON agent\'s topics without leading slash as not subscribed', () => {
    expect(route('jk/d1/attrs')).toEqual({ agent: 'json', topic: { kind: 'attrs', apikey: 'jk', deviceId: 'd1', subscribed: false } })
  })

  it('reads an API key called json or ul when no device topic follows the prefix', () => {
    expect(route('/json/d1/attrs')).toEqual({ agent: 'json', topic: { kind: 'attrs', apikey: 'json', deviceId: 'd1', subscribed: true } })
    expect(route('/ul/d1/attrs')).toEqual({ agent: 'ul', topic: { kind: 'attrs', apikey: 'ul', deviceId: 'd1' } })
    expect(route('/JSON/d1/attrs')?.topic.apikey).toBe('JSON')
  })

  it('ignores topics that are no agent\'s', () => {
    for (const t of ['/jk/d1/cmd', '/jk/d1/configuration/values', '/json/jk/d1/cmd', 'a/b', '/jk//attrs', '/json/jk/d1/attrs/t/x']) expect(route(t), t).toBeNull()
  })
})
