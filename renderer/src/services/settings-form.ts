/**
 * The Settings view's model: the engine's settings (settings.json shape) flattened to the fields
 * the view edits, checks in plain words (translation keys), and the partial patch of what changed.
 */
import type { FixedSettings, RequestArgs, SettingPath, Settings, SettingsPatch } from '../../../shared/contract'
import { isLoopbackHost } from '../../../shared/loopback'
import { HISTORY_BOUNDS, LOG_LEVELS, type LogLevel } from '../../../shared/settings'
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
  /** MQTT 3.1.1 (4) or 5 towards the external broker. */
  mqttProtocolVersion: 4 | 5
  /** The embedded broker's TLS listeners (embedded-tls.ts): mqtts and wss ports, empty ('') when off. */
  mqttTlsPort: number | ''
  mqttWssPort: number | ''
  /** Their certificate, key and client CA (Mosquitto's certfile, keyfile, cafile). */
  mqttTlsCertFile: string
  mqttTlsKeyFile: string
  mqttTlsCaFile: string
  /** Mosquitto's require_certificate. */
  mqttRequireCertificate: boolean
  cbMode: 'embedded' | 'external'
  cbUrl: string
  /** CA bundle that verifies an https Orion. */
  cbCaFile: string
  /** Authentication towards Orion (a PEP proxy in front of it); `none` removes it. */
  cbAuthType: 'none' | 'token' | 'keystone' | 'oauth2'
  cbAuthHeader: string
  cbAuthUrl: string
  cbAuthTokenPath: string
  cbAuthUser: string
  cbAuthClientId: string
  cbAuthPermanentToken: boolean
  /** Write-only, like the MQTT password: empty means "unchanged". */
  cbAuthPassword: string
  cbAuthClientSecret: string
  cbAuthTrust: string
  cbAuthToken: string
  /** The agent's URL for the context broker (commands); empty means this engine's north API. */
  providerUrl: string
  hosts: string
  /** Further Host names the HTTP ports answer to, separated by commas (DNS rebinding guard). */
  allowedHosts: string
  /** CORS of the NGSI port: empty (off), __ALL or one origin. */
  corsOrigin: string
  /** Seconds a browser may keep a preflight answer (Orion's -corsMaxAge). */
  corsMaxAge: number
  portNgsi: number
  portNorth: number
  portMqtt: number
  portMqttWs: number
  portGui: number
  /** The ports of the tutorials' other components (config/extra-ports.ts). */
  portSouth: number
  portJsonNorth: number
  portContextProvider: number
  portDevices: number
  portCygnus: number
  portCygnusApi: number
  portSth: number
  /** Tutorial host names that do not resolve go to the built-in services (docs/compatibility/tutorial-services.md). */
  tutorialHosts: boolean
  /** The built-in history (Cygnus sink, STH-Comet API): days a point is kept, and the most points kept (the oldest go first). */
  historyRetentionDays: number
  historyMaxPoints: number
  logLevel: LogLevel
}

/** The port fields and the key of their setting (`ports.*`). */
export const PORT_FIELDS = [
  { key: 'portNgsi', port: 'ngsi' },
  { key: 'portNorth', port: 'north' },
  { key: 'portMqtt', port: 'mqtt' },
  { key: 'portMqttWs', port: 'mqttWs' },
  { key: 'portGui', port: 'gui' },
  { key: 'portJsonNorth', port: 'jsonNorth' },
  { key: 'portSouth', port: 'south' },
  { key: 'portContextProvider', port: 'contextProvider' },
  { key: 'portDevices', port: 'devices' },
  { key: 'portCygnus', port: 'cygnus' },
  { key: 'portCygnusApi', port: 'cygnusApi' },
  { key: 'portSth', port: 'sth' }
] as const satisfies ReadonlyArray<{ key: keyof SettingsModel; port: keyof NonNullable<Settings['ports']> }>

