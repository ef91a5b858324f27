import { randomUUID } from 'node:crypto'
import type { QueryContext, WriteContext } from './api-types'
import type { ForwardOrigin } from './forwarding/provider-client'
import { checkTenant, parseServicePathHeader, writeServicePath, type WriteScope } from './scope'
import type { WriteTarget } from './write-pipeline'

/**
 * Where a request of the broker's API applies: tenant and service path(s) validated with
 * Orion's rules, plus what forwarded requests and notifications carry (correlator, token).
 * Write scopes are cached: the IoT Agent's measures repeat the same few scopes.
 */
export class RequestTargets {
  private readonly scopeCache = new Map<string, WriteScope>()

  scope(scope: WriteScope): WriteScope {
    const key = scope.service + '\u0000' + scope.servicePath
    let s = this.scopeCache.get(key)
    if (!s) {
      s = { service: checkTenant(scope.service), servicePath: writeServicePath(parseServicePathHeader(scope.servicePath, 'POST')) }
      if (this.scopeCache.size > 1000) this.scopeCache.clear()
      this.scopeCache.set(key, s)
    }
    return s
  }

  write(ctx: WriteContext): WriteTarget {
    const s = this.scope(ctx)
    const origin: ForwardOrigin = { service: s.service, servicePath: s.servicePath, correlator: ctx.correlator ?? randomUUID() }
    if (ctx.authToken) origin.authToken = ctx.authToken
    return { tenant: s.service, servicePath: s.servicePath, origin }
  }

  query(ctx: QueryContext): { tenant: string; paths: string[]; origin: ForwardOrigin } {
    const tenant = checkTenant(ctx.service)
    const paths = parseServicePathHeader(ctx.servicePaths.join(','), 'GET')
    const origin: ForwardOrigin = { service: tenant, servicePath: paths.join(',') || '/', correlator: ctx.correlator ?? randomUUID() }
    if (ctx.authToken) origin.authToken = ctx.authToken
    return { tenant, paths, origin }
  }
}
