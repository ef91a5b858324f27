import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ConfigError, loadConfig, parseCli } from '../../../electron/engine/config/load'
import { fixedSettings } from '../../../electron/engine/config/settings-sources'
import { Logger, type LogEntry } from '../../../electron/engine/log/logger'
import { createHostGuard, hostOfHeader, normalizeHost } from '../../../electron/engine/net/host-guard'
import { tempDir } from '../../helpers/temp-dir'

describe('hostOfHeader / normalizeHost', () => {
  it('drops the port, the brackets and the case; compresses IPv6', () => {
    expect(hostOfHeader('Example.COM:1026')).toBe('example.com')
    expect(hostOfHeader('[0:0:0:0:0:0:0:1]:8042')).toBe('::1')
    expect(hostOfHeader('localhost.')).toBe('localhost')
    expect(normalizeHost('FE80::0001')).toBe('fe80::1')
  })

  it('refuses what is not a host', () => {
    for (const bad of ['', ' ', 'a b', 'user@host', 'host/path', 'host?x', 'http://host', '[::1']) expect(hostOfHeader(bad), bad).toBeUndefined()
    expect(normalizeHost('host:80')).toBeUndefined()
  })
})

describe('createHostGuard', () => {
  const own = (): string[] => ['trainer-pc', '192.168.1.20', 'fe80::1%eth0', '127.0.0.1']

  it('admits loopback, the listening addresses and the allowed names only', () => {
    const guard = createHostGuard({ hosts: ['127.0.0.1', '10.0.0.5'], allowedHosts: ['Iot.Example'], ownAddresses: own })
    for (const ok of ['localhost', 'localhost:1026', 'x.localhost', '127.0.0.1:4042', '[::1]', '10.0.0.5:8042', 'iot.example', 'IOT.EXAMPLE:80', undefined]) {
      expect(guard.admit(ok, 'test', undefined), String(ok)).toBe(true)
    }
    // Without a wildcard, the machine's other addresses are not listened on: not admitted.
    for (const bad of ['192.168.1.20', 'trainer-pc', 'evil.example.com', 'iot.example.evil.com', '10.0.0.50', '']) expect(guard.admit(bad, 'test', undefined), bad).toBe(false)
    expect(guard.refused).toBe(6)
  })

  it("admits this computer's addresses and name when a wildcard is listened on, as they are now", () => {
    const addresses = own()
    const guard = createHostGuard({ hosts: ['0.0.0.0'], ownAddresses: () => addresses })
    expect(guard.admit('192.168.1.20:1026', 'test', undefined)).toBe(true)
    expect(guard.admit('TRAINER-PC:8042', 'test', undefined)).toBe(true)
    expect(guard.admit('[fe80::1]:1026', 'test', undefined)).toBe(true)
    expect(guard.admit('192.168.1.21', 'test', undefined)).toBe(false)
    addresses.push('192.168.1.21')
    expect(guard.admit('192.168.1.21', 'test', undefined)).toBe(true)
  })

  it('logs a refused name once, and stops logging new names after 100', () => {
    const entries: LogEntry[] = []
    const logger = new Logger('DEBUG', 100, [(e) => entries.push(e)])
    const guard = createHostGuard({ hosts: ['127.0.0.1'], log: logger.child('http') })
    for (let i = 0; i < 3; i++) guard.admit('evil.example.com', 'NGSI', '127.0.0.1')
    expect(entries.filter((e) => e.code === 'HOST_REFUSED')).toHaveLength(1)
    for (let i = 0; i < 150; i++) guard.admit(`n${i}.example.com`, 'NGSI', '127.0.0.1')
    const lines = entries.filter((e) => e.code === 'HOST_REFUSED')
    expect(lines).toHaveLength(101)
    expect(lines[100]!.message).toContain('further ones are only counted')
    expect(guard.refused).toBe(153)
  })
})

describe('configuration of the HTTP guards', () => {
  const dirs: Array<{ path: string; cleanup: () => void }> = []
  const dir = (): string => {
    const d = tempDir()
    dirs.push(d)
    return d.path
  }
  afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()))

  it('defaults: no extra names, CORS off with Orion max age', () => {
    const { config } = loadConfig({ dataDir: dir() })
    expect(config.allowedHosts).toEqual([])
    expect(config.cors).toEqual({ origin: '', maxAge: 86400 })
  })

  it('flags > environment > settings.json, names normalized; fixed settings reported', () => {
    const d = dir()
    writeFileSync(join(d, 'settings.json'), JSON.stringify({ allowedHosts: ['file.example'], cors: { origin: 'http://file.example:3000', maxAge: 60 } }))
    expect(loadConfig({ dataDir: d }).config).toMatchObject({ allowedHosts: ['file.example'], cors: { origin: 'http://file.example:3000', maxAge: 60 } })
    const env = { ULCC_ALLOWED_HOSTS: 'Env.Example, 10.1.2.3', ULCC_CORS_ORIGIN: '__ALL', ULCC_CORS_MAX_AGE: '120' }
    expect(loadConfig({ dataDir: d, env }).config).toMatchObject({ allowedHosts: ['env.example', '10.1.2.3'], cors: { origin: '__ALL', maxAge: 120 } })
    const { values } = parseCli(['--allowed-host', 'a.example', '--allowed-host', 'b.example,[::5]', '--cors-origin', 'https://app.example', '--cors-max-age', '5'])
    const { config } = loadConfig({ dataDir: d, env, flags: values })
    expect(config.allowedHosts).toEqual(['a.example', 'b.example', '::5'])
    expect(config.cors).toEqual({ origin: 'https://app.example', maxAge: 5 })
    expect(fixedSettings(env, values, config)).toMatchObject({ allowedHosts: 'flag', 'cors.origin': 'flag', 'cors.maxAge': 'flag' })
  })

  it('refuses bad names and origins with the flag in the message', () => {
    const flags = (argv: string[]) => parseCli(argv).values
    expect(() => loadConfig({ dataDir: dir(), flags: flags(['--allowed-host', 'host:80']) })).toThrow(ConfigError)
    expect(() => loadConfig({ dataDir: dir(), flags: flags(['--allowed-host', '0.0.0.0']) })).toThrow('--allowed-host')
    expect(() => loadConfig({ dataDir: dir(), flags: flags(['--cors-origin', 'localhost:3000']) })).toThrow('--cors-origin')
    expect(() => loadConfig({ dataDir: dir(), flags: flags(['--cors-origin', 'http://x.example/path']) })).toThrow('--cors-origin')
    expect(() => loadConfig({ dataDir: dir(), env: { ULCC_CORS_MAX_AGE: '-1' } })).toThrow('ULCC_CORS_MAX_AGE')
  })
})
