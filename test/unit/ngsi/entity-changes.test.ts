import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { EmbeddedContextBroker } from '../../../electron/engine/context/embedded/broker'
import type { EntityChange } from '../../../electron/engine/context/embedded/entity-store'
import { silentLogger } from '../../../electron/engine/log/logger'
import { tempDir } from '../../helpers/temp-dir'
import { PERSISTENCE } from './support/ngsi-server'

/**
 * What change events tell subscriptions: value changes apart from metadata-only changes,
 * forcedUpdate, and previous values once a subscription asks for them.
 */

const W = { service: '', servicePath: '/' }

describe('entity change events', () => {
  let dir: ReturnType<typeof tempDir>
  let broker: EmbeddedContextBroker
  let changes: EntityChange[]

  beforeEach(async () => {
    dir = tempDir('ulcc-ngsi-changes-')
    broker = await EmbeddedContextBroker.open({ dataDir: dir.path, persistence: PERSISTENCE, logger: silentLogger() })
    changes = []
    broker.onChange((c) => changes.push(c))
    await broker.createEntity(W, { id: 'E', type: 'T', attrs: { a: { type: 'Number', value: 1 }, b: { type: 'Text', value: 'x' } } })
    changes = []
  })

  afterEach(async () => {
    await broker.close()
    dir.cleanup()
  })

  const summary = (c: EntityChange) => ({ attrs: c.attrs, changed: c.changed, metadataOnly: c.metadataOnly, removed: c.removed })

  it('tells metadata-only changes apart; an equal update changes nothing unless forced', async () => {
    await broker.updateAttributes(W, { id: 'E' }, { a: { type: 'Number', value: 1, metadata: { unit: { value: 'C' } } }, b: { type: 'Text', value: 'y' } })
    await broker.updateAttributes(W, { id: 'E' }, { b: { type: 'Text', value: 'y' } })
    await broker.updateAttributes(W, { id: 'E' }, { b: { type: 'Text', value: 'y' } }, { forcedUpdate: true })
    await broker.replaceAttributes(W, { id: 'E' }, { a: { type: 'Number', value: 1, metadata: { unit: { value: 'F' } } } })
    expect(changes.map(summary)).toEqual([
      { attrs: ['a', 'b'], changed: ['a', 'b'], metadataOnly: ['a'], removed: [] },
      { attrs: ['b'], changed: [], metadataOnly: undefined, removed: [] },
      { attrs: ['b'], changed: ['b'], metadataOnly: undefined, removed: [] },
      { attrs: ['a'], changed: ['a'], metadataOnly: ['a'], removed: ['b'] }
    ])
    expect(changes.every((c) => c.previous === undefined)).toBe(true)
  })

  it('records previous values while a subscription asks for previousValue or actionType', async () => {
    const id = await broker.createSubscription(W, {
      subject: { entities: [{ id: 'E' }] },
      notification: { http: { url: 'http://127.0.0.1:9/n' }, metadata: ['previousValue'] }
    })
    await broker.updateAttributes(W, { id: 'E' }, { a: { type: 'Number', value: 2 } })
    await broker.appendAttributes(W, { id: 'E' }, { c: { type: 'Number', value: 3 } })
    expect([...changes[0]!.previous!]).toEqual([['a', { type: 'Number', value: 1 }]])
    expect([...changes[1]!.previous!]).toEqual([])
    await broker.deleteSubscription(W, id)
    await broker.updateAttributes(W, { id: 'E' }, { a: { type: 'Number', value: 4 } })
    expect(changes[2]!.previous).toBeUndefined()
  })
})
