import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ExternalBroker, type ExternalBrokerTuning } from '../../electron/engine/broker/external'
import { EmbeddedBroker } from '../../electron/engine/broker/embedded'
import { createBroker } from '../../electron/engine/broker/index'
import { defaultConfig } from '../../electron/engine/config/defaults'
import type { ExternalMqttConfig } from '../../electron/engine/config/types'
import type { BrokerStatus } from '../../electron/engine/broker/types'
import { silentLogger } from '../../electron/engine/log/logger'
import { freePort, MOSQUITTO, MOSQUITTO_PASSWD, OPENSSL, requirePrograms, startMosquitto, type Mosquitto } from '../helpers/mosquitto'
import { waitFor } from '../helpers/wait-for'
import { brokerContract, deviceClient, IngressRecorder, recordingSubscriber, unique } from './broker.contract'

const need = requirePrograms({ mosquitto: MOSQUITTO })
/** Short delays so that reconnection tests do not wait for the production backoff. */
const FAST: ExternalBrokerTuning = { reconnectMinMs: 100, reconnectMaxMs: 400, connectTimeoutMs: 3000, stopGraceMs: 500 }

function external(url: string, extra: Partial<ExternalMqttConfig> = {}): ExternalMqttConfig {
  return { mode: 'external', url, rejectUnauthorized: true, clientId: unique('ulcc'), keepalive: 60, ...extra }
}

/** Client ids of the engine that Mosquitto saw connect, in order. */
function engineIds(log: string, prefix: string): string[] {
  return [...log.matchAll(new RegExp(`New client connected from \\S+ as (${prefix}_[0-9a-f]{8})`, 'g'))].map((m) => m[1]!)
}

