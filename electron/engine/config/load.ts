import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { Compile } from 'typebox/compile'
import { defaultConfig } from './defaults'
import { EXTRA_PORTS } from './extra-ports'
import { SettingsFile, type SettingsFileT } from './schema'
import { loopbackOnly } from '../../../shared/loopback'
import { HISTORY_BOUNDS } from '../../../shared/settings'
import { parseAllowedHost } from '../net/host-guard'
import type { EngineConfig, ExternalContextBrokerConfig } from './types'
import { allowedHosts, atLeast, between, bool, ConfigError, corsOrigin, headerText, logLevel, mqttProtocolVersion, port, positiveInt, qos, url } from './values'

export { ConfigError, logLevel, parseLogLevel } from './values'

export const SETTINGS_FILE = 'settings.json'

const settingsValidator = Compile(SettingsFile)

export interface LoadedConfig {
  config: EngineConfig
  /** Problems that did not stop the engine (an unreadable settings file, an ignored variable). */
  warnings: string[]
}

type Env = Record<string, string | undefined>

/** Command-line flags of `serve` (and of the desktop app). */
export const CLI_OPTIONS = {
  'data-dir': { type: 'string' },
  host: { type: 'string', multiple: true },
  'allowed-host': { type: 'string', multiple: true },
  'cors-origin': { type: 'string' },
  'cors-max-age': { type: 'string' },
  'ngsi-port': { type: 'string' },
  'north-port': { type: 'string' },
  'mqtt-port': { type: 'string' },
  'mqtt-ws-port': { type: 'string' },
  'gui-port': { type: 'string' },
  'south-port': { type: 'string' },
  'json-north-port': { type: 'string' },
  'context-provider-port': { type: 'string' },
  'devices-port': { type: 'string' },
  'cygnus-port': { type: 'string' },
  'cygnus-api-port': { type: 'string' },
  'sth-port': { type: 'string' },
  'tutorial-hosts': { type: 'string' },
  'mqtt-url': { type: 'string' },
  'mqtt-username': { type: 'string' },
  'mqtt-password': { type: 'string' },
  'mqtt-ca': { type: 'string' },
  'mqtt-protocol-version': { type: 'string' },
  'mqtt-password-file': { type: 'string' },
  'mqtt-acl-file': { type: 'string' },
  'mqtt-allow-anonymous': { type: 'string' },
  'mqtt-tls-port': { type: 'string' },
  'mqtt-wss-port': { type: 'string' },
  'mqtt-cert': { type: 'string' },
  'mqtt-key': { type: 'string' },
  'mqtt-tls-ca': { type: 'string' },
  'mqtt-require-certificate': { type: 'string' },
  'cb-url': { type: 'string' },
  'cb-token': { type: 'string' },
  'cb-ca': { type: 'string' },
  'provider-url': { type: 'string' },
  'history-retention-days': { type: 'string' },
  'history-max-points': { type: 'string' },
  'log-level': { type: 'string' },
  help: { type: 'boolean', short: 'h' }
} as const

export function parseCli(argv: string[]): { values: Record<string, string | string[] | boolean | undefined> } {
  try {
    const { values } = parseArgs({ args: argv, options: CLI_OPTIONS, strict: true, allowPositionals: false })
    return { values }
  } catch (err) {
    throw new ConfigError((err as Error).message)
  }
}

function readSettingsFile(dataDir: string, warnings: string[]): SettingsFileT {
  const file = join(dataDir, SETTINGS_FILE)
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') warnings.push(`${file}: cannot be read (${(err as Error).message}); defaults used`)
    return {}
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (err) {
    warnings.push(`${file}: not valid JSON (${(err as Error).message}); defaults used`)
    return {}
  }
  if (!settingsValidator.Check(data)) {
    const problems = [...settingsValidator.Errors(data)]
      .filter((e) => e.keyword !== 'boolean')
      .slice(0, 5)
      .map((e) => `${e.instancePath || '/'} ${e.message}`)
    warnings.push(`${file}: ignored, it does not match the settings schema (${problems.join('; ')})`)
    return {}
  }
  return data
}

