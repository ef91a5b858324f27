/**
 * The Settings view's model: the engine's settings (settings.json shape) flattened to the fields
 * the view edits, checks in plain words (translation keys), and the partial patch of what changed.
 */
import type { FixedSettings, SettingPath, Settings, SettingsPatch } from '../../../shared/contract'
import { isLoopbackHost } from '../../../shared/loopback'
import { LOG_LEVELS, type LogLevel } from '../../../shared/settings'
import type { MessageKey } from '../i18n'

export interface SettingsModel {
  mqttMode: 'embedded' | 'external'
  mqttUrl: string
  mqttUsername: string
  /** Empty means "unchanged" when a password is already set. */
  mqttPassword: string
  mqttCaFile: string
  mqttRejectUnauthorized: boolean
  cbMode: 'embedded' | 'external'
  cbUrl: string
  hosts: string
  portNgsi: number
  portNorth: number
  portMqtt: number
  portMqttWs: number
  portGui: number
  logLevel: LogLevel
}

/** Model field → the setting it edits (how `fixed` names it). */
export const FIELD_PATHS: Record<keyof SettingsModel, SettingPath> = {
  mqttMode: 'mqtt.mode',
  mqttUrl: 'mqtt.url',
  mqttUsername: 'mqtt.username',
  mqttPassword: 'mqtt.password',
  mqttCaFile: 'mqtt.caFile',
  mqttRejectUnauthorized: 'mqtt.rejectUnauthorized',
  cbMode: 'contextBroker.mode',
  cbUrl: 'contextBroker.url',
  hosts: 'hosts',
  portNgsi: 'ports.ngsi',
  portNorth: 'ports.north',
  portMqtt: 'ports.mqtt',
  portMqttWs: 'ports.mqttWs',
  portGui: 'ports.gui',
  logLevel: 'logLevel'
}

export { LOG_LEVELS }

export function modelFrom(values: Settings): SettingsModel {
  const mqtt = values.mqtt?.mode === 'external' ? values.mqtt : undefined
  const cb = values.contextBroker?.mode === 'external' ? values.contextBroker : undefined
  const ports = values.ports ?? {}
  return {
    mqttMode: mqtt ? 'external' : 'embedded',
    mqttUrl: mqtt?.url ?? '',
    mqttUsername: mqtt?.username ?? '',
    mqttPassword: '',
    mqttCaFile: mqtt?.caFile ?? '',
    mqttRejectUnauthorized: mqtt?.rejectUnauthorized !== false,
    cbMode: cb ? 'external' : 'embedded',
    cbUrl: cb?.url ?? '',
    hosts: (values.hosts ?? ['127.0.0.1', '::1']).join(', '),
    portNgsi: ports.ngsi ?? 1026,
    portNorth: ports.north ?? 4042,
    portMqtt: ports.mqtt ?? 1883,
    portMqttWs: ports.mqttWs ?? 9001,
    portGui: ports.gui ?? 8042,
    logLevel: values.logLevel ?? 'INFO'
  }
}

export function hostList(hosts: string): string[] {
  return hosts
    .split(/[\s,]+/)
    .map((h) => h.trim())
    .filter(Boolean)
}

export function exposedHosts(hosts: string): string[] {
  return hostList(hosts).filter((h) => !isLoopbackHost(h))
}

export type SettingsProblems = Partial<Record<keyof SettingsModel, MessageKey>>

export function validateSettings(m: SettingsModel): SettingsProblems {
  const out: SettingsProblems = {}
  if (m.mqttMode === 'external') {
    if (!/^(mqtts?|wss?|tcp|tls):\/\/[^\s/]+/.test(m.mqttUrl.trim())) out.mqttUrl = 'settings.problem.mqttUrl'
  }
  if (m.cbMode === 'external' && !/^https?:\/\/[^\s/]+/.test(m.cbUrl.trim())) out.cbUrl = 'settings.problem.cbUrl'
  if (!hostList(m.hosts).length) out.hosts = 'settings.problem.hosts'
  for (const k of ['portNgsi', 'portNorth', 'portMqtt', 'portMqttWs', 'portGui'] as const) {
    const p = m[k]
    if (!Number.isInteger(p) || p < 0 || p > 65535) out[k] = 'settings.problem.port'
  }
  return out
}

/** The changed fields as a settings patch; fixed settings are never included. */
export function buildPatch(original: SettingsModel, edited: SettingsModel, fixed: FixedSettings): SettingsPatch {
  const changed = (k: keyof SettingsModel): boolean => fixed[FIELD_PATHS[k]] === undefined && original[k] !== edited[k]
  const text = (k: 'mqttUrl' | 'mqttUsername' | 'mqttCaFile' | 'cbUrl'): string => edited[k].trim()
  const patch: SettingsPatch = {}

  const mqtt: NonNullable<SettingsPatch['mqtt']> = {}
  if (changed('mqttMode')) mqtt.mode = edited.mqttMode
  if (changed('mqttUrl')) mqtt.url = text('mqttUrl')
  if (changed('mqttUsername')) mqtt.username = text('mqttUsername')
  // An empty password means "unchanged".
  if (fixed['mqtt.password'] === undefined && edited.mqttPassword !== '') mqtt.password = edited.mqttPassword
  if (changed('mqttCaFile')) mqtt.caFile = text('mqttCaFile')
  if (changed('mqttRejectUnauthorized')) mqtt.rejectUnauthorized = edited.mqttRejectUnauthorized
  // An external broker needs its URL in the same change.
  if (mqtt.mode === 'external' && mqtt.url === undefined) mqtt.url = text('mqttUrl')
  if (Object.keys(mqtt).length) patch.mqtt = mqtt

  const cb: NonNullable<SettingsPatch['contextBroker']> = {}
  if (changed('cbMode')) cb.mode = edited.cbMode
  if (changed('cbUrl')) cb.url = text('cbUrl')
  if (cb.mode === 'external' && cb.url === undefined) cb.url = text('cbUrl')
  if (Object.keys(cb).length) patch.contextBroker = cb

  if (fixed.hosts === undefined && hostList(original.hosts).join(',') !== hostList(edited.hosts).join(',')) patch.hosts = hostList(edited.hosts)

  const ports: NonNullable<SettingsPatch['ports']> = {}
  if (changed('portNgsi')) ports.ngsi = edited.portNgsi
  if (changed('portNorth')) ports.north = edited.portNorth
  if (changed('portMqtt')) ports.mqtt = edited.portMqtt
  if (changed('portMqttWs')) ports.mqttWs = edited.portMqttWs
  if (changed('portGui')) ports.gui = edited.portGui
  if (Object.keys(ports).length) patch.ports = ports

  if (changed('logLevel')) patch.logLevel = edited.logLevel
  return patch
}
