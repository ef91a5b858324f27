/**
 * The Settings view's model: the engine's settings (settings.json shape) flattened to the fields
 * the view edits, checks in plain words (translation keys), and the partial patch of what changed.
 */
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
  logLevel: string
}

/** Model field → dotted path in settings.json. */
export const FIELD_PATHS: Record<keyof SettingsModel, string> = {
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

export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const
export const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost'])

export function getPath(obj: unknown, path: string): unknown {
  let cur = obj
  for (const p of path.split('.')) {
    if (!cur || typeof cur !== 'object') return undefined
    cur = (cur as Record<string, unknown>)[p]
  }
  return cur
}

export function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.')
  let cur = obj
  for (const p of parts.slice(0, -1)) {
    const next = cur[p]
    cur = (cur[p] = next && typeof next === 'object' ? next : {}) as Record<string, unknown>
  }
  cur[parts[parts.length - 1]!] = value
}

const s = (v: unknown, d = ''): string => (typeof v === 'string' ? v : d)
const num = (v: unknown, d: number): number => (typeof v === 'number' ? v : d)

export function modelFrom(values: Record<string, unknown>): SettingsModel {
  const g = (k: keyof SettingsModel): unknown => getPath(values, FIELD_PATHS[k])
  const hosts = g('hosts')
  return {
    mqttMode: g('mqttMode') === 'external' ? 'external' : 'embedded',
    mqttUrl: s(g('mqttUrl')),
    mqttUsername: s(g('mqttUsername')),
    mqttPassword: '',
    mqttCaFile: s(g('mqttCaFile')),
    mqttRejectUnauthorized: g('mqttRejectUnauthorized') !== false,
    cbMode: g('cbMode') === 'external' ? 'external' : 'embedded',
    cbUrl: s(g('cbUrl')),
    hosts: Array.isArray(hosts) ? hosts.join(', ') : s(hosts, '127.0.0.1, ::1'),
    portNgsi: num(g('portNgsi'), 1026),
    portNorth: num(g('portNorth'), 4042),
    portMqtt: num(g('portMqtt'), 1883),
    portMqttWs: num(g('portMqttWs'), 9001),
    portGui: num(g('portGui'), 8042),
    logLevel: s(g('logLevel'), 'INFO')
  }
}

export function hostList(hosts: string): string[] {
  return hosts
    .split(/[\s,]+/)
    .map((h) => h.trim())
    .filter(Boolean)
}

export function exposedHosts(hosts: string): string[] {
  return hostList(hosts).filter((h) => !LOOPBACK.has(h))
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

/** The changed fields as a partial settings.json object; fixed fields are never included. */
export function buildPatch(original: SettingsModel, edited: SettingsModel, fixed: Record<string, unknown>): Record<string, unknown> {
  const patch: Record<string, unknown> = {}
  for (const key of Object.keys(FIELD_PATHS) as Array<keyof SettingsModel>) {
    const path = FIELD_PATHS[key]
    if (fixed[path] !== undefined) continue
    const a = original[key]
    const b = edited[key]
    if (key === 'mqttPassword' && b === '') continue
    if (key === 'hosts') {
      if (hostList(String(a)).join(',') !== hostList(String(b)).join(',')) setPath(patch, path, hostList(String(b)))
      continue
    }
    if (a !== b) setPath(patch, path, typeof b === 'string' ? b.trim() : b)
  }
  // An external broker needs its URL in the same change.
  if (getPath(patch, 'mqtt.mode') === 'external' && getPath(patch, 'mqtt.url') === undefined) setPath(patch, 'mqtt.url', edited.mqttUrl.trim())
  if (getPath(patch, 'contextBroker.mode') === 'external' && getPath(patch, 'contextBroker.url') === undefined) setPath(patch, 'contextBroker.url', edited.cbUrl.trim())
  return patch
}
