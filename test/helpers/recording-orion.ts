import { createServer, type IncomingMessage, type Server } from 'node:http'
import { listenLocal } from './local-server'

export interface OrionRequest {
  method: string
  url: string
  service: string | undefined
  servicePath: string | undefined
  contentType: string | undefined
  /** The raw body text ('' when none). */
  text: string
  /** The parsed JSON body, undefined when empty or not JSON (untyped: tests check its shape). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any
}

/**
 * An HTTP server answering as Orion does to what the agent sends (204 to entity updates, 201 +
 * Location to registrations, its version document) and recording every request with its body,
 * so that a test can state the exact NGSI request the agent produced.
 */
export interface RecordingOrion {
  url: string
  requests: OrionRequest[]
  /** Requests of one kind, e.g. `('POST', '/v2/entities?options=upsert')`. */
  of(method: string, url: string): OrionRequest[]
  close(): Promise<void>
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

export async function startRecordingOrion(): Promise<RecordingOrion> {
  const requests: OrionRequest[] = []
  let registrations = 0
  const server: Server = createServer((req, res) => {
    void readBody(req).then((text) => {
      let body: unknown
      try {
        body = text ? JSON.parse(text) : undefined
      } catch {
        body = undefined
      }
      const header = (name: string): string | undefined => {
        const v = req.headers[name]
        return Array.isArray(v) ? v[0] : v
      }
      const method = req.method ?? ''
      const url = req.url ?? ''
      requests.push({ method, url, service: header('fiware-service'), servicePath: header('fiware-servicepath'), contentType: header('content-type'), text, body })
      if (method === 'GET' && url === '/version') {
        res.writeHead(200, { 'Content-Type': 'application/json' })
        res.end(JSON.stringify({ orion: { version: '4.1.0' } }))
      } else if (method === 'POST' && url === '/v2/registrations') {
        registrations++
        res.writeHead(201, { Location: `/v2/registrations/${registrations.toString(16).padStart(24, '0')}` })
        res.end()
      } else if (method === 'GET') {
        res.writeHead(404, { 'Content-Type': 'application/json' })
        res.end(JSON.stringify({ error: 'NotFound', description: 'The requested entity has not been found. Check type and id' }))
      } else {
        res.writeHead(204)
        res.end()
      }
    })
  })
  const { url, close } = await listenLocal(server)
  return {
    url,
    requests,
    of: (method, url) => requests.filter((r) => r.method === method && r.url === url),
    close
  }
}
