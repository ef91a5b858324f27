import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { APIKEY } from '../fixtures/tutorial7'
import { startLessonsEngine, type LessonsEngine } from '../helpers/lessons-engine'
import { waitFor } from '../helpers/wait-for'

/** "Show me" does a step for real, over the engine's own HTTP APIs and MQTT broker, and returns what it sent and got. */

const LESSON = 'iot-agent-ul-mqtt'

describe('lessons.showMe', () => {
  let run: LessonsEngine

  beforeAll(async () => {
    run = await startLessonsEngine()
  })
  afterAll(async () => {
    await run?.dispose()
  })

  it('service-group: POST /iot/services with the tenant, answered 201; the group exists and the step is done', async () => {
    const { actions } = await run.api['lessons.showMe']({ id: LESSON, stepId: 'service-group' })
    expect(actions).toHaveLength(1)
    const a = actions[0]!
    expect(a).toMatchObject({ kind: 'http', method: 'POST', status: 201, headers: { 'fiware-service': 'openiot', 'fiware-servicepath': '/', 'content-type': 'application/json' } })
    expect(a.kind === 'http' && new URL(a.url).pathname).toBe('/iot/services')
    expect(a.kind === 'http' && JSON.parse(a.body!)).toMatchObject({ services: [{ apikey: APIKEY, entity_type: 'Device' }] })
    const groups = await run.api['groups.list']({ scope: { service: 'openiot', servicePath: '/' } })
    expect(groups.groups.map((g) => g.apikey)).toEqual([APIKEY])
    await waitFor(() => run.latest(LESSON)?.steps.find((s) => s.stepId === 'service-group')?.state === 'done', 'service-group done')

    // Again: the agent refuses the duplicate, and show me says so.
    const again = (await run.api['lessons.showMe']({ id: LESSON, stepId: 'service-group' })).actions[0]!
    expect(again).toMatchObject({ kind: 'http', status: 409 })
    expect(again.kind === 'http' && again.answer).toContain('DUPLICATE_GROUP')
  })

  it('agent-health: a request without the tenant headers', async () => {
    const [a] = (await run.api['lessons.showMe']({ id: LESSON, stepId: 'agent-health' })).actions
    expect(a).toMatchObject({ kind: 'http', method: 'GET', status: 200, headers: {} })
    expect(a?.kind === 'http' && JSON.parse(a.answer!)).toMatchObject({ version: expect.any(String) })
  })

  it('first-measure: an MQTT publication the agent takes as the device', async () => {
    await run.api['lessons.showMe']({ id: LESSON, stepId: 'provision-device' })
    const { actions } = await run.api['lessons.showMe']({ id: LESSON, stepId: 'first-measure' })
    expect(actions).toEqual([{ kind: 'mqtt', topic: `ul/${APIKEY}/device001/attrs`, payload: 't|21.5|rh|40' }])
    await waitFor(() => run.latest(LESSON)?.steps.find((s) => s.stepId === 'first-measure')?.state === 'done', 'first-measure done')
  })

  it('the GUI reading the entity (entities.get, not HTTP) counts as the read-entity request', async () => {
    expect(run.latest(LESSON)?.steps.find((s) => s.stepId === 'read-entity')?.state).toBe('todo')
    await run.api['entities.get']({ scope: { service: 'openiot', servicePath: '/' }, id: 'urn:ngsi-ld:Device:001', type: 'Device' })
    const step = await waitFor(() => run.latest(LESSON)?.steps.find((s) => s.stepId === 'read-entity' && s.state === 'done'), 'read-entity done')
    expect(step.evidence?.data).toMatchObject({ api: 'ngsi', method: 'GET', path: '/v2/entities/urn:ngsi-ld:Device:001', status: 200 })
  })

  it('an unknown step is a 404', async () => {
    await expect(run.api['lessons.showMe']({ id: LESSON, stepId: 'nope' })).rejects.toMatchObject({ status: 404 })
  })
})
