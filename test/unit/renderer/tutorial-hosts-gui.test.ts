/**
 * The GUI's side of the tutorials' host names (docs/compatibility/tutorial-services.md): the
 * settings form's ports of the series' components and the routing checkbox, and the trace's
 * sentences for a request that went to a built-in service.
 */
import { describe, expect, it } from 'vitest'
import type { HopDto } from '../../../shared/contract'
import { allMessages } from '../../../renderer/src/i18n/messages/index'
import type { MessageKey } from '../../../renderer/src/i18n'
import { buildPatch, modelFrom, PORT_FIELDS, validateSettings } from '../../../renderer/src/services/settings-form'
import { hopSentence, hopState } from '../../../renderer/src/views/trace/hop-text'

const fill = (lang: 'en' | 'pt-BR') => (key: MessageKey, params: Record<string, unknown> = {}): string =>
  allMessages[key][lang].replace(/\{(\w+)\}/g, (_, p: string) => String(params[p]))

describe('the settings form: ports of the series and tutorial host names', () => {
  it('shows the defaults of settings.json without them, and the routing on', () => {
    const m = modelFrom({})
    expect(m).toMatchObject({ portJsonNorth: 4041, portSouth: 7896, portContextProvider: 5000, portDevices: 3001, portCygnus: 5050, portCygnusApi: 5080, portSth: 8666, tutorialHosts: true })
    expect(modelFrom({ tutorialHosts: false, ports: { contextProvider: 5001 } })).toMatchObject({ tutorialHosts: false, portContextProvider: 5001 })
  })

  it('sends the changed ports and the checkbox, never a fixed one', () => {
    const original = modelFrom({})
    const edited = { ...original, portContextProvider: 5100, portSth: 8667, tutorialHosts: false }
    expect(buildPatch(original, edited, {})).toEqual({ ports: { contextProvider: 5100, sth: 8667 }, tutorialHosts: false })
    expect(buildPatch(original, edited, { tutorialHosts: 'flag', 'ports.sth': 'env' })).toEqual({ ports: { contextProvider: 5100 } })
  })

  it('checks every port field', () => {
    const m = modelFrom({})
    for (const { key } of PORT_FIELDS) expect(validateSettings({ ...m, [key]: 65536 }), key).toEqual({ [key]: 'settings.problem.port' })
  })
})

describe('trace sentences of requests sent to a built-in service', () => {
  const notification: HopDto = {
    at: 4,
    step: 'notification',
    subscriptionId: 's1',
    url: 'http://cygnus:5050/notify',
    status: 200,
    routed: { host: 'cygnus', service: 'cygnus', url: 'http://127.0.0.1:5050/notify' }
  }
  const forwarded: HopDto = {
    at: 2,
    step: 'forwarded',
    request: { method: 'POST', url: 'http://context-provider:5000//op/update', headers: {} },
    status: 404,
    latencyMs: 3.4,
    routed: { host: 'context-provider', service: 'contextProvider', url: 'http://127.0.0.1:5000//op/update' }
  }

  it('says which name did not resolve and which built-in service got the request', () => {
    expect(hopSentence(notification, fill('en'))).toBe(
      'Notification of subscription s1 to http://cygnus:5050/notify → 200: cygnus does not resolve on this computer, so it went to the built-in Cygnus notification sink (http://127.0.0.1:5050/notify).'
    )
    expect(hopSentence(notification, fill('pt-BR'))).toBe(
      'Notificação da assinatura s1 para http://cygnus:5050/notify → 200: cygnus não resolve neste computador, então ela foi para o serviço embutido: receptor de notificações do Cygnus (http://127.0.0.1:5050/notify).'
    )
    expect(hopSentence(forwarded, fill('en'))).toBe(
      'The context broker forwarded the update: POST http://context-provider:5000//op/update → 404 in 3 ms. context-provider does not resolve on this computer, so it went to the built-in context provider (http://127.0.0.1:5000//op/update).'
    )
    expect(hopState(notification)).toBe('ok')
  })
})
