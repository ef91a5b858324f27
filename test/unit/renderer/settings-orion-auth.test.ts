/**
 * The external Orion's authentication on the settings page: the change it saves (secrets only when
 * typed, `none` removes it), what "Test connection" sends, and the failures in words.
 */
import { describe, expect, it } from 'vitest'
import type { MessageKey } from '../../../renderer/src/i18n'
import { allMessages } from '../../../renderer/src/i18n/messages/index'
import { buildPatch, contextBrokerTestArgs, modelFrom, validateSettings } from '../../../renderer/src/services/settings-form'
import { connectionTestText } from '../../../renderer/src/views/settings/connection-test-text'

const tr =
  (locale: 'en' | 'pt-BR') =>
  (key: MessageKey, params: Record<string, unknown> = {}): string =>
    allMessages[key][locale].replace(/\{(\w+)\}/g, (_, p: string) => String(params[p]))

const saved = modelFrom({ contextBroker: { mode: 'external', url: 'http://orion:1026', auth: { type: 'keystone', url: 'http://keystone:5000', user: 'iota' } } })

describe('Orion authentication settings', () => {
  it('reads the saved authentication without any secret, and saves only what changed', () => {
    expect(saved).toMatchObject({ cbAuthType: 'keystone', cbAuthUrl: 'http://keystone:5000', cbAuthUser: 'iota', cbAuthPassword: '', cbAuthTrust: '' })
    // An empty password keeps the saved one: nothing to save.
    expect(buildPatch(saved, { ...saved }, {})).toEqual({})
    expect(buildPatch(saved, { ...saved, cbAuthPassword: 'n3w' }, {})).toEqual({ contextBroker: { auth: { password: 'n3w' } } })
    expect(buildPatch(saved, { ...saved, cbAuthType: 'none' }, {})).toEqual({ contextBroker: { auth: null } })
    expect(buildPatch(saved, { ...saved, cbAuthType: 'token', cbAuthToken: 'tok' }, {})).toEqual({ contextBroker: { auth: { type: 'token', token: 'tok' } } })
    expect(buildPatch(saved, { ...saved, cbCaFile: '/ca.pem', cbAuthUser: '' }, {})).toEqual({ contextBroker: { caFile: '/ca.pem', auth: { user: null } } })
    // A value fixed by a variable is never sent.
    expect(buildPatch(saved, { ...saved, cbAuthPassword: 'n3w' }, { 'contextBroker.auth.password': 'env' })).toEqual({})
  })

  it('asks for the token service address and a valid header name', () => {
    expect(validateSettings({ ...saved, cbAuthUrl: '' })).toMatchObject({ cbAuthUrl: 'settings.problem.cbAuthUrl' })
    expect(validateSettings({ ...saved, cbAuthHeader: 'X Auth' })).toMatchObject({ cbAuthHeader: 'settings.problem.cbAuthHeader' })
    expect(validateSettings({ ...saved, cbAuthHeader: 'Authorization' })).not.toHaveProperty('cbAuthHeader')
  })

  it('tests the values as typed; an empty secret is left for the engine to fill in with the saved one', () => {
    expect(contextBrokerTestArgs({ ...saved, cbCaFile: ' /ca.pem ' })).toEqual({
      target: 'contextBroker',
      url: 'http://orion:1026',
      caFile: '/ca.pem',
      auth: { type: 'keystone', url: 'http://keystone:5000', user: 'iota' }
    })
    expect(contextBrokerTestArgs({ ...saved, cbAuthType: 'none' })).toEqual({ target: 'contextBroker', url: 'http://orion:1026' })
  })

  it('says in words who refused what', () => {
    const r = { target: 'contextBroker' as const, ok: false, status: 401 }
    expect(connectionTestText({ ...r, reason: 'auth-failed' }, tr('pt-BR'))).toMatch(/^O Orion \(ou o proxy PEP na frente dele\) recusou o token/)
    expect(connectionTestText({ ...r, reason: 'credentials-refused' }, tr('en'))).toMatch(/token service refused the credentials/)
    expect(connectionTestText({ ...r, reason: 'token-service' }, tr('pt-BR'))).toMatch(/serviço de tokens/)
  })
})
