import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http'
import { listenLocal } from './local-server'

/**
 * An HTTP proxy in front of a real server that records every request with its headers and body
 * (as sent on the wire) and passes it on unchanged. It stands between the engine and an external
 * context broker to show the exact requests the agent sends.
 */

export interface RecordedHttpRequest {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: string
  /** The upstream's status, once it answered. */
  status?: number
}

export interface RecordingProxy {
  url: string
  requests: RecordedHttpRequest[]
  close(): Promise<void>
}

export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const t = new URL(target)
  const requests: RecordedHttpRequest[] = []
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      const recorded: RecordedHttpRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: body.toString('utf8') }
      requests.push(recorded)
      const upstream = request({ host: t.hostname, port: t.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
        recorded.status = up.statusCode
        res.writeHead(up.statusCode ?? 502, up.headers)
        up.pipe(res)
      })
      upstream.on('error', () => {
        res.writeHead(502)
        res.end()
      })
      upstream.end(body)
    })
  })
  const { url, close } = await listenLocal(server)
  return {
    url,
    requests,
    close
  }
}
