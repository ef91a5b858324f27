import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** Listens on an ephemeral loopback port; `close()` drops open connections and stops listening. */
export async function listenLocal(server: Server): Promise<{ url: string; close: () => Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

/** A request an HTTP device double received: its URL, headers and body. */
export interface ReceivedRequest {
  url: string
  headers: IncomingMessage['headers']
  body: string
}

/**
 * A device behind an HTTP endpoint: a real server on an ephemeral loopback port that records
 * every request (`got`) and answers each as `answer` says.
 */
export async function recordingDevice(
  answer: (req: ReceivedRequest) => { status: number; body: string; headers?: Record<string, string> }
): Promise<{ url: string; close: () => Promise<void>; got: ReceivedRequest[] }> {
  const got: ReceivedRequest[] = []
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString('utf8')))
    req.on('end', () => {
      const received = { url: req.url ?? '', headers: req.headers, body }
      got.push(received)
      const a = answer(received)
      res.writeHead(a.status, a.headers).end(a.body)
    })
  })
  return { ...(await listenLocal(server)), got }
}