/** The configuration settings.json alone gives (already validated), over the defaults: what a start without flags or variables produces. */
export function configFromSettings(dataDir: string, settings: SettingsFileT): EngineConfig {
  const config = defaultConfig(dataDir)
  applySettings(config, settings)
  return config
}

/** Applies the settings file (already validated) over the defaults. */
function applySettings(config: EngineConfig, s: SettingsFileT): void {
  if (s.hosts) config.hosts = [...s.hosts]
  if (s.allowedHosts) config.allowedHosts = s.allowedHosts.map((h) => parseAllowedHost(h)).filter((h) => h !== undefined)
  if (s.cors) config.cors = { origin: s.cors.origin ?? '', maxAge: s.cors.maxAge ?? config.cors.maxAge }
  if (s.tutorialHosts !== undefined) config.tutorialHosts = s.tutorialHosts
  if (s.ports) Object.assign(config.ports, s.ports)
  if (s.mqtt) {
    config.mqtt = s.mqtt.mode === 'external'
      ? { mode: 'external', url: s.mqtt.url, username: s.mqtt.username, password: s.mqtt.password, caFile: s.mqtt.caFile,
          certFile: s.mqtt.certFile, keyFile: s.mqtt.keyFile, rejectUnauthorized: s.mqtt.rejectUnauthorized ?? true,
          clientId: s.mqtt.clientId ?? 'iotaul', keepalive: s.mqtt.keepalive ?? 60 }
      : { mode: 'embedded', passwordFile: s.mqtt.passwordFile, aclFile: s.mqtt.aclFile, allowAnonymous: s.mqtt.allowAnonymous,
          tlsPort: s.mqtt.tlsPort, wssPort: s.mqtt.wssPort, tlsCertFile: s.mqtt.tlsCertFile, tlsKeyFile: s.mqtt.tlsKeyFile, tlsCaFile: s.mqtt.tlsCaFile, requireCertificate: s.mqtt.requireCertificate }
    if (config.mqtt.mode === 'embedded') for (const k of EMBEDDED_OPTIONAL) if (config.mqtt[k] === undefined) delete config.mqtt[k]
    if (config.mqtt.mode === 'external' && s.mqtt.mode === 'external' && s.mqtt.protocolVersion !== undefined) config.mqtt.protocolVersion = s.mqtt.protocolVersion
  }
  if (s.mqttPublish) Object.assign(config.mqttPublish, s.mqttPublish)
  if (s.contextBroker) {
    config.contextBroker = s.contextBroker.mode === 'external'
      ? { ...s.contextBroker, auth: s.contextBroker.auth && { ...s.contextBroker.auth } }
      : { mode: 'embedded' }
    if (config.contextBroker.mode === 'external' && !config.contextBroker.auth) delete config.contextBroker.auth
  }
  if (s.iota) Object.assign(config.iota, s.iota)
  if (s.persistence) Object.assign(config.persistence, s.persistence)
  if (s.limits) Object.assign(config.limits, s.limits)
  if (s.history) Object.assign(config.history, s.history)
  if (s.logLevel) config.logLevel = s.logLevel
}

const EXTRA_PORT_ENV = EXTRA_PORTS.map(([env, , key]) => [env, key] as const)
const EXTRA_PORT_FLAGS = EXTRA_PORTS.map(([, flag, key]) => [flag, key] as const)

const EMBEDDED_OPTIONAL = ['passwordFile', 'aclFile', 'allowAnonymous', 'tlsPort', 'wssPort', 'tlsCertFile', 'tlsKeyFile', 'tlsCaFile', 'requireCertificate'] as const

function externalMqtt(config: EngineConfig): Extract<EngineConfig['mqtt'], { mode: 'external' }> {
  if (config.mqtt.mode !== 'external') {
    config.mqtt = { mode: 'external', url: '', rejectUnauthorized: true, clientId: 'iotaul', keepalive: 60 }
  }
  return config.mqtt
}

/**
 * Selects the external context broker at `url`, keeping the queue settings the settings file may
 * have given (a URL from the environment or a flag only changes where Orion is).
 */
function externalCb(config: EngineConfig, url: string): void {
  config.contextBroker = config.contextBroker.mode === 'external' ? { ...config.contextBroker, url } : { mode: 'external', url }
}

