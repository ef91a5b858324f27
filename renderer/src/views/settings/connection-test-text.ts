/** The outcome of "Test connection" in words: a sentence from the reason code, the raw cause apart. */
import type { ConnectionTestReasonDto, ConnectionTestResultDto } from '../../../../shared/contract'
import { k, type MessageKey } from '../../i18n'

type T = (key: MessageKey, params?: Record<string, unknown>) => string

export const REASON_KEYS: Record<ConnectionTestReasonDto, MessageKey> = {
  'bad-url': k('settings.test.reason.badUrl'),
  'file-unreadable': k('settings.test.reason.fileUnreadable'),
  'file-invalid': k('settings.test.reason.fileInvalid'),
  dns: k('settings.test.reason.dns'),
  refused: k('settings.test.reason.refused'),
  reset: k('settings.test.reason.reset'),
  unreachable: k('settings.test.reason.unreachable'),
  timeout: k('settings.test.reason.timeout'),
  'not-tls': k('settings.test.reason.notTls'),
  'tls-untrusted': k('settings.test.reason.tlsUntrusted'),
  'tls-hostname': k('settings.test.reason.tlsHostname'),
  'tls-expired': k('settings.test.reason.tlsExpired'),
  'tls-client-cert': k('settings.test.reason.tlsClientCert'),
  'tls-other': k('settings.test.reason.tlsOther'),
  auth: k('settings.test.reason.auth'),
  'not-authorized': k('settings.test.reason.notAuthorized'),
  'mqtt-refused': k('settings.test.reason.mqttRefused'),
  'not-mqtt': k('settings.test.reason.notMqtt'),
  'http-status': k('settings.test.reason.httpStatus'),
  'not-orion': k('settings.test.reason.notOrion'),
  'auth-failed': k('settings.test.reason.authFailed'),
  'credentials-refused': k('settings.test.reason.credentialsRefused'),
  'token-service': k('settings.test.reason.tokenService'),
  'auth-incomplete': k('settings.test.reason.authIncomplete'),
  busy: k('settings.test.reason.busy'),
  other: k('settings.test.reason.other')
}

/** HTTP says "authentication" where MQTT says "user name or password". */
const HTTP_KEYS: Partial<Record<ConnectionTestReasonDto, MessageKey>> = {
  auth: k('settings.test.reason.authHttp'),
  'not-authorized': k('settings.test.reason.forbidden')
}

/** Milliseconds as a person reads them: whole, and "<1" below one. */
export function msText(ms: number | undefined): string {
  if (ms === undefined) return '?'
  return ms < 1 ? '<1' : String(Math.round(ms))
}

/** The main sentence of a test result. */
export function connectionTestText(r: ConnectionTestResultDto, t: T): string {
  if (r.ok) return r.target === 'contextBroker' ? t('settings.test.okOrion', { ms: msText(r.latencyMs), version: r.version ?? '?' }) : t('settings.test.okMqtt', { ms: msText(r.latencyMs) })
  const reason = r.reason ?? 'other'
  const key = (r.target === 'contextBroker' ? HTTP_KEYS[reason] : undefined) ?? REASON_KEYS[reason] ?? REASON_KEYS.other
  return t(key, { status: r.status ?? '?' })
}
