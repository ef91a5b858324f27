import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EndpointRole } from '../../shared/status'
import { startLessonsEngine, type LessonsEngine } from '../helpers/lessons-engine'
import { waitFor } from '../helpers/wait-for'

/**
 * The lessons of tutorials 6 (resources/lessons/06-iot-agent-json-http.yaml) and 8
 * (08-persistence-history.yaml) on a real engine, each on a fresh one: lesson 6 done as a trainee
 * with curl does it (HTTP requests only, with the usual mistakes first), lesson 8 done through its
 * "show me" requests alone. The built-in dummy device answers the commands; the built-in Cygnus
 * and STH-Comet keep and give the history.
 */

const APIKEY = '4jggokgpepnvsb2uv4s40d59ov'
const TENANT = { 'content-type': 'application/json', 'fiware-service': 'openiot', 'fiware-servicepath': '/' }
const GROUP_BODY = { services: [{ apikey: APIKEY, cbroker: 'http://orion:1026', entity_type: 'Device', resource: '/iot/json' }] }

function urlOf(run: LessonsEngine, role: EndpointRole): string {
  const port = run.engine.endpoints().find((e) => e.role === role)?.addresses[0]?.port
  if (!port) throw new Error(`no ${role} endpoint`)
  return `http://127.0.0.1:${port}`
}

const post = (url: string, body: unknown, headers: Record<string, string> = TENANT): Promise<Response> => fetch(url, { method: 'POST', headers, body: JSON.stringify(body) })

describe('lesson "IoT Agent JSON over HTTP" (tutorial 6), done with HTTP requests only', () => {
  const LESSON = 'iot-agent-json-http'
  let run: LessonsEngine
  const step = (id: string) => run.latest(LESSON)?.steps.find((s) => s.stepId === id)
  const doneNow = (id: string) => waitFor(() => step(id)?.state === 'done' && step(id), `step ${id} done`, 10_000)

  beforeAll(async () => {
    run = await startLessonsEngine()
  })
  afterAll(async () => {
    await run?.dispose()
  })

  it('lessons.get starts the lesson and gives the JSON agent\'s and the south port\'s real addresses', async () => {
    const got = await run.api['lessons.get']({ id: LESSON })
    expect(got.lesson.steps.map((s) => s.id)).toEqual(['service-group', 'provision-device', 'send-measure', 'read-entity', 'interval-command'])
    const port = (url: string | undefined): string => new URL(url ?? '').port
    expect(port(got.context.placeholders.jsonNorth)).toBe(port(urlOf(run, 'iota-json-north')))
    expect(port(got.context.placeholders.south)).toBe(port(urlOf(run, 'iota-south')))
  })

  it('the group on the UltraLight agent (the wrong port) does not count: the otherAgent hint says where it went, and a measure is refused by the JSON agent with the NO_GROUP hint', async () => {
    expect((await post(`${run.northUrl}/iot/services`, GROUP_BODY)).status).toBe(201)
    const r = await post(`${urlOf(run, 'iota-south')}/iot/json?k=${APIKEY}&i=device001`, { temperature: 10, humidity: 50 })
    expect(r.status).toBeGreaterThanOrEqual(400)
    const hinted = await waitFor(() => step('send-measure')?.hints.find((h) => h.index === 0), 'the NO_GROUP hint of send-measure')
    expect(hinted.observed).toMatch(/NO_GROUP/)
    expect(step('service-group')?.state).toBe('todo')
    const other = await waitFor(() => step('service-group')?.hints.find((h) => h.index === 0), 'the otherAgent hint of service-group')
    expect(other.observed).toBe("the group is in the IoT Agent UltraLight's registry, not the IoT Agent JSON's")
  })

  it('a group request to 4041 without fiware-service lights the missingTenant hint; with it, the step is done', async () => {
    await post(`${urlOf(run, 'iota-json-north')}/iot/services`, GROUP_BODY, { 'content-type': 'application/json' })
    await waitFor(() => step('service-group')?.hints.find((h) => h.index === 1), 'the missingTenant hint of service-group')
    expect((await post(`${urlOf(run, 'iota-json-north')}/iot/services`, GROUP_BODY)).status).toBe(201)
    const s = await doneNow('service-group')
    expect(s.evidence?.data).toMatchObject({ apikey: APIKEY, resource: '/iot/json', entity_type: 'Device' })
  })

  it('provisioning, the measure on 7896, reading the entity and the interval command answered by the built-in dummy device', async () => {
    const got = await run.api['lessons.get']({ id: LESSON })
    const provision = got.lesson.steps.find((s) => s.id === 'provision-device')!.showMe![0]!
    expect('http' in provision && provision.http.api).toBe('json-north')
    const body = 'http' in provision ? provision.http.body : undefined
    expect((await post(`${urlOf(run, 'iota-json-north')}/iot/devices`, body)).status).toBe(201)
    await doneNow('provision-device')

    expect((await post(`${urlOf(run, 'iota-south')}/iot/json?k=${APIKEY}&i=device001`, { temperature: 10, humidity: 50 })).status).toBe(200)
    const measured = await doneNow('send-measure')
    expect(measured.evidence?.data).toMatchObject({ values: { temperature: 10, relativeHumidity: 50 } })

    const read = await fetch(`${run.ngsiUrl}/v2/entities/urn:ngsi-ld:Device:001?type=Device&options=keyValues`, { headers: { 'fiware-service': 'openiot', 'fiware-servicepath': '/' } })
    expect(read.status).toBe(200)
    await doneNow('read-entity')

    const patch = await fetch(`${run.ngsiUrl}/v2/entities/urn:ngsi-ld:Device:001/attrs?type=Device`, { method: 'PATCH', headers: TENANT, body: JSON.stringify({ interval: { type: 'command', value: '15' } }) })
    expect(patch.status).toBe(204)
    const command = await doneNow('interval-command')
    expect(command.evidence?.data).toMatchObject({ command: 'interval', status: 'OK' })
    expect(run.latest(LESSON)?.steps.every((s) => s.state === 'done')).toBe(true)
  })

  it('a reset clears the JSON agent\'s group and device of the tenant too', async () => {
    await run.api['lessons.reset']({ id: LESSON })
    const devices = await fetch(`${urlOf(run, 'iota-json-north')}/iot/devices`, { headers: { 'fiware-service': 'openiot', 'fiware-servicepath': '/' } })
    expect(((await devices.json()) as { count: number }).count).toBe(0)
    const groups = await fetch(`${urlOf(run, 'iota-json-north')}/iot/services`, { headers: { 'fiware-service': 'openiot', 'fiware-servicepath': '/' } })
    expect(((await groups.json()) as { count: number }).count).toBe(0)
  })
})

