import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../../electron/engine/config/load'
import { fixedSettings } from '../../../electron/engine/config/settings-sources'
import { anonymousAllowed } from '../../../electron/engine/broker/auth/authorizer'
import { tempDir } from '../../helpers/temp-dir'

describe('configuration of the embedded broker authentication', () => {
  const dirs: Array<() => void> = []
  afterEach(() => dirs.splice(0).forEach((c) => c()))
  const dataDir = (settings?: unknown): string => {
    const d = tempDir('ulcc-mqtt-auth-config-')
    dirs.push(d.cleanup)
    if (settings) writeFileSync(join(d.path, 'settings.json'), JSON.stringify(settings))
    return d.path
  }

  it('reads settings.json, then the variables, then the flags', () => {
    const dir = dataDir({ mqtt: { mode: 'embedded', passwordFile: '/s/passwd', aclFile: '/s/acl', allowAnonymous: false } })
    expect(loadConfig({ dataDir: dir }).config.mqtt).toEqual({ mode: 'embedded', passwordFile: '/s/passwd', aclFile: '/s/acl', allowAnonymous: false })
    const env = { ULCC_MQTT_PASSWORD_FILE: '/e/passwd', ULCC_MQTT_ALLOW_ANONYMOUS: 'true' }
    expect(loadConfig({ dataDir: dir, env }).config.mqtt).toEqual({ mode: 'embedded', passwordFile: '/e/passwd', aclFile: '/s/acl', allowAnonymous: true })
    const flags = { 'mqtt-acl-file': '/f/acl', 'mqtt-allow-anonymous': 'false' }
    const loaded = loadConfig({ dataDir: dir, env, flags })
    expect(loaded.config.mqtt).toEqual({ mode: 'embedded', passwordFile: '/e/passwd', aclFile: '/f/acl', allowAnonymous: false })
    expect(fixedSettings(env, flags, loaded.config)).toMatchObject({ 'mqtt.passwordFile': 'env', 'mqtt.aclFile': 'flag', 'mqtt.allowAnonymous': 'flag' })
  })

  it('refuses a value of --mqtt-allow-anonymous that is not true or false', () => {
    expect(() => loadConfig({ dataDir: dataDir(), flags: { 'mqtt-allow-anonymous': 'maybe' } })).toThrow(ConfigError)
    expect(() => loadConfig({ dataDir: dataDir(), flags: { 'mqtt-allow-anonymous': 'maybe' } })).toThrow(/--mqtt-allow-anonymous: "maybe" is not true or false/)
  })

  it('ignores them, with a warning, for an external broker', () => {
    const { config, warnings } = loadConfig({ dataDir: dataDir(), flags: { 'mqtt-url': 'mqtt://broker:1883', 'mqtt-password-file': '/f/passwd' } })
    expect(config.mqtt.mode).toBe('external')
    expect(config.mqtt).not.toHaveProperty('passwordFile')
    expect(warnings.join('\n')).toMatch(/--mqtt-password-file: ignored, they apply to the embedded MQTT broker/)
  })

  it('warns at start, naming --mqtt-allow-anonymous true, when listening beyond loopback without a password file', () => {
    const exposed = loadConfig({ dataDir: dataDir(), flags: { host: ['0.0.0.0'] } })
    expect(exposed.warnings.join('\n')).toMatch(/refuses every MQTT client.*--mqtt-allow-anonymous true/)
    expect(loadConfig({ dataDir: dataDir(), flags: { host: ['0.0.0.0'], 'mqtt-allow-anonymous': 'true' } }).warnings).toEqual([])
    expect(loadConfig({ dataDir: dataDir() }).warnings).toEqual([])
  })

  it('decides anonymous access as Mosquitto 2: explicit setting, else no with a password file, else yes on loopback only', () => {
    expect(anonymousAllowed({}, ['127.0.0.1', '::1'])).toBe(true)
    expect(anonymousAllowed({}, ['127.0.0.1', '0.0.0.0'])).toBe(false)
    expect(anonymousAllowed({ passwordFile: '/p' }, ['127.0.0.1'])).toBe(false)
    expect(anonymousAllowed({ passwordFile: '/p', allowAnonymous: true }, ['0.0.0.0'])).toBe(true)
    expect(anonymousAllowed({ allowAnonymous: false }, ['127.0.0.1'])).toBe(false)
  })
})
