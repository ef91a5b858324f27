import { describe, expect, it } from 'vitest'
import type { InspectorMessageDto } from '../../../shared/contract'
import { allMessages } from '../../../renderer/src/i18n/messages/index'
import { badgeKeys, badgesOf, hopKey, hopOf, mappedAttributes, sourceLongKey, sourceOf, verdictKey, verdictOf } from '../../../renderer/src/services/message-origin'
import { decodeUl } from '../../../renderer/src/services/ultralight'
import { inspectorMessage } from './inspector-message'

const msg = (over: Partial<InspectorMessageDto>): InspectorMessageDto => inspectorMessage(over)
const en = (key: string): string => (allMessages as Record<string, { en: string }>)[key]!.en

describe('who published a message, in words', () => {
  it("the agent's command on /cmd is the agent's publication, never an ignored message", () => {
    const cmd = msg({ topic: '/k/device001/cmd', origin: 'engine', source: 'agent-command', hop: 'agent→device', verdict: 'published-by-agent' })
    expect(en(verdictKey(cmd))).toMatch(/^Published by the IoT Agent: a command/)
    expect(verdictKey(cmd)).not.toBe('ins.notAgentTopic')
    expect(en(hopKey(cmd))).toBe('IoT Agent → device')
    expect(en(sourceLongKey(cmd))).toContain('command')
    const values = msg({ topic: '/k/device001/configuration/values', origin: 'engine', source: 'agent-configuration', hop: 'agent→device', verdict: 'published-by-agent' })
    expect(en(verdictKey(values))).toMatch(/configuration values/)
  })

  it('accepted messages are told apart by what they were: measure, command result, configuration request', () => {
    const accepted = (kind: string): string => en(verdictKey(msg({ verdict: 'accepted', source: 'device', agent: { kind, deviceId: 'd' } })))
    expect(accepted('attrs')).toBe('Accepted as a measure.')
    expect(accepted('cmdexe')).toBe('Accepted as a command result.')
    expect(accepted('configuration')).toBe('Accepted as a configuration request.')
  })

  it('a rejected message maps no attribute; an accepted one maps what the agent wrote', () => {
    const rejected = msg({ verdict: 'rejected', agent: { kind: 'attrs', deviceId: 'd', error: 'PARSE_ERROR', attributes: ['temperature'] } })
    expect(mappedAttributes(rejected)).toEqual([])
    expect(en(verdictKey(rejected))).toBe('Rejected by the IoT Agent.')
    const ok = msg({ verdict: 'accepted', agent: { kind: 'attrs', deviceId: 'd', attributes: ['temperature'] } })
    expect(mappedAttributes(ok)).toEqual(['temperature'])
  })

  it("without the engine's words, falls back on the transport origin and the outcome", () => {
    expect(sourceOf(msg({ origin: 'client', agent: { kind: 'attrs', deviceId: 'd' } }))).toBe('device')
    expect(sourceOf(msg({ origin: 'client' }))).toBe('external-client')
    expect(hopOf(msg({ origin: 'engine' }))).toBe('engine→broker')
    expect(verdictOf(msg({ agent: { kind: 'attrs', deviceId: 'd', error: 'NO_GROUP' } }))).toBe('rejected')
    expect(badgesOf(msg({ agent: { kind: 'attrs', deviceId: 'd', error: 'NO_GROUP' } }))).toEqual(['unprovisioned'])
  })

  it('badges have a text label and an explanation in both languages', () => {
    for (const b of ['autoprovisioned', 'unprovisioned', 'json'] as const) {
      const { label, hint } = badgeKeys(b)
      for (const key of [label, hint]) {
        const tr = (allMessages as Record<string, Record<string, string>>)[key]!
        expect(tr.en!.length).toBeGreaterThan(0)
        expect(tr['pt-BR']!.length).toBeGreaterThan(0)
      }
    }
  })
})

describe('UltraLight decoding of a cmdexe payload', () => {
  it('is a command result: device, command and result (the second field)', () => {
    expect(decodeUl('device001@switch|switched on', '/ul/k/device001/cmdexe')).toEqual({ kind: 'commandResult', device: 'device001', command: 'switch', result: 'switched on' })
    expect(decodeUl('device001@ping|ok|extra', 'k/device001/cmdexe')).toEqual({ kind: 'commandResult', device: 'device001', command: 'ping', result: 'ok' })
    expect(decodeUl('device001@ping', '/k/device001/cmdexe')).toEqual({ kind: 'commandResult', device: 'device001', command: 'ping', result: undefined })
    expect(decodeUl('no at sign|x', '/k/device001/cmdexe')).toEqual({ kind: 'none' })
  })

  it('a command on /cmd stays a command', () => {
    expect(decodeUl('device001@switch|on', '/k/device001/cmd')).toEqual({ kind: 'command', device: 'device001', command: 'switch', value: 'on' })
  })
})
