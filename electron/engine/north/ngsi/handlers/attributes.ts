import { isDateType } from '../../../context/embedded/datetime'
import { parseAttributeBody, parseJsonValueBody, parseTextValue } from '../../../context/embedded/entity-json'
import { formatNumber, objectText, toJsonText } from '../../../context/embedded/json-text'
import { attributeText, type AttributeView } from '../../../context/embedded/render'
import { NgsiError } from '../../../context/types'
import { accepts, preferred } from '../accept'
import { errorReply, json, noContent, type NgsiReply } from '../reply'
import type { Call } from '../router'
import { attributeName, entityRef, listParam, option, queryContext, updateOptions, writeContext } from './common'

/** `/v2/entities/{id}/attrs/{name}` and `…/value` (docs/compatibility/ngsi-v2.md §2.3). */

export async function getAttribute(call: Call): Promise<NgsiReply> {
  const ref = entityRef(call)
  const name = attributeName(call)
  const a = await call.ctx.broker.getAttribute(queryContext(call), ref, name, {
    metadata: listParam(call, 'metadata'),
    skipForwarding: option(call, 'skipForwarding')
  })
  return json(option(call, 'keyValues') ? objectText([[a.name, toJsonText(a.value)]]) : attributeText(a))
}

export async function putAttribute(call: Call): Promise<NgsiReply> {
  const attr = parseAttributeBody(call.body)
  const ref = entityRef(call)
  const name = attributeName(call)
  await call.ctx.broker.updateAttribute(writeContext(call), ref, name, attr, updateOptions(call))
  return noContent()
}

export async function deleteAttribute(call: Call): Promise<NgsiReply> {
  const ref = entityRef(call)
  const name = attributeName(call)
  await call.ctx.broker.deleteAttribute(writeContext(call), ref, name)
  return noContent()
}

/** A scalar as `text/plain`: strings keep their quotes, dates are bare, numbers Orion-formatted. */
function scalarText(a: AttributeView): string {
  const v = a.value
  if (typeof v === 'string') return isDateType(a.type) ? v : `"${v}"`
  if (typeof v === 'number') return formatNumber(v)
  if (typeof v === 'boolean') return v ? 'true' : 'false'
  return 'null'
}

function text(body: string): NgsiReply {
  return { status: 200, body, contentType: 'text/plain' }
}

/**
 * `GET …/value` (getEntityAttributeValue.cpp, ContextAttribute::getValueResponse): objects and
 * arrays as JSON (or text when preferred), scalars only as `text/plain` (406 when the client
 * accepts JSON only).
 */
export async function getAttributeValue(call: Call): Promise<NgsiReply> {
  const ref = entityRef(call)
  const name = attributeName(call)
  const a = await call.ctx.broker.getAttribute(queryContext(call), ref, name, { skipForwarding: option(call, 'skipForwarding') })
  const accept = call.req.accept
  const compound = typeof a.value === 'object' && a.value !== null
  const jsonAccepted = accepts(accept, 'application/json')
  const textAccepted = accepts(accept, 'text/plain')
  if (!jsonAccepted) return text(compound ? toJsonText(a.value) : scalarText(a))
  if (!compound) {
    if (textAccepted) return text(scalarText(a))
    return errorReply(new NgsiError(406, 'NotAcceptable', 'accepted MIME types: text/plain'))
  }
  return preferred(accept) === 'text' ? text(toJsonText(a.value)) : json(toJsonText(a.value))
}

/**
 * `PUT …/value`: with `application/json` only an object or array is accepted (request #38 of the
 * collection fails exactly as in Orion); with `text/plain` a quoted string, true/false, null or a
 * number.
 */
export async function putAttributeValue(call: Call): Promise<NgsiReply> {
  const value = call.req.contentType === 'text/plain' ? parseTextValue(call.body as string) : parseJsonValueBody(call.body)
  const ref = entityRef(call)
  const name = attributeName(call)
  await call.ctx.broker.updateAttributeValue(writeContext(call), ref, name, value)
  return noContent()
}