function applyEnv(config: EngineConfig, env: Env): void {
  const get = (k: string): string | undefined => env[k]
  let v: string | undefined
  if ((v = get('ULCC_HOST')) !== undefined) config.hosts = v.split(',').map((h) => h.trim()).filter(Boolean)
  if ((v = get('ULCC_ALLOWED_HOSTS')) !== undefined) config.allowedHosts = allowedHosts('ULCC_ALLOWED_HOSTS', [v])
  if ((v = get('ULCC_CORS_ORIGIN')) !== undefined) config.cors.origin = corsOrigin('ULCC_CORS_ORIGIN', v)
  if ((v = get('ULCC_CORS_MAX_AGE')) !== undefined) config.cors.maxAge = positiveInt('ULCC_CORS_MAX_AGE', v)
  if ((v = get('ULCC_NGSI_PORT')) !== undefined) config.ports.ngsi = port('ULCC_NGSI_PORT', v)
  if ((v = get('IOTA_NORTH_PORT')) !== undefined) config.ports.north = port('IOTA_NORTH_PORT', v)
  if ((v = get('ULCC_MQTT_WS_PORT')) !== undefined) config.ports.mqttWs = port('ULCC_MQTT_WS_PORT', v)
  if ((v = get('ULCC_GUI_PORT')) !== undefined) config.ports.gui = port('ULCC_GUI_PORT', v)
  for (const [name, key] of EXTRA_PORT_ENV) if ((v = get(name)) !== undefined) config.ports[key] = port(name, v)
  if ((v = get('ULCC_TUTORIAL_HOSTS')) !== undefined) config.tutorialHosts = bool('ULCC_TUTORIAL_HOSTS', v)

  // MQTT: IOTA_MQTT_HOST names an external broker (as for iotagent-ul); without it the port is the embedded broker's.
  const mqttHost = get('IOTA_MQTT_HOST')
  const mqttPort = get('IOTA_MQTT_PORT')
  if (mqttHost) {
    const protocol = get('IOTA_MQTT_PROTOCOL') ?? 'mqtt'
    const p = mqttPort !== undefined ? port('IOTA_MQTT_PORT', mqttPort) : 1883
    externalMqtt(config).url = url('IOTA_MQTT_HOST', `${protocol}://${mqttHost}:${p}`, ['mqtt', 'mqtts', 'tcp', 'tls', 'ws', 'wss'])
  } else if (mqttPort !== undefined) {
    config.ports.mqtt = port('IOTA_MQTT_PORT', mqttPort)
  }
  if ((v = get('ULCC_MQTT_URL'))) externalMqtt(config).url = url('ULCC_MQTT_URL', v, ['mqtt', 'mqtts', 'tcp', 'tls', 'ws', 'wss'])
  if (config.mqtt.mode === 'external') {
    const m = config.mqtt
    if ((v = get('IOTA_MQTT_USERNAME')) !== undefined) m.username = v
    if ((v = get('IOTA_MQTT_PASSWORD')) !== undefined) m.password = v
    if ((v = get('IOTA_MQTT_CA')) !== undefined) m.caFile = v
    if ((v = get('IOTA_MQTT_CERT')) !== undefined) m.certFile = v
    if ((v = get('IOTA_MQTT_KEY')) !== undefined) m.keyFile = v
    if ((v = get('IOTA_MQTT_REJECT_UNAUTHORIZED')) !== undefined) m.rejectUnauthorized = bool('IOTA_MQTT_REJECT_UNAUTHORIZED', v)
    if ((v = get('IOTA_MQTT_CLIENT_ID')) !== undefined) m.clientId = v
    if ((v = get('IOTA_MQTT_KEEPALIVE')) !== undefined) m.keepalive = positiveInt('IOTA_MQTT_KEEPALIVE', v)
    if ((v = get('ULCC_MQTT_PROTOCOL_VERSION')) !== undefined) m.protocolVersion = mqttProtocolVersion('ULCC_MQTT_PROTOCOL_VERSION', v)
  }
  if ((v = get('IOTA_MQTT_QOS')) !== undefined) config.mqttPublish.qos = qos('IOTA_MQTT_QOS', v)
  if ((v = get('IOTA_MQTT_RETAIN')) !== undefined) config.mqttPublish.retain = bool('IOTA_MQTT_RETAIN', v)

  // Context broker: IOTA_CB_URL, or IOTA_CB_HOST + IOTA_CB_PORT, names an external Orion.
  const cbUrl = get('IOTA_CB_URL')
  const cbHost = get('IOTA_CB_HOST')
  if (cbUrl) externalCb(config, url('IOTA_CB_URL', cbUrl, ['http', 'https']))
  else if (cbHost) {
    const p = get('IOTA_CB_PORT') !== undefined ? port('IOTA_CB_PORT', get('IOTA_CB_PORT')!) : 1026
    externalCb(config, url('IOTA_CB_HOST', `http://${cbHost}:${p}`, ['http', 'https']))
  }
  if (config.contextBroker.mode === 'external') {
    const cb = config.contextBroker
    if ((v = get('ULCC_CB_QUEUE_MAX_UPDATES')) !== undefined) cb.queueMaxUpdates = atLeast('ULCC_CB_QUEUE_MAX_UPDATES', v, 1)
    if ((v = get('ULCC_CB_QUEUE_MAX_BYTES')) !== undefined) cb.queueMaxBytes = atLeast('ULCC_CB_QUEUE_MAX_BYTES', v, 65536)
    if ((v = get('ULCC_CB_TIMEOUT_MS')) !== undefined) cb.timeoutMs = atLeast('ULCC_CB_TIMEOUT_MS', v, 100)
    if ((v = get('ULCC_CB_RETRY_MAX_MS')) !== undefined) cb.retryMaxMs = atLeast('ULCC_CB_RETRY_MAX_MS', v, 10)
    if ((v = get('ULCC_CB_CA')) !== undefined) cb.caFile = v || undefined
    applyAuthEnv(cb, get)
  }
  if ((v = get('IOTA_PROVIDER_URL'))) config.iota.providerUrl = url('IOTA_PROVIDER_URL', v, ['http', 'https'])

  if ((v = get('IOTA_DEFAULT_RESOURCE')) !== undefined) config.iota.defaultResource = v
  if ((v = get('IOTA_DEFAULT_KEY')) !== undefined) config.iota.defaultKey = v
  if ((v = get('IOTA_DEFAULT_TRANSPORT')) !== undefined) config.iota.defaultTransport = v
  if ((v = get('IOTA_TIMESTAMP')) !== undefined) config.iota.timestamp = bool('IOTA_TIMESTAMP', v)
  if ((v = get('IOTA_EXPLICIT_ATTRS')) !== undefined) config.iota.explicitAttrs = bool('IOTA_EXPLICIT_ATTRS', v)
  if ((v = get('IOTA_DEFAULT_ENTITY_NAME_CONJUNCTION')) !== undefined) config.iota.entityNameConjunction = v
  if ((v = get('ULCC_COMMAND_TIMEOUT_MS')) !== undefined) config.iota.commandTimeoutMs = positiveInt('ULCC_COMMAND_TIMEOUT_MS', v)
  if ((v = get('ULCC_HISTORY_RETENTION_DAYS')) !== undefined) config.history.retentionDays = retentionDays('ULCC_HISTORY_RETENTION_DAYS', v)
  if ((v = get('ULCC_HISTORY_MAX_POINTS')) !== undefined) config.history.maxPoints = maxPoints('ULCC_HISTORY_MAX_POINTS', v)
  if ((v = get('IOTA_LOG_LEVEL')) !== undefined) config.logLevel = logLevel('IOTA_LOG_LEVEL', v)
}

