import { createServer } from 'node:net'

/**
 * A loopback port nobody listens on (bound, then released): where a stopped server would be.
 * Connections to it are refused until a test starts something there.
 */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}
