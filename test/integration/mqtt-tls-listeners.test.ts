import { readFileSync } from 'node:fs'
import { connectAsync } from 'mqtt'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { Engine } from '../../electron/engine/engine'
import { defaultConfig } from '../../electron/engine/config/defaults'
import { loadConfig, ConfigError } from '../../electron/engine/config/load'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'
import { MOSQUITTO_PUB, OPENSSL, requirePrograms, runClient } from '../helpers/mosquitto'
import { makePki, type TestPki } from '../helpers/mosquitto-secure'
import { APIKEY, DEVICE_ID, entityKeyValues, provisionSeed } from '../helpers/postman-tutorial7'
import { tempDir } from '../helpers/temp-dir'
import { waitFor } from '../helpers/wait-for'
import { ephemeralPorts } from '../helpers/ports'

/**
 * The embedded broker's TLS listeners (--mqtt-tls-port, --mqtt-wss-port with --mqtt-cert,
 * --mqtt-key, --mqtt-tls-ca): a PKI made with openssl, Mosquitto's own client over mqtts, mqtt.js
 * over wss, each measure reaching the entity; a key that does not match is a start error naming
 * the files.
 */

const needs = requirePrograms({ openssl: OPENSSL, mosquitto_pub: MOSQUITTO_PUB })

describe.skipIf(needs.skip)('embedded broker: TLS listeners', () => {
  let pki: TestPki
  let run: RunningEngine | undefined
  beforeAll(() => {
    pki = makePki()
  })
  afterAll(() => pki.cleanup())
  afterEach(async () => {
    await run?.dispose()
    run = undefined
  })

  const portOf = (r: RunningEngine, role: string): number => r.engine.endpoints().find((e) => e.role === role)!.addresses[0]!.port

  it('serves mqtts and wss with the given certificate; measures sent over both reach the entity', async () => {
    run = await startEngine((c) => {
      c.mqtt = { mode: 'embedded', tlsPort: 0, wssPort: 0, tlsCertFile: pki.serverCert, tlsKeyFile: pki.serverKey }
    })
    const r = run
    const lines = r.engine.describeEndpoints().join('\n')
    expect(lines).toMatch(/MQTT broker \(TLS\).*mqtts:\/\/localhost:\d+/)
    expect(lines).toMatch(/MQTT broker \(secure WebSocket\).*wss:\/\/localhost:\d+/)
    const tlsPort = portOf(r, 'mqtts')
    const wssPort = portOf(r, 'mqtt-wss')
    expect(r.engine.broker.status().listeners.map((l) => l.protocol).sort()).toEqual(['mqtt', 'mqtts', 'ws', 'wss'])
    await provisionSeed(r)

    const pub = runClient(MOSQUITTO_PUB!, ['-h', '127.0.0.1', '-p', String(tlsPort), '--cafile', pki.caFile, '-q', '1', '-t', `/ul/${APIKEY}/${DEVICE_ID}/attrs`, '-m', 't|31'])
    expect((await pub.result).code).toBe(0)
    await waitFor(async () => (await entityKeyValues(r.ngsiUrl))?.temperature === 31, 'the mqtts measure in the entity')

    // Without the CA the broker's certificate is not trusted: the handshake fails.
    const untrusted = runClient(MOSQUITTO_PUB!, ['-h', '127.0.0.1', '-p', String(tlsPort), '--cafile', pki.otherCaFile, '-t', 'x', '-m', '1'])
    expect((await untrusted.result).code).not.toBe(0)

    const ws = await connectAsync(`wss://127.0.0.1:${wssPort}/mqtt`, { ca: readFileSync(pki.caFile), reconnectPeriod: 0, connectTimeout: 5000, protocolVersion: 4 })
    try {
      await ws.publishAsync(`/ul/${APIKEY}/${DEVICE_ID}/attrs`, 't|32', { qos: 1 })
    } finally {
      await ws.endAsync()
    }
    await waitFor(async () => (await entityKeyValues(r.ngsiUrl))?.temperature === 32, 'the wss measure in the entity')
  })

  it('with --mqtt-require-certificate, a client without a certificate from the CA is refused in the handshake', async () => {
    run = await startEngine((c) => {
      c.mqtt = { mode: 'embedded', tlsPort: 0, tlsCertFile: pki.serverCert, tlsKeyFile: pki.serverKey, tlsCaFile: pki.caFile, requireCertificate: true }
    })
    const port = String(portOf(run, 'mqtts'))
    const without = runClient(MOSQUITTO_PUB!, ['-h', '127.0.0.1', '-p', port, '--cafile', pki.caFile, '-t', 'x', '-m', '1'])
    expect((await without.result).code).not.toBe(0)
    const withCert = runClient(MOSQUITTO_PUB!, ['-h', '127.0.0.1', '-p', port, '--cafile', pki.caFile, '--cert', pki.clientCert, '--key', pki.clientKey, '-t', 'x', '-m', '1'])
    expect((await withCert.result).code).toBe(0)
  })

  it('a key that does not match the certificate, or a missing file, is a start error naming the files', async () => {
    const dir = tempDir('ulcc-tls-bad-')
    try {
      const config = defaultConfig(dir.path)
      config.hosts = ['127.0.0.1']
      config.ports = ephemeralPorts()
      config.mqtt = { mode: 'embedded', tlsPort: 0, tlsCertFile: pki.serverCert, tlsKeyFile: pki.clientKey }
      await expect(Engine.start(config, { logSinks: [] })).rejects.toThrow(new RegExp(`MQTT TLS certificate ${pki.serverCert} and key ${pki.clientKey} cannot be used`))
      config.mqtt = { mode: 'embedded', wssPort: 0, tlsCertFile: `${pki.dir}/missing.pem`, tlsKeyFile: pki.serverKey }
      await expect(Engine.start(config, { logSinks: [] })).rejects.toThrow(/MQTT TLS certificate .*missing\.pem cannot be read: no such file/)
    } finally {
      dir.cleanup()
    }
  })

  it('flags and variables: a TLS port needs a certificate and a key; flags win over variables', () => {
    const dir = tempDir('ulcc-tls-cfg-')
    try {
      expect(() => loadConfig({ dataDir: dir.path, flags: { 'mqtt-tls-port': '8883' } })).toThrow(ConfigError)
      const { config } = loadConfig({
        dataDir: dir.path,
        env: { ULCC_MQTT_TLS_PORT: '8883', ULCC_MQTT_CERT: '/env/cert.pem', ULCC_MQTT_KEY: '/env/key.pem' },
        flags: { 'mqtt-wss-port': '9443', 'mqtt-cert': '/flag/cert.pem' }
      })
      expect(config.mqtt).toEqual({ mode: 'embedded', tlsPort: 8883, wssPort: 9443, tlsCertFile: '/flag/cert.pem', tlsKeyFile: '/env/key.pem' })
      expect(() => loadConfig({ dataDir: dir.path, flags: { 'mqtt-tls-port': '8883', 'mqtt-cert': 'c', 'mqtt-key': 'k', 'mqtt-require-certificate': 'true' } })).toThrow(/--mqtt-tls-ca/)
    } finally {
      dir.cleanup()
    }
  })
})
