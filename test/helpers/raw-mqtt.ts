import { createConnection, type Socket } from 'node:net'

/**
 * A raw MQTT 3.1.1 client over TCP that writes packets byte by byte, for what a library refuses
 * to send (a PUBLISH to a topic filter such as `#`).
 */

function remainingLength(n: number): Buffer {
  const bytes: number[] = []
  do {
    let b = n % 128
    n = Math.floor(n / 128)
    if (n > 0) b |= 0x80
    bytes.push(b)
  } while (n > 0)
  return Buffer.from(bytes)
}

function utf8(s: string): Buffer {
  const b = Buffer.from(s, 'utf8')
  const len = Buffer.alloc(2)
  len.writeUInt16BE(b.length)
  return Buffer.concat([len, b])
}

function packet(type: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([type]), remainingLength(body.length), body])
}

export function connectPacket(clientId: string, keepaliveSec = 60): Buffer {
  const header = Buffer.concat([utf8('MQTT'), Buffer.from([4, 0x02, keepaliveSec >> 8, keepaliveSec & 0xff])])
  return packet(0x10, Buffer.concat([header, utf8(clientId)]))
}

/** PUBLISH with QoS 0 or 1 (packet id 1). */
export function publishPacket(topic: string, payload: string | Buffer, qos: 0 | 1 = 0): Buffer {
  const parts = [utf8(topic)]
  if (qos === 1) parts.push(Buffer.from([0, 1]))
  parts.push(typeof payload === 'string' ? Buffer.from(payload) : payload)
  return packet(0x30 | (qos << 1), Buffer.concat(parts))
}

export interface RawMqttClient {
  socket: Socket
  /** Everything the broker sent. */
  received(): Buffer
  /** Resolves when the broker closes the connection. */
  closed: Promise<void>
  isClosed(): boolean
  write(data: Buffer): void
  destroy(): void
}

/** Connects, sends CONNECT and waits for a successful CONNACK. */
export async function rawConnect(host: string, port: number, clientId: string): Promise<RawMqttClient> {
  const socket = createConnection({ host, port })
  let data = Buffer.alloc(0)
  let isClosed = false
  const closed = new Promise<void>((resolve) => socket.once('close', () => ((isClosed = true), resolve())))
  socket.on('data', (d: Buffer) => (data = Buffer.concat([data, d])))
  socket.on('error', () => {})
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve())
    socket.once('error', reject)
  })
  socket.write(connectPacket(clientId))
  const deadline = Date.now() + 5000
  while (data.length < 4) {
    if (isClosed || Date.now() > deadline) throw new Error(`no CONNACK from ${host}:${port}`)
    await new Promise((r) => setTimeout(r, 10))
  }
  if (data[0] !== 0x20 || data[3] !== 0) throw new Error(`CONNACK refused: ${data.subarray(0, 4).toString('hex')}`)
  data = data.subarray(4)
  return {
    socket,
    received: () => data,
    closed,
    isClosed: () => isClosed,
    write: (b) => socket.write(b),
    destroy: () => socket.destroy()
  }
}
