import { describe, expect, it } from 'vitest'
import type { LessonStep } from '../../../shared/lessons'
import type { TenantSnapshot } from '../../../electron/engine/lessons/checks'
import { isTenantPath, matchHints, otherAgentHints } from '../../../electron/engine/lessons/hints'
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

describe('lesson hints of the IoT Agent JSON and the other APIs', () => {
  const JSON_GROUP_STEP = step({
    check: { kind: 'group', agent: 'json', apikey: 'k' },
    hints: [{ when: { missingTenant: true }, text }],
    showMe: [{ http: { api: 'json-north', method: 'POST', path: '/iot/services' } }]
  })
  const SOUTH_STEP = step({
    check: { kind: 'measure', device_id: 'd' },
    hints: [{ when: { httpError: { status: 404 } }, text }],
    showMe: [{ http: { api: 'south', method: 'POST', path: '/iot/json?k=k&i=d' } }]
  })

  it('a json-north route is heard as the north API, where both agents report their requests', () => {
    expect(matchHints(JSON_GROUP_STEP, req({ tenant: false, service: '' }), 'openiot').map((m) => m.index)).toEqual([0])
    expect(matchHints(JSON_GROUP_STEP, req({ api: 'ngsi', tenant: false, service: '' }), 'openiot')).toEqual([])
  })

  it('a step whose only route is the south port hears no request of the north or NGSI APIs', () => {
    expect(matchHints(SOUTH_STEP, req({ status: 404 }), 'openiot')).toEqual([])
    expect(matchHints(SOUTH_STEP, req({ api: 'ngsi', path: '/iot/json', status: 404 }), 'openiot')).toEqual([])
  })
})

describe('otherAgent hints', () => {
  const GROUP = { apikey: 'k', resource: '/iot/json', entity_type: 'Device' }
  const snap = (over: Partial<TenantSnapshot>): TenantSnapshot => ({ groups: [], devices: [], measures: () => [], ...over })
  const jsonStep = step({ check: { kind: 'group', agent: 'json', apikey: 'k' }, hints: [{ when: { always: true }, text }, { when: { otherAgent: true }, text }] })

  it('lit when the check is met in the other agent only', () => {
    expect(otherAgentHints(jsonStep, snap({ groups: [GROUP] }))).toEqual([{ index: 1, observed: "the group is in the IoT Agent UltraLight's registry, not the IoT Agent JSON's" }])
    expect(otherAgentHints(jsonStep, snap({}))).toEqual([])
    const ulStep = step({ check: { kind: 'device', device_id: 'd1' }, hints: [{ when: { otherAgent: true }, text }] })
    const device = { device_id: 'd1', entity_name: 'e', entity_type: 'Device' }
    expect(otherAgentHints(ulStep, snap({ json: { groups: [], devices: [device] } })).map((m) => m.observed)).toEqual(["device d1 is in the IoT Agent JSON's registry, not the IoT Agent UltraLight's"])
  })

  it('a step without such a hint, or with another kind of check, lights none', () => {
    expect(otherAgentHints(step({ check: { kind: 'group', agent: 'json' } }), snap({ groups: [GROUP] }))).toEqual([])
    expect(otherAgentHints(step({ check: { kind: 'measure', device_id: 'd' }, hints: [{ when: { otherAgent: true }, text }] }), snap({ groups: [GROUP] }))).toEqual([])
  })
})
