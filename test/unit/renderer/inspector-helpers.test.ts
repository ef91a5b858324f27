import { describe, expect, it } from 'vitest'
import type { InspectorMessageDto } from '../../../shared/contract'
import { messagePredicate, mqttMatch, type LogFilter } from '../../../renderer/src/services/message-filter'
import { buildTree, flattenTree, subtreeFilter } from '../../../renderer/src/services/topic-tree'
import { decodeUl } from '../../../renderer/src/services/ultralight'
import { inspectorMessage } from './inspector-message'

type Filter = LogFilter

const msg = (topic: string, agent: InspectorMessageDto['agent'] = null): InspectorMessageDto => inspectorMessage({ topic, agent })

describe('MQTT filters', () => {
  it('match + and # as a broker does', () => {
    expect(mqttMatch('ul/+/device001/attrs', 'ul/k/device001/attrs')).toBe(true)
    expect(mqttMatch('ul/#', 'ul/k/device001/attrs')).toBe(true)
    expect(mqttMatch('ul/#', 'ul')).toBe(true)
    expect(mqttMatch('ul/+', 'ul/k/x')).toBe(false)
    expect(mqttMatch('/+/device001/cmd', '/k/device001/cmd')).toBe(true)
  })

  it('filter the log by topic (substring or wildcard), device and errors', () => {
    const ok = msg('ul/k/device001/attrs', { kind: 'attrs', deviceId: 'device001', attributes: ['temperature'] })
    const bad = msg('ul/x/device002/attrs', { kind: 'attrs', deviceId: 'device002', error: 'NO_GROUP' })
    const other = msg('sensors/room1')
    const pick = (f: Omit<Filter, 'text'>): string[] => [ok, bad, other].filter(messagePredicate({ text: '', ...f })).map((m) => m.topic)
    expect(pick({ topic: 'DEVICE00', device: '', errorsOnly: false })).toEqual([ok.topic, bad.topic])
    expect(pick({ topic: 'ul/+/+/attrs', device: '', errorsOnly: false })).toEqual([ok.topic, bad.topic])
    expect(pick({ topic: '', device: 'device001', errorsOnly: false })).toEqual([ok.topic])
    expect(pick({ topic: '', device: '', errorsOnly: true })).toEqual([bad.topic])
  })
})

describe('the topic tree', () => {
  const stats = [
    { topic: 'ul/k/device001/attrs', count: 5, bytes: 50, lastTime: 2, rate: 1, errors: 0 },
    { topic: 'ul/k/device002/attrs', count: 2, bytes: 20, lastTime: 3, rate: 0, errors: 1 },
    { topic: '/k/device001/cmd', count: 1, bytes: 10, lastTime: 1, rate: 0, errors: 0 }
  ]

  it('sums counts, rates and errors up the branches', () => {
    const root = buildTree(stats)
    expect(root.count).toBe(8)
    const ul = root.children.get('ul')!
    expect([ul.count, ul.rate, ul.errors]).toEqual([7, 1, 1])
    expect(root.children.get('')!.children.get('k')!.count).toBe(1)
  })

  it('flattens only the open branches, and gives the filter of a node', () => {
    const root = buildTree(stats)
    expect(flattenTree(root, new Set()).map((r) => r.node.path)).toEqual(['', 'ul'])
    const rows = flattenTree(root, new Set(['ul', 'ul/k']))
    expect(rows.map((r) => [r.node.path, r.depth])).toEqual([
      ['', 0],
      ['ul', 0],
      ['ul/k', 1],
      ['ul/k/device001', 2],
      ['ul/k/device002', 2]
    ])
    expect(subtreeFilter(rows[2]!.node)).toBe('ul/k/#')
    const leaf = root.children.get('ul')!.children.get('k')!.children.get('device001')!.children.get('attrs')!
    expect(subtreeFilter(leaf)).toBe('ul/k/device001/attrs')
  })
})

describe('UltraLight decoding for display', () => {
  it('reads measures, several groups and a leading timestamp', () => {
    expect(decodeUl('t|21|rh|40', 'ul/k/d/attrs')).toEqual({ kind: 'measures', groups: [{ timestamp: undefined, pairs: [['t', '21'], ['rh', '40']] }] })
    expect(decodeUl('2024-05-01T10:00:00Z|t|1#t|2\n', 'x')).toEqual({
      kind: 'measures',
      groups: [
        { timestamp: '2024-05-01T10:00:00Z', pairs: [['t', '1']] },
        { timestamp: undefined, pairs: [['t', '2']] }
      ]
    })
  })

  it('reads commands and their answers', () => {
    expect(decodeUl('device001@switch|1', '/k/device001/cmd')).toEqual({ kind: 'command', device: 'device001', command: 'switch', value: '1' })
    expect(decodeUl('device001@interval|Interval set to 2 seconds', '/ul/k/device001/cmdexe')).toMatchObject({ kind: 'commandResult', command: 'interval', result: 'Interval set to 2 seconds' })
  })

  it('reads configuration requests and the configuration values the agent answers with, not as commands', () => {
    expect(decodeUl('device_1@configuration|pollingInterval=200|url=http://x/?a=b|dt=20190626T154200Z', '/k/device_1/configuration/values')).toEqual({
      kind: 'configurationValues',
      device: 'device_1',
      values: [
        ['pollingInterval', '200'],
        ['url', 'http://x/?a=b']
      ],
      stamp: '20190626T154200Z'
    })
    expect(decodeUl('configuration|pollingInterval|url', '/ul/k/device_1/configuration/commands')).toEqual({ kind: 'configurationRequest', type: 'configuration', attributes: ['pollingInterval', 'url'] })
    expect(decodeUl('subscription|a', 'ul/k/d/configuration/commands')).toMatchObject({ kind: 'configurationRequest', type: 'subscription' })
    expect(decodeUl('no-at-sign|a=1', '/k/d/configuration/values').kind).toBe('none')
  })

  it('leaves JSON and empty payloads alone', () => {
    expect(decodeUl('{"t":1}', 'x').kind).toBe('none')
    expect(decodeUl('', 'x').kind).toBe('none')
  })
})
