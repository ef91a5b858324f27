import { createServer, type Server as HttpServer } from 'node:http'
import type { FastifyInstance } from 'fastify'
import { hostOfHeader, type HostGuard } from '../net/host-guard'
import { closeServers, listenOnHosts, type BoundAddress } from '../net/listen'

export interface HttpService {
  bound: BoundAddress[]
  skipped: Array<{ host: string; reason: string }>
  close(): Promise<void>
}

/** The Host check of an HTTP API and how the API says no (in its own error format). */
export interface HttpHostCheck {
  guard: HostGuard
  refusal: (host: string) => { status: number; body: Record<string, string> }
}

/**
 * Serves one Fastify app on several addresses (by default 127.0.0.1 and ::1, so that `localhost`
 * works whichever address a client's system resolves first). Fastify's own server is not used:
 * each address gets a plain Node server that hands requests to `app.routing`.
 */
export async function serveHttp(app: FastifyInstance, hosts: string[], port: number, what: string, hostCheck?: HttpHostCheck): Promise<HttpService> {
  await app.ready()
  const make = (): HttpServer => {
    const server = createServer((req, res) => {
      // A foreign Host is refused before the app sees the request (net/host-guard.ts).
      if (hostCheck && !hostCheck.guard.admit(req.headers.host, what, req.socket.remoteAddress)) {
        const { status, body } = hostCheck.refusal((hostOfHeader(String(req.headers.host)) ?? String(req.headers.host)).slice(0, 100))
        const text = JSON.stringify(body)
        res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), Connection: 'close' })
        return void res.end(text)
      }
      app.routing(req, res)
    })
    // Orion and the IoT Agent keep connections alive; Postman reuses them.
    server.keepAliveTimeout = 5000
    return server
  }
  const { servers, bound, skipped } = await listenOnHosts(make, hosts, port, what)
  return {
    bound,
    skipped,
    close: async () => {
      await closeServers(servers)
      await app.close()
    }
  }
}
