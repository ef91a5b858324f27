import { readFileSync } from 'node:fs'
import { createSecureContext } from 'node:tls'
import type { EmbeddedMqttConfig } from '../config/types'

/** What the embedded broker's TLS listeners (mqtts, wss) serve with: Mosquitto's certfile, keyfile, cafile and require_certificate. */
export interface ListenerTls {
  /** mqtts port (Mosquitto's usual 8883), or undefined when off. */
  tlsPort?: number
  /** wss port, or undefined when off. */
  wssPort?: number
  cert: Buffer
  key: Buffer
  ca?: Buffer
  /** Clients must present a certificate signed by `ca`. */
  requireCertificate: boolean
}

function readPem(file: string, what: string): Buffer {
  try {
    return readFileSync(file)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new Error(`MQTT TLS ${what} ${file} cannot be read: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`, { cause: err })
  }
}

/**
 * Reads the TLS listeners' files and checks that they make a usable TLS context (a key that
 * matches its certificate, PEM that parses), so that a bad file is a start error that names it,
 * as Mosquitto refuses to start with one. Undefined when no TLS port is set.
 */
export function readListenerTls(mqtt: Pick<EmbeddedMqttConfig, 'tlsPort' | 'wssPort' | 'tlsCertFile' | 'tlsKeyFile' | 'tlsCaFile' | 'requireCertificate'>): ListenerTls | undefined {
  if (mqtt.tlsPort === undefined && mqtt.wssPort === undefined) return undefined
  if (!mqtt.tlsCertFile || !mqtt.tlsKeyFile) throw new Error('the MQTT TLS listeners need a certificate and a key (--mqtt-cert, --mqtt-key)')
  const cert = readPem(mqtt.tlsCertFile, 'certificate')
  const key = readPem(mqtt.tlsKeyFile, 'key')
  const ca = mqtt.tlsCaFile ? readPem(mqtt.tlsCaFile, 'CA file') : undefined
  if (mqtt.requireCertificate && !ca) throw new Error('--mqtt-require-certificate needs --mqtt-tls-ca (the CA that signs client certificates)')
  try {
    createSecureContext({ cert, key })
  } catch (err) {
    throw new Error(`MQTT TLS certificate ${mqtt.tlsCertFile} and key ${mqtt.tlsKeyFile} cannot be used: ${(err as Error).message}`, { cause: err })
  }
  if (ca) {
    try {
      createSecureContext({ ca })
    } catch (err) {
      throw new Error(`MQTT TLS CA file ${mqtt.tlsCaFile} cannot be used: ${(err as Error).message}`, { cause: err })
    }
  }
  return {
    ...(mqtt.tlsPort !== undefined ? { tlsPort: mqtt.tlsPort } : {}),
    ...(mqtt.wssPort !== undefined ? { wssPort: mqtt.wssPort } : {}),
    cert,
    key,
    ...(ca ? { ca } : {}),
    requireCertificate: mqtt.requireCertificate === true
  }
}
