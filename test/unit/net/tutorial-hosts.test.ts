import { describe, expect, it } from 'vitest'
import {
  BoundServices,
  systemResolves,
  TUTORIAL_HOSTS,
  TutorialHosts,
  tutorialServiceOf,
  type TutorialHostsOptions
} from '../../../electron/engine/net/tutorial-hosts'

/** A resolver whose DNS answers are given by the test, counting the questions. */
function hostsWith(resolving: Set<string>, over: Partial<TutorialHostsOptions> = {}): { hosts: TutorialHosts; asked: string[]; bound: BoundServices } {
  const asked: string[] = []
  const bound = new BoundServices()
  bound.set('devices', [{ host: '127.0.0.1', port: 41001 }])
  bound.set('cygnus', [{ host: '127.0.0.1', port: 41050 }])
  bound.set('contextProvider', [{ host: '::1', port: 41500 }])
  const hosts = new TutorialHosts({
    enabled: () => true,
    address: bound.address,
    resolves: async (name) => {
      asked.push(name)
      return resolving.has(name)
    },
    ...over
  })
  return { hosts, asked, bound }
}

describe('the table of tutorial host names', () => {
  it('maps the tutorials’ ports to services, and other ports to the service the name stands for', () => {
    expect(tutorialServiceOf('dummy-device', 80)).toBe('devices')
    expect(tutorialServiceOf('cygnus', 5050)).toBe('cygnus')
    expect(tutorialServiceOf('cygnus', 5080)).toBe('cygnusApi')
    expect(tutorialServiceOf('cygnus', 9999)).toBe('cygnus')
    expect(tutorialServiceOf('iot-agent', 4041)).toBe('jsonNorth')
    expect(tutorialServiceOf('iot-agent', 4061)).toBe('north')
    expect(tutorialServiceOf('iot-agent', 7896)).toBe('south')
    expect(tutorialServiceOf('Orion', 1026)).toBe('ngsi')
    expect(tutorialServiceOf('context-provider', 5000)).toBe('contextProvider')
    expect(tutorialServiceOf('iot-sensors', 3001)).toBe('devices')
    expect(tutorialServiceOf('example.com', 80)).toBeUndefined()
    expect(tutorialServiceOf('cygnus.example', 5050)).toBeUndefined()
  })

  it('names every host once, in lower case', () => {
    const names = TUTORIAL_HOSTS.map((e) => e.name)
    expect(new Set(names).size).toBe(names.length)
    for (const n of names) expect(n).toBe(n.toLowerCase())
  })
})

