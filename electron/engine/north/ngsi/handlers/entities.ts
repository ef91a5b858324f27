import type { EntitySelector } from '../../../context/embedded/query/entity-filter'
import { parseAttrsBody, parseEntityBody } from '../../../context/embedded/entity-json'
import { entitiesText, entityText } from '../../../context/embedded/render'
import { created, json, noContent, type NgsiReply } from '../reply'
import type { Call } from '../router'
import {
  attrsSelection,
  entityLocation,
  entityRef,
  listParam,
  option,
  ordered,
  param,
  queryContext,
  renderMode,
  updateOptions,
  writeContext
} from './common'

/** `/v2/entities` and `/v2/entities/{id}[/attrs]` (docs/compatibility/ngsi-v2.md §2.1–§2.3). */

export async function listEntities(call: Call): Promise<NgsiReply> {
  const selector: EntitySelector = {}
  const ids = listParam(call, 'id')
  const types = listParam(call, 'type')
  if (ids) selector.ids = ids
  if (types) selector.types = types
  for (const k of ['idPattern', 'typePattern', 'q', 'mq', 'georel', 'geometry', 'coords'] as const) {
    const v = param(call, k)
    if (v !== undefined) selector[k] = v
  }
  const result = await call.ctx.broker.queryEntities(queryContext(call), {
    selector,
    ...ordered(call),
    attrs: attrsSelection(call),
    metadata: listParam(call, 'metadata'),
    skipForwarding: option(call, 'skipForwarding')
  })
  const headers: Array<[string, string]> | undefined = option(call, 'count') ? [['Fiware-Total-Count', String(result.count)]] : undefined
  return json(entitiesText(result.entities, renderMode(call)), 200, headers)
}

export async function createEntity(call: Call): Promise<NgsiReply> {
  const input = parseEntityBody(call.body, { keyValues: option(call, 'keyValues') })
  const upsert = option(call, 'upsert')
  const { id, type } = await call.ctx.broker.createEntity(writeContext(call), input, { upsert, forcedUpdate: option(call, 'forcedUpdate') })
  const location = entityLocation(id, type)
  return upsert ? noContent([['Location', location]]) : created(location)
}

export async function getEntity(call: Call): Promise<NgsiReply> {
  const view = await call.ctx.broker.getEntity(queryContext(call), entityRef(call), {
    attrs: attrsSelection(call),
    metadata: listParam(call, 'metadata'),
    skipForwarding: option(call, 'skipForwarding')
  })
  return json(entityText(view, renderMode(call)))
}

/** `GET /v2/entities/{id}/attrs`: the entity without id and type. */
export async function getEntityAttrs(call: Call): Promise<NgsiReply> {
  const view = await call.ctx.broker.getEntity(queryContext(call), entityRef(call), {
    attrs: attrsSelection(call),
    metadata: listParam(call, 'metadata'),
    skipForwarding: option(call, 'skipForwarding')
  })
  return json(entityText(view, renderMode(call), false))
}

export async function deleteEntity(call: Call): Promise<NgsiReply> {
  await call.ctx.broker.deleteEntity(writeContext(call), entityRef(call))
  return noContent()
}

export async function appendAttrs(call: Call): Promise<NgsiReply> {
  const attrs = parseAttrsBody(call.body, { keyValues: option(call, 'keyValues') })
  const ref = entityRef(call)
  await call.ctx.broker.appendAttributes(writeContext(call), ref, attrs, {
    strict: option(call, 'append'),
    overrideMetadata: option(call, 'overrideMetadata'),
    forcedUpdate: option(call, 'forcedUpdate')
  })
  return noContent()
}

export async function updateAttrs(call: Call): Promise<NgsiReply> {
  const attrs = parseAttrsBody(call.body, { keyValues: option(call, 'keyValues') })
  const ref = entityRef(call)
  await call.ctx.broker.updateAttributes(writeContext(call), ref, attrs, updateOptions(call))
  return noContent()
}

export async function replaceAttrs(call: Call): Promise<NgsiReply> {
  const attrs = parseAttrsBody(call.body, { keyValues: option(call, 'keyValues') })
  const ref = entityRef(call)
  await call.ctx.broker.replaceAttributes(writeContext(call), ref, attrs, updateOptions(call))
  return noContent()
}
