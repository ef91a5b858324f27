/**
 * The Settings view's model: the engine's settings (settings.json shape) flattened to the fields
 * the view edits, checks in plain words (translation keys), and the partial patch of what changed.
 */
import type { FixedSettings, RequestArgs, SettingPath, Settings, SettingsPatch } from '../../../shared/contract'
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
  /** Client certificate and key (PEM files) for brokers that ask for one. */
  mqttCertFile: string
  mqttKeyFile: string
  mqttRejectUnauthorized: boolean
  cbMode: 'embedded' | 'external'
  cbUrl: string
  /** The agent's URL for the context broker (commands); empty means this engine's north API. */
  providerUrl: string
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
  mqttCertFile: 'mqtt.certFile',
  mqttKeyFile: 'mqtt.keyFile',
  mqttRejectUnauthorized: 'mqtt.rejectUnauthorized',
  cbMode: 'contextBroker.mode',
  cbUrl: 'contextBroker.url',
  providerUrl: 'iota.providerUrl',
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
    mqttCertFile: mqtt?.certFile ?? '',
    mqttKeyFile: mqtt?.keyFile ?? '',
    mqttRejectUnauthorized: mqtt?.rejectUnauthorized !== false,
    cbMode: cb ? 'external' : 'embedded',
    cbUrl: cb?.url ?? '',
    providerUrl: values.iota?.providerUrl ?? '',
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

/** http(s)://host[:port][/path], without spaces. */
const HTTP_URL = /^https?:\/\/[^\s/?#]+(\/\S*)?$/

export function validateSettings(m: SettingsModel): SettingsProblems {
  const out: SettingsProblems = {}
  if (m.mqttMode === 'external') {
    if (!/^(mqtts?|wss?|tcp|tls):\/\/[^\s/]+/.test(m.mqttUrl.trim())) out.mqttUrl = 'settings.problem.mqttUrl'
  }
  if (m.cbMode === 'external' && !/^https?:\/\/[^\s/]+/.test(m.cbUrl.trim())) out.cbUrl = 'settings.problem.cbUrl'
  if (m.providerUrl.trim() && !HTTP_URL.test(m.providerUrl.trim())) out.providerUrl = 'settings.problem.providerUrl'
  // A key without its certificate (or the reverse) cannot be used.
  if (m.mqttMode === 'external' && !m.mqttCertFile.trim() !== !m.mqttKeyFile.trim()) out[m.mqttCertFile.trim() ? 'mqttKeyFile' : 'mqttCertFile'] = 'settings.problem.certPair'
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
  const text = (k: 'mqttUrl' | 'mqttUsername' | 'mqttCaFile' | 'mqttCertFile' | 'mqttKeyFile' | 'cbUrl' | 'providerUrl'): string => edited[k].trim()
  const patch: SettingsPatch = {}

  const mqtt: NonNullable<SettingsPatch['mqtt']> = {}
  if (changed('mqttMode')) mqtt.mode = edited.mqttMode
  if (changed('mqttUrl')) mqtt.url = text('mqttUrl')
  if (changed('mqttUsername')) mqtt.username = text('mqttUsername')
  // An empty password means "unchanged".
  if (fixed['mqtt.password'] === undefined && edited.mqttPassword !== '') mqtt.password = edited.mqttPassword
  if (changed('mqttCaFile')) mqtt.caFile = text('mqttCaFile')
  if (changed('mqttCertFile')) mqtt.certFile = text('mqttCertFile')
  if (changed('mqttKeyFile')) mqtt.keyFile = text('mqttKeyFile')
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

  // An empty provider URL removes it: the engine's own north API again.
  if (changed('providerUrl') && text('providerUrl') !== original.providerUrl.trim()) patch.iota = { providerUrl: text('providerUrl') || null }

  if (changed('logLevel')) patch.logLevel = edited.logLevel
  return patch
}

/** What "Test connection" sends for the broker being edited: its values as typed; an empty password means the saved one. */
export function mqttTestArgs(m: SettingsModel): RequestArgs<'connection.test'> {
  const opt = (v: string): string | undefined => v.trim() || undefined
  const mqtt: Extract<RequestArgs<'connection.test'>, { target: 'mqtt' }>['mqtt'] = { url: m.mqttUrl.trim(), rejectUnauthorized: m.mqttRejectUnauthorized }
  const fields = { username: opt(m.mqttUsername), password: m.mqttPassword || undefined, caFile: opt(m.mqttCaFile), certFile: opt(m.mqttCertFile), keyFile: opt(m.mqttKeyFile) }
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) Object.assign(mqtt, { [k]: v })
  return { target: 'mqtt', mqtt }
}

/** What "Test connection" sends for the Orion being edited. */
export function contextBrokerTestArgs(m: SettingsModel): RequestArgs<'connection.test'> {
  return { target: 'contextBroker', url: m.cbUrl.trim() }
}
