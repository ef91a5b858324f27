/**
 * The trace view's pure parts: a sentence and an outcome per hop, the raw frame, and the shell
 * commands that replay a trace.
 */
import { describe, expect, it } from 'vitest'
import type { HopDto, TraceDto } from '../../../shared/contract'
import { allMessages } from '../../../renderer/src/i18n/messages/index'
import type { MessageKey } from '../../../renderer/src/i18n'
import { hopSentence, hopState, rawFrame } from '../../../renderer/src/views/trace/hop-text'
import { curlFromFrame, mosquittoPub, replayCommands } from '../../../renderer/src/views/trace/reproduce'

/** The pt-BR text with its parameters filled in, as vue-i18n does for these plain messages. */
const tPt = (key: MessageKey, params: Record<string, unknown> = {}): string =>
  allMessages[key]['pt-BR'].replace(/\{(\w+)\}/g, (_, p: string) => String(params[p]))

const received: HopDto = { at: 0, step: 'received', topic: 'ul/k/device001/attrs', clientId: 'c1', qos: 0, bytes: 14, payload: "t|21|n|it's", truncated: false }
const external: HopDto = {
  at: 3.2,
  step: 'context-update',
  mode: 'external',
  request: { method: 'POST', url: 'http://orion:1026/v2/op/update', headers: { 'fiware-service': 'openiot', 'content-length': '40' }, body: '{"actionType":"append"}', status: 204 },
  batch: 1,
  status: 204,
  latencyMs: 12.4,
  retries: 0
}

describe('trace view', () => {
  it('tells each hop in words, with its outcome', () => {
    expect(hopSentence(received, tPt)).toBe('O broker recebeu a mensagem em ul/k/device001/attrs (QoS 0, 14 bytes) do cliente c1.')
    expect(hopSentence({ at: 1, step: 'resolved', outcome: 'provisioned', entityId: 'urn:x', entityType: 'Device' }, tPt, 'device001')).toBe(
      'O agente encontrou o dispositivo device001 (provisionado), entidade urn:x.'
    )
    expect(hopSentence(external, tPt)).toBe('Atualização enviada ao Orion: POST http://orion:1026/v2/op/update → 204 em 12 ms.')
    expect(hopState(external)).toBe('ok')
    expect(hopState({ ...external, status: 500 })).toBe('fail')
    expect(hopState({ at: 2, step: 'pending', entityId: 'urn:x', command: 'switch' })).toBe('waiting')
    expect(hopState({ at: 3, step: 'result', status: 'EXPIRED', command: 'switch' })).toBe('fail')
  })

  it('says when the built-in receiver got a notification, and why', () => {
    const hop: HopDto = { at: 4, step: 'notification', subscriptionId: 's1', url: 'http://context-provider:5000/priceChange', status: 200, receiver: 'built-in', host: 'context-provider' }
    expect(hopSentence(hop, tPt)).toBe(
      'Notificação da assinatura s1 para http://context-provider:5000/priceChange → 200: quem a recebeu foi o receptor embutido, porque context-provider não resolve neste computador.'
    )
    expect(hopState(hop)).toBe('ok')
    const sent: HopDto = { at: 4, step: 'notification', subscriptionId: 's1', url: 'http://h:1/', error: 'Could not resolve host name' }
    expect(hopSentence(sent, tPt)).toBe('Notificação da assinatura s1 enviada a http://h:1/ → Could not resolve host name.')
  })

  it('shows the raw frame: the MQTT payload, or the HTTP exchange with its status', () => {
    expect(rawFrame(received)).toBe("ul/k/device001/attrs\n\nt|21|n|it's")
    expect(rawFrame(external)).toBe('POST http://orion:1026/v2/op/update\nfiware-service: openiot\ncontent-length: 40\n\n{"actionType":"append"}\n\n→ 204')
    expect(rawFrame({ at: 0, step: 'parsed', apikey: 'k', deviceId: 'd', kind: 'attrs' })).toBeUndefined()
  })

  it('replays a measure with mosquitto_pub and an NGSI request with curl', () => {
    expect(mosquittoPub('mqtt://127.0.0.1:1884', 'ul/k/d/attrs', "it's", 1)).toBe(`mosquitto_pub -h 127.0.0.1 -p 1884 -q 1 -t ul/k/d/attrs -m 'it'\\''s'`)
    expect(curlFromFrame({ method: 'PATCH', url: '/v2/entities/urn:x/attrs?type=Device', headers: { host: 'x', 'fiware-service': 'openiot' }, body: '{"switch":{}}' }, 'http://localhost:1026/')).toBe(
      "curl -iX PATCH 'http://localhost:1026/v2/entities/urn:x/attrs?type=Device' \\\n  -H 'fiware-service: openiot' \\\n  -d '{\"switch\":{}}'"
    )
    const trace: TraceDto = { id: 1, kind: 'measure', startedAt: 0, hops: [received, { at: 1, step: 'parsed', apikey: 'k', deviceId: 'd', kind: 'attrs' }, external] }
    const cmds = replayCommands(trace, { mqttUrl: 'mqtt://localhost:1883', ngsiUrl: 'http://localhost:1026' })
    expect(cmds).toHaveLength(2)
    expect(cmds[0]).toMatch(/^mosquitto_pub -h localhost -p 1883 -q 0 -t ul\/k\/device001\/attrs/)
    expect(cmds[1]).toMatch(/^curl -iX POST http:\/\/orion:1026\/v2\/op\/update/)
  })
})
