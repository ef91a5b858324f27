import { createConnection, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { EmbeddedBroker } from '../../electron/engine/broker/embedded'
import { MAX_INFLIGHT_INBOUND } from '../../electron/engine/broker/incoming-guard'
import { defaultConfig } from '../../electron/engine/config/defaults'
import { silentLogger } from '../../electron/engine/log/logger'
import { IngressRecorder } from '../contract/broker.contract'
import { waitFor } from '../helpers/wait-for'

/**
 * The inbound QoS 2 store of the embedded broker against clients that misuse it, spoken to in raw
 * MQTT 3.1.1 packets over a real socket (electron/engine/broker/incoming-guard.ts).
 */

const CONNECT = [0x10, 13, 0, 4, 0x4d, 0x51, 0x54, 0x54, 4, 0x02, 0, 60, 0, 1, 0x67]
/** PUBLISH, QoS 2, topic "a", payload "x". */
const publishQos2 = (mid: number): number[] => [0x34, 6, 0, 1, 0x61, mid >> 8, mid & 255, 0x78]
const pubrel = (mid: number): number[] => [0x62, 2, mid >> 8, mid & 255]

interface Raw {
  socket: Socket
  received: () => Buffer
  closed: () => boolean
}

function open(port: number): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let closed = false
    const socket = createConnection({ host: '127.0.0.1', port }, () => resolve({ socket, received: () => Buffer.concat(chunks), closed: () => closed }))
    socket.on('data', (d) => chunks.push(d))
    socket.on('error', reject)
    socket.on('close', () => (closed = true))
  })
}

/** Control packet types in what the broker sent (fixed headers, remaining length < 128 here). */
function packetTypes(buf: Buffer): number[] {
  const out: number[] = []
  for (let i = 0; i + 1 < buf.length; i += 2 + buf[i + 1]!) out.push(buf[i]! >> 4)
  return out
}

describe('embedded broker: inbound QoS 2 guards', () => {
  let broker: EmbeddedBroker | undefined
  afterEach(async () => {
    await broker?.stop()
    broker = undefined
  })

  const start = async (): Promise<{ port: number; rec: IngressRecorder }> => {
    const c = defaultConfig('/nonexistent')
    c.hosts = ['127.0.0.1']
    c.ports.mqtt = 0
    c.ports.mqttWs = 0
    broker = new EmbeddedBroker(c, silentLogger())
    const rec = new IngressRecorder()
    broker.setIngress(rec.handler)
    await broker.start()
    return { port: broker.status().listeners.find((l) => l.protocol === 'mqtt')!.port, rec }
  }

  it('answers two PUBRELs of one message sent in one write with two PUBCOMPs, and keeps serving', async () => {
    const { port, rec } = await start()
    const raw = await open(port)
    raw.socket.write(Buffer.from([...CONNECT, ...publishQos2(7)]))
    await waitFor(() => packetTypes(raw.received()).includes(5), 'the PUBREC')
    raw.socket.write(Buffer.from([...pubrel(7), ...pubrel(7)]))
    await waitFor(() => packetTypes(raw.received()).filter((t) => t === 7).length === 2, 'two PUBCOMPs')
    expect(packetTypes(raw.received())).toEqual([2, 5, 7, 7])
    expect(rec.on('a')).toHaveLength(1)
    // The same connection still works.
    raw.socket.write(Buffer.from([...publishQos2(8), ...pubrel(8)]))
    await waitFor(() => packetTypes(raw.received()).filter((t) => t === 7).length === 3, 'the next PUBCOMP')
    raw.socket.destroy()
  })

  it(`closes a connection that leaves more than ${MAX_INFLIGHT_INBOUND} QoS 2 messages without PUBREL`, async () => {
    const { port } = await start()
    const raw = await open(port)
    raw.socket.write(Buffer.from(CONNECT))
    await waitFor(() => packetTypes(raw.received()).includes(2), 'the CONNACK')
    const flood: number[] = []
    for (let mid = 1; mid <= MAX_INFLIGHT_INBOUND; mid++) flood.push(...publishQos2(mid))
    raw.socket.write(Buffer.from(flood))
    await waitFor(() => packetTypes(raw.received()).filter((t) => t === 5).length === MAX_INFLIGHT_INBOUND, 'a PUBREC for each')
    expect(raw.closed()).toBe(false)
    raw.socket.write(Buffer.from(publishQos2(MAX_INFLIGHT_INBOUND + 1)))
    await waitFor(() => raw.closed(), 'the connection closed')
    expect(packetTypes(raw.received()).filter((t) => t === 5)).toHaveLength(MAX_INFLIGHT_INBOUND)
    expect(broker!.status().up).toBe(true)
  })
})
