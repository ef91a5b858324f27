import { afterEach, describe, expect, it } from 'vitest'
import { createConnection } from 'node:net'
import { connectAsync, type MqttClient } from 'mqtt'
import { EmbeddedBroker } from '../../electron/engine/broker/embedded'
import { createBroker } from '../../electron/engine/broker/index'
import { defaultConfig } from '../../electron/engine/config/defaults'
import type { EngineConfig } from '../../electron/engine/config/types'
import type { BrokerStatus, MqttBroker } from '../../electron/engine/broker/types'
import { Logger, silentLogger } from '../../electron/engine/log/logger'
import { waitFor } from '../helpers/wait-for'
import { brokerContract, IngressRecorder, recordingSubscriber } from './broker.contract'
import { embeddedSetup } from './embedded-setup'

function config(hosts = ['127.0.0.1']): EngineConfig {
  const c = defaultConfig('/nonexistent')
  c.hosts = hosts
  c.ports.mqtt = 0
  c.ports.mqttWs = 0
  return c
}

function portOf(broker: MqttBroker, protocol: 'mqtt' | 'ws', host = '127.0.0.1'): number {
  const l = broker.status().listeners.find((x) => x.protocol === protocol && x.host === host)
  if (!l) throw new Error(`no ${protocol} listener on ${host}`)
  return l.port
}

brokerContract('embedded (Aedes)', embeddedSetup(() => config()))