export type PortField = (typeof PORT_FIELDS)[number]['key']

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
  mqttProtocolVersion: 'mqtt.protocolVersion',
  mqttTlsPort: 'mqtt.tlsPort',
  mqttWssPort: 'mqtt.wssPort',
  mqttTlsCertFile: 'mqtt.tlsCertFile',
  mqttTlsKeyFile: 'mqtt.tlsKeyFile',
  mqttTlsCaFile: 'mqtt.tlsCaFile',
  mqttRequireCertificate: 'mqtt.requireCertificate',
  cbMode: 'contextBroker.mode',
  cbUrl: 'contextBroker.url',
  cbCaFile: 'contextBroker.caFile',
  cbAuthType: 'contextBroker.auth.type',
  cbAuthHeader: 'contextBroker.auth.header',
  cbAuthUrl: 'contextBroker.auth.url',
  cbAuthTokenPath: 'contextBroker.auth.tokenPath',
  cbAuthUser: 'contextBroker.auth.user',
  cbAuthClientId: 'contextBroker.auth.clientId',
  cbAuthPermanentToken: 'contextBroker.auth.permanentToken',
  cbAuthPassword: 'contextBroker.auth.password',
  cbAuthClientSecret: 'contextBroker.auth.clientSecret',
  cbAuthTrust: 'contextBroker.auth.trust',
  cbAuthToken: 'contextBroker.auth.token',
  providerUrl: 'iota.providerUrl',
  hosts: 'hosts',
  allowedHosts: 'allowedHosts',
  corsOrigin: 'cors.origin',
  corsMaxAge: 'cors.maxAge',
  portNgsi: 'ports.ngsi',
  portNorth: 'ports.north',
  portMqtt: 'ports.mqtt',
  portMqttWs: 'ports.mqttWs',
  portGui: 'ports.gui',
  portSouth: 'ports.south',
  portJsonNorth: 'ports.jsonNorth',
  portContextProvider: 'ports.contextProvider',
  portDevices: 'ports.devices',
  portCygnus: 'ports.cygnus',
  portCygnusApi: 'ports.cygnusApi',
  portSth: 'ports.sth',
  tutorialHosts: 'tutorialHosts',
  historyRetentionDays: 'history.retentionDays',
  historyMaxPoints: 'history.maxPoints',
  logLevel: 'logLevel'
}

export { LOG_LEVELS }

