import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CREATE_SERVICE_BODY, ENTITY_ID, JSON_TENANT, MEASURE, PROVISION_DEVICE_BODY, SERVICE_GROUP, TENANT } from '../fixtures/tutorial7'
import { startLessonsEngine, type LessonsEngine } from '../helpers/lessons-engine'
import { waitFor } from '../helpers/wait-for'

/**
 * `lessons.reset` clears the lesson's tenant (openiot, service path /) — groups, devices,
 * entities, registrations, subscriptions — and its progress, and nothing of another tenant.
 */

const LESSON = 'iot-agent-ul-mqtt'
const OTHER = { 'fiware-service': 'othertenant', 'fiware-servicepath': '/' }
const JSON_OTHER = { ...OTHER, 'content-type': 'application/json' }
const SCOPE = { service: 'openiot', servicePath: '/' }
const OTHER_SCOPE = { service: 'othertenant', servicePath: '/' }

describe('lessons.reset', () => {
  let run: LessonsEngine

  beforeAll(async () => {
    run = await startLessonsEngine()
  })
  afterAll(async () => {
    await run?.dispose()
  })

  const post = async (url: string, headers: Record<string, string>, body: unknown): Promise<void> => {
    const r = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) })
    expect(r.status, `${url}: ${await r.clone().text()}`).toBe(201)
  }
  const count = async (tenant: Record<string, string>, what: string): Promise<number> => {
    const r = await fetch(`${run.ngsiUrl}/v2/${what}?limit=1000`, { headers: tenant })
    expect(r.status).toBe(200)
    return ((await r.json()) as unknown[]).length
  }

  it('empties the lesson tenant, keeps the other tenant whole, and clears the progress', async () => {
    await run.api['lessons.get']({ id: LESSON })
    // An API key belongs to one group of all tenants: the other tenant's group has its own.
    for (const [json, tenant, group] of [
      [JSON_TENANT, SCOPE, CREATE_SERVICE_BODY],
      [JSON_OTHER, OTHER_SCOPE, { services: [{ ...SERVICE_GROUP, apikey: 'otherkey' }] }]
    ] as const) {
      await post(`${run.northUrl}/iot/services`, json, group)
      await post(`${run.northUrl}/iot/devices`, json, PROVISION_DEVICE_BODY)
      await post(`${run.ngsiUrl}/v2/entities`, json, { id: 'urn:ngsi-ld:Store:001', type: 'Store', name: { type: 'Text', value: `store of ${tenant.service}` } })
      await post(`${run.ngsiUrl}/v2/subscriptions`, json, { subject: { entities: [{ idPattern: '.*', type: 'Store' }] }, notification: { http: { url: 'http://127.0.0.1:9/notify' } } })
    }
    await run.engine.broker.publish(MEASURE.topic, MEASURE.payload)
    await run.engine.broker.publish(MEASURE.topic.replace(/^ul\/[^/]+/, 'ul/otherkey'), MEASURE.payload)
    await waitFor(() => run.latest(LESSON)?.steps.find((s) => s.stepId === 'first-measure')?.state === 'done', 'first-measure done before the reset')
    // The device's commands made a registration in both tenants.
    expect(await count(TENANT, 'registrations')).toBe(1)
    expect(await count(OTHER, 'registrations')).toBe(1)
    expect(await count(OTHER, 'entities')).toBe(2)

    const { progress } = await run.api['lessons.reset']({ id: LESSON })
    expect(progress.steps.every((s) => s.state === 'todo' && s.hints.length === 0)).toBe(true)
    expect(progress.startedAt).toEqual(expect.any(Number))

    expect((await run.api['groups.list']({ scope: SCOPE })).count).toBe(0)
    expect((await run.api['devices.list']({ scope: SCOPE })).count).toBe(0)
    for (const what of ['entities', 'registrations', 'subscriptions']) expect(await count(TENANT, what), what).toBe(0)

    expect((await run.api['groups.list']({ scope: OTHER_SCOPE })).count).toBe(1)
    expect((await run.api['devices.list']({ scope: OTHER_SCOPE })).count).toBe(1)
    expect(await count(OTHER, 'entities')).toBe(2)
    expect(await count(OTHER, 'registrations')).toBe(1)
    expect(await count(OTHER, 'subscriptions')).toBe(1)
    expect((await run.api['entities.get']({ scope: OTHER_SCOPE, id: ENTITY_ID })).id).toBe(ENTITY_ID)

    const summary = (await run.api['lessons.list']({})).lessons.find((l) => l.id === LESSON)
    expect(summary?.done).toBe(0)
    expect(run.logs.some((e) => e.code === 'LESSON_RESET' && e.message.includes('1 devices, 1 groups'))).toBe(true)
  })

  it('an unknown lesson is a 404', async () => {
    await expect(run.api['lessons.reset']({ id: 'no-such-lesson' })).rejects.toMatchObject({ name: 'NOT_FOUND', status: 404 })
  })
})
