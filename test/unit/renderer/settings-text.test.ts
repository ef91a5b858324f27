/**
 * The settings page in words: every reason of "Test connection" and every setting has a text in
 * both languages, and the sentences built from them read as a person would write them.
 */
import { describe, expect, it } from 'vitest'
import type { ConnectionTestReasonDto, ConnectionTestResultDto } from '../../../shared/contract'
import { SETTING_PATHS } from '../../../shared/settings'
import type { MessageKey } from '../../../renderer/src/i18n'
import { LOCALES } from '../../../renderer/src/i18n/define'
import { allMessages } from '../../../renderer/src/i18n/messages/index'
import { connectionTestText, msText, REASON_KEYS } from '../../../renderer/src/views/settings/connection-test-text'
import { pendingText, SETTING_LABELS, settingLabel, settingValueText } from '../../../renderer/src/views/settings/setting-labels'

/** A message with its parameters filled in, as vue-i18n does for these plain messages. */
const tr =
  (locale: 'en' | 'pt-BR') =>
  (key: MessageKey, params: Record<string, unknown> = {}): string =>
    allMessages[key][locale].replace(/\{(\w+)\}/g, (_, p: string) => String(params[p]))
const tPt = tr('pt-BR')
const tEn = tr('en')

const REASONS: ConnectionTestReasonDto[] = [
  'bad-url',
  'file-unreadable',
  'file-invalid',
  'dns',
  'refused',
  'reset',
  'unreachable',
  'timeout',
  'not-tls',
  'tls-untrusted',
  'tls-hostname',
  'tls-expired',
  'tls-client-cert',
  'tls-other',
  'auth',
  'not-authorized',
  'mqtt-refused',
  'not-mqtt',
  'http-status',
  'not-orion',
  'auth-failed',
  'credentials-refused',
  'token-service',
  'auth-incomplete',
  'busy',
  'other'
]

describe('connection test in words', () => {
  it('has a distinct sentence in English and in Portuguese for every reason', () => {
    expect(Object.keys(REASON_KEYS).sort()).toEqual([...REASONS].sort())
    const seen = new Map<string, string>()
    for (const reason of REASONS) {
      for (const target of ['mqtt', 'contextBroker'] as const) {
        const r: ConnectionTestResultDto = { target, ok: false, reason, status: 503, detail: 'x' }
        const en = connectionTestText(r, tEn)
        const pt = connectionTestText(r, tPt)
        expect(en.trim(), `${reason} en`).not.toBe('')
        expect(pt.trim(), `${reason} pt-BR`).not.toBe('')
        expect(pt, `${reason}: translated`).not.toBe(en)
        expect(en).not.toMatch(/\{|\}/)
        if (target === 'mqtt') {
          expect(seen.has(en), `${reason} repeats ${seen.get(en)}`).toBe(false)
          seen.set(en, reason)
        }
      }
    }
  })

  it('tells successes with the latency, the version, and failures by their cause', () => {
    expect(connectionTestText({ target: 'contextBroker', ok: true, latencyMs: 12.4, version: '3.10.1', status: 200 }, tPt)).toBe('Conectado em 12 ms · Orion 3.10.1')
    expect(connectionTestText({ target: 'mqtt', ok: true, latencyMs: 0.4, connack: { returnCode: 0, sessionPresent: false } }, tEn)).toBe(
      'Connected in <1 ms · the broker accepted the connection'
    )
    expect(connectionTestText({ target: 'mqtt', ok: false, reason: 'auth' }, tPt)).toBe('Recusado: usuário ou senha incorretos.')
    expect(connectionTestText({ target: 'mqtt', ok: false, reason: 'refused' }, tPt)).toBe('Recusado: nada escuta nessa porta.')
    // HTTP has no user name and password: a 401 asks for authentication.
    expect(connectionTestText({ target: 'contextBroker', ok: false, reason: 'auth', status: 401 }, tPt)).toBe('Recusado: o servidor exige autenticação (um token).')
    expect(connectionTestText({ target: 'contextBroker', ok: false, reason: 'http-status', status: 503 }, tEn)).toBe('The server answered with an HTTP error (503).')
    expect(msText(undefined)).toBe('?')
    expect(msText(1499.6)).toBe('1500')
  })
})

describe('settings in words', () => {
  it('has a label in both languages for every setting', () => {
    expect(Object.keys(SETTING_LABELS).sort()).toEqual([...SETTING_PATHS].sort())
    for (const path of SETTING_PATHS) {
      for (const locale of LOCALES) expect(allMessages[SETTING_LABELS[path]][locale].trim(), `${path} ${locale}`).not.toBe('')
    }
    expect(settingLabel('iota.providerUrl', tPt)).toBe('Provider URL do agente')
    // A setting of a newer engine is shown by its name.
    expect(settingLabel('iota.something', tPt)).toBe('iota.something')
  })

  it('tells a value saved for the next start, never a password', () => {
    expect(pendingText({ path: 'mqtt.mode', saved: 'external', running: 'embedded' }, tPt)).toBe('Broker MQTT: externo (agora embutido)')
    expect(pendingText({ path: 'mqtt.mode', saved: 'external', running: 'embedded' }, tEn)).toBe('MQTT broker: external (now built in)')
    expect(pendingText({ path: 'iota.providerUrl', saved: 'http://10.0.0.2:4041' }, tPt)).toBe('Provider URL do agente: http://10.0.0.2:4041 (agora não definido)')
    expect(pendingText({ path: 'mqtt.password', secret: true }, tPt)).toBe('Senha do broker: alterada')
    expect(settingValueText('hosts', ['0.0.0.0', '::1'], tEn)).toBe('0.0.0.0, ::1')
    expect(settingValueText('iota.timestamp', false, tPt)).toBe('Não')
    expect(settingValueText('ports.ngsi', 1999, tPt)).toBe('1999')
  })
})
