import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { readFileSync } from 'node:fs'
import { listenLocal } from './local-server'

/**
 * Stand-ins for the services in front of and beside a production Orion: a PEP proxy with Orion
 * behind it (checks the token header, answers 401 without a valid one), Keystone
 * (`POST /v3/auth/tokens`) and an OAuth2 server such as Keyrock (`POST <path>`, refresh-token
 * grant). Each records what it was sent; tokens are numbered so a test can tell a renewal.
 */

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

export interface SeenRequest {
  method: string
  url: string
  headers: IncomingMessage['headers']
  text: string
  status: number
}

export interface PepOrion {
  url: string
  /** Every request, with the status it was answered. */
  requests: SeenRequest[]
  /** Header values the proxy lets through (change it to expire tokens). */
  accepted: Set<string>
  close(): Promise<void>
}

/** A PEP proxy with Orion behind it; over https with `tls` (a certificate and its key). */
export async function startPepOrion(opts: { header?: string; accepted?: string[]; tls?: { cert: string; key: string } } = {}): Promise<PepOrion> {
  const header = (opts.header ?? 'X-Auth-Token').toLowerCase()
  const accepted = new Set(opts.accepted ?? [])
  const requests: SeenRequest[] = []
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    void readBody(req).then((text) => {
      const given = req.headers[header]
      const ok = typeof given === 'string' && accepted.has(given)
      const seen: SeenRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, text, status: 0 }
      requests.push(seen)
      const answer = (status: number, headers: Record<string, string> = {}, body = ''): void => {
        seen.status = status
        res.writeHead(status, headers)
        res.end(body)
      }
      // What a Wilma PEP proxy answers a request without a valid token.
      if (!ok) return answer(401, { 'Content-Type': 'text/plain' }, 'Invalid token')
      if (req.method === 'GET' && req.url === '/version') return answer(200, { 'Content-Type': 'application/json' }, JSON.stringify({ orion: { version: '4.1.0' } }))
      if (req.method === 'POST' && req.url === '/v2/registrations') return answer(201, { Location: '/v2/registrations/0000000000000000000000a1' })
      answer(204)
    })
  }
  const server: Server = opts.tls
    ? createHttpsServer({ cert: readFileSync(opts.tls.cert), key: readFileSync(opts.tls.key) }, handler)
    : createHttpServer(handler)
  const { url, close } = await listenLocal(server)
  return { url: opts.tls ? url.replace(/^http:/, 'https:') : url, requests, accepted, close }
}

export interface TokenService {
  url: string
  requests: SeenRequest[]
  /** Tokens handed out, in order. */
  issued: string[]
  /** Called with each token handed out (e.g. to let the PEP proxy accept it). */
  onIssue?: (token: string) => void
  close(): Promise<void>
}

/** Keystone: 201 with `X-Subject-Token: ks-<n>` to the right user and password, 401 otherwise. */
export async function startKeystone(user: string, password: string): Promise<TokenService> {
  const svc: TokenService = { url: '', requests: [], issued: [], close: async () => {} }
  const server = createHttpServer((req, res) => {
    void readBody(req).then((text) => {
      const seen: SeenRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, text, status: 0 }
      svc.requests.push(seen)
      let body: { auth?: { identity?: { password?: { user?: { name?: string; password?: string } } } } } = {}
      try {
        body = JSON.parse(text) as typeof body
      } catch {
        body = {}
      }
      const u = body.auth?.identity?.password?.user
      if (req.method !== 'POST' || req.url !== '/v3/auth/tokens' || u?.name !== user || u?.password !== password) {
        seen.status = 401
        res.writeHead(401, { 'Content-Type': 'application/json' })
        return res.end(JSON.stringify({ error: { code: 401, message: 'The request you have made requires authentication.', title: 'Unauthorized' } }))
      }
      const token = `ks-${svc.issued.length + 1}`
      svc.issued.push(token)
      svc.onIssue?.(token)
      seen.status = 201
      res.writeHead(201, { 'X-Subject-Token': token, 'Content-Type': 'application/json' })
      res.end(JSON.stringify({ token: { methods: ['password'] } }))
    })
  })
  const { url, close } = await listenLocal(server)
  return Object.assign(svc, { url, close })
}

/**
 * An OAuth2 server (Keyrock's answers): the refresh-token grant with the right client gives
 * `at-<n>` and a new refresh token `rt-<n>`; each refresh token works once.
 */
export async function startOAuth2(path: string, client: { id: string; secret: string }, firstRefreshToken: string): Promise<TokenService> {
  const svc: TokenService = { url: '', requests: [], issued: [], close: async () => {} }
  let valid = firstRefreshToken
  const server = createHttpServer((req, res) => {
    void readBody(req).then((text) => {
      const seen: SeenRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, text, status: 0 }
      svc.requests.push(seen)
      const form = new URLSearchParams(text)
      const reply = (status: number, body: unknown): void => {
        seen.status = status
        res.writeHead(status, { 'Content-Type': 'application/json' })
        res.end(JSON.stringify(body))
      }
      if (req.method !== 'POST' || req.url !== path) return reply(404, { error: 'not_found' })
      if (form.get('client_id') !== client.id || form.get('client_secret') !== client.secret) return reply(400, { error: 'invalid_client', error_description: 'Invalid client: client is invalid' })
      if (form.get('grant_type') !== 'refresh_token' || form.get('refresh_token') !== valid) return reply(400, { error: 'invalid_grant', error_description: 'Invalid grant: refresh token is invalid' })
      const n = svc.issued.length + 1
      const token = `at-${n}`
      valid = `rt-${n}`
      svc.issued.push(token)
      svc.onIssue?.(token)
      reply(200, { access_token: token, token_type: 'Bearer', expires_in: 3600, refresh_token: valid, scope: ['bearer'] })
    })
  })
  const { url, close } = await listenLocal(server)
  return Object.assign(svc, { url, close })
}
