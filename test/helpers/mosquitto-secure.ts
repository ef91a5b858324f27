import { spawnSync } from 'node:child_process'
import { chmodSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { OPENSSL, startMosquitto, type Mosquitto } from './mosquitto'
import { tempDir } from './temp-dir'

/**
 * TLS for tests, made with openssl at test time (no key is committed): a certificate authority,
 * a broker certificate it signs for 127.0.0.1, a client certificate it signs, and a second,
 * unrelated authority; and Debian's Mosquitto serving MQTT over TLS with them, optionally
 * requiring a client certificate (`require_certificate true`).
 */
export interface TestPki {
  dir: string
  /** The authority that signed the broker's and the client's certificates. */
  caFile: string
  /** An authority that signed nothing here. */
  otherCaFile: string
  serverCert: string
  serverKey: string
  clientCert: string
  clientKey: string
  cleanup(): void
}

function openssl(args: string[], cwd: string): void {
  if (!OPENSSL) throw new Error('openssl is not installed')
  const r = spawnSync(OPENSSL, args, { cwd, timeout: 30_000 })
  if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr?.toString()}`)
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']

function authority(dir: string, name: string): void {
  openssl(['req', '-x509', ...EC, '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '1', '-subj', `/CN=${name}`], dir)
}

function signed(dir: string, name: string, cn: string, ext: string): void {
  writeFileSync(join(dir, `${name}.ext`), ext + '\n')
  openssl(['req', ...EC, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`], dir)
  openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', '1', '-extfile', `${name}.ext`], dir)
}

export function makePki(): TestPki {
  const dir = tempDir('ulcc-pki-')
  authority(dir.path, 'ca')
  authority(dir.path, 'other-ca')
  signed(dir.path, 'server', '127.0.0.1', 'subjectAltName=IP:127.0.0.1')
  signed(dir.path, 'client', 'ulcc-test-client', 'extendedKeyUsage=clientAuth')
  // Started as root, Mosquitto reads its files as the `mosquitto` user.
  if (process.getuid?.() === 0) {
    chmodSync(dir.path, 0o755)
    for (const f of readdirSync(dir.path)) chmodSync(join(dir.path, f), 0o644)
  }
  const p = (f: string): string => join(dir.path, f)
  return {
    dir: dir.path,
    caFile: p('ca.pem'),
    otherCaFile: p('other-ca.pem'),
    serverCert: p('server.pem'),
    serverKey: p('server.key'),
    clientCert: p('client.pem'),
    clientKey: p('client.key'),
    cleanup: dir.cleanup
  }
}

/** Mosquitto on mqtts://127.0.0.1:<port> with the PKI's broker certificate. */
export async function startTlsMosquitto(pki: TestPki, opts: { requireCertificate?: boolean } = {}): Promise<Mosquitto> {
  const extra = [`certfile ${pki.serverCert}`, `keyfile ${pki.serverKey}`, `cafile ${pki.caFile}`]
  if (opts.requireCertificate) extra.push('require_certificate true')
  const m = await startMosquitto({ extra })
  return { ...m, url: `mqtts://127.0.0.1:${m.port}`, caFile: pki.caFile }
}
