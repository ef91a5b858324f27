/**
 * Words that tell the two agents and the providers apart: the UltraLight agent's north port says
 * UltraLight beside the JSON agent's, and a forwarded update names the provider it went to (the
 * agent, tutorial 4's context provider, any other registered one).
 */
import { describe, expect, it } from 'vitest'
import type { HopDto } from '../../../shared/contract'
import type { MessageKey } from '../../../renderer/src/i18n'
import { allMessages } from '../../../renderer/src/i18n/messages/index'
import { hopSentence } from '../../../renderer/src/views/trace/hop-text'
import { settingLabel } from '../../../renderer/src/views/settings/setting-labels'

const fill =
  (lang: 'en' | 'pt-BR') =>
  (key: MessageKey, params: Record<string, unknown> = {}): string =>
    allMessages[key][lang].replace(/\{(\w+)\}/g, (_, p: string) => String(params[p]))

describe('the UltraLight agent’s north port, beside the JSON agent’s', () => {
  it('says UltraLight in the port grid and in the pending list, in both languages', () => {
    expect(fill('en')('settings.portNorth')).toBe('IoT Agent UltraLight API')
    expect(fill('pt-BR')('settings.portNorth')).toBe('API do Agente IoT UltraLight')
    expect(settingLabel('ports.north', fill('en'))).toBe('IoT Agent UltraLight API port')
    expect(settingLabel('ports.north', fill('pt-BR'))).toBe('Porta da API do Agente IoT UltraLight')
    expect(settingLabel('ports.jsonNorth', fill('en'))).toContain('JSON')
  })
})

describe('the trace sentence of an update forwarded to a provider', () => {
  const forwarded = (url: string, status?: number): HopDto => ({
    at: 2,
    step: 'forwarded',
    request: { method: 'POST', url, headers: {} },
    ...(status === undefined ? { error: 'ECONNREFUSED' } : { status }),
    latencyMs: 2.6
  })

  it('names the provider’s host, not always “the agent”', () => {
    expect(hopSentence(forwarded('http://context-provider:5000/v2/op/update', 200), fill('en'))).toBe(
      'The context broker forwarded the update to the provider context-provider:5000: POST http://context-provider:5000/v2/op/update → 200 in 3 ms.'
    )
    expect(hopSentence(forwarded('http://127.0.0.1:4042/v2/op/update', 200), fill('pt-BR'))).toBe(
      'O context broker repassou a atualização ao provedor 127.0.0.1:4042: POST http://127.0.0.1:4042/v2/op/update → 200 em 3 ms.'
    )
    expect(hopSentence(forwarded('http://[::1]:4042/v2/op/update'), fill('en'))).toBe(
      'The context broker forwarded the update to the provider [::1]:4042: POST http://[::1]:4042/v2/op/update → ECONNREFUSED in 3 ms.'
    )
  })

  it('names the URL as it is when it cannot be read as one', () => {
    expect(hopSentence(forwarded('not a url', 502), fill('en'))).toBe('The context broker forwarded the update to the provider not a url: POST not a url → 502 in 3 ms.')
  })
})