describe('lesson "Persisting and reading history" (tutorial 8), done through "show me" alone', () => {
  const LESSON = 'persistence-history'
  let run: LessonsEngine
  const step = (id: string) => run.latest(LESSON)?.steps.find((s) => s.stepId === id)
  const doneNow = (id: string, ms = 10_000) => waitFor(() => step(id)?.state === 'done' && step(id), `step ${id} done`, ms)
  const showMe = (stepId: string) => run.api['lessons.showMe']({ id: LESSON, stepId })

  beforeAll(async () => {
    run = await startLessonsEngine()
    await run.api['lessons.get']({ id: LESSON })
  })
  afterAll(async () => {
    await run?.dispose()
  })

  it('service-group: Cygnus\'s health on its management API, then the group on the JSON agent', async () => {
    const { actions } = await showMe('service-group')
    expect(actions.map((a) => (a.kind === 'http' ? [a.method, new URL(a.url).port, a.status] : a.kind))).toEqual([
      ['GET', new URL(urlOf(run, 'cygnus-api')).port, 200],
      ['POST', new URL(urlOf(run, 'iota-json-north')).port, 201]
    ])
    const health = actions[0]!
    expect(health.kind === 'http' && JSON.parse(health.answer ?? '')).toMatchObject({ success: 'true' })
    await doneNow('service-group')
  })

  it('provision-device and switch-on: the built-in dummy device answers switch and starts sending', async () => {
    expect((await showMe('provision-device')).actions[0]).toMatchObject({ status: 201 })
    await doneNow('provision-device')
    expect((await showMe('switch-on')).actions[0]).toMatchObject({ status: 204 })
    await doneNow('switch-on')
    await doneNow('measures-arrive')
  })

  it('subscribe-cygnus and read-history: a notification stored by Cygnus, read back through STH-Comet', async () => {
    expect((await showMe('subscribe-cygnus')).actions[0]).toMatchObject({ status: 201 })
    await doneNow('subscribe-cygnus')
    await doneNow('read-history', 20_000)
    const { actions } = await showMe('read-history')
    const sth = actions[0]!
    expect(sth.kind === 'http' && new URL(sth.url).port).toBe(new URL(urlOf(run, 'sth')).port)
    expect(sth).toMatchObject({ status: 200 })
    const body = JSON.parse(sth.kind === 'http' ? (sth.answer ?? '') : '') as { contextResponses: Array<{ contextElement: { attributes: Array<{ name: string; values: unknown[] }> } }> }
    const values = body.contextResponses[0]!.contextElement.attributes[0]!
    expect(values.name).toBe('temperature')
    expect(values.values.length).toBeGreaterThan(0)
    expect(run.latest(LESSON)?.steps.every((s) => s.state === 'done')).toBe(true)
  })
})
