import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { connectAsync, type MqttClient } from 'mqtt'
import type { QoS } from '../../electron/engine/config/types'
import { RETAINED_MAX, RETAINED_PREVIEW_BYTES, type BrokerStatus, type IngressHandler, type MessageOrigin, type MqttBroker, type MqttMessage } from '../../electron/engine/broker/types'
import { waitFor } from '../helpers/wait-for'

/**
 * The contract every MqttBroker implementation passes, as aedes-persistence's abstract suite
 * does for Aedes persistences. Each implementation supplies a harness: the broker under test,
 * started with the given ingress, and a real device-side MQTT client connected to the broker
 * the devices see (the embedded broker itself, or the external Mosquitto).
 */

export interface DeviceSubscription {
  messages: Array<{ topic: string; payload: Buffer }>
  close(): Promise<void>
}

export interface BrokerHarness {
  broker: MqttBroker
  /** The origin the ingress gives a device's publication ('client' embedded, 'remote' external). */
  deviceOrigin: MessageOrigin
  /** Publishes as the device; resolves when its publish completes (the PUBACK, for QoS 1). */
  publishAsDevice(topic: string, payload: string | Buffer, qos: QoS): Promise<void>
  /** A separate device-side client subscribed to `filter`, recording what it receives. */
  subscribeAsClient(filter: string): Promise<DeviceSubscription>
  /**
   * How many QoS 1 device publications the engine side has acknowledged so far: the PUBACKs the
   * device received from the embedded broker, or the PUBACKs the engine's client sent to the
   * external broker. Read after a barrier that any earlier acknowledgement precedes on the same
   * connection, so "not yet" is a fact, not a timing guess.
   */
  acknowledged(): Promise<number>
  teardown(): Promise<void>
}

/** The MQTT protocol versions the suite runs with: 3.1.1 (4) and 5, side by side on the same broker. */
export type MqttProtocolVersion = 4 | 5
export const PROTOCOL_VERSIONS: readonly MqttProtocolVersion[] = [4, 5]

/** `protocolVersion`: the version of every MQTT client of the harness (devices, and the engine's own client for an external broker). */
export type BrokerSetup = (ingress: IngressHandler, protocolVersion: MqttProtocolVersion) => Promise<BrokerHarness>

/** An ingress that records every message and can hold the done() of chosen topics. */
export class IngressRecorder {
  readonly messages: MqttMessage[] = []
  readonly held = new Map<string, Array<(err?: Error) => void>>()
  private holdTopics = new Set<string>()

  readonly handler: IngressHandler = (msg, done) => {
    this.messages.push(msg)
    if (msg.qos > 0 && this.holdTopics.has(msg.topic)) {
      const list = this.held.get(msg.topic) ?? []
      list.push(done)
      this.held.set(msg.topic, list)
    } else done()
  }

  hold(topic: string): void {
    this.holdTopics.add(topic)
  }

  release(topic: string): void {
    this.holdTopics.delete(topic)
    for (const done of this.held.get(topic) ?? []) done()
    this.held.delete(topic)
  }

  on(topic: string): MqttMessage[] {
    return this.messages.filter((m) => m.topic === topic)
  }
}

/** The 16 topic variants of the agent (docs/compatibility/iot-agent-ul.md §3.1): 4 suffixes × leading slash × `ul/` prefix. */
export function agentTopicVariants(apikey: string, deviceId: string): string[] {
  const tails = [`${apikey}/${deviceId}/attrs`, `${apikey}/${deviceId}/attrs/t`, `${apikey}/${deviceId}/cmdexe`, `${apikey}/${deviceId}/configuration/commands`]
  return tails.flatMap((t) => ['/', '', '/ul/', 'ul/'].map((p) => p + t))
}

let seq = 0
/** A name unique in this process, so that tests sharing one external broker never mix. */
export function unique(prefix: string): string {
  return `${prefix}${process.pid}x${++seq}`
}

/** Every byte value, so that any re-encoding of a payload shows. */
const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i))

export function brokerContract(name: string, setup: BrokerSetup): void {
  for (const version of PROTOCOL_VERSIONS) contractFor(`${name}, MQTT ${version === 5 ? '5' : '3.1.1'}`, (ingress) => setup(ingress, version))
}

