import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ConfigError, loadConfig, parseCli } from '../../../electron/engine/config/load'
import { defaultDataDir } from '../../../electron/engine/config/data-dir'
import { tempDir } from '../../helpers/temp-dir'

describe('loadConfig', () => {
  const dirs: Array<{ path: string; cleanup: () => void }> = []
  const dir = (): string => {
    const d = tempDir()
    dirs.push(d)
    return d.path
  }
  afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()))

  it('defaults to the seed tutorial: ports, empty default resource, timestamps on, loopback only', () => {
    const { config, warnings } = loadConfig({ dataDir: dir() })
    expect(warnings).toEqual([])
    expect(config.ports).toMatchObject({ ngsi: 1026, north: 4042, mqtt: 1883, mqttWs: 9001 })
    expect(config.hosts).toEqual(['127.0.0.1', '::1'])
    expect(config.iota.defaultResource).toBe('')
    expect(config.iota.timestamp).toBe(true)
    expect(config.mqtt.mode).toBe('embedded')
    expect(config.contextBroker.mode).toBe('embedded')
  })

  it('applies flags over environment over settings file', () => {
    const d = dir()
    writeFileSync(join(d, 'settings.json'), JSON.stringify({ ports: { north: 5000, ngsi: 5001 }, iota: { timestamp: false } }))
    const { config } = loadConfig({ dataDir: d, env: { IOTA_NORTH_PORT: '6000', IOTA_TIMESTAMP: 'true' }, flags: parseCli(['--north-port', '7000']).values })
    expect(config.ports.north).toBe(7000)
    expect(config.ports.ngsi).toBe(5001)
    expect(config.iota.timestamp).toBe(true)
  })

  it('reads the FIWARE variables the seed tutorial sets', () => {
    const { config } = loadConfig({
      dataDir: dir(),
      env: { IOTA_DEFAULT_RESOURCE: '/iot/d', IOTA_TIMESTAMP: 'false', IOTA_LOG_LEVEL: 'warning', IOTA_MQTT_QOS: '1', IOTA_PROVIDER_URL: 'http://iot-agent:4042/' }
    })
    expect(config.iota.defaultResource).toBe('/iot/d')
    expect(config.iota.timestamp).toBe(false)
    expect(config.logLevel).toBe('WARN')
    expect(config.mqttPublish.qos).toBe(1)
    expect(config.iota.providerUrl).toBe('http://iot-agent:4042')
  })

  it('switches to an external broker with IOTA_MQTT_HOST, and to an external Orion with IOTA_CB_HOST', () => {
    const { config } = loadConfig({
      dataDir: dir(),
      env: { IOTA_MQTT_HOST: 'mosquitto', IOTA_MQTT_PORT: '1884', IOTA_MQTT_USERNAME: 'u', IOTA_MQTT_PASSWORD: 'p', IOTA_CB_HOST: 'orion', IOTA_CB_PORT: '1027' }
    })
    expect(config.mqtt).toMatchObject({ mode: 'external', url: 'mqtt://mosquitto:1884', username: 'u', password: 'p', rejectUnauthorized: true })
    expect(config.ports.mqtt).toBe(1883)
    expect(config.contextBroker).toEqual({ mode: 'external', url: 'http://orion:1027' })
  })

  it('uses IOTA_MQTT_PORT as the embedded broker port when no host is given', () => {
    expect(loadConfig({ dataDir: dir(), env: { IOTA_MQTT_PORT: '1999' } }).config.ports.mqtt).toBe(1999)
  })

  it('rejects bad values with a message naming the variable or flag', () => {
    expect(() => loadConfig({ dataDir: dir(), env: { IOTA_NORTH_PORT: 'abc' } })).toThrow(/IOTA_NORTH_PORT: "abc" is not a port number/)
    expect(() => loadConfig({ dataDir: dir(), env: { IOTA_TIMESTAMP: 'maybe' } })).toThrow(ConfigError)
    expect(() => loadConfig({ dataDir: dir(), flags: parseCli(['--mqtt-url', 'http://x']).values })).toThrow(/--mqtt-url/)
    expect(() => parseCli(['--nope'])).toThrow(ConfigError)
  })

  it('ignores an invalid settings file with a warning that says why', () => {
    const d = dir()
    writeFileSync(join(d, 'settings.json'), JSON.stringify({ ports: { north: 'x' }, bogus: 1 }))
    const { config, warnings } = loadConfig({ dataDir: d })
    expect(config.ports.north).toBe(4042)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/settings\.json: ignored/)
    writeFileSync(join(d, 'settings.json'), '{not json')
    expect(loadConfig({ dataDir: d }).warnings[0]).toMatch(/not valid JSON/)
  })

  it('accepts several hosts, comma separated or repeated', () => {
    expect(loadConfig({ dataDir: dir(), flags: parseCli(['--host', '0.0.0.0,::', '--host', '192.168.1.2']).values }).config.hosts).toEqual(['0.0.0.0', '::', '192.168.1.2'])
  })
})

describe('defaultDataDir', () => {
  it('follows the platform conventions and ULCC_DATA_DIR', () => {
    expect(defaultDataDir({ ULCC_DATA_DIR: '/x' }, 'linux')).toBe('/x')
    expect(defaultDataDir({ XDG_DATA_HOME: '/data' }, 'linux')).toBe('/data/ultralight-control-center')
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32')).toMatch(/UltraLight Control Center/)
  })
})
