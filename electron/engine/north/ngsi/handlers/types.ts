import { entityTypesText, entityTypeText } from '../../../context/embedded/entity-types'
import { badRequest } from '../../../context/embedded/errors'
import { json, type NgsiReply } from '../reply'
import type { Call } from '../router'
import { option, page, queryContext } from './common'

/** `GET /v2/types` and `GET /v2/types/{type}` (docs/compatibility/ngsi-v2.md §2.4). */

export function listTypes(call: Call): NgsiReply {
  const { types, count } = call.ctx.broker.listEntityTypes(queryContext(call), {
    ...page(call),
    noAttrDetail: option(call, 'noAttrDetail')
  })
  const headers: Array<[string, string]> | undefined = option(call, 'count') ? [['Fiware-Total-Count', String(count)]] : undefined
  return json(entityTypesText(types, option(call, 'values')), 200, headers)
}

export function getType(call: Call): NgsiReply {
  const type = call.args[0]!
  if (type === '') throw badRequest('entity type length: 0, min length supported: 1')
  const info = call.ctx.broker.getEntityType(queryContext(call), type, { noAttrDetail: option(call, 'noAttrDetail') })
  return json(entityTypeText(info, false))
}
