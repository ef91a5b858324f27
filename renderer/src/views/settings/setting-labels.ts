/**
 * Settings in words: a translated label for every setting (a new setting without one fails the
 * type check), and the text of a saved or running value.
 */
import type { PendingSettingDto, SettingPath } from '../../../../shared/contract'
import { k, type MessageKey } from '../../i18n'

type T = (key: MessageKey, params?: Record<string, unknown>) => string

export const SETTING_LABELS: Record<SettingPath, MessageKey> = {
  hosts: k('settings.label.hosts'),
  allowedHosts: k('settings.label.allowedHosts'),
  'cors.origin': k('settings.label.cors.origin'),
  'cors.maxAge': k('settings.label.cors.maxAge'),
  'ports.ngsi': k('settings.label.ports.ngsi'),
  'ports.north': k('settings.label.ports.north'),
  'ports.mqtt': k('settings.label.ports.mqtt'),
  'ports.mqttWs': k('settings.label.ports.mqttWs'),
  'ports.gui': k('settings.label.ports.gui'),
  'ports.south': k('settings.label.ports.south'),
  'ports.jsonNorth': k('settings.label.ports.jsonNorth'),
  'ports.contextProvider': k('settings.label.ports.contextProvider'),
  'ports.devices': k('settings.label.ports.devices'),
  'ports.cygnus': k('settings.label.ports.cygnus'),
  'ports.cygnusApi': k('settings.label.ports.cygnusApi'),
  'ports.sth': k('settings.label.ports.sth'),
  tutorialHosts: k('settings.label.tutorialHosts'),
  'mqtt.mode': k('settings.label.mqtt.mode'),
  'mqtt.url': k('settings.label.mqtt.url'),
  'mqtt.username': k('settings.label.mqtt.username'),
  'mqtt.password': k('settings.label.mqtt.password'),
  'mqtt.caFile': k('settings.label.mqtt.caFile'),
  'mqtt.certFile': k('settings.label.mqtt.certFile'),
  'mqtt.keyFile': k('settings.label.mqtt.keyFile'),
  'mqtt.rejectUnauthorized': k('settings.label.mqtt.rejectUnauthorized'),
  'mqtt.clientId': k('settings.label.mqtt.clientId'),
  'mqtt.keepalive': k('settings.label.mqtt.keepalive'),
  'mqtt.protocolVersion': k('settings.label.mqtt.protocolVersion'),
  'mqtt.passwordFile': k('settings.label.mqtt.passwordFile'),
  'mqtt.aclFile': k('settings.label.mqtt.aclFile'),
  'mqtt.allowAnonymous': k('settings.label.mqtt.allowAnonymous'),
  'mqtt.tlsPort': k('settings.label.mqtt.tlsPort'),
  'mqtt.wssPort': k('settings.label.mqtt.wssPort'),
  'mqtt.tlsCertFile': k('settings.label.mqtt.tlsCertFile'),
  'mqtt.tlsKeyFile': k('settings.label.mqtt.tlsKeyFile'),
  'mqtt.tlsCaFile': k('settings.label.mqtt.tlsCaFile'),
  'mqtt.requireCertificate': k('settings.label.mqtt.requireCertificate'),
  'mqttPublish.qos': k('settings.label.mqttPublish.qos'),
  'mqttPublish.retain': k('settings.label.mqttPublish.retain'),
  'contextBroker.mode': k('settings.label.contextBroker.mode'),
  'contextBroker.url': k('settings.label.contextBroker.url'),
  'contextBroker.queueMaxUpdates': k('settings.label.contextBroker.queueMaxUpdates'),
  'contextBroker.queueMaxBytes': k('settings.label.contextBroker.queueMaxBytes'),
  'contextBroker.timeoutMs': k('settings.label.contextBroker.timeoutMs'),
  'contextBroker.retryMaxMs': k('settings.label.contextBroker.retryMaxMs'),
  'contextBroker.caFile': k('settings.label.contextBroker.caFile'),
  'contextBroker.auth.type': k('settings.label.contextBroker.auth.type'),
  'contextBroker.auth.header': k('settings.label.contextBroker.auth.header'),
  'contextBroker.auth.url': k('settings.label.contextBroker.auth.url'),
  'contextBroker.auth.tokenPath': k('settings.label.contextBroker.auth.tokenPath'),
  'contextBroker.auth.user': k('settings.label.contextBroker.auth.user'),
  'contextBroker.auth.password': k('settings.label.contextBroker.auth.password'),
  'contextBroker.auth.clientId': k('settings.label.contextBroker.auth.clientId'),
  'contextBroker.auth.clientSecret': k('settings.label.contextBroker.auth.clientSecret'),
  'contextBroker.auth.trust': k('settings.label.contextBroker.auth.trust'),
  'contextBroker.auth.permanentToken': k('settings.label.contextBroker.auth.permanentToken'),
  'contextBroker.auth.token': k('settings.label.contextBroker.auth.token'),
  'iota.defaultResource': k('settings.label.iota.defaultResource'),
  'iota.defaultKey': k('settings.label.iota.defaultKey'),
  'iota.defaultType': k('settings.label.iota.defaultType'),
  'iota.defaultTransport': k('settings.label.iota.defaultTransport'),
  'iota.timestamp': k('settings.label.iota.timestamp'),
  'iota.explicitAttrs': k('settings.label.iota.explicitAttrs'),
  'iota.entityNameConjunction': k('settings.label.iota.entityNameConjunction'),
  'iota.providerUrl': k('settings.label.iota.providerUrl'),
  'iota.commandTimeoutMs': k('settings.label.iota.commandTimeoutMs'),
  'iota.bodyLimit': k('settings.label.iota.bodyLimit'),
  'persistence.flushIntervalMs': k('settings.label.persistence.flushIntervalMs'),
  'persistence.commitDelayMs': k('settings.label.persistence.commitDelayMs'),
  'persistence.compactionIntervalMs': k('settings.label.persistence.compactionIntervalMs'),
  'limits.inspectorMessages': k('settings.label.limits.inspectorMessages'),
  'limits.inspectorBytes': k('settings.label.limits.inspectorBytes'),
  'limits.inspectorTopics': k('settings.label.limits.inspectorTopics'),
  'limits.logEntries': k('settings.label.limits.logEntries'),
  'limits.telemetryPoints': k('settings.label.limits.telemetryPoints'),
  'history.retentionDays': k('settings.label.history.retentionDays'),
  'history.maxPoints': k('settings.label.history.maxPoints'),
  logLevel: k('settings.label.logLevel')
}

/** A setting's label; a path this GUI does not know (a newer engine) is shown as it is. */
export function settingLabel(path: string, t: T): string {
  const key = (SETTING_LABELS as Record<string, MessageKey | undefined>)[path]
  return key ? t(key) : path
}

const MODES: Record<string, MessageKey> = { embedded: k('settings.value.embedded'), external: k('settings.value.external') }

/** A value as the settings page shows it: modes and yes/no in words, lists joined, "not set" when absent. */
export function settingValueText(path: string, value: unknown, t: T): string {
  if (value === undefined || value === null || value === '') return t('settings.notSet')
  if (path.endsWith('.mode') && typeof value === 'string' && MODES[value]) return t(MODES[value])
  if (typeof value === 'boolean') return t(value ? 'common.yes' : 'common.no')
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ')
  if (typeof value === 'string') return value
  return JSON.stringify(value)
}

/** One line about a setting saved for the next start. */
export function pendingText(p: PendingSettingDto, t: T): string {
  const setting = settingLabel(p.path, t)
  if (p.secret) return t('settings.pendingSecret', { setting })
  return t('settings.pendingItem', { setting, saved: settingValueText(p.path, p.saved, t), running: settingValueText(p.path, p.running, t) })
}
