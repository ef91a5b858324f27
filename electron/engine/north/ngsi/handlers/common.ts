import type { EntityRef, QueryContext, UpdateOptions, WriteContext } from '../../../context/embedded/api-types'
import { checkPathAttributeName, checkPathEntityId } from '../../../context/embedded/identifiers'
import type { RenderMode } from '../../../context/embedded/render'
import { writeServicePath } from '../../../context/embedded/scope'
import type { Call } from '../router'

/** Helpers shared by the NGSI-v2 handlers: contexts, parameters, representations. */

export function writeContext(call: Call): WriteContext {
  const ctx: WriteContext = { service: call.tenant, servicePath: writeServicePath(call.req.servicePaths), correlator: call.req.correlator }
  if (call.req.authToken) ctx.authToken = call.req.authToken
  return ctx
}

export function queryContext(call: Call): QueryContext {
  const ctx: QueryContext = { service: call.tenant, servicePaths: call.req.servicePaths, correlator: call.req.correlator }
  if (call.req.authToken) ctx.authToken = call.req.authToken
  return ctx
}

export function param(call: Call, name: string): string | undefined {
  return call.req.params.values.get(name)
}

/** `limit` and `offset` (checked when the request was parsed), as the broker's list calls take them. */
export function page(call: Call): { limit?: number; offset?: number } {
  const limit = param(call, 'limit')
  const offset = param(call, 'offset')
  return { ...(limit === undefined ? {} : { limit: Number(limit) }), ...(offset === undefined ? {} : { offset: Number(offset) }) }
}

/** page() and `orderBy`, for the entity queries. */
export function ordered(call: Call): { limit?: number; offset?: number; orderBy?: string } {
  const orderBy = param(call, 'orderBy')
  return { ...page(call), ...(orderBy === undefined ? {} : { orderBy }) }
}

export function option(call: Call, name: string): boolean {
  return call.req.params.options.has(name)
}

/** A comma list as Orion's stringSplit(…, unique): leading commas skipped, duplicates dropped. */
export function listParam(call: Call, name: string): string[] | undefined {
  const v = param(call, name)
  if (v === undefined) return undefined
  const out: string[] = []
  for (const item of v.replace(/^,+/, '').split(',')) if (!out.includes(item)) out.push(item)
  return out
}

/** `attrs=` plus the deprecated `options=dateCreated,dateModified` (setAttrsFilter). */
export function attrsSelection(call: Call): string[] | undefined {
  let attrs = listParam(call, 'attrs')
  for (const builtin of ['dateCreated', 'dateModified']) {
    if (!option(call, builtin)) continue
    attrs ??= ['*']
    if (attrs.length === 0) attrs.push('*')
    if (!attrs.includes(builtin)) attrs.push(builtin)
  }
  return attrs
}

/** `options=overrideMetadata,forcedUpdate` of updates. */
export function updateOptions(call: Call): UpdateOptions {
  return { overrideMetadata: option(call, 'overrideMetadata'), forcedUpdate: option(call, 'forcedUpdate') }
}

export function renderMode(call: Call): RenderMode {
  if (option(call, 'keyValues')) return 'keyValues'
  if (option(call, 'values')) return 'values'
  if (option(call, 'unique')) return 'unique'
  return 'normalized'
}

/** The entity of an `/v2/entities/{id}…` URL, with `?type=` when given. */
export function entityRef(call: Call): EntityRef {
  const id = call.args[0]!
  checkPathEntityId(id)
  const type = param(call, 'type')
  return type === undefined ? { id } : { id, type }
}

export function attributeName(call: Call): string {
  const name = call.args[1]!
  checkPathAttributeName(name)
  return name
}

/** Location of an entity, as Orion writes it. */
export function entityLocation(id: string, type: string): string {
  return `/v2/entities/${id}?type=${type}`
}