export function modelFrom(values: Settings): SettingsModel {
  const mqtt = values.mqtt?.mode === 'external' ? values.mqtt : undefined
  const embedded = values.mqtt?.mode === 'external' ? undefined : values.mqtt
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
    mqttProtocolVersion: mqtt?.protocolVersion ?? 4,
    mqttTlsPort: embedded?.tlsPort ?? '',
    mqttWssPort: embedded?.wssPort ?? '',
    mqttTlsCertFile: embedded?.tlsCertFile ?? '',
    mqttTlsKeyFile: embedded?.tlsKeyFile ?? '',
    mqttTlsCaFile: embedded?.tlsCaFile ?? '',
    mqttRequireCertificate: embedded?.requireCertificate === true,
    cbMode: cb ? 'external' : 'embedded',
    cbUrl: cb?.url ?? '',
    cbCaFile: cb?.caFile ?? '',
    cbAuthType: cb?.auth?.type ?? 'none',
    cbAuthHeader: cb?.auth?.header ?? '',
    cbAuthUrl: cb?.auth?.url ?? '',
    cbAuthTokenPath: cb?.auth?.tokenPath ?? '',
    cbAuthUser: cb?.auth?.user ?? '',
    cbAuthClientId: cb?.auth?.clientId ?? '',
    cbAuthPermanentToken: cb?.auth?.permanentToken === true,
    cbAuthPassword: '',
    cbAuthClientSecret: '',
    cbAuthTrust: '',
    cbAuthToken: '',
    providerUrl: values.iota?.providerUrl ?? '',
    hosts: (values.hosts ?? ['127.0.0.1', '::1']).join(', '),
    allowedHosts: (values.allowedHosts ?? []).join(', '),
    corsOrigin: values.cors?.origin ?? '',
    corsMaxAge: values.cors?.maxAge ?? 86400,
    portNgsi: ports.ngsi ?? 1026,
    portNorth: ports.north ?? 4042,
    portMqtt: ports.mqtt ?? 1883,
    portMqttWs: ports.mqttWs ?? 9001,
    portGui: ports.gui ?? 8042,
    portSouth: ports.south ?? 7896,
    portJsonNorth: ports.jsonNorth ?? 4041,
    portContextProvider: ports.contextProvider ?? 5000,
    portDevices: ports.devices ?? 3001,
    portCygnus: ports.cygnus ?? 5050,
    portCygnusApi: ports.cygnusApi ?? 5080,
    portSth: ports.sth ?? 8666,
    tutorialHosts: values.tutorialHosts !== false,
    historyRetentionDays: values.history?.retentionDays ?? 30,
    historyMaxPoints: values.history?.maxPoints ?? 1_000_000,
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

/** A whole number within the bounds settings.json accepts (a cleared number field holds ''). */
const inBounds = (n: number, b: { min: number; max: number }): boolean => Number.isInteger(n) && n >= b.min && n <= b.max

export function validateSettings(m: SettingsModel): SettingsProblems {
  const out: SettingsProblems = {}
  if (m.mqttMode === 'external') {
    if (!/^(mqtts?|wss?|tcp|tls):\/\/[^\s/]+/.test(m.mqttUrl.trim())) out.mqttUrl = 'settings.problem.mqttUrl'
  }
  if (m.cbMode === 'external' && !/^https?:\/\/[^\s/]+/.test(m.cbUrl.trim())) out.cbUrl = 'settings.problem.cbUrl'
  if (m.cbMode === 'external' && (m.cbAuthType === 'keystone' || m.cbAuthType === 'oauth2') && !HTTP_URL.test(m.cbAuthUrl.trim())) out.cbAuthUrl = 'settings.problem.cbAuthUrl'
  if (m.cbMode === 'external' && m.cbAuthHeader.trim() && !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(m.cbAuthHeader.trim())) out.cbAuthHeader = 'settings.problem.cbAuthHeader'
  if (m.providerUrl.trim() && !HTTP_URL.test(m.providerUrl.trim())) out.providerUrl = 'settings.problem.providerUrl'
  // A key without its certificate (or the reverse) cannot be used.
  if (m.mqttMode === 'external' && !m.mqttCertFile.trim() !== !m.mqttKeyFile.trim()) out[m.mqttCertFile.trim() ? 'mqttKeyFile' : 'mqttCertFile'] = 'settings.problem.certPair'
  if (!hostList(m.hosts).length) out.hosts = 'settings.problem.hosts'
  // A name or an address, without scheme, path or port (IPv6 may come in brackets).
  if (!hostList(m.allowedHosts).every((h) => /^([\w-]+(\.[\w-]+)*\.?|\[?[0-9a-fA-F:.]+\]?)$/.test(h))) out.allowedHosts = 'settings.problem.allowedHosts'
  if (m.corsOrigin.trim() && !/^(__ALL|https?:\/\/[^\s/?#]+)$/.test(m.corsOrigin.trim())) out.corsOrigin = 'settings.problem.corsOrigin'
  if (!Number.isInteger(m.corsMaxAge) || m.corsMaxAge < 0 || m.corsMaxAge > 2147483647) out.corsMaxAge = 'settings.problem.corsMaxAge'
  if (m.mqttMode === 'embedded') Object.assign(out, embeddedTlsProblems(m))
  for (const { key: k } of PORT_FIELDS) {
    const p = m[k]
    if (!Number.isInteger(p) || p < 0 || p > 65535) out[k] = 'settings.problem.port'
  }
  if (!inBounds(m.historyRetentionDays, HISTORY_BOUNDS.retentionDays)) out.historyRetentionDays = 'settings.problem.historyRetentionDays'
  if (!inBounds(m.historyMaxPoints, HISTORY_BOUNDS.maxPoints)) out.historyMaxPoints = 'settings.problem.historyMaxPoints'
  return out
}

/** The changed fields as a settings patch; fixed settings are never included. */
export function buildPatch(original: SettingsModel, edited: SettingsModel, fixed: FixedSettings): SettingsPatch {
  const changed = (k: keyof SettingsModel): boolean => fixed[FIELD_PATHS[k]] === undefined && original[k] !== edited[k]
  const text = (k: 'mqttUrl' | 'mqttUsername' | 'mqttCaFile' | 'mqttCertFile' | 'mqttKeyFile' | 'cbUrl' | 'cbCaFile' | 'providerUrl'): string => edited[k].trim()
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
  if (changed('mqttProtocolVersion')) mqtt.protocolVersion = edited.mqttProtocolVersion
  // An external broker needs its URL in the same change.
  if (mqtt.mode === 'external' && mqtt.url === undefined) mqtt.url = text('mqttUrl')
  if (edited.mqttMode === 'embedded') {
    const tls = embeddedTlsPatch(original, edited, fixed)
    // settings.json's `mqtt` needs its mode (it may have no `mqtt` yet).
    if (Object.keys(tls).length && mqtt.mode === undefined && fixed['mqtt.mode'] === undefined) mqtt.mode = 'embedded'
    Object.assign(mqtt, tls)
  }
  if (Object.keys(mqtt).length) patch.mqtt = mqtt

  const cb: NonNullable<SettingsPatch['contextBroker']> = {}
  if (changed('cbMode')) cb.mode = edited.cbMode
  if (changed('cbUrl')) cb.url = text('cbUrl')
  if (cb.mode === 'external' && cb.url === undefined) cb.url = text('cbUrl')
  if (changed('cbCaFile')) cb.caFile = text('cbCaFile') || null
  if (edited.cbMode === 'external') {
    const auth = authPatch(original, edited, fixed)
    if (auth !== undefined) cb.auth = auth
  }
  if (Object.keys(cb).length) patch.contextBroker = cb

  if (fixed.hosts === undefined && hostList(original.hosts).join(',') !== hostList(edited.hosts).join(',')) patch.hosts = hostList(edited.hosts)
  if (fixed.allowedHosts === undefined && hostList(original.allowedHosts).join(',') !== hostList(edited.allowedHosts).join(',')) patch.allowedHosts = hostList(edited.allowedHosts)
  const cors: NonNullable<SettingsPatch['cors']> = {}
  // An empty origin removes it: CORS off again.
  if (changed('corsOrigin') && edited.corsOrigin.trim() !== original.corsOrigin.trim()) cors.origin = edited.corsOrigin.trim() || null
  if (changed('corsMaxAge')) cors.maxAge = edited.corsMaxAge
  if (Object.keys(cors).length) patch.cors = cors

  const ports: NonNullable<SettingsPatch['ports']> = {}
  for (const f of PORT_FIELDS) if (changed(f.key)) ports[f.port] = edited[f.key]
  if (Object.keys(ports).length) patch.ports = ports
  if (changed('tutorialHosts')) patch.tutorialHosts = edited.tutorialHosts
  const history: NonNullable<SettingsPatch['history']> = {}
  if (changed('historyRetentionDays')) history.retentionDays = edited.historyRetentionDays
  if (changed('historyMaxPoints')) history.maxPoints = edited.historyMaxPoints
  if (Object.keys(history).length) patch.history = history

  // An empty provider URL removes it: the engine's own north API again.
  if (changed('providerUrl') && text('providerUrl') !== original.providerUrl.trim()) patch.iota = { providerUrl: text('providerUrl') || null }

  if (changed('logLevel')) patch.logLevel = edited.logLevel
  return patch
}

type MqttPatch = NonNullable<Extract<NonNullable<SettingsPatch['mqtt']>, object>>

/** A port that may be off: empty, or a whole number from 0 to 65535. */
const portOrOff = (p: number | ''): boolean => p === '' || (Number.isInteger(p) && p >= 0 && p <= 65535)

/**
 * The embedded broker's TLS listeners, checked as the engine does at start (config/load.ts
 * applyMqttTls): a TLS port needs a certificate and a key, a required client certificate needs the CA.
 */
function embeddedTlsProblems(m: SettingsModel): SettingsProblems {
  const out: SettingsProblems = {}
  if (!portOrOff(m.mqttTlsPort)) out.mqttTlsPort = 'settings.problem.portOrOff'
  if (!portOrOff(m.mqttWssPort)) out.mqttWssPort = 'settings.problem.portOrOff'
  if (m.mqttTlsPort !== '' || m.mqttWssPort !== '') {
    if (!m.mqttTlsCertFile.trim()) out.mqttTlsCertFile = 'settings.problem.tlsFiles'
    if (!m.mqttTlsKeyFile.trim()) out.mqttTlsKeyFile = 'settings.problem.tlsFiles'
  }
  if (m.mqttRequireCertificate && !m.mqttTlsCaFile.trim()) out.mqttTlsCaFile = 'settings.problem.tlsCa'
  return out
}

/** The change of the TLS listeners: an emptied port or path is removed (listener off, no file). */
function embeddedTlsPatch(original: SettingsModel, edited: SettingsModel, fixed: FixedSettings): MqttPatch {
  const changed = (k: keyof SettingsModel): boolean => fixed[FIELD_PATHS[k]] === undefined && original[k] !== edited[k]
  const out: MqttPatch = {}
  for (const [field, k] of [['tlsPort', 'mqttTlsPort'], ['wssPort', 'mqttWssPort']] as const) if (changed(k)) out[field] = edited[k] === '' ? null : edited[k]
  for (const [field, k] of [['tlsCertFile', 'mqttTlsCertFile'], ['tlsKeyFile', 'mqttTlsKeyFile'], ['tlsCaFile', 'mqttTlsCaFile']] as const) {
    if (changed(k) && edited[k].trim() !== original[k].trim()) out[field] = edited[k].trim() || null
  }
  if (changed('mqttRequireCertificate')) out.requireCertificate = edited.mqttRequireCertificate
  return out
}

type AuthPatch = NonNullable<Extract<NonNullable<SettingsPatch['contextBroker']>, object>['auth']>

/** The change of Orion's authentication: null removes it; empty texts remove a value; empty secrets are "unchanged". */
function authPatch(original: SettingsModel, edited: SettingsModel, fixed: FixedSettings): AuthPatch | null | undefined {
  const changed = (k: keyof SettingsModel): boolean => fixed[FIELD_PATHS[k]] === undefined && original[k] !== edited[k]
  if (edited.cbAuthType === 'none') return changed('cbAuthType') ? null : undefined
  const auth: AuthPatch = {}
  if (changed('cbAuthType')) auth.type = edited.cbAuthType
  const texts = { header: 'cbAuthHeader', url: 'cbAuthUrl', tokenPath: 'cbAuthTokenPath', user: 'cbAuthUser', clientId: 'cbAuthClientId' } as const
  for (const [field, k] of Object.entries(texts)) if (changed(k)) Object.assign(auth, { [field]: edited[k].trim() || null })
  if (changed('cbAuthPermanentToken')) auth.permanentToken = edited.cbAuthPermanentToken
  const secrets = { password: 'cbAuthPassword', clientSecret: 'cbAuthClientSecret', trust: 'cbAuthTrust', token: 'cbAuthToken' } as const
  for (const [field, k] of Object.entries(secrets)) if (fixed[FIELD_PATHS[k]] === undefined && edited[k] !== '') Object.assign(auth, { [field]: edited[k].trim() })
  return Object.keys(auth).length ? auth : undefined
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
  const args: Extract<RequestArgs<'connection.test'>, { target: 'contextBroker' }> = { target: 'contextBroker', url: m.cbUrl.trim() }
  if (m.cbCaFile.trim()) args.caFile = m.cbCaFile.trim()
  if (m.cbAuthType === 'none') return args
  const auth: NonNullable<typeof args.auth> = { type: m.cbAuthType }
  // As typed; an empty secret means the saved one (the engine fills it in).
  const fields = {
    header: m.cbAuthHeader.trim(),
    url: m.cbAuthUrl.trim(),
    tokenPath: m.cbAuthTokenPath.trim(),
    user: m.cbAuthUser.trim(),
    clientId: m.cbAuthClientId.trim(),
    password: m.cbAuthPassword,
    clientSecret: m.cbAuthClientSecret,
    trust: m.cbAuthTrust.trim(),
    token: m.cbAuthToken.trim()
  }
  for (const [k, v] of Object.entries(fields)) if (v) Object.assign(auth, { [k]: v })
  if (m.cbAuthPermanentToken) auth.permanentToken = true
  args.auth = auth
  return args
}
