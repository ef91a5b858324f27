import { describe, expect, it } from 'vitest'
import type { LessonStep } from '../../../shared/lessons'
import { isTenantPath, matchHints } from '../../../electron/engine/lessons/hints'
import type { ObservedRequest } from '../../../electron/engine/north/request-observer'

const text = { en: 'x', 'pt-BR': 'x' }
const step = (over: Partial<LessonStep>): LessonStep => ({ id: 's', goal: text, explain: text, ways: {}, check: { kind: 'group' }, ...over })

const GROUP_STEP = step({
  check: { kind: 'group', apikey: 'k' },
  hints: [
    { when: { missingTenant: true }, text },
    { when: { httpError: { status: 409 } }, text },
    { when: { httpError: { error: 'DUPLICATE_GROUP' } }, text },
    { when: { always: true }, text }
  ],
  showMe: [{ http: { api: 'north', method: 'POST', path: '/iot/services' } }]
})

const req = (over: Partial<ObservedRequest>): { kind: 'request'; request: ObservedRequest } => ({
  kind: 'request',
  request: { api: 'north', method: 'POST', path: '/iot/services', status: 201, tenant: true, service: 'openiot', servicePath: '/', at: 1, ...over }
})

describe('lesson hints', () => {
  it('missingTenant: a request of the step without fiware-service', () => {
    expect(matchHints(GROUP_STEP, req({ tenant: false, service: '' }), 'openiot').map((m) => m.index)).toEqual([0])
    expect(matchHints(GROUP_STEP, req({}), 'openiot')).toEqual([])
    // Not a request of this step (another route), nor for a lesson in the default tenant.
    expect(matchHints(GROUP_STEP, req({ tenant: false, path: '/iot/devices' }), 'openiot')).toEqual([])
    expect(matchHints(GROUP_STEP, req({ tenant: false }), '')).toEqual([])
  })

  it('httpError: by status or by FIWARE error name, only for the step routes and tenant', () => {
    const m = matchHints(GROUP_STEP, req({ status: 409, error: 'DUPLICATE_GROUP' }), 'openiot')
    expect(m.map((x) => x.index)).toEqual([1, 2])
    expect(m[0]!.observed).toBe('POST /iot/services: 409 DUPLICATE_GROUP')
    expect(matchHints(GROUP_STEP, req({ status: 409, path: '/iot/devices' }), 'openiot')).toEqual([])
    expect(matchHints(GROUP_STEP, req({ status: 409, service: 'other' }), 'openiot')).toEqual([])
  })

  it('a step that names no route hears every request', () => {
    const s = step({ hints: [{ when: { httpError: { status: 404 } }, text }] })
    expect(matchHints(s, req({ api: 'ngsi', method: 'GET', path: '/v2/entities/x', status: 404 }), 'openiot').map((x) => x.index)).toEqual([0])
  })

  it('rejected: the reason, or any', () => {
    const s = step({ hints: [{ when: { rejected: 'NO_GROUP' }, text }, { when: { rejected: 'any' }, text }] })
    expect(matchHints(s, { kind: 'rejected', code: 'NO_GROUP', topic: 't' }, 'openiot').map((x) => x.index)).toEqual([0, 1])
    expect(matchHints(s, { kind: 'rejected', code: 'PARSE_ERROR', topic: 't' }, 'openiot').map((x) => x.index)).toEqual([1])
  })

  it('commandExpired, and never an `always` hint by itself', () => {
    const s = step({ hints: [{ when: { always: true }, text }, { when: { commandExpired: true }, text }] })
    expect(matchHints(s, { kind: 'commandExpired', deviceId: 'd', command: 'switch' }, 'openiot')).toEqual([{ index: 1, observed: 'command switch of d expired' }])
  })

  it('health paths need no tenant', () => {
    expect(isTenantPath('/iot/about')).toBe(false)
    expect(isTenantPath('/version')).toBe(false)
    expect(isTenantPath('/iot/services')).toBe(true)
    expect(isTenantPath('/v2/entities')).toBe(true)
  })
})