/** The built-in history's retention, within the bounds of settings.json's `history`. */
const retentionDays = (name: string, raw: string): number => between(name, raw.trim(), HISTORY_BOUNDS.retentionDays.min, HISTORY_BOUNDS.retentionDays.max)
const maxPoints = (name: string, raw: string): number => between(name, raw.trim(), HISTORY_BOUNDS.maxPoints.min, HISTORY_BOUNDS.maxPoints.max)

const AUTH_TYPES = ['token', 'keystone', 'oauth2'] as const

/**
 * Authentication towards Orion from iotagent-node-lib's variables (IOTA_AUTH_*): IOTA_AUTH_ENABLED
 * turns it on (Keystone unless IOTA_AUTH_TYPE is oauth2) or off; the others change the
 * authentication the settings file or IOTA_AUTH_ENABLED gave. ULCC_CB_TOKEN sends a fixed token.
 */
function applyAuthEnv(cb: ExternalContextBrokerConfig, get: (k: string) => string | undefined): void {
  let v: string | undefined
  if ((v = get('ULCC_CB_TOKEN')) !== undefined) cb.auth = v ? { type: 'token', token: headerText('ULCC_CB_TOKEN', v) } : undefined
  if ((v = get('IOTA_AUTH_ENABLED')) !== undefined) {
    if (!bool('IOTA_AUTH_ENABLED', v)) delete cb.auth
    else if (!cb.auth || cb.auth.type === 'token') cb.auth = { type: 'keystone' }
  }
  const auth = cb.auth
  if (!auth) return
  if ((v = get('IOTA_AUTH_TYPE')) !== undefined) {
    const type = AUTH_TYPES.find((t) => t === v!.trim().toLowerCase())
    if (!type) throw new ConfigError(`IOTA_AUTH_TYPE: "${v}" is not keystone or oauth2`)
    auth.type = type
  }
  if ((v = get('IOTA_AUTH_HEADER')) !== undefined) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(v)) throw new ConfigError(`IOTA_AUTH_HEADER: "${v}" is not an HTTP header name`)
    auth.header = v
  }
  const authHost = get('IOTA_AUTH_HOST')
  if ((v = get('IOTA_AUTH_URL'))) auth.url = url('IOTA_AUTH_URL', v, ['http', 'https'])
  else if (authHost) {
    // As iotagent-node-lib: http://host, with :port when IOTA_AUTH_PORT is set.
    const p = get('IOTA_AUTH_PORT')
    auth.url = url('IOTA_AUTH_HOST', `http://${authHost}${p !== undefined ? ':' + port('IOTA_AUTH_PORT', p) : ''}`, ['http', 'https'])
  }
  if ((v = get('IOTA_AUTH_TOKEN_PATH')) !== undefined) auth.tokenPath = v
  if ((v = get('IOTA_AUTH_CLIENT_ID')) !== undefined) auth.clientId = v
  if ((v = get('IOTA_AUTH_CLIENT_SECRET')) !== undefined) auth.clientSecret = v
  if ((v = get('IOTA_AUTH_USER')) !== undefined) auth.user = v
  if ((v = get('IOTA_AUTH_PASSWORD')) !== undefined) auth.password = v
  if ((v = get('IOTA_AUTH_PERMANENT_TOKEN')) !== undefined) auth.permanentToken = bool('IOTA_AUTH_PERMANENT_TOKEN', v)
  if ((v = get('ULCC_CB_AUTH_TRUST')) !== undefined) auth.trust = headerText('ULCC_CB_AUTH_TRUST', v)
}