describe('EmbeddedBroker', () => {
  const cleanup: Array<() => Promise<unknown>> = []
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn()
  })

  async function started(hosts?: string[]): Promise<{ broker: EmbeddedBroker; rec: IngressRecorder; url: string }> {
    const broker = new EmbeddedBroker(config(hosts), silentLogger())
    const rec = new IngressRecorder()
    broker.setIngress(rec.handler)
    await broker.start()
    cleanup.push(() => broker.stop())
    return { broker, rec, url: `mqtt://127.0.0.1:${portOf(broker, 'mqtt')}` }
  }

  async function client(url: string, opts: Parameters<typeof connectAsync>[1] = {}): Promise<MqttClient> {
    const c = await connectAsync(url, { reconnectPeriod: 0, connectTimeout: 5000, ...opts })
    cleanup.push(() => c.endAsync(true))
    return c
  }

  it('is what createBroker() returns for mode "embedded"', async () => {
    expect(await createBroker(config(), silentLogger())).toBeInstanceOf(EmbeddedBroker)
  })

  it('listens for TCP and WebSocket on every loopback address, one port per protocol', async () => {
    const { broker, rec } = await started(['127.0.0.1', '::1'])
    const hosts = broker.status().listeners.filter((l) => l.protocol === 'mqtt').map((l) => l.host)
    expect(hosts).toContain('127.0.0.1')
    for (const protocol of ['mqtt', 'ws'] as const) {
      expect(new Set(broker.status().listeners.filter((l) => l.protocol === protocol).map((l) => l.port)).size).toBe(1)
    }
    const urls = [`mqtt://127.0.0.1:${portOf(broker, 'mqtt')}`, `ws://127.0.0.1:${portOf(broker, 'ws')}`]
    if (hosts.includes('::1')) urls.push(`mqtt://[::1]:${portOf(broker, 'mqtt', '::1')}`, `ws://[::1]:${portOf(broker, 'ws', '::1')}/mqtt`)
    for (const [i, url] of urls.entries()) {
      // mqtt.js drops the brackets of an IPv6 host when it builds a ws URL.
      const c = await client(url, url.startsWith('ws') ? { transformWsUrl: () => url } : {})
      await c.publishAsync(`/k/host${i}/attrs`, url, { qos: 1 })
      expect(rec.on(`/k/host${i}/attrs`)[0]?.payload.toString()).toBe(url)
    }
  })

  it('accepts WebSocket clients on any path with the mqtt sub-protocol, and answers plain HTTP with 426', async () => {
    const { broker, rec } = await started()
    const ws = portOf(broker, 'ws')
    for (const path of ['', '/mqtt', '/some/where']) {
      const c = await client(`ws://127.0.0.1:${ws}${path}`)
      await c.publishAsync(`/k/ws${path.length}/attrs`, path, { qos: 1 })
    }
    expect(rec.messages.map((m) => m.payload.toString())).toEqual(['', '/mqtt', '/some/where'])
    // A payload far larger than one WebSocket frame of a typical client arrives whole.
    const big = Buffer.alloc(1024 * 1024, 0xa5)
    const c = await client(`ws://127.0.0.1:${ws}/mqtt`)
    await c.publishAsync('/k/wsbig/attrs', big, { qos: 1 })
    expect(rec.on('/k/wsbig/attrs')[0]!.payload.equals(big)).toBe(true)
    const res = await fetch(`http://127.0.0.1:${ws}/`)
    expect(res.status).toBe(426)
    await res.text()
  })

  it('withholds the PUBREC of a QoS 2 publication until done()', async () => {
    const { broker, url, rec } = await started()
    const c = await client(url)
    const received: string[] = []
    c.on('message', (topic) => received.push(topic))
    await c.subscribeAsync('barrier', { qos: 0 })
    rec.hold('/k/q2/attrs')
    let completed = false
    const published = c.publishAsync('/k/q2/attrs', 'x', { qos: 2 }).then(() => (completed = true))
    await waitFor(() => rec.held.get('/k/q2/attrs')?.length === 1, 'the held QoS 2 message')
    // Barrier on the same connection: a PUBREC written earlier would arrive before this message.
    await broker.publish('barrier', '')
    await waitFor(() => received.includes('barrier'), 'the barrier')
    expect(completed).toBe(false)
    rec.release('/k/q2/attrs')
    await published
    expect(rec.on('/k/q2/attrs')).toHaveLength(1)
  })

  it('keeps clients out of $SYS, passes other $ topics to the ingress only, disconnects on wildcards', async () => {
    const { broker, url, rec } = await started()
    const all: string[] = []
    await broker.subscribe('#', (topic) => all.push(topic))
    const sys = await client(url)
    const closed = new Promise<void>((resolve) => sys.once('close', () => resolve()))
    sys.publish('$SYS/fake', 'x', { qos: 1 })
    await closed
    const c = await client(url)
    await c.publishAsync('$app/state', 'dollar', { qos: 1 })
    await c.publishAsync('plain/topic', 'p', { qos: 1 })
    await waitFor(() => all.includes('plain/topic'), 'the plain topic at the # subscription')
    expect(rec.on('$SYS/fake')).toHaveLength(0)
    expect(rec.on('$app/state')).toHaveLength(1)
    expect(all.filter((t) => t.startsWith('$'))).toEqual([])
    const wild = await client(url)
    const wildClosed = new Promise<void>((resolve) => wild.once('close', () => resolve()))
    // mqtt.js checks its own topics; write the packet as a misbehaving device would.
    ;(wild as unknown as { _sendPacket(p: object): void })._sendPacket({ cmd: 'publish', topic: 'a/#', payload: Buffer.from('w'), qos: 0, retain: false, dup: false })
    await wildClosed
    expect(rec.on('a/#')).toHaveLength(0)
  })

  it('accepts long client ids, as Mosquitto does', async () => {
    const { url, rec } = await started()
    const c = await client(url, { clientId: 'a-device-with-a-rather-long-client-identifier-' + 'x'.repeat(40) })
    await c.publishAsync('/k/long/attrs', 'ok', { qos: 1 })
    expect(rec.on('/k/long/attrs')[0]?.clientId).toMatch(/^a-device-with/)
  })

  it('survives an ingress that throws: the message is still acknowledged and logged', async () => {
    const logger = new Logger('DEBUG', 100)
    const broker = new EmbeddedBroker(config(), logger)
    broker.setIngress(() => {
      throw new Error('boom')
    })
    await broker.start()
    cleanup.push(() => broker.stop())
    const c = await client(`mqtt://127.0.0.1:${portOf(broker, 'mqtt')}`)
    // publishAsync at QoS 1 settles on the PUBACK.
    const acked = await c.publishAsync('/k/d/attrs', 'x', { qos: 1 }).then(
      () => 'acknowledged',
      (e: Error) => e.message
    )
    expect(acked).toBe('acknowledged')
    await c.publishAsync('/k/d/attrs', 'y', { qos: 0 })
    const failures = await waitFor(() => {
      const f = logger.recent().filter((e) => e.code === 'INGRESS_ERROR')
      return f.length === 2 && f
    }, 'both failures logged')
    expect(failures.map((e) => e.code)).toEqual(['INGRESS_ERROR', 'INGRESS_ERROR'])
    // Still serving: the same client is connected and another one can connect.
    expect(c.connected).toBe(true)
    expect((await client(`mqtt://127.0.0.1:${portOf(broker, 'mqtt')}`)).connected).toBe(true)
  })

  it('counts clients and reports each connect and disconnect', async () => {
    const { broker, url } = await started()
    const seen: BrokerStatus[] = []
    broker.onStatus((s) => seen.push(s))
    const a = await client(url)
    const b = await client(url)
    await waitFor(() => broker.status().clients === 2, 'two clients')
    await a.endAsync()
    await b.endAsync()
    await waitFor(() => broker.status().clients === 0, 'no client')
    expect(seen.map((s) => s.clients)).toEqual([1, 2, 1, 0])
  })

  it('names the port when it is taken', async () => {
    const { broker } = await started()
    const taken = portOf(broker, 'mqtt')
    const c = config()
    c.ports.mqtt = taken
    const second = new EmbeddedBroker(c, silentLogger())
    await expect(second.start()).rejects.toThrow(`port ${taken} on 127.0.0.1 is already in use`)
    expect(second.status()).toMatchObject({ up: false, lastError: expect.stringContaining(String(taken)) })
    await second.stop()
  })

  it('stops without hanging on a socket that never sent CONNECT, nor on a held acknowledgement, closing WebSocket clients too', async () => {
    const { broker, url, rec } = await started()
    const raw = createConnection({ host: '127.0.0.1', port: portOf(broker, 'mqtt') })
    await new Promise<void>((resolve) => raw.once('connect', () => resolve()))
    const rawClosed = new Promise<void>((resolve) => raw.once('close', () => resolve()))
    const c = await client(url)
    rec.hold('/k/held/attrs')
    c.publish('/k/held/attrs', 'x', { qos: 1 })
    await waitFor(() => rec.held.size === 1, 'the held message')
    const deviceClosed = new Promise<void>((resolve) => c.once('close', () => resolve()))
    const wsClient = await client(`ws://127.0.0.1:${portOf(broker, 'ws')}/mqtt`)
    const wsClosed = new Promise<void>((resolve) => wsClient.once('close', () => resolve()))
    await broker.stop()
    await rawClosed
    await deviceClosed
    await wsClosed
    expect(broker.status()).toMatchObject({ up: false, listeners: [], clients: 0 })
    await expect(broker.start()).rejects.toThrow(/stopped/)
  })

  it('acknowledges held messages released during stop() before closing connections', async () => {
    const { broker, url, rec } = await started()
    const c = await client(url)
    rec.hold('/k/late/attrs')
    const published = c.publishAsync('/k/late/attrs', 'x', { qos: 1 })
    await waitFor(() => rec.held.size === 1, 'the held message')
    const stopping = broker.stop()
    rec.release('/k/late/attrs')
    // publishAsync at QoS 1 settles on the PUBACK, or fails when the connection closes first.
    const outcome = await published.then(
      () => 'acknowledged',
      (e: Error) => `not acknowledged: ${e.message}`
    )
    await stopping
    expect(outcome).toBe('acknowledged')
    expect(rec.on('/k/late/attrs')).toHaveLength(1)
    expect(broker.status().up).toBe(false)
  })

  it('delivers retained engine publications to later subscribers', async () => {
    const { broker, url } = await started()
    await broker.publish('/k/d/configuration/values', 'd@cfg|1', { qos: 1, retain: true })
    const sub = await recordingSubscriber(url, '/k/d/configuration/values')
    cleanup.push(() => sub.close())
    await waitFor(() => sub.messages.length === 1, 'the retained message')
    expect(sub.messages[0]!.payload.toString()).toBe('d@cfg|1')
  })

  it('lists the retained publications of its clients as held by the broker, and refuses to list when stopped', async () => {
    const { broker, url } = await started()
    const device = await client(url)
    await device.publishAsync('/k/d1/attrs', 't|1', { qos: 1, retain: true })
    await device.publishAsync('plain/not-retained', 'x', { qos: 1 })
    const listed = await broker.retained(100)
    expect(listed).toMatchObject({ source: 'broker', more: false })
    expect(listed.messages.map((m) => [m.topic, m.payload.toString(), m.qos, m.size])).toEqual([['/k/d1/attrs', 't|1', 1, 3]])
    await device.publishAsync('/k/d1/attrs', '', { qos: 1, retain: true })
    expect((await broker.retained(100)).messages).toEqual([])
    await broker.stop()
    await expect(broker.retained(10)).rejects.toThrow(/not running/)
  })
})
