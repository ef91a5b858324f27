import { createServer, request, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * An HTTP proxy in front of a real server that can be told, request by request, to pass the
 * request on, to answer a status of its own (a 503 from a load balancer, say), or never to answer
 * (a hung server, for timeouts). It stands for the network between the engine and an Orion.
 */

export type ProxyAction = 'pass' | 'hang' | { status: number; body?: string }

export interface ProxiedRequest {
  method: string
  url: string
  action: 'pass' | 'hang' | number
}

export interface FlakyProxy {
  url: string
  /** Decides what happens to each request (default: pass). */
  decide: (req: { method: string; url: string; index: number }) => ProxyAction
  log: ProxiedRequest[]
  close(): Promise<void>
}

export async function startFlakyProxy(target: string): Promise<FlakyProxy> {
  const t = new URL(target)
  const hung: IncomingMessage[] = []
  const proxy: FlakyProxy = { url: '', decide: () => 'pass', log: [], close: async () => {} }
  const server: Server = createServer((req, res) => {
    const index = proxy.log.length
    const action = proxy.decide({ method: req.method ?? '', url: req.url ?? '', index })
    proxy.log.push({ method: req.method ?? '', url: req.url ?? '', action: typeof action === 'object' ? action.status : action })
    if (action === 'hang') {
      hung.push(req)
      req.resume()
      return
    }
    if (typeof action === 'object') {
      req.resume()
      req.on('end', () => {
        res.writeHead(action.status, { 'Content-Type': 'application/json' })
        res.end(action.body ?? JSON.stringify({ error: 'ServiceUnavailable', description: 'injected by the test proxy' }))
      })
      return
    }
    const upstream = request({ host: t.hostname, port: t.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers)
      up.pipe(res)
    })
    upstream.on('error', () => {
      res.writeHead(502)
      res.end()
    })
    req.pipe(upstream)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  proxy.close = () =>
    new Promise<void>((resolve) => {
      for (const r of hung) r.socket.destroy()
      server.closeAllConnections()
      server.close(() => resolve())
    })
  return proxy
}
