import { BatchPatternError, parseBatchBody } from '../../../context/embedded/entity-json'
import { NgsiError } from '../../../context/types'
import { noContent, type NgsiReply } from '../reply'
import type { Call } from '../router'
import { option, writeContext } from './common'

/** `POST /v2/op/update` (spec §3.1). */
export async function batchUpdate(call: Call): Promise<NgsiReply> {
  let batch
  try {
    batch = parseBatchBody(call.body, { keyValues: option(call, 'keyValues') })
  } catch (err) {
    // Orion's answer to an idPattern in a batch update, verbatim.
    if (err instanceof BatchPatternError) throw new NgsiError(501, 'NotImplemented', 'NotImplemented')
    throw err
  }
  await call.ctx.broker.batchUpdate(writeContext(call), batch, { overrideMetadata: option(call, 'overrideMetadata') })
  return noContent()
}
