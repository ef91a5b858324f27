import { connectAsync, type MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  APIKEY,
  CREATE_SERVICE_BODY,
  DEVICE_ID,
  ENTITY_ID,
  INTERVAL_COMMAND_BODY,
  JSON_TENANT,
  MEASURE,
  PROVISION_DEVICE_BODY,
  SWITCH_COMMAND_BODY,
  TENANT
} from '../fixtures/tutorial7'
import { startLessonsEngine, type LessonsEngine } from '../helpers/lessons-engine'
import { waitFor } from '../helpers/wait-for'

/**
 * The tutorial-7 lesson (resources/lessons/07-iot-agent-ul-mqtt.yaml) done as a trainee with curl
 * and a device does it: only HTTP requests to the engine's APIs and an MQTT client playing
 * device001. Every step must turn done through the `lessons` stream, in the order it was done,
 * and the hints must come from what went wrong.
 */

const LESSON = 'iot-agent-ul-mqtt'
const STEPS = ['agent-health', 'service-group', 'provision-device', 'first-measure', 'switch-command', 'interval-command', 'read-entity']

describe('lesson "IoT Agent UltraLight 2.0 over MQTT", done with HTTP and MQTT only', () => {
  let run: LessonsEngine
  let device: MqttClient
  let measures: NodeJS.Timeout | undefined

  beforeAll(async () => {
    run = await startLessonsEngine()
  })
  afterAll(async () => {
    clearInterval(measures)
    await device?.endAsync()
    await run?.dispose()
  })

  const step = (id: string) => run.latest(LESSON)?.steps.find((s) => s.stepId === id)
  const doneNow = (id: string) => waitFor(() => step(id)?.state === 'done' && step(id), `step ${id} done`, 10_000)

  it('lessons.list names the lesson; lessons.get starts it and gives the real addresses', async () => {
    const list = await run.api['lessons.list']({})
    expect(list.errors).toEqual([])
    expect(list.lessons.find((l) => l.id === LESSON)).toMatchObject({ steps: STEPS.length, done: 0 })
    const got = await run.api['lessons.get']({ id: LESSON })
    expect(got.lesson.steps.map((s) => s.id)).toEqual(STEPS)
    expect(got.progress.startedAt).toEqual(expect.any(Number))
    expect(got.progress.steps.every((s) => s.state === 'todo')).toBe(true)
    const port = (url: string): string => new URL(url).port
    expect(got.context).toMatchObject({ service: 'openiot', servicePath: '/' })
    expect(port(got.context.placeholders.north!)).toBe(port(run.northUrl))
    expect(port(got.context.placeholders.ngsi!)).toBe(port(run.ngsiUrl))
    expect(got.context.placeholders.mqttPort).toBe(port(run.mqttUrl))
  })

  it('GET /iot/about: the agent-health step', async () => {
    expect((await fetch(`${run.northUrl}/iot/about`)).status).toBe(200)
    const s = await doneNow('agent-health')
    expect(s.evidence).toMatchObject({ summary: 'GET /iot/about was answered 200', data: { api: 'north', method: 'GET', status: 200 } })
  })

  it('a group request without fiware-service shows the missingTenant hint; with it, the group step is done', async () => {
    await fetch(`${run.northUrl}/iot/services`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(CREATE_SERVICE_BODY) })
    const hinted = await waitFor(() => step('service-group')?.hints.find((h) => h.index === 0), 'the missingTenant hint of service-group')
    expect(hinted.observed).toMatch(/^POST \/iot\/services without fiware-service/)
    expect(step('service-group')?.state).toBe('todo')

    const r = await fetch(`${run.northUrl}/iot/services`, { method: 'POST', headers: JSON_TENANT, body: JSON.stringify(CREATE_SERVICE_BODY) })
    expect(r.status).toBe(201)
    const s = await doneNow('service-group')
    expect(s.hints).toEqual([])
    expect(s.evidence?.data).toMatchObject({ apikey: APIKEY, entity_type: 'Device' })
  })

  it('provisioning device001', async () => {
    const r = await fetch(`${run.northUrl}/iot/devices`, { method: 'POST', headers: JSON_TENANT, body: JSON.stringify(PROVISION_DEVICE_BODY) })
    expect(r.status).toBe(201)
    expect((await doneNow('provision-device')).evidence?.data).toMatchObject({ device_id: DEVICE_ID, entity_name: ENTITY_ID })
  })

  it('a measure with a wrong API key shows the NO_GROUP hint; the right one completes first-measure', async () => {
    device = await connectAsync(run.mqttUrl, { reconnectPeriod: 0, connectTimeout: 5000, clientId: `lesson-${DEVICE_ID}` })
    let interval = 0
    device.on('message', (_topic, payload) => {
      // device001@switch|1 → device001@switch|switch OK, as the tutorial's dummy device answers.
      const m = /^([^@]+)@([^|]+)\|(.*)$/.exec(payload.toString())
      if (!m) return
      const [, id, command, value] = m
      void device.publishAsync(`ul/${APIKEY}/${DEVICE_ID}/cmdexe`, `${id}@${command}|${command} OK`, { qos: 1 })
      if (command === 'interval' && !measures) {
        interval = Number(value) * 1000
        measures = setInterval(() => void device.publishAsync(MEASURE.topic, MEASURE.payload, { qos: 1 }), interval)
      }
    })
    await device.subscribeAsync([`/${APIKEY}/${DEVICE_ID}/cmd`, `ul/${APIKEY}/${DEVICE_ID}/cmd`], { qos: 0 })

    await device.publishAsync(`ul/wrongkey/${DEVICE_ID}/attrs`, MEASURE.payload, { qos: 1 })
    const hint = await waitFor(() => step('first-measure')?.hints.find((h) => h.index === 0), 'the NO_GROUP hint of first-measure')
    expect(hint.observed).toContain('NO_GROUP')
    expect(step('first-measure')?.state).toBe('todo')

    await device.publishAsync(MEASURE.topic, MEASURE.payload, { qos: 1 })
    const s = await doneNow('first-measure')
    expect(s.evidence?.data).toMatchObject({ entityId: ENTITY_ID, values: { temperature: 21.5, relativeHumidity: 40 } })
  })

  it('the switch command through the context broker, answered OK by the device', async () => {
    const r = await fetch(`${run.ngsiUrl}/v2/entities/${ENTITY_ID}/attrs?type=Device`, { method: 'PATCH', headers: JSON_TENANT, body: JSON.stringify(SWITCH_COMMAND_BODY) })
    expect(r.status).toBe(204)
    expect((await doneNow('switch-command')).evidence?.data).toMatchObject({ command: 'switch', status: 'OK' })
  })

  it('the interval command, answered OK by the device, completes interval-command', async () => {
    const r = await fetch(`${run.ngsiUrl}/v2/entities/${ENTITY_ID}/attrs?type=Device`, { method: 'PATCH', headers: JSON_TENANT, body: JSON.stringify(INTERVAL_COMMAND_BODY) })
    expect(r.status).toBe(204)
    expect((await doneNow('interval-command')).evidence?.data).toMatchObject({ command: 'interval', status: 'OK' })
  })

  it('reading the entity completes the last step; every step turned done in the order it was done', async () => {
    const r = await fetch(`${run.ngsiUrl}/v2/entities/${ENTITY_ID}?type=Device&options=keyValues`, { headers: TENANT })
    expect(r.status).toBe(200)
    await doneNow('read-entity')
    expect(run.doneOrder(LESSON)).toEqual(STEPS)
    expect((await run.api['lessons.list']({})).lessons.find((l) => l.id === LESSON)?.done).toBe(STEPS.length)
  })
})
