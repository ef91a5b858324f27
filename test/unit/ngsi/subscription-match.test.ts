import { describe, expect, it } from 'vitest'
import type { EntityChange } from '../../../electron/engine/context/embedded/entity-store'
import { newEntity } from '../../../electron/engine/context/embedded/model'
import { SubscriptionIndex, type LiveSubscription } from '../../../electron/engine/context/embedded/subscriptions/subscription-index'
import { parseSubscription, specOf } from '../../../electron/engine/context/embedded/subscriptions/subscription-input'
import {
  alterationOf,
  classifyChange,
  compileSubscription,
  entityMatches,
  expressionMatches,
  triggeredBy
} from '../../../electron/engine/context/embedded/subscriptions/subscription-match'
import { newCounters } from '../../../electron/engine/context/embedded/subscriptions/model'

/** When a subscription fires (docs/compatibility/ngsi-v2.md §4.3; subCache.cpp subMatch), and which ones an update looks at. */

function subscription(extra: Record<string, unknown> = {}, servicePath = '/#', entities: unknown[] = [{ idPattern: '.*' }], id = 'S1'): LiveSubscription {
  const spec = specOf(parseSubscription({ subject: { entities, ...extra }, notification: { http: { url: 'http://r:1/n' } } }, false))
  return { id, tenant: '', servicePath, spec, counters: newCounters(), compiled: compileSubscription(spec, servicePath), dirty: false, seen: 0 }
}

function change(kind: EntityChange['kind'], parts: Partial<EntityChange> = {}): EntityChange {
  const entity = newEntity('', '/a/b', 'E1', 'Room', 0, 0)
  entity.attrs.set('temperature', { type: 'Number', value: 25, metadata: null, creDate: 0, modDate: 0 })
  entity.attrs.set('pressure', { type: 'Number', value: 720, metadata: null, creDate: 0, modDate: 0 })
  return { kind, service: '', servicePath: '/a/b', id: 'E1', type: 'Room', attrs: [], changed: [], removed: [], entity, ...parts }
}

const fires = (sub: LiveSubscription, c: EntityChange): boolean =>
  triggeredBy(sub.spec, sub.compiled, classifyChange(c), c.servicePath) && entityMatches(sub.compiled, c.id, c.type) && expressionMatches(sub.compiled, c.entity)

const created = change('created', { attrs: ['temperature', 'pressure'], changed: ['temperature', 'pressure'] })
const valueChange = change('updated', { attrs: ['temperature'], changed: ['temperature'] })
const noChange = change('updated', { attrs: ['temperature'], changed: [] })
const metadataChange = change('updated', { attrs: ['temperature'], changed: ['temperature'], metadataOnly: ['temperature'] })
const attrDeleted = change('updated', { removed: ['pressure'] })
const deleted = change('deleted', { removed: ['temperature', 'pressure'] })

describe('alteration types', () => {
  it('defaults to entityCreate + entityChange: an update that changes nothing does not notify', () => {
    const sub = subscription()
    expect([created, valueChange, noChange, metadataChange, attrDeleted, deleted].map((c) => fires(sub, c))).toEqual([true, true, false, true, true, false])
  })

  it('entityUpdate notifies every update, entityDelete only deletions, entityCreate only creations', () => {
    const update = subscription({ condition: { alterationTypes: ['entityUpdate'] } })
    expect([created, valueChange, noChange, deleted].map((c) => fires(update, c))).toEqual([false, true, true, false])
    const del = subscription({ condition: { alterationTypes: ['entityDelete'], attrs: ['humidity'] } })
    expect([created, valueChange, deleted].map((c) => fires(del, c))).toEqual([false, false, true])
    const create = subscription({ condition: { alterationTypes: ['entityCreate'] } })
    expect([created, valueChange].map((c) => fires(create, c))).toEqual([true, false])
  })

  it('reports the alteration a notification carries', () => {
    expect([created, valueChange, noChange, metadataChange, deleted].map((c) => alterationOf(classifyChange(c).kind))).toEqual([
      'entityCreate',
      'entityChange',
      'entityUpdate',
      'entityChange',
      'entityDelete'
    ])
  })

  it('notifyOnMetadataChange false turns a metadata-only change into an update', () => {
    const sub = subscription({ condition: { notifyOnMetadataChange: false } })
    expect(fires(sub, metadataChange)).toBe(false)
    expect(fires(sub, valueChange)).toBe(true)
    const updates = subscription({ condition: { notifyOnMetadataChange: false, alterationTypes: ['entityUpdate'] } })
    expect(fires(updates, metadataChange)).toBe(true)
  })
})