function applyFlags(config: EngineConfig, f: Record<string, string | string[] | boolean | undefined>): void {
  const s = (k: string): string | undefined => {
    const v = f[k]
    return typeof v === 'string' ? v : undefined
  }
  let v: string | undefined
  const hosts = f.host
  if (Array.isArray(hosts)) config.hosts = hosts.flatMap((h) => h.split(',')).map((h) => h.trim()).filter(Boolean)
  const allowed = f['allowed-host']
  if (Array.isArray(allowed)) config.allowedHosts = allowedHosts('--allowed-host', allowed)
  if ((v = s('cors-origin')) !== undefined) config.cors.origin = corsOrigin('--cors-origin', v)
  if ((v = s('cors-max-age')) !== undefined) config.cors.maxAge = positiveInt('--cors-max-age', v)
  if ((v = s('ngsi-port')) !== undefined) config.ports.ngsi = port('--ngsi-port', v)
  if ((v = s('north-port')) !== undefined) config.ports.north = port('--north-port', v)
  if ((v = s('mqtt-port')) !== undefined) config.ports.mqtt = port('--mqtt-port', v)
  if ((v = s('mqtt-ws-port')) !== undefined) config.ports.mqttWs = port('--mqtt-ws-port', v)
  if ((v = s('gui-port')) !== undefined) config.ports.gui = port('--gui-port', v)
  for (const [flag, key] of EXTRA_PORT_FLAGS) if ((v = s(flag)) !== undefined) config.ports[key] = port(`--${flag}`, v)
  if ((v = s('tutorial-hosts')) !== undefined) config.tutorialHosts = bool('--tutorial-hosts', v)
  if ((v = s('mqtt-url'))) externalMqtt(config).url = url('--mqtt-url', v, ['mqtt', 'mqtts', 'tcp', 'tls', 'ws', 'wss'])
  if (config.mqtt.mode === 'external') {
    if ((v = s('mqtt-username')) !== undefined) config.mqtt.username = v
    if ((v = s('mqtt-password')) !== undefined) config.mqtt.password = v
    if ((v = s('mqtt-ca')) !== undefined) config.mqtt.caFile = v
    if ((v = s('mqtt-protocol-version')) !== undefined) config.mqtt.protocolVersion = mqttProtocolVersion('--mqtt-protocol-version', v)
  }
  if ((v = s('cb-url'))) externalCb(config, url('--cb-url', v, ['http', 'https']))
  if (config.contextBroker.mode === 'external') {
    if ((v = s('cb-token')) !== undefined) config.contextBroker.auth = v ? { type: 'token', token: headerText('--cb-token', v) } : undefined
    if ((v = s('cb-ca')) !== undefined) config.contextBroker.caFile = v || undefined
  }
  if ((v = s('provider-url'))) config.iota.providerUrl = url('--provider-url', v, ['http', 'https'])
  if ((v = s('history-retention-days')) !== undefined) config.history.retentionDays = retentionDays('--history-retention-days', v)
  if ((v = s('history-max-points')) !== undefined) config.history.maxPoints = maxPoints('--history-max-points', v)
  if ((v = s('log-level')) !== undefined) config.logLevel = logLevel('--log-level', v)
}

