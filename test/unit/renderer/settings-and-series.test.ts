import { describe, expect, it } from 'vitest'
import { curlCommand, shellQuote } from '../../../renderer/src/services/curl'
import { appendPoint, type Series } from '../../../renderer/src/services/series'
import { buildPatch, contextBrokerTestArgs, exposedHosts, modelFrom, mqttTestArgs, validateSettings } from '../../../renderer/src/services/settings-form'

describe('the settings form', () => {
  const values: Parameters<typeof modelFrom>[0] = {
    hosts: ['127.0.0.1', '::1'],
    ports: { ngsi: 1026, north: 4042, mqtt: 1883, mqttWs: 9001, gui: 8042 },
    mqtt: { mode: 'embedded' },
    contextBroker: { mode: 'embedded' },
    logLevel: 'INFO'
  }

  it('sends only what changed, and never what a flag or a variable fixes', () => {
    const original = modelFrom(values)
    const edited = { ...original, logLevel: 'DEBUG' as const, portNorth: 4041, hosts: '127.0.0.1, ::1', portMqtt: 1884 }
    expect(buildPatch(original, edited, { 'ports.mqtt': 'flag' })).toEqual({ logLevel: 'DEBUG', ports: { north: 4041 } })
  })

  it('switches to an external broker with its URL and credentials; an empty password means unchanged', () => {
    const original = modelFrom(values)
    const edited = { ...original, mqttMode: 'external' as const, mqttUrl: 'mqtts://broker:8883', mqttUsername: 'ana', mqttCaFile: '/etc/ca.pem' }
    expect(buildPatch(original, edited, {})).toEqual({ mqtt: { mode: 'external', url: 'mqtts://broker:8883', username: 'ana', caFile: '/etc/ca.pem' } })
  })

  it('explains bad URLs and ports, and notices listening beyond loopback', () => {
    const m = { ...modelFrom(values), mqttMode: 'external' as const, mqttUrl: 'broker:1883', portGui: 70000, hosts: '0.0.0.0, ::1' }
    expect(validateSettings(m)).toEqual({ mqttUrl: 'settings.problem.mqttUrl', portGui: 'settings.problem.port' })
    expect(exposedHosts(m.hosts)).toEqual(['0.0.0.0'])
  })

  it('edits the client certificate and key, which go together', () => {
    const original = modelFrom({ ...values, mqtt: { mode: 'external', url: 'mqtts://broker:8883', caFile: '/etc/ca.pem' } })
    expect(original).toMatchObject({ mqttCertFile: '', mqttKeyFile: '', mqttCaFile: '/etc/ca.pem' })
    const edited = { ...original, mqttCertFile: ' /etc/client.pem ', mqttKeyFile: '/etc/client.key' }
    expect(validateSettings(edited)).toEqual({})
    expect(buildPatch(original, edited, {})).toEqual({ mqtt: { certFile: '/etc/client.pem', keyFile: '/etc/client.key' } })
    expect(buildPatch(original, edited, { 'mqtt.keyFile': 'env' })).toEqual({ mqtt: { certFile: '/etc/client.pem' } })
    expect(validateSettings({ ...edited, mqttKeyFile: '' })).toEqual({ mqttKeyFile: 'settings.problem.certPair' })
    expect(validateSettings({ ...edited, mqttCertFile: '' })).toEqual({ mqttCertFile: 'settings.problem.certPair' })
  })

  it('sets the provider URL, checks its shape, and removes it when emptied', () => {
    const original = modelFrom(values)
    expect(original.providerUrl).toBe('')
    const edited = { ...original, providerUrl: 'http://192.168.0.10:4041' }
    expect(validateSettings(edited)).toEqual({})
    expect(buildPatch(original, edited, {})).toEqual({ iota: { providerUrl: 'http://192.168.0.10:4041' } })
    expect(buildPatch(original, edited, { 'iota.providerUrl': 'flag' })).toEqual({})
    for (const bad of ['192.168.0.10:4041', 'ftp://x', 'http://', 'http://a b']) expect(validateSettings({ ...original, providerUrl: bad }), bad).toEqual({ providerUrl: 'settings.problem.providerUrl' })
    const saved = modelFrom({ ...values, iota: { providerUrl: 'http://agent:4041/' } })
    expect(saved.providerUrl).toBe('http://agent:4041/')
    expect(buildPatch(saved, { ...saved, providerUrl: ' ' }, {})).toEqual({ iota: { providerUrl: null } })
    expect(buildPatch(saved, { ...saved, providerUrl: ' http://agent:4041/ ' }, {})).toEqual({})
  })

  it('builds the test requests from the values being edited, without empty fields', () => {
    const m = { ...modelFrom(values), mqttMode: 'external' as const, mqttUrl: ' mqtts://broker:8883 ', mqttUsername: 'ana', mqttCaFile: '/etc/ca.pem', cbUrl: 'http://orion:1026 ' }
    expect(mqttTestArgs(m)).toEqual({ target: 'mqtt', mqtt: { url: 'mqtts://broker:8883', username: 'ana', caFile: '/etc/ca.pem', rejectUnauthorized: true } })
    expect(mqttTestArgs({ ...m, mqttPassword: 'p', mqttRejectUnauthorized: false, mqttCertFile: '/c', mqttKeyFile: '/k' })).toEqual({
      target: 'mqtt',
      mqtt: { url: 'mqtts://broker:8883', username: 'ana', password: 'p', caFile: '/etc/ca.pem', certFile: '/c', keyFile: '/k', rejectUnauthorized: false }
    })
    expect(contextBrokerTestArgs(m)).toEqual({ target: 'contextBroker', url: 'http://orion:1026' })
  })
})

describe('chart series', () => {
  it('keeps points in time order, replaces a repeated time, and stays bounded', () => {
    const s: Series = { t: [], v: [] }
    appendPoint(s, 10, 1, 4)
    appendPoint(s, 30, 3, 4)
    appendPoint(s, 20, 2, 4)
    appendPoint(s, 20, 2.5, 4)
    expect(s).toEqual({ t: [10, 20, 30], v: [1, 2.5, 3] })
    for (let i = 4; i < 10; i++) appendPoint(s, i * 10, i, 4)
    expect(s.t.length).toBeLessThanOrEqual(5)
    expect(s.t[s.t.length - 1]).toBe(90)
  })
})

describe('curl commands', () => {
  it('quote for a POSIX shell, as the tutorial writes them', () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`)
    const cmd = curlCommand({ method: 'POST', url: 'http://localhost:4042/iot/services', headers: { 'fiware-service': 'openiot', 'fiware-servicepath': '/' }, body: { a: 1 } })
    expect(cmd).toBe(
      [
        'curl -iX POST http://localhost:4042/iot/services',
        "  -H 'fiware-service: openiot'",
        "  -H 'fiware-servicepath: /'",
        "  -H 'Content-Type: application/json'",
        `  -d '{\n  "a": 1\n}'`
      ].join(' \\\n')
    )
  })
})
