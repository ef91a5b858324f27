import { badRequest } from './errors'

/**
 * Multi-tenancy (`Fiware-Service`) and service paths (`Fiware-ServicePath`), docs/compatibility/ngsi-v2.md §1.3, with
 * the checks and messages of Orion's rest.cpp / RestService.cpp.
 */

/** Where a write happens: one tenant ('' = default) and exactly one service path. */
export interface WriteScope {
  service: string
  servicePath: string
}

const TENANT_MAX = 50
const MAX_PATHS = 10
const MAX_LEVELS = 10
const MAX_COMPONENT = 50
const COMPONENT = /^[A-Za-z0-9_]+$/

/** Lower-cases and validates a tenant name; '' is the default tenant. */
export function checkTenant(service: string): string {
  const tenant = service.toLowerCase()
  if (tenant.length > TENANT_MAX) throw badRequest('bad length - a tenant name can be max 50 characters long')
  if (tenant.length > 0 && !COMPONENT.test(tenant)) {
    throw badRequest('bad character in tenant name - only underscore and alphanumeric characters are allowed')
  }
  return tenant
}

/** The HTTP method matters: PATCH and DELETE have their own messages for lists and `#`. */
export type ServicePathUse = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OTHER'

/**
 * Splits and validates a `Fiware-ServicePath` header. Absent or empty header → []. Items are
 * trimmed and lose one trailing `/` (the root `/` is kept).
 */
export function parseServicePathHeader(header: string | undefined, use: ServicePathUse = 'GET'): string[] {
  if (header === undefined || header === '') return []
  const items = header.split(',')
  // stringSplit skips leading delimiters and reports no items for an all-comma header.
  while (items.length > 0 && items[0] === '') items.shift()
  if (items.length === 0) return []
  if (items.length > MAX_PATHS) throw badRequest('too many service paths - a maximum of ten service paths is allowed')
  const paths = items.map((raw) => {
    const p = raw.trim()
    return p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p
  })
  for (const p of paths) checkServicePath(p, paths.length, use)
  return paths
}

function checkServicePath(path: string, count: number, use: ServicePathUse): void {
  if (path === '') return
  if (!path.startsWith('/')) throw badRequest('Only /absolute/ Service Paths allowed [a service path must begin with /]')
  if (path[1] === '/') throw badRequest('empty component in ServicePath')
  if (count > 1 && use === 'PATCH') throw badRequest('more than one servicepath in patch update request is not allowed')
  if (count > 1 && use === 'DELETE') throw badRequest('more than one servicepath is not allowed in DELETE operation')
  const components = path.slice(1).split('/')
  if (path === '/') return
  if (components.length > MAX_LEVELS) throw badRequest('too many components in ServicePath')
  components.forEach((c, i) => {
    if (c.length > MAX_COMPONENT) throw badRequest('component-name too long in ServicePath')
    if (c.length === 0) throw badRequest('empty component in ServicePath')
    if (i === components.length - 1 && c === '#') {
      if (use === 'PATCH') throw badRequest('servicepath with wildcard # is not allowed in patch update request')
      if (use === 'DELETE') throw badRequest('servicepath with wildcard # is not allowed in DELETE operation')
      return
    }
    if (!COMPONENT.test(c)) throw badRequest('a component of ServicePath contains an illegal character')
  })
}

/**
 * The single path of an update (postUpdateContext.cpp): more than one path, or a `#`, is an
 * error; no path means the root `/`.
 */
export function writeServicePath(paths: string[]): string {
  if (paths.length > 1) throw badRequest('more than one service path in context update request')
  const path = paths[0] ?? ''
  if (path === '') return '/'
  if (path.includes('#')) throw badRequest('Bad Character in Service-Path')
  return path
}

/**
 * A predicate telling whether an entity path is visible in a query scope: exact paths, `/a/#`
 * for `/a` and its descendants, `/#` or no path for everything.
 */
export function servicePathMatcher(paths: string[]): (servicePath: string) => boolean {
  if (paths.length === 0) return () => true
  const exact = new Set<string>()
  const prefixes: string[] = []
  for (const p of paths) {
    if (p === '' || p === '/#') return () => true
    if (p.endsWith('/#')) prefixes.push(p.slice(0, -2))
    else exact.add(p)
  }
  return (sp) => exact.has(sp) || prefixes.some((base) => sp === base || sp.startsWith(base + '/'))
}
