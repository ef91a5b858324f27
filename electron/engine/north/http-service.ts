import { createServer, type Server as HttpServer } from 'node:http'
import type { FastifyInstance } from 'fastify'
import { closeServers, listenOnHosts, type BoundAddress } from '../net/listen'

export interface HttpService {
  bound: BoundAddress[]
  skipped: Array<{ host: string; reason: string }>
  close(): Promise<void>
}

/**
 * Serves one Fastify app on several addresses (by default 127.0.0.1 and ::1, so that `localhost`
 * works whichever address a client's system resolves first). Fastify's own server is not used:
 * each address gets a plain Node server that hands requests to `app.routing`.
 */
export async function serveHttp(app: FastifyInstance, hosts: string[], port: number, what: string): Promise<HttpService> {
  await app.ready()
  const make = (): HttpServer => {
    const server = createServer((req, res) => app.routing(req, res))
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
