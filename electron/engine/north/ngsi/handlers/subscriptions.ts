import type { SubscriptionScope } from '../../../context/embedded/subscriptions/subscriptions-api'
import { created, json, noContent, type NgsiReply } from '../reply'
import type { Call } from '../router'
import { option, page } from './common'

/** `/v2/subscriptions[/{id}]` (docs/compatibility/ngsi-v2.md §4.1); the broker applies Orion's scoping rules. */

function scope(call: Call): SubscriptionScope {
  const s: SubscriptionScope = { service: call.tenant }
  if (call.req.servicePathHeader !== undefined) s.servicePath = call.req.servicePathHeader
  return s
}

export async function createSubscription(call: Call): Promise<NgsiReply> {
  // Any JSON shape: the broker validates it with Orion's messages.
  const id = await call.ctx.broker.createSubscription(scope(call), call.body)
  return created(`/v2/subscriptions/${id}`)
}

export function listSubscriptions(call: Call): NgsiReply {
  const { subscriptions, count } = call.ctx.broker.listSubscriptions(scope(call), {
    ...page(call)
  })
  return json(JSON.stringify(subscriptions), 200, option(call, 'count') ? [['Fiware-Total-Count', String(count)]] : undefined)
}

export function getSubscription(call: Call): NgsiReply {
  return json(JSON.stringify(call.ctx.broker.getSubscription(scope(call), call.args[0]!)))
}

export async function updateSubscription(call: Call): Promise<NgsiReply> {
  await call.ctx.broker.updateSubscription(scope(call), call.args[0]!, call.body)
  return noContent()
}

export async function deleteSubscription(call: Call): Promise<NgsiReply> {
  await call.ctx.broker.deleteSubscription({ service: call.tenant }, call.args[0]!)
  return noContent()
}
