import { connectAsync, type MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { APIKEY, CREATE_SERVICE_BODY, DEVICE_ID, ENTITY_ID, JSON_TENANT, MEASURE, PROVISION_DEVICE_BODY, TENANT } from '../fixtures/tutorial7'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'
import { startLessonsEngine, type LessonsEngine } from '../helpers/lessons-engine'
import { waitFor } from '../helpers/wait-for'

/**
 * The lesson with an external Orion (here the NGSI-v2 server of a second engine, reached over
 * HTTP): the state checks read that Orion, "show me" sends its requests there, and a reset
 * deletes the lesson tenant's entities there and nothing else.
 */

const LESSON = 'iot-agent-ul-mqtt'

describe('lessons with an external context broker', () => {
  let orion: RunningEngine
  let run: LessonsEngine
  let device: MqttClient | undefined

  beforeAll(async () => {
    orion = await startEngine()
    run = await startLessonsEngine({ configure: (c) => (c.contextBroker = { mode: 'external', url: orion.ngsiUrl, retryMaxMs: 200 }) })
  })
  afterAll(async () => {
    await device?.endAsync()
    await run?.dispose()
    await orion?.dispose()
  })

  const state = (id: string) => run.latest(LESSON)?.steps.find((s) => s.stepId === id)?.state

  it('measure and command steps are read from Orion; show me targets Orion; reset clears only the lesson tenant there', async () => {
    const got = await run.api['lessons.get']({ id: LESSON })
    expect(got.context.placeholders.ngsi).toBe(orion.ngsiUrl)

    expect((await fetch(`${run.northUrl}/iot/services`, { method: 'POST', headers: JSON_TENANT, body: JSON.stringify(CREATE_SERVICE_BODY) })).status).toBe(201)
    expect((await fetch(`${run.northUrl}/iot/devices`, { method: 'POST', headers: JSON_TENANT, body: JSON.stringify(PROVISION_DEVICE_BODY) })).status).toBe(201)
    device = await connectAsync(run.mqttUrl, { reconnectPeriod: 0, connectTimeout: 5000 })
    device.on('message', (_t, payload) => {
      const [head] = payload.toString().split('|')
      void device!.publishAsync(`ul/${APIKEY}/${DEVICE_ID}/cmdexe`, `${head}|ok`, { qos: 1 })
    })
    await device.subscribeAsync([`/${APIKEY}/${DEVICE_ID}/cmd`, `ul/${APIKEY}/${DEVICE_ID}/cmd`])
    await device.publishAsync(MEASURE.topic, MEASURE.payload, { qos: 1 })
    await waitFor(() => state('first-measure') === 'done', 'first-measure done from Orion', 10_000)

    const { actions } = await run.api['lessons.showMe']({ id: LESSON, stepId: 'switch-command' })
    expect(actions[0]).toMatchObject({ kind: 'http', method: 'PATCH', status: 204 })
    expect(actions[0]?.kind === 'http' && actions[0].url.startsWith(orion.ngsiUrl)).toBe(true)
    await waitFor(() => state('switch-command') === 'done', 'switch-command done from Orion', 10_000)

    // Another tenant of the same Orion.
    const other = { 'fiware-service': 'othertenant', 'fiware-servicepath': '/' }
    const created = await fetch(`${orion.ngsiUrl}/v2/entities`, { method: 'POST', headers: { ...other, 'content-type': 'application/json' }, body: JSON.stringify({ id: 'x1', type: 'Thing' }) })
    expect(created.status).toBe(201)

    await run.api['lessons.reset']({ id: LESSON })
    const left = await fetch(`${orion.ngsiUrl}/v2/entities`, { headers: TENANT })
    expect(await left.json()).toEqual([])
    expect(await (await fetch(`${orion.ngsiUrl}/v2/registrations`, { headers: TENANT })).json()).toEqual([])
    expect(((await (await fetch(`${orion.ngsiUrl}/v2/entities`, { headers: other })).json()) as Array<{ id: string }>).map((e) => e.id)).toEqual(['x1'])
    expect((await fetch(`${orion.ngsiUrl}/v2/entities/${ENTITY_ID}`, { headers: TENANT })).status).toBe(404)
  })
})