describe.skipIf(need.skip)(`external broker against Mosquitto${need.skip ? ` (skipped: ${need.reason})` : ''}`, () => {
  let mosq: Mosquitto
  beforeAll(async () => {
    mosq = await startMosquitto({ verbose: true })
  })
  afterAll(async () => {
    await mosq?.stop()
  })

  brokerContract('external (Mosquitto)', async (ingress, protocolVersion) => {
    const cfg = external(mosq.url, { protocolVersion })
    const broker = new ExternalBroker(cfg, silentLogger(), FAST)
    broker.setIngress(ingress)
    await broker.start()
    const device = await deviceClient(mosq.url, unique('device'), protocolVersion)
    const pubacks = new RegExp(`Received PUBACK from ${cfg.clientId}_[0-9a-f]{8}`, 'g')
    return {
      broker,
      deviceOrigin: 'remote',
      publishAsDevice: async (topic, payload, qos) => {
        await device.publishAsync(topic, payload, { qos })
      },
      subscribeAsClient: (filter) => recordingSubscriber(mosq.url, filter, protocolVersion),
      // Mosquitto logs the packets of a connection in the order it reads them: a PUBACK the
      // engine sent before the barrier is logged before it.
      acknowledged: async () => {
        const barrier = `ulcc-barrier/${unique('b')}`
        await broker.publish(barrier, '')
        await waitFor(() => mosq.log().includes(`'${barrier}'`), 'the barrier in the Mosquitto log')
        return [...mosq.log().matchAll(pubacks)].length
      },
      teardown: async () => {
        await device.endAsync(true)
        await broker.stop()
      }
    }
  })

  describe('ExternalBroker', () => {
    const cleanup: Array<() => Promise<unknown>> = []
    afterEach(async () => {
      for (const fn of cleanup.splice(0).reverse()) await fn()
    })

    function make(cfg: ExternalMqttConfig): { broker: ExternalBroker; rec: IngressRecorder } {
      const broker = new ExternalBroker(cfg, silentLogger(), FAST)
      const rec = new IngressRecorder()
      broker.setIngress(rec.handler)
      cleanup.push(() => broker.stop())
      return { broker, rec }
    }

    it('is what createBroker() returns for mode "external"', async () => {
      const c = defaultConfig('/nonexistent')
      c.mqtt = external(mosq.url)
      expect(await createBroker(c, silentLogger())).toBeInstanceOf(ExternalBroker)
    })

    it('reports the URL without credentials and a client id with a random suffix', async () => {
      const cfg = external(mosq.url.replace('mqtt://', 'mqtt://someone:secret@'))
      const { broker } = make(cfg)
      await broker.start()
      expect(broker.status()).toMatchObject({ kind: 'external', up: true, url: mosq.url, listeners: [], clients: 0, reconnects: 0 })
      expect(engineIds(mosq.log(), cfg.clientId)).toHaveLength(1)
    })

    it('fails start() clearly when nothing listens', async () => {
      const port = await freePort()
      const { broker } = make(external(`mqtt://127.0.0.1:${port}`))
      await expect(broker.start()).rejects.toThrow(`cannot connect to mqtt://127.0.0.1:${port}: connection refused`)
      expect(broker.status()).toMatchObject({ up: false, lastError: expect.stringContaining('connection refused') })
    })

    it('fails start() naming a TLS file that cannot be read, and an unsupported scheme', async () => {
      const missing = '/nonexistent/ca.pem'
      await expect(make(external(mosq.url.replace('mqtt:', 'mqtts:'), { caFile: missing })).broker.start()).rejects.toThrow(
        `cannot read the MQTT CA file ${missing}`
      )
      await expect(make(external(mosq.url, { certFile: '/nonexistent/client.pem', keyFile: '/nonexistent/client.key' })).broker.start()).rejects.toThrow(
        'cannot read the MQTT client certificate file /nonexistent/client.pem'
      )
      await expect(make(external('http://127.0.0.1:1883')).broker.start()).rejects.toThrow(/unsupported MQTT broker URL scheme "http:"/)
      await expect(make(external('not a url')).broker.start()).rejects.toThrow(/invalid MQTT broker URL/)
    })

    it('lists as seen the retained messages Mosquitto sends on subscription, not those it never sent', async () => {
      const apikey = unique('key')
      const device = await deviceClient(mosq.url)
      cleanup.push(() => device.endAsync(true))
      // Held by Mosquitto before the engine connects: sent to the engine's new subscription with the retain flag.
      await device.publishAsync(`/${apikey}/d1/attrs`, 't|1', { qos: 1, retain: true })
      // Not on a topic the engine subscribes to: never seen.
      await device.publishAsync(`elsewhere/${apikey}`, 'x', { qos: 1, retain: true })
      const { broker, rec } = make(external(mosq.url))
      await broker.start()
      await waitFor(() => rec.on(`/${apikey}/d1/attrs`).length === 1, 'the retained message at the ingress')
      expect(rec.on(`/${apikey}/d1/attrs`)[0]!.retain).toBe(true)
      const listed = await broker.retained(1000)
      expect(listed.source).toBe('seen')
      const mine = listed.messages.filter((m) => m.topic.includes(apikey))
      expect(mine.map((m) => [m.topic, m.payload.toString(), m.qos])).toEqual([[`/${apikey}/d1/attrs`, 't|1', 1]])
      expect(mine[0]!.seenAt).toBeGreaterThan(0)
      await device.publishAsync(`/${apikey}/d1/attrs`, '', { qos: 1, retain: true })
      await device.publishAsync(`elsewhere/${apikey}`, '', { qos: 1, retain: true })
    })

    it('accepts tcp:// as an alias of mqtt://', async () => {
      const { broker } = make(external(mosq.url.replace('mqtt:', 'tcp:')))
      await broker.start()
      expect(broker.status().url).toBe(mosq.url)
    })

    it('reconnects after the broker dies: new client id suffix, subscriptions again, outage in status', async () => {
      const cfg = external(mosq.url)
      const { broker, rec } = make(cfg)
      const statuses: BrokerStatus[] = []
      broker.onStatus((s) => statuses.push(s))
      await broker.start()
      const apikey = unique('key')
      const internal: string[] = []
      await broker.subscribe(`/${apikey}/+/cmd`, (topic) => internal.push(topic))

      await mosq.kill()
      await waitFor(() => !broker.status().up, 'the outage in status')
      await expect(broker.publish(`/${apikey}/d/cmd`, 'x')).rejects.toThrow(`cannot publish to /${apikey}/d/cmd: not connected to ${mosq.url}`)
      await waitFor(() => broker.status().reconnects >= 2, 'failed reconnection attempts')
      expect(broker.status().lastError).toMatch(/connection refused|lost the connection/)

      await mosq.restart()
      await waitFor(() => broker.status().up, 'the reconnection', 10_000)
      expect(broker.status().reconnects).toBe(0)
      expect(statuses.some((s) => !s.up && s.reconnects > 0)).toBe(true)
      // One id per connection (the helper keeps the log of both lives of Mosquitto).
      const ids = engineIds(mosq.log(), cfg.clientId)
      expect(ids).toHaveLength(2)
      expect(ids[1]).not.toBe(ids[0])

      // Both the agent's filters and the internal subscription were made again.
      const device = await deviceClient(mosq.url)
      cleanup.push(() => device.endAsync(true))
      await device.publishAsync(`ul/${apikey}/d/attrs`, 't|5', { qos: 1 })
      await device.publishAsync(`/${apikey}/d/cmd`, 'd@ping|', { qos: 1 })
      await waitFor(() => rec.on(`ul/${apikey}/d/attrs`).length === 1 && internal.length === 1, 'deliveries after the reconnection')
      await broker.publish(`/${apikey}/d2/cmd`, 'after', { qos: 1 })
      await waitFor(() => internal.length === 2, 'the engine publication at the internal subscription')
    })

    it('rejects a publication in flight when the connection drops, instead of leaving it pending', async () => {
      const { broker } = make(external(mosq.url))
      await broker.start()
      mosq.pause()
      const inFlight = broker.publish(`/${unique('key')}/d/cmd`, 'x', { qos: 1 }).then(
        () => 'published',
        (err: Error) => err.message
      )
      await mosq.kill()
      expect(await inFlight).toMatch(/^cannot publish to \/\S+: connection closed/i)
      await mosq.restart()
      await waitFor(() => broker.status().up, 'the reconnection', 10_000)
    })

    it('connects over WebSocket (to the embedded broker, any path)', async () => {
      const c = defaultConfig('/nonexistent')
      c.hosts = ['127.0.0.1']
      c.ports.mqtt = 0
      c.ports.mqttWs = 0
      const embedded = new EmbeddedBroker(c, silentLogger())
      const seenByEmbedded = new IngressRecorder()
      embedded.setIngress(seenByEmbedded.handler)
      await embedded.start()
      cleanup.push(() => embedded.stop())
      const ws = embedded.status().listeners.find((l) => l.protocol === 'ws')!.port
      const { broker, rec } = make(external(`ws://127.0.0.1:${ws}/mqtt`))
      await broker.start()
      await embedded.publish('/k/wsdev/attrs', 't|1', { qos: 1 })
      await waitFor(() => rec.on('/k/wsdev/attrs').length === 1, 'the message over WebSocket')
      expect(rec.on('/k/wsdev/attrs')[0]!.origin).toBe('remote')
    })

    it.skipIf(!MOSQUITTO_PASSWD)('authenticates with user name and password', async () => {
      const secured = await startMosquitto({ users: { agent: 's3cret' } })
      cleanup.push(() => secured.stop())
      const good = make(external(secured.url, { username: 'agent', password: 's3cret' })).broker
      await good.start()
      expect(good.status().up).toBe(true)
      const bad = make(external(secured.url, { username: 'agent', password: 'wrong' })).broker
      await expect(bad.start()).rejects.toThrow(`cannot connect to ${secured.url}: refused by the broker: not authorized`)
    })

    it.skipIf(!OPENSSL)('connects over TLS, verifying the broker with the CA file unless told not to', async () => {
      const tls = await startMosquitto({ tls: true })
      cleanup.push(() => tls.stop())
      const trusted = make(external(tls.url, { caFile: tls.caFile })).broker
      await trusted.start()
      expect(trusted.status()).toMatchObject({ up: true, url: tls.url })
      const alias = make(external(tls.url.replace('mqtts:', 'tls:'), { caFile: tls.caFile })).broker
      await alias.start()
      await expect(make(external(tls.url)).broker.start()).rejects.toThrow(`cannot connect to ${tls.url}: TLS: self-signed certificate`)
      const unverified = make(external(tls.url, { rejectUnauthorized: false })).broker
      await unverified.start()
      expect(unverified.status().up).toBe(true)
    })
  })
})
