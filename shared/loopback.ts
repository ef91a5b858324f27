/**
 * Whether an address or host name means "this computer only": the one loopback test of the
 * project, for the engine (which listening addresses reach beyond this computer, whether a URL
 * given to another machine points at itself), the GUI server (DNS rebinding) and the settings page.
 *
 * Loopback: `localhost` and its subdomains (`*.localhost`, which resolve to loopback), any IPv4
 * address 127.x.x.x, and IPv6 `::1`, with or without the brackets of a URL's host. Case does not
 * count. A wildcard (`0.0.0.0`, `::`) is not loopback: it listens on every network.
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1')
  if (h === 'localhost' || h.endsWith('.localhost')) return true
  if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true
  const v4 = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h)
  return v4 !== null && v4.slice(1).every((n) => Number(n) <= 255)
}

/** True when every address is a loopback one (the default): nobody else can reach what listens on them. */
export function loopbackOnly(hosts: readonly string[]): boolean {
  return hosts.every(isLoopbackHost)
}

/** The addresses of `hosts` that reach beyond this computer. */
export function exposedHosts(hosts: readonly string[]): string[] {
  return hosts.filter((h) => !isLoopbackHost(h))
}