function contractFor(name: string, setup: (ingress: IngressHandler) => Promise<BrokerHarness>): void {
  describe(`MqttBroker contract: ${name}`, () => {
    let h: BrokerHarness
    let rec: IngressRecorder

    beforeEach(async () => {
      rec = new IngressRecorder()
      h = await setup(rec.handler)
    })
    afterEach(async () => {
      // Release whatever a failed test left held, so teardown does not wait for it.
      for (const topic of [...rec.held.keys()]) rec.release(topic)
      await h.teardown()
    })

    it('hands every one of the 16 agent topic variants to the ingress, payload bytes intact', async () => {
      const apikey = unique('key')
      const topics = agentTopicVariants(apikey, 'dev1')
      expect(new Set(topics).size).toBe(16)
      for (const [i, topic] of topics.entries()) {
        await h.publishAsDevice(topic, Buffer.concat([Buffer.from(`${i}|`), ALL_BYTES]), (i % 2) as QoS)
      }
      await waitFor(() => topics.every((t) => rec.on(t).length > 0), 'the 16 variants at the ingress')
      for (const [i, topic] of topics.entries()) {
        const [msg, ...more] = rec.on(topic)
        expect(more).toHaveLength(0)
        expect(msg!.origin).toBe(h.deviceOrigin)
        expect(msg!.qos).toBe(i % 2)
        expect(msg!.payload.equals(Buffer.concat([Buffer.from(`${i}|`), ALL_BYTES]))).toBe(true)
      }
    })

    it('withholds the acknowledgement of a QoS 1 publication until the ingress calls done()', async () => {
      const topic = `/${unique('key')}/dev1/attrs`
      const before = await h.acknowledged()
      rec.hold(topic)
      let deviceDone = false
      const published = h.publishAsDevice(topic, 't|21', 1).then(() => (deviceDone = true))
      await waitFor(() => rec.held.get(topic)?.length === 1, 'the held message at the ingress')
      expect(await h.acknowledged()).toBe(before)
      if (h.deviceOrigin === 'client') expect(deviceDone).toBe(false)
      rec.release(topic)
      await published
      await waitFor(async () => (await h.acknowledged()) === before + 1, 'the acknowledgement after done()')
    })

    it('acknowledges when done() is called with an error, and keeps the connection', async () => {
      const topic = `/${unique('key')}/dev1/attrs`
      const before = await h.acknowledged()
      rec.hold(topic)
      const published = h.publishAsDevice(topic, 'bad', 1)
      await waitFor(() => rec.held.get(topic)?.length === 1, 'the held message')
      rec.held.get(topic)![0]!(new Error('processing failed'))
      rec.held.delete(topic)
      await published
      await waitFor(async () => (await h.acknowledged()) === before + 1, 'the acknowledgement after done(err)')
      const next = `/${unique('key')}/dev1/attrs`
      await h.publishAsDevice(next, 'x', 1)
      await waitFor(() => rec.on(next).length === 1, 'a later message on the same connection')
    })

    it('publishes as the engine to a device subscribed to its command topic, through the ingress', async () => {
      const apikey = unique('key')
      const cmdTopic = `/${apikey}/dev1/cmd`
      const device = await h.subscribeAsClient(cmdTopic)
      try {
        await h.broker.publish(cmdTopic, 'dev1@switch|on', { qos: 1 })
        await waitFor(() => device.messages.length === 1, 'the command at the device')
        expect(device.messages[0]!.topic).toBe(cmdTopic)
        expect(device.messages[0]!.payload.toString()).toBe('dev1@switch|on')
        const seen = rec.on(cmdTopic)
        expect(seen).toHaveLength(1)
        expect(seen[0]!.origin).toBe('engine')
        expect(seen[0]!.qos).toBe(1)
      } finally {
        await device.close()
      }
    })

    it('hands an engine publication on an agent topic to the ingress exactly once', async () => {
      const apikey = unique('key')
      const topic = `/${apikey}/sim1/attrs`
      await h.broker.publish(topic, 't|1', { qos: 1 })
      // A device message published after it arrives after any copy of it would.
      const marker = `/${apikey}/marker/attrs`
      await h.publishAsDevice(marker, 'm|1', 1)
      await waitFor(() => rec.on(marker).length === 1, 'the marker at the ingress')
      expect(rec.on(topic).map((m) => m.origin)).toEqual(['engine'])
    })

    it('hands a message matching both an agent filter and an internal subscription to the ingress once', async () => {
      const apikey = unique('key')
      const got: string[] = []
      const unsubscribe = await h.broker.subscribe(`/${apikey}/#`, (topic) => got.push(topic))
      const topic = `/${apikey}/dev1/attrs`
      await h.publishAsDevice(topic, 't|2', 1)
      const marker = `/${apikey}/marker/attrs`
      await h.publishAsDevice(marker, 'm', 1)
      await waitFor(() => got.includes(marker) && rec.on(marker).length === 1, 'the marker')
      expect(rec.on(topic)).toHaveLength(1)
      expect(got.filter((t) => t === topic)).toHaveLength(1)
      await unsubscribe()
    })

    it('routes internal subscriptions (+ and #) and stops after unsubscribe', async () => {
      const apikey = unique('key')
      const a: Array<[string, string]> = []
      const b: string[] = []
      const offA = await h.broker.subscribe(`/${apikey}/+/cmd`, (topic, payload) => a.push([topic, payload.toString()]))
      const offB = await h.broker.subscribe(`/${apikey}/#`, (topic) => b.push(topic))
      await h.publishAsDevice(`/${apikey}/d1/cmd`, 'from device', 1)
      await h.broker.publish(`/${apikey}/d2/cmd`, 'from engine', { qos: 1 })
      await h.publishAsDevice(`/${apikey}/d1/other`, 'not for a', 1)
      await waitFor(() => b.length === 3, 'three messages on the # subscription')
      // The device's and the engine's publications travel different paths: compare as sets.
      expect([...a].sort()).toEqual([
        [`/${apikey}/d1/cmd`, 'from device'],
        [`/${apikey}/d2/cmd`, 'from engine']
      ])
      await offA()
      await offA()
      await h.publishAsDevice(`/${apikey}/d3/cmd`, 'after', 1)
      await waitFor(() => b.includes(`/${apikey}/d3/cmd`), 'the message on the remaining subscription')
      expect(a).toHaveLength(2)
      await offB()
    })

    it('delivers 1 MB payloads whole, both ways', async () => {
      const apikey = unique('key')
      const big = Buffer.alloc(1024 * 1024)
      for (let i = 0; i < big.length; i++) big[i] = (i * 7 + 3) & 0xff
      const topic = `/${apikey}/dev1/attrs`
      await h.publishAsDevice(topic, big, 1)
      await waitFor(() => rec.on(topic).length === 1, 'the large message at the ingress')
      expect(rec.on(topic)[0]!.payload.equals(big)).toBe(true)
      const cmdTopic = `/${apikey}/dev1/cmd`
      const device = await h.subscribeAsClient(cmdTopic)
      try {
        await h.broker.publish(cmdTopic, big, { qos: 1 })
        await waitFor(() => device.messages.length === 1, 'the large message at the device')
        expect(device.messages[0]!.payload.equals(big)).toBe(true)
      } finally {
        await device.close()
      }
    })

    it('rejects publishing to an invalid topic and subscribing to an invalid filter', async () => {
      await expect(h.broker.publish('a/#', 'x')).rejects.toThrow(/wildcard/)
      await expect(h.broker.publish('', 'x')).rejects.toThrow(/empty/)
      await expect(h.broker.subscribe('a/#/b', () => undefined)).rejects.toThrow(/#/)
      await expect(h.broker.subscribe('a/b+', () => undefined)).rejects.toThrow(/\+/)
    })

    it('reports its status and counts messages', async () => {
      const s0 = h.broker.status()
      expect(s0.kind).toBe(h.broker.kind)
      expect(s0.up).toBe(true)
      expect(s0.reconnects).toBe(0)
      const topic = `/${unique('key')}/dev1/attrs`
      await h.publishAsDevice(topic, 'a', 1)
      await waitFor(() => rec.on(topic).length === 1, 'the message')
      await h.broker.publish(`/${unique('key')}/dev1/cmd`, 'c')
      const s1 = h.broker.status()
      expect(s1.messagesIn).toBeGreaterThan(s0.messagesIn)
      expect(s1.messagesOut).toBe(s0.messagesOut + 1)
    })

    it('lists an engine retained publication with its QoS and size, and forgets it once cleared', async () => {
      const topic = `${unique('retained')}/dev1/state`
      const big = Buffer.alloc(RETAINED_PREVIEW_BYTES + 500, 0x61)
      await h.broker.publish(topic, big, { qos: 1, retain: true })
      const listed = await h.broker.retained(RETAINED_MAX)
      expect(listed.source).toBe(h.broker.kind === 'embedded' ? 'broker' : 'seen')
      const found = listed.messages.filter((m) => m.topic === topic)
      expect(found).toHaveLength(1)
      expect(found[0]!.qos).toBe(1)
      expect(found[0]!.size).toBe(big.length)
      expect(found[0]!.payload.equals(big.subarray(0, RETAINED_PREVIEW_BYTES))).toBe(true)
      // An empty retained payload removes the retained message (MQTT 3.1.1 §3.3.1.3).
      await h.broker.publish(topic, '', { qos: 1, retain: true })
      expect((await h.broker.retained(RETAINED_MAX)).messages.some((m) => m.topic === topic)).toBe(false)
      // A later subscriber gets no retained message: a marker sent after its subscription arrives alone.
      const later = await h.subscribeAsClient(`${topic}/#`)
      try {
        const marker = `${topic}/marker`
        await h.broker.publish(marker, 'm', { qos: 1 })
        await waitFor(() => later.messages.length > 0, 'the marker at the later subscriber')
        expect(later.messages.map((m) => m.topic)).toEqual([marker])
      } finally {
        await later.close()
      }
    })

    it('lists no more retained messages than the limit, and says there are more', async () => {
      const prefix = unique('retained')
      for (let i = 0; i < 3; i++) await h.broker.publish(`${prefix}/d${i}`, `v${i}`, { qos: 0, retain: true })
      const two = await h.broker.retained(2)
      expect(two.messages).toHaveLength(2)
      expect(two.more).toBe(true)
      const all = await h.broker.retained(RETAINED_MAX)
      const mine = all.messages.filter((m) => m.topic.startsWith(`${prefix}/`))
      expect(mine.map((m) => [m.topic, m.payload.toString()]).sort()).toEqual([0, 1, 2].map((i) => [`${prefix}/d${i}`, `v${i}`]))
      for (let i = 0; i < 3; i++) await h.broker.publish(`${prefix}/d${i}`, '', { qos: 0, retain: true })
    })

    it('stops cleanly and idempotently, and refuses to publish afterwards', async () => {
      const seen: BrokerStatus[] = []
      const off = h.broker.onStatus((s) => seen.push(s))
      await Promise.all([h.broker.stop(), h.broker.stop()])
      await h.broker.stop()
      expect(h.broker.status().up).toBe(false)
      expect(seen.at(-1)?.up).toBe(false)
      await expect(h.broker.publish('/k/d/cmd', 'x')).rejects.toThrow(/cannot publish/)
      off()
    })
  })
}

/** A device-side mqtt.js client that fails the test on a connection problem instead of retrying. */
export async function deviceClient(url: string, clientId = unique('device'), protocolVersion: MqttProtocolVersion = 4): Promise<MqttClient> {
  return connectAsync(url, { clientId, reconnectPeriod: 0, connectTimeout: 5000, protocolVersion })
}

/** A device-side subscriber recording what it receives. */
export async function recordingSubscriber(url: string, filter: string, protocolVersion: MqttProtocolVersion = 4): Promise<DeviceSubscription> {
  const client = await deviceClient(url, unique('device'), protocolVersion)
  const messages: Array<{ topic: string; payload: Buffer }> = []
  client.on('message', (topic, payload) => messages.push({ topic, payload }))
  await client.subscribeAsync(filter, { qos: 1 })
  return { messages, close: () => client.endAsync() }
}
