import type { Server } from 'node:net'

export interface BoundAddress {
  host: string
  port: number
}

export interface MultiListenResult {
  bound: BoundAddress[]
  /** Hosts that could not be bound, with the reason (e.g. IPv6 disabled on this machine). */
  skipped: Array<{ host: string; reason: string }>
}

function listenOne(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => {
      server.off('listening', onListening)
      reject(err)
    }
    const onListening = (): void => {
      server.off('error', onError)
      const addr = server.address()
      resolve(typeof addr === 'object' && addr ? addr.port : port)
    }
    server.once('error', onError)
    server.once('listening', onListening)
    server.listen({ host, port, exclusive: true })
  })
}

/**
 * Binds one server per host, all on the same port. With port 0 the first host gets an ephemeral
 * port and the others reuse it. A host that is not available on this machine (typically `::1`
 * where IPv6 is off) is skipped and reported, as long as one host is bound; a port already in use
 * is an error, with the port in the message.
 */
export async function listenOnHosts(
  makeServer: () => Server,
  hosts: string[],
  port: number,
  what: string
): Promise<{ servers: Server[] } & MultiListenResult> {
  const servers: Server[] = []
  const bound: BoundAddress[] = []
  const skipped: Array<{ host: string; reason: string }> = []
  let actualPort = port
  for (const host of hosts) {
    const server = makeServer()
    try {
      actualPort = await listenOne(server, host, actualPort)
      servers.push(server)
      bound.push({ host, port: actualPort })
    } catch (err) {
      const e = err as NodeJS.ErrnoException
      if (e.code === 'EADDRINUSE') {
        await closeServers(servers)
        throw new Error(`${what}: port ${actualPort} on ${host} is already in use (is another FIWARE stack or a second instance running?)`, { cause: err })
      }
      if (e.code === 'EADDRNOTAVAIL' || e.code === 'EAFNOSUPPORT' || e.code === 'ENOTFOUND') {
        skipped.push({ host, reason: e.message })
        continue
      }
      await closeServers(servers)
      throw new Error(`${what}: cannot listen on ${host}:${actualPort}: ${e.message}`, { cause: err })
    }
  }
  if (servers.length === 0) {
    throw new Error(`${what}: none of the addresses ${hosts.join(', ')} could be bound (${skipped.map((s) => s.reason).join('; ')})`)
  }
  return { servers, bound, skipped }
}

export function closeServers(servers: Server[]): Promise<void> {
  return Promise.all(
    servers.map(
      (s) =>
        new Promise<void>((resolve) => {
          if (!s.listening) return resolve()
          s.close(() => resolve())
          // Active keep-alive connections would hold close() open.
          ;(s as Server & { closeAllConnections?: () => void }).closeAllConnections?.()
        })
    )
  ).then(() => undefined)
}

/** `host:port` with brackets for IPv6 literals. */
export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
}

/** The host to put in a URL that reaches a listening address: a wildcard becomes loopback, an IPv6 address gets its brackets. */
export function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1'
  if (host === '::') return '[::1]'
  return host.includes(':') ? `[${host}]` : host
}