/**
 * The embedded broker's authentication (ULCC_MQTT_PASSWORD_FILE, ULCC_MQTT_ACL_FILE,
 * ULCC_MQTT_ALLOW_ANONYMOUS and their flags), flags over variables. An external broker has its
 * own: the values are then ignored, with a warning.
 */
function applyMqttAuth(config: EngineConfig, env: Env, f: Record<string, string | string[] | boolean | undefined>, warnings: string[]): void {
  const given: Array<[string, string, 'passwordFile' | 'aclFile' | 'allowAnonymous']> = []
  for (const [flag, name, key] of [
    ['mqtt-password-file', 'ULCC_MQTT_PASSWORD_FILE', 'passwordFile'],
    ['mqtt-acl-file', 'ULCC_MQTT_ACL_FILE', 'aclFile'],
    ['mqtt-allow-anonymous', 'ULCC_MQTT_ALLOW_ANONYMOUS', 'allowAnonymous']
  ] as const) {
    const fv = f[flag]
    if (typeof fv === 'string') given.push([`--${flag}`, fv, key])
    else if (env[name] !== undefined) given.push([name, env[name], key])
  }
  if (given.length === 0) return
  if (config.mqtt.mode !== 'embedded') {
    warnings.push(`${given.map((g) => g[0]).join(', ')}: ignored, they apply to the embedded MQTT broker and an external one is used`)
    return
  }
  for (const [name, raw, key] of given) {
    if (key === 'allowAnonymous') config.mqtt.allowAnonymous = bool(name, raw)
    else if (raw.trim() === '') delete config.mqtt[key]
    else config.mqtt[key] = raw
  }
}

/**
 * The embedded broker's TLS listeners (ULCC_MQTT_TLS_PORT, ULCC_MQTT_WSS_PORT, ULCC_MQTT_CERT,
 * ULCC_MQTT_KEY, ULCC_MQTT_TLS_CA, ULCC_MQTT_REQUIRE_CERTIFICATE and their flags), flags over
 * variables; ignored with a warning for an external broker. A TLS port needs a certificate and a key.
 */