describe('TutorialHosts.route', () => {
  it('sends a name that does not resolve to the built-in service on its bound port, same path and query', async () => {
    const { hosts } = hostsWith(new Set())
    const r = await hosts.route('http://dummy-device:80/dht22?x=1')
    expect(r.url).toBe('http://127.0.0.1:41001/dht22?x=1')
    expect(r.routed).toEqual({
      host: 'dummy-device',
      service: 'devices',
      url: 'http://127.0.0.1:41001/dht22?x=1',
      via: 'dummy-device does not resolve on this computer: sent to the built-in HTTP devices'
    })
    // No port in the URL is port 80; IPv6 loopback in brackets; Orion's double slash is kept.
    expect((await hosts.route('http://dummy-device/device1')).url).toBe('http://127.0.0.1:41001/device1')
    expect((await hosts.route('http://context-provider:5000//op/query?limit=20')).url).toBe('http://[::1]:41500//op/query?limit=20')
    expect((await hosts.route('http://CYGNUS:5050/notify')).routed?.service).toBe('cygnus')
  })

  it('leaves a tutorial name that resolves (a real service on the network) alone', async () => {
    const { hosts, asked } = hostsWith(new Set(['cygnus']))
    const r = await hosts.route('http://cygnus:5050/notify')
    expect(r).toEqual({ url: 'http://cygnus:5050/notify' })
    expect(asked).toEqual(['cygnus'])
  })

  it('leaves other hosts, https URLs and services not served here alone, without a DNS question', async () => {
    const { hosts, asked } = hostsWith(new Set())
    expect(await hosts.route('http://192.168.15.8:5000/Device/001')).toEqual({ url: 'http://192.168.15.8:5000/Device/001' })
    expect(await hosts.route('https://cygnus:5050/notify')).toEqual({ url: 'https://cygnus:5050/notify' })
    expect(await hosts.route('not a url')).toEqual({ url: 'not a url' })
    expect(asked).toEqual([])
    // sth is not bound in this test: the URL stays as it is and fails as it would elsewhere.
    expect(await hosts.route('http://sth-comet:8666/version')).toEqual({ url: 'http://sth-comet:8666/version' })
  })

  it('routes nothing when turned off (tutorialHosts false), and asks no DNS', async () => {
    let on = false
    const { hosts, asked } = hostsWith(new Set(), { enabled: () => on })
    expect(hosts.candidate('cygnus')).toBe(false)
    expect(await hosts.route('http://cygnus:5050/notify')).toEqual({ url: 'http://cygnus:5050/notify' })
    expect(asked).toEqual([])
    on = true
    expect((await hosts.route('http://cygnus:5050/notify')).routed?.url).toBe('http://127.0.0.1:41050/notify')
  })

  it('asks the DNS once per name while the answer is remembered, also for requests made meanwhile', async () => {
    const { hosts, asked } = hostsWith(new Set())
    const routes = await Promise.all(Array.from({ length: 50 }, () => hosts.route('http://dummy-device:80/dht22')))
    for (let i = 0; i < 50; i++) await hosts.route('http://dummy-device:80/device1')
    expect(routes.every((r) => r.routed?.service === 'devices')).toBe(true)
    expect(asked).toEqual(['dummy-device'])
    expect(hosts.lastKnown('dummy-device')).toBe(false)
    expect(hosts.lastKnown('cygnus')).toBeUndefined()
  })

  it('asks again once the answer is forgotten', async () => {
    const { hosts, asked } = hostsWith(new Set(), { negativeTtlMs: 0 })
    await hosts.route('http://cygnus:5050/notify')
    await hosts.route('http://cygnus:5050/notify')
    expect(asked).toEqual(['cygnus', 'cygnus'])
  })

  it('follows where a service is bound now', async () => {
    const { hosts, bound } = hostsWith(new Set())
    bound.set('cygnus', [{ host: '0.0.0.0', port: 42000 }])
    expect((await hosts.route('http://cygnus:5050/notify')).url).toBe('http://127.0.0.1:42000/notify')
    bound.delete('cygnus')
    expect((await hosts.route('http://cygnus:5050/notify')).routed).toBeUndefined()
  })
})

describe('BoundServices.address', () => {
  it('prefers 127.0.0.1, then ::1, then a wildcard address, then the first', () => {
    const b = new BoundServices()
    b.set('ngsi', [{ host: '192.168.1.5', port: 1 }, { host: '::1', port: 2 }, { host: '127.0.0.1', port: 3 }])
    expect(b.address('ngsi')).toEqual({ host: '127.0.0.1', port: 3 })
    b.set('ngsi', [{ host: '192.168.1.5', port: 1 }, { host: '::', port: 2 }])
    expect(b.address('ngsi')).toEqual({ host: '::', port: 2 })
    b.set('ngsi', [{ host: '192.168.1.5', port: 1 }])
    expect(b.address('ngsi')).toEqual({ host: '192.168.1.5', port: 1 })
    b.set('ngsi', [])
    expect(b.address('ngsi')).toBeUndefined()
  })
})

describe('systemResolves', () => {
  it('says localhost resolves and a name under .invalid (RFC 6761) does not', async () => {
    expect(await systemResolves('localhost')).toBe(true)
    expect(await systemResolves('dummy-device.invalid')).toBe(false)
  })
})
