/**
 * Who may use the GUI server's WebSocket: whoever holds this run's token (printed by `serve` in the
 * GUI's URL), from a page of the GUI server itself or from a program that sends no Origin.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { isLoopbackHost } from '../../../shared/loopback'

/** 32 random bytes, hex: a new one every run unless the user fixes one. */
export function newToken(): string {
  return randomBytes(32).toString('hex')
}

/** A token a user may fix (`--gui-token`, ULCC_GUI_TOKEN): 16 to 128 hex digits (64 to 512 bits). */
export function parseToken(raw: string): string | undefined {
  const t = raw.trim()
  return /^[0-9a-fA-F]{16,128}$/.test(t) ? t.toLowerCase() : undefined
}

/**
 * Compares in constant time. Both sides are hashed first, so neither their lengths nor where
 * they differ shows in the time taken.
 */
export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string' || given.length === 0 || given.length > 1024) return false
  const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest()
  return timingSafeEqual(digest(expected), digest(given.toLowerCase()))
}

/**
 * Whether a WebSocket upgrade's Origin is acceptable:
 * - none at all: a program (a test, a script), not a web page;
 * - otherwise an http page of this very server: the same host and port as the request was sent
 *   to (the Host header), on the GUI's port;
 * - and when the server listens on loopback only, a loopback name: a page reached through some
 *   other name (DNS rebinding) is refused, whatever token it brings.
 */
export function originAllowed(origin: string | undefined, hostHeader: string | undefined, port: number, loopbackOnly: boolean): boolean {
  if (origin === undefined) return true
  let url: URL
  try {
    url = new URL(origin)
  } catch {
    return false
  }
  // The GUI server speaks plain HTTP: a page of it has an http: origin.
  if (url.protocol !== 'http:') return false
  if (!hostHeader || url.host !== hostHeader.toLowerCase()) return false
  const originPort = url.port ? Number(url.port) : 80
  if (originPort !== port) return false
  return !loopbackOnly || isLoopbackHost(url.hostname)
}
