import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import { listenLocal } from './local-server'

export interface ReceivedRequest {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: string
}

/** An HTTP server on an ephemeral loopback port that records every request and answers 204 (a notification endpoint). */
export interface NotificationReceiver {
  url: string
  requests: ReceivedRequest[]
  close(): Promise<void>
}

export async function startNotificationReceiver(): Promise<NotificationReceiver> {
  const requests: ReceivedRequest[] = []
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
      res.writeHead(204)
      res.end()
    })
  })
  const { url, close } = await listenLocal(server)
  return {
    url,
    requests,
    close
  }
}
