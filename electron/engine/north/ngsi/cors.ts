/**
 * CORS as Orion does it with `-corsOrigin` and `-corsMaxAge` (docs/compatibility/ngsi-v2.md §1.1):
 * off unless an origin is configured; then OPTIONS on the v2 resources is a preflight answer (200,
 * no body, the resource's methods) and every answer under /v2 except a 405 carries the allow and
 * expose headers when the request's Origin is the configured one (`__ALL`: any, answered with `*`).
 * `/version` has its own: GET and OPTIONS.
 */
import type { NgsiReply } from './reply'

export interface CorsConfig {
  /** `__ALL`, one origin, or '' (CORS off, Orion's default). */
  origin: string
  /** Access-Control-Max-Age of preflight answers in seconds (Orion's default 86400). */
  maxAge: number
}

export const ALL_ORIGINS = '__ALL'

const ALLOWED_HEADERS = 'Content-Type, Fiware-Service, Fiware-Servicepath, Ngsiv2-AttrsFormat, Fiware-Correlator, X-Forwarded-For, X-Real-IP, X-Auth-Token, Authorization'
const EXPOSED_HEADERS = 'Fiware-Correlator, Fiware-Total-Count, Location'

/** Orion's OPTIONS services (optionsV) and the methods each answers with. */
const PREFLIGHT: Array<{ pattern: string[]; methods: string }> = [
  { pattern: ['v2'], methods: 'GET, OPTIONS' },
  { pattern: ['v2', 'entities'], methods: 'GET, POST, OPTIONS' },
  { pattern: ['v2', 'entities', '*'], methods: 'GET, DELETE, OPTIONS' },
  { pattern: ['v2', 'entities', '*', 'attrs'], methods: 'GET, PATCH, POST, PUT, OPTIONS' },
  { pattern: ['v2', 'entities', '*', 'attrs', '*', 'value'], methods: 'GET, PUT, OPTIONS' },
  { pattern: ['v2', 'entities', '*', 'attrs', '*'], methods: 'GET, PUT, DELETE, OPTIONS' },
  { pattern: ['v2', 'types', '*'], methods: 'GET, OPTIONS' },
  { pattern: ['v2', 'types'], methods: 'GET, OPTIONS' },
  { pattern: ['v2', 'subscriptions'], methods: 'GET, POST, OPTIONS' },
  { pattern: ['v2', 'subscriptions', '*'], methods: 'GET, DELETE, PATCH, OPTIONS' },
  { pattern: ['v2', 'op', 'query'], methods: 'POST, OPTIONS' },
  { pattern: ['v2', 'op', 'update'], methods: 'POST, OPTIONS' },
  { pattern: ['v2', 'registrations', '*'], methods: 'GET, DELETE, OPTIONS' },
  { pattern: ['v2', 'registrations'], methods: 'GET, POST, OPTIONS' },
  { pattern: ['version'], methods: 'GET, OPTIONS' }
]

function matches(pattern: string[], components: string[]): boolean {
  return pattern.length === components.length && pattern.every((p, i) => p === '*' || p === components[i])
}

function splitPath(url: string): string[] {
  const path = url.split('?')[0]!.replace(/^\/+/, '').replace(/\/$/, '')
  return path === '' ? [] : path.split('/')
}

export function corsEnabled(cors: CorsConfig | undefined): cors is CorsConfig {
  return cors !== undefined && cors.origin !== ''
}

function originAllowed(cors: CorsConfig, origin: string | undefined): boolean {
  return origin !== undefined && origin !== '' && (cors.origin === ALL_ORIGINS || origin === cors.origin)
}

function allowOrigin(cors: CorsConfig): string {
  return cors.origin === ALL_ORIGINS ? '*' : cors.origin
}

/**
 * The answer to an OPTIONS request when CORS is on and the path is one of Orion's OPTIONS
 * services; undefined otherwise (the request then goes on as any other: 405 for a known path).
 */
export function preflight(cors: CorsConfig | undefined, method: string, url: string, origin: string | undefined): NgsiReply | undefined {
  if (!corsEnabled(cors) || method !== 'OPTIONS') return undefined
  const components = splitPath(url)
  const service = PREFLIGHT.find((p) => matches(p.pattern, components))
  if (!service) return undefined
  const headers: Array<[string, string]> = []
  if (originAllowed(cors, origin)) {
    if (components[0] === 'version') headers.push(['Access-Control-Allow-Origin', allowOrigin(cors)])
    headers.push(['Access-Control-Allow-Methods', service.methods])
  }
  return { status: 200, headers }
}

/**
 * The CORS headers of an answer (Orion's restReply, and versionTreat / optionsVersionRequest for
 * /version): none when CORS is off, the request has no Origin or another one, or the answer is a 405.
 */
export function corsHeaders(cors: CorsConfig | undefined, method: string, url: string, origin: string | undefined, status: number): Array<[string, string]> {
  if (!corsEnabled(cors) || !originAllowed(cors, origin)) return []
  const path = url.split('?')[0]!
  if (/^\/+version\/?$/.test(path)) {
    if (status !== 200) return []
    const headers: Array<[string, string]> = [['Access-Control-Expose-Headers', EXPOSED_HEADERS]]
    if (method === 'OPTIONS') headers.push(['Access-Control-Allow-Headers', ALLOWED_HEADERS], ['Access-Control-Max-Age', String(cors.maxAge)])
    else headers.unshift(['Access-Control-Allow-Origin', allowOrigin(cors)])
    return headers
  }
  if (!path.startsWith('/v2') || status === 405) return []
  const headers: Array<[string, string]> = [
    ['Access-Control-Allow-Origin', allowOrigin(cors)],
    ['Access-Control-Expose-Headers', EXPOSED_HEADERS]
  ]
  if (method === 'OPTIONS') headers.push(['Access-Control-Allow-Headers', ALLOWED_HEADERS], ['Access-Control-Max-Age', String(cors.maxAge)])
  return headers
}
