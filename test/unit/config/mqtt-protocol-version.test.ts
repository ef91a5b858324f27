import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { resolveTarget } from '../../../electron/engine/broker/external-options'
import { loadConfig, parseCli } from '../../../electron/engine/config/load'
import { fixedSettings } from '../../../electron/engine/config/settings-sources'
import type { ExternalMqttConfig } from '../../../electron/engine/config/types'
import { tempDir } from '../../helpers/temp-dir'

/** The MQTT version of the engine's client to an external broker: settings.json < ULCC_MQTT_PROTOCOL_VERSION < --mqtt-protocol-version. */
describe('mqtt.protocolVersion', () => {
  const dirs: Array<{ path: string; cleanup: () => void }> = []
  const dir = (): string => {
    const d = tempDir()
    dirs.push(d)
    return d.path
  }
  afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()))

  const external = (config: { mqtt: unknown }): ExternalMqttConfig => {
    const m = config.mqtt as ExternalMqttConfig
    expect(m.mode).toBe('external')
    return m
  }

  it('is 3.1.1 unless asked, and mqtt.js gets it', async () => {
    const m = external(loadConfig({ dataDir: dir(), flags: parseCli(['--mqtt-url', 'mqtt://broker:1883']).values }).config)
    expect(m.protocolVersion).toBeUndefined()
    expect((await resolveTarget(m)).options.protocolVersion).toBe(4)
    m.protocolVersion = 5
    expect((await resolveTarget(m)).options.protocolVersion).toBe(5)
  })

  it('comes from settings.json, the environment and the flag, in that order of precedence', () => {
    const d = dir()
    writeFileSync(join(d, 'settings.json'), JSON.stringify({ mqtt: { mode: 'external', url: 'mqtt://broker:1883', protocolVersion: 5 } }))
    expect(external(loadConfig({ dataDir: d }).config).protocolVersion).toBe(5)
    expect(external(loadConfig({ dataDir: d, env: { ULCC_MQTT_PROTOCOL_VERSION: '3.1.1' } }).config).protocolVersion).toBe(4)
    const both = loadConfig({ dataDir: d, env: { ULCC_MQTT_PROTOCOL_VERSION: '3.1.1' }, flags: parseCli(['--mqtt-protocol-version', '5']).values })
    expect(external(both.config).protocolVersion).toBe(5)
    expect(external(loadConfig({ dataDir: d, flags: parseCli(['--mqtt-protocol-version', 'mqttv311']).values }).config).protocolVersion).toBe(4)
    // Fixed by the flag or the variable: the settings page shows it read-only.
    const env = { ULCC_MQTT_PROTOCOL_VERSION: '5' }
    expect(fixedSettings(env, {}, loadConfig({ dataDir: d, env }).config)['mqtt.protocolVersion']).toBe('env')
    const flags = parseCli(['--mqtt-protocol-version', '5']).values
    expect(fixedSettings({}, flags, loadConfig({ dataDir: d, flags }).config)['mqtt.protocolVersion']).toBe('flag')
  })

  it('refuses anything but 3.1.1 and 5, naming the source', () => {
    const flags = (v: string): Record<string, string | string[] | boolean | undefined> => parseCli(['--mqtt-url', 'mqtt://b:1883', '--mqtt-protocol-version', v]).values
    expect(() => loadConfig({ dataDir: dir(), flags: flags('3.1') })).toThrow(/--mqtt-protocol-version: "3.1" is not an MQTT protocol version \(3.1.1 or 5\)/)
    expect(() => loadConfig({ dataDir: dir(), env: { ULCC_MQTT_URL: 'mqtt://b:1883', ULCC_MQTT_PROTOCOL_VERSION: '6' } })).toThrow(/ULCC_MQTT_PROTOCOL_VERSION: "6"/)
    const d = dir()
    writeFileSync(join(d, 'settings.json'), JSON.stringify({ mqtt: { mode: 'external', url: 'mqtt://broker:1883', protocolVersion: 3 } }))
    const { config, warnings } = loadConfig({ dataDir: d })
    expect(warnings.join('\n')).toMatch(/protocolVersion/)
    expect(config.mqtt.mode).toBe('embedded')
  })
})
