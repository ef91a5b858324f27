import { parseBatchQueryBody } from '../../../context/embedded/batch-query'
import { BatchPatternError, parseBatchBody } from '../../../context/embedded/entity-json'
import { entitiesText } from '../../../context/embedded/render'
import { NgsiError } from '../../../context/types'
import { json, noContent, type NgsiReply } from '../reply'
import type { Call } from '../router'
import { option, ordered, queryContext, renderMode, updateOptions, writeContext } from './common'

/** `POST /v2/op/update` (docs/compatibility/ngsi-v2.md §3.1) and `POST /v2/op/query` (docs/compatibility/ngsi-v2.md §3.2). */
export async function batchUpdate(call: Call): Promise<NgsiReply> {
  let batch
  try {
    batch = parseBatchBody(call.body, { keyValues: option(call, 'keyValues') })
  } catch (err) {
    // Orion's answer to an idPattern in a batch update, verbatim.
    if (err instanceof BatchPatternError) throw new NgsiError(501, 'NotImplemented', 'NotImplemented')
    throw err
  }
  await call.ctx.broker.batchUpdate(writeContext(call), batch, updateOptions(call))
  return noContent()
}

/** `POST /v2/op/query`: the body selects, the URL paginates, orders and chooses the representation. */
export async function batchQuery(call: Call): Promise<NgsiReply> {
  const { selector, attrs, metadata } = parseBatchQueryBody(call.body)
  const result = await call.ctx.broker.queryEntities(queryContext(call), {
    selector,
    ...ordered(call),
    ...(attrs ? { attrs } : {}),
    ...(metadata ? { metadata } : {}),
    skipForwarding: option(call, 'skipForwarding')
  })
  const headers: Array<[string, string]> | undefined = option(call, 'count') ? [['Fiware-Total-Count', String(result.count)]] : undefined
  return json(entitiesText(result.entities, renderMode(call)), 200, headers)
}