function applyMqttTls(config: EngineConfig, env: Env, f: Record<string, string | string[] | boolean | undefined>, warnings: string[]): void {
  const given: Array<[string, string, 'tlsPort' | 'wssPort' | 'tlsCertFile' | 'tlsKeyFile' | 'tlsCaFile' | 'requireCertificate']> = []
  for (const [flag, name, key] of [
    ['mqtt-tls-port', 'ULCC_MQTT_TLS_PORT', 'tlsPort'],
    ['mqtt-wss-port', 'ULCC_MQTT_WSS_PORT', 'wssPort'],
    ['mqtt-cert', 'ULCC_MQTT_CERT', 'tlsCertFile'],
    ['mqtt-key', 'ULCC_MQTT_KEY', 'tlsKeyFile'],
    ['mqtt-tls-ca', 'ULCC_MQTT_TLS_CA', 'tlsCaFile'],
    ['mqtt-require-certificate', 'ULCC_MQTT_REQUIRE_CERTIFICATE', 'requireCertificate']
  ] as const) {
    const fv = f[flag]
    if (typeof fv === 'string') given.push([`--${flag}`, fv, key])
    else if (env[name] !== undefined) given.push([name, env[name], key])
  }
  if (given.length > 0 && config.mqtt.mode !== 'embedded') {
    warnings.push(`${given.map((g) => g[0]).join(', ')}: ignored, they apply to the embedded MQTT broker and an external one is used`)
    return
  }
  if (config.mqtt.mode !== 'embedded') return
  const m = config.mqtt
  for (const [name, raw, key] of given) {
    if (key === 'requireCertificate') m.requireCertificate = bool(name, raw)
    else if (key === 'tlsPort' || key === 'wssPort') {
      if (raw.trim() === '') delete m[key]
      else m[key] = port(name, raw.trim())
    } else if (raw.trim() === '') delete m[key]
    else m[key] = raw
  }
  if ((m.tlsPort !== undefined || m.wssPort !== undefined) && (!m.tlsCertFile || !m.tlsKeyFile)) {
    throw new ConfigError('the embedded MQTT broker\'s TLS listeners (--mqtt-tls-port, --mqtt-wss-port) need --mqtt-cert and --mqtt-key (PEM files)')
  }
  if (m.requireCertificate && !m.tlsCaFile) throw new ConfigError('--mqtt-require-certificate needs --mqtt-tls-ca (the CA that signs client certificates)')
}

/**
 * Builds the engine configuration: flags > environment > settings file > defaults.
 * Throws ConfigError for a bad flag or variable; a bad settings file is reported as a warning.
 */
export function loadConfig(opts: { dataDir: string; env?: Env; flags?: Record<string, string | string[] | boolean | undefined> }): LoadedConfig {
  const warnings: string[] = []
  const config = defaultConfig(opts.dataDir)
  applySettings(config, readSettingsFile(opts.dataDir, warnings))
  applyEnv(config, opts.env ?? {})
  applyFlags(config, opts.flags ?? {})
  applyMqttAuth(config, opts.env ?? {}, opts.flags ?? {}, warnings)
  applyMqttTls(config, opts.env ?? {}, opts.flags ?? {}, warnings)
  if (config.mqtt.mode === 'embedded' && config.mqtt.allowAnonymous === undefined && !config.mqtt.passwordFile && !loopbackOnly(config.hosts)) {
    // Mosquitto 2's default for a listener beyond loopback (docs/compatibility/mqtt-broker.md §2).
    warnings.push(
      'the embedded MQTT broker listens beyond this computer without a password file, so it refuses every MQTT client (as Mosquitto 2 does); ' +
        'add --mqtt-allow-anonymous true to let devices and trainees connect without credentials, or --mqtt-password-file <file>'
    )
  }
  if (config.mqtt.mode === 'external' && !config.mqtt.url) throw new ConfigError('external MQTT broker selected without a URL')
  if (config.hosts.length === 0) throw new ConfigError('no listening address given (--host)')
  return { config, warnings }
}
