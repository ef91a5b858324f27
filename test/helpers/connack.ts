import { connectAsync, type IClientOptions } from 'mqtt'

/** The CONNACK return code a client gets (0: accepted); the client is closed either way. */
export async function connackCode(url: string, opts: IClientOptions = {}): Promise<number> {
  try {
    const c = await connectAsync(url, { reconnectPeriod: 0, connectTimeout: 5000, protocolVersion: 4, ...opts })
    await c.endAsync()
    return 0
  } catch (err) {
    const code = (err as { code?: unknown }).code
    if (typeof code === 'number') return code
    throw err
  }
}
