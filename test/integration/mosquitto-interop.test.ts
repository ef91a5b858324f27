import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { connectAsync, type MqttClient } from 'mqtt'
import { EmbeddedBroker } from '../../electron/engine/broker/embedded'
import { defaultConfig } from '../../electron/engine/config/defaults'
import { silentLogger } from '../../electron/engine/log/logger'
import { IngressRecorder } from '../contract/broker.contract'
import { MOSQUITTO_PUB, MOSQUITTO_SUB, requirePrograms, runClient, STDBUF, type ClientRun } from '../helpers/mosquitto'
import { waitFor } from '../helpers/wait-for'

/**
 * Debian's Mosquitto clients against the embedded broker. mosquitto_pub/sub 2.0 speak MQTT over
 * TCP only, so the WebSocket listener is exercised with mqtt.js, crossing to a TCP client.
 */

const need = requirePrograms({ mosquitto_pub: MOSQUITTO_PUB, mosquitto_sub: MOSQUITTO_SUB, stdbuf: STDBUF })

describe.skipIf(need.skip)(`Mosquitto clients and the embedded broker${need.skip ? ` (skipped: ${need.reason})` : ''}`, () => {
  let broker: EmbeddedBroker
  let rec: IngressRecorder
  let port: number
  let wsPort: number
  const runs: ClientRun[] = []
  const clients: MqttClient[] = []

  beforeAll(async () => {
    const c = defaultConfig('/nonexistent')
    c.hosts = ['127.0.0.1']
    c.ports.mqtt = 0
    c.ports.mqttWs = 0
    broker = new EmbeddedBroker(c, silentLogger())
    rec = new IngressRecorder()
    broker.setIngress(rec.handler)
    await broker.start()
    port = broker.status().listeners.find((l) => l.protocol === 'mqtt')!.port
    wsPort = broker.status().listeners.find((l) => l.protocol === 'ws')!.port
  })
  afterEach(async () => {
    for (const r of runs.splice(0)) r.kill()
    for (const c of clients.splice(0)) await c.endAsync(true)
  })
  afterAll(async () => {
    await broker?.stop()
  })

  const pub = (args: string[]): ClientRun => {
    const r = runClient(MOSQUITTO_PUB!, ['-h', '127.0.0.1', '-p', String(port), ...args])
    runs.push(r)
    return r
  }
  /** mosquitto_sub with -d, so that its SUBACK shows before anything is published. */
  const sub = async (args: string[]): Promise<ClientRun> => {
    const r = runClient(MOSQUITTO_SUB!, ['-h', '127.0.0.1', '-p', String(port), '-d', '-W', '15', ...args], 20_000)
    runs.push(r)
    await waitFor(() => r.stdout().includes('SUBACK'), 'the SUBACK of mosquitto_sub')
    return r
  }
  const mqttjs = async (url: string): Promise<MqttClient> => {
    const c = await connectAsync(url, { reconnectPeriod: 0, connectTimeout: 5000 })
    clients.push(c)
    return c
  }
  const received = (c: MqttClient): Array<{ topic: string; payload: string; retain: boolean }> => {
    const out: Array<{ topic: string; payload: string; retain: boolean }> = []
    c.on('message', (topic, payload, packet) => out.push({ topic, payload: payload.toString(), retain: packet.retain }))
    return out
  }

  it('mosquitto_pub reaches the ingress and an mqtt.js subscriber', async () => {
    const c = await mqttjs(`mqtt://127.0.0.1:${port}`)
    const got = received(c)
    await c.subscribeAsync('ul/+/+/attrs', { qos: 0 })
    const r = await pub(['-i', 'dummy-device001', '-t', 'ul/4jggokgpepnvsb2uv4s40d59ov/device001/attrs', '-m', 't|21.5|rh|40']).result
    expect(r.code).toBe(0)
    await waitFor(() => got.length === 1, 'the message at the mqtt.js subscriber')
    expect(got[0]).toMatchObject({ topic: 'ul/4jggokgpepnvsb2uv4s40d59ov/device001/attrs', payload: 't|21.5|rh|40' })
    const [msg] = rec.on('ul/4jggokgpepnvsb2uv4s40d59ov/device001/attrs')
    expect(msg).toMatchObject({ origin: 'client', clientId: 'dummy-device001', qos: 0, retain: false })
    expect(msg!.payload.toString()).toBe('t|21.5|rh|40')
  })

  it('an engine publication reaches mosquitto_sub -C 1', async () => {
    const s = await sub(['-t', '/4jggokgpepnvsb2uv4s40d59ov/device001/cmd', '-C', '1'])
    await broker.publish('/4jggokgpepnvsb2uv4s40d59ov/device001/cmd', 'device001@switch|on')
    const r = await s.result
    expect(r.code).toBe(0)
    expect(r.stdout.split('\n')).toContain('device001@switch|on')
  })

  it('mosquitto_pub -q 1 gets its PUBACK only after the ingress is done', async () => {
    const topic = '/k/qos1dev/attrs'
    rec.hold(topic)
    const p = pub(['-d', '-q', '1', '-t', topic, '-m', 'c|1'])
    await waitFor(() => rec.held.get(topic)?.length === 1, 'the held message')
    expect(rec.on(topic)[0]!.qos).toBe(1)
    expect(p.stdout()).not.toMatch(/received PUBACK/)
    rec.release(topic)
    const r = await p.result
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/received PUBACK/)
  })

  it('an engine publication at QoS 1 reaches mosquitto_sub -q 1 at QoS 1', async () => {
    const s = await sub(['-q', '1', '-t', '/k/q1/cmd', '-C', '1'])
    await broker.publish('/k/q1/cmd', 'q1@ping|', { qos: 1 })
    const r = await s.result
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/received PUBLISH \(d0, q1, r0, m\d+, '\/k\/q1\/cmd'/)
    expect(r.stdout.split('\n')).toContain('q1@ping|')
  })

  it('retained messages cross both ways', async () => {
    // Engine → Mosquitto client subscribing afterwards.
    await broker.publish('/k/ret/configuration/values', 'ret@cfg|1', { retain: true })
    const r1 = await runClient(MOSQUITTO_SUB!, ['-h', '127.0.0.1', '-p', String(port), '-t', '/k/ret/configuration/values', '-C', '1', '-W', '10', '-v']).result
    expect(r1.stdout.trim()).toBe('/k/ret/configuration/values ret@cfg|1')
    // Mosquitto client → mqtt.js subscribing afterwards, and the ingress sees the retain flag.
    expect((await pub(['-r', '-q', '1', '-t', 'ul/k/ret/attrs', '-m', 'r|1']).result).code).toBe(0)
    expect(rec.on('ul/k/ret/attrs')[0]).toMatchObject({ retain: true, qos: 1 })
    const c = await mqttjs(`mqtt://127.0.0.1:${port}`)
    const got = received(c)
    await c.subscribeAsync('ul/k/ret/attrs', { qos: 1 })
    await waitFor(() => got.length === 1, 'the retained message at mqtt.js')
    expect(got[0]).toEqual({ topic: 'ul/k/ret/attrs', payload: 'r|1', retain: true })
  })

  it('an mqtt.js client over WebSocket (root and /mqtt paths) reaches mosquitto_sub over TCP', async () => {
    for (const path of ['', '/mqtt']) {
      const topic = `/k/ws${path.length}/attrs`
      const s = await sub(['-t', topic, '-C', '1'])
      const c = await mqttjs(`ws://127.0.0.1:${wsPort}${path}`)
      await c.publishAsync(topic, `over ws${path}`, { qos: 1 })
      const r = await s.result
      expect(r.stdout.split('\n')).toContain(`over ws${path}`)
      expect(rec.on(topic)[0]!.origin).toBe('client')
    }
  })

  it('mosquitto_pub over TCP reaches an mqtt.js subscriber over WebSocket', async () => {
    const c = await mqttjs(`ws://127.0.0.1:${wsPort}/mqtt`)
    const got = received(c)
    await c.subscribeAsync('/k/+/cmd', { qos: 1 })
    expect((await pub(['-q', '1', '-t', '/k/wsdev/cmd', '-m', 'wsdev@switch|off']).result).code).toBe(0)
    await waitFor(() => got.length === 1, 'the message at the WebSocket subscriber')
    expect(got[0]).toMatchObject({ topic: '/k/wsdev/cmd', payload: 'wsdev@switch|off' })
  })
})
