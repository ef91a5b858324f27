import { describe, expect, it } from 'vitest'
import { exposedHosts, isLoopbackHost, loopbackOnly } from '../../../shared/loopback'

describe('loopback addresses (shared/loopback.ts)', () => {
  it('knows the names and addresses of this computer', () => {
    for (const h of ['localhost', 'LocalHost', 'gui.localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]', '0:0:0:0:0:0:0:1', ' 127.0.0.1 ']) {
      expect(isLoopbackHost(h), h).toBe(true)
    }
  })

  it('does not take wildcards, other addresses or look-alike names for loopback', () => {
    for (const h of ['0.0.0.0', '::', '[::]', '192.168.1.10', '10.0.0.1', '127.0.0.256', '127.0.0', '127.0.0.1.nip.io', 'localhost.example.com', 'mylocalhost', '::2', '']) {
      expect(isLoopbackHost(h), h).toBe(false)
    }
  })

  it('reads the hostname of a URL as the engine gets it', () => {
    expect(isLoopbackHost(new URL('http://[::1]:4041/').hostname)).toBe(true)
    expect(isLoopbackHost(new URL('http://127.1:4041/').hostname)).toBe(true)
    expect(isLoopbackHost(new URL('http://orion:1026/').hostname)).toBe(false)
  })

  it('tells which listening addresses reach beyond this computer', () => {
    expect(loopbackOnly(['127.0.0.1', '::1'])).toBe(true)
    expect(loopbackOnly(['127.0.0.1', '0.0.0.0'])).toBe(false)
    expect(exposedHosts(['127.0.0.1', '::1', 'localhost', '0.0.0.0', '192.168.1.10'])).toEqual(['0.0.0.0', '192.168.1.10'])
  })
})