describe('condition attributes, expression, entities and service path', () => {
  it('condition.attrs needs a change of one of them (deletion included)', () => {
    const sub = subscription({ condition: { attrs: ['pressure'] } })
    expect(fires(sub, valueChange)).toBe(false)
    expect(fires(sub, attrDeleted)).toBe(true)
    expect(fires(sub, created)).toBe(true)
    expect(fires(subscription({ condition: { attrs: ['humidity'] } }), created)).toBe(false)
  })

  it('an entity created without attributes notifies nobody (Orion needs a changed attribute)', () => {
    expect(fires(subscription(), change('created', { attrs: [], changed: [] }))).toBe(false)
  })

  it('q and mq are evaluated on the entity after the change', () => {
    expect(fires(subscription({ condition: { expression: { q: 'temperature>20;pressure<800' } } }), valueChange)).toBe(true)
    expect(fires(subscription({ condition: { expression: { q: 'temperature>30' } } }), valueChange)).toBe(false)
    expect(fires(subscription({ condition: { expression: { mq: 'temperature.unit==C' } } }), valueChange)).toBe(false)
  })

  it('matches id, unanchored idPattern, type and typePattern', () => {
    expect(fires(subscription({}, '/#', [{ id: 'E1', type: 'Room' }]), valueChange)).toBe(true)
    expect(fires(subscription({}, '/#', [{ id: 'E1', type: 'Car' }]), valueChange)).toBe(false)
    expect(fires(subscription({}, '/#', [{ idPattern: '^E' }]), valueChange)).toBe(true)
    expect(fires(subscription({}, '/#', [{ idPattern: '1', typePattern: 'oo' }]), valueChange)).toBe(true)
    expect(fires(subscription({}, '/#', [{ id: 'E2' }, { idPattern: 'E', type: 'Room' }]), valueChange)).toBe(true)
  })

  it('service path scope: /#, /a/#, /a/b match an update in /a/b; /a, /c/# and / do not', () => {
    const at = (path: string): boolean => fires(subscription({}, path), valueChange)
    expect(['/#', '/a/#', '/a/b/#', '/a/b'].map(at)).toEqual([true, true, true, true])
    expect(['/a', '/c/#', '/', '/a/bc/#'].map(at)).toEqual([false, false, false, false])
  })
})

describe('subscription index', () => {
  it('gives an update only the candidates filed under its id, its type, or a pattern without type', () => {
    const index = new SubscriptionIndex()
    const byId = subscription({}, '/#', [{ id: 'E1' }], 'A')
    const byType = subscription({}, '/#', [{ idPattern: '.*', type: 'Room' }], 'B')
    const other = subscription({}, '/#', [{ id: 'E2' }, { idPattern: '.*', type: 'Car' }], 'C')
    const wildcard = subscription({}, '/#', [{ idPattern: 'E', typePattern: '.*' }], 'D')
    for (const s of [byId, byType, other, wildcard]) index.add(s)
    const seen = (id: string, type: string, stamp: number): string[] => {
      const out: string[] = []
      index.forEachCandidate(index.tenant('')!, id, type, stamp, (s) => out.push(s.id))
      return out
    }
    expect(seen('E1', 'Room', 1)).toEqual(['A', 'B', 'D'])
    expect(seen('E2', 'Car', 2)).toEqual(['C', 'D'])
    index.remove(wildcard)
    expect(seen('X', 'Truck', 3)).toEqual([])
    expect(index.tenant('openiot')).toBeUndefined()
  })
})
