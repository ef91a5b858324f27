import { badRequest, DESC } from '../../../context/embedded/errors'
import type { RegistrationScope } from '../../../context/embedded/registrations-api'
import type { NgsiError, RegistrationRequest } from '../../../context/types'
import { created, json, noContent, type NgsiReply } from '../reply'
import type { Call } from '../router'
import { option, page } from './common'

/** `/v2/registrations[/{id}]` (docs/compatibility/ngsi-v2.md §5.1). */

function scope(call: Call): RegistrationScope {
  const s: RegistrationScope = { service: call.tenant }
  if (call.req.servicePathHeader !== undefined) s.servicePath = call.req.servicePathHeader
  return s
}

/**
 * Orion's registration parser answers a body that is not JSON with BadRequest, where the other
 * parsers answer ParseError (docs/compatibility/ngsi-v2.md §5.1).
 */
export function registrationParseError(): NgsiError {
  return badRequest(DESC.parse)
}

export async function createRegistration(call: Call): Promise<NgsiReply> {
  // Any JSON shape: the broker validates it with Orion's messages.
  const id = await call.ctx.broker.createRegistration(scope(call), call.body as RegistrationRequest)
  return created(`/v2/registrations/${id}`)
}

export function listRegistrations(call: Call): NgsiReply {
  const { registrations, count } = call.ctx.broker.listRegistrations(scope(call), {
    ...page(call)
  })
  return json(JSON.stringify(registrations), 200, option(call, 'count') ? [['Fiware-Total-Count', String(count)]] : undefined)
}

export function getRegistration(call: Call): NgsiReply {
  return json(JSON.stringify(call.ctx.broker.getRegistration(scope(call), call.args[0]!)))
}

export async function deleteRegistration(call: Call): Promise<NgsiReply> {
  await call.ctx.broker.deleteRegistration({ service: call.tenant }, call.args[0]!)
  return noContent()
}
