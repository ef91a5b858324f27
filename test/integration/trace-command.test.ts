import { connectAsync, type MqttClient } from 'mqtt'
import { afterEach, describe, expect, it } from 'vitest'
import { createEngineApi } from '../../electron/engine/api'
import type { CommandEventDto } from '../../shared/contract'
import type { HopDto, TraceDto } from '../../shared/trace'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'
import { APIKEY, DEVICE_ID, ENTITY_ID, provisionSeed, sendCommand } from '../helpers/postman-tutorial7'
import { waitFor } from '../helpers/wait-for'

/**
 * The trace of a command (issue 9): `PATCH /v2/entities/{id}/attrs` on the embedded context
 * broker → the registration that matched → the forward to the agent's provider endpoint → the
 * publication on `/cmd` and PENDING → the device's reply on `cmdexe` → OK; or EXPIRED.
 */

const CMD_TOPIC = `/${APIKEY}/${DEVICE_ID}/cmd`
const CMDEXE_TOPIC = `/ul/${APIKEY}/${DEVICE_ID}/cmdexe`

type Hop<S extends HopDto['step']> = Extract<HopDto, { step: S }>

function hop<S extends HopDto['step']>(t: TraceDto, step: S): Hop<S> {
  const h = t.hops.find((x) => x.step === step)
  if (!h) throw new Error(`no ${step} hop in ${JSON.stringify(t.hops.map((x) => x.step))}`)
  return h as Hop<S>
}

describe('trace of a command', () => {
  let run: RunningEngine | undefined
  let device: MqttClient | undefined
  let api: ReturnType<typeof createEngineApi> | undefined

  afterEach(async () => {
    api?.close()
    await device?.endAsync(true)
    await run?.dispose()
    run = device = api = undefined
  })

  const setup = async (timeoutMs: number): Promise<{ traces: Map<number, TraceDto>; commands: CommandEventDto[]; received: string[] }> => {
    run = await startEngine((c) => {
      c.iota.commandTimeoutMs = timeoutMs
    })
    await provisionSeed(run)
    api = createEngineApi(run.engine, { settings: { env: {} } })
    const traces = new Map<number, TraceDto>()
    const commands: CommandEventDto[] = []
    api.on('trace', (batch) => {
      for (const t of batch) traces.set(t.id, t)
    })
    api.on('commands', (batch) => commands.push(...batch))
    device = await connectAsync(run.mqttUrl, { reconnectPeriod: 0 })
    const received: string[] = []
    device.on('message', (_topic, payload) => received.push(payload.toString()))
    await device.subscribeAsync(CMD_TOPIC, { qos: 0 })
    return { traces, commands, received }
  }

  it('PATCH switch: request, registration, provider request, PENDING, published, forwarded, response; then reply and OK', async () => {
    const { traces, commands, received } = await setup(0)
    const r = await sendCommand(run!.ngsiUrl, { switch: { type: 'command', value: 'on' } })
    expect(r.status).toBe(204)
    await waitFor(() => received.length > 0, 'the command at the device')
    await device!.publishAsync(CMDEXE_TOPIC, `${DEVICE_ID}@switch|switched on`, { qos: 1 })

    const [t] = await api!['trace.recent']({ kind: 'command' })
    expect(t).toBeDefined()
    expect(t!.entityId).toBe(ENTITY_ID)
    expect(t!.deviceId).toBe(DEVICE_ID)
    const steps = t!.hops.map((h) => h.step)
    expect(steps).toEqual(['request', 'registration', 'provider-request', 'pending', 'published', 'forwarded', 'response', 'reply', 'result'])

    const request = hop(t!, 'request')
    expect(request.request.method).toBe('PATCH')
    expect(request.request.url).toBe(`/v2/entities/${encodeURIComponent(ENTITY_ID)}/attrs?type=Device`)
    expect(request.request.headers['fiware-service']).toBe('openiot')
    expect(JSON.parse(request.request.body!)).toEqual({ switch: { type: 'command', value: 'on' } })
    expect(hop(t!, 'registration')).toMatchObject({ entityId: ENTITY_ID, attributes: ['switch'], provider: run!.engine.providerUrl })
    expect(hop(t!, 'provider-request').request.method).toBe('POST')
    expect(hop(t!, 'forwarded')).toMatchObject({ status: 204 })
    expect(hop(t!, 'forwarded').request.url).toMatch(/\/op\/update$/)
    expect(hop(t!, 'published')).toMatchObject({ topic: CMD_TOPIC, payload: `${DEVICE_ID}@switch|on`, command: 'switch' })
    expect(hop(t!, 'pending')).toMatchObject({ entityId: ENTITY_ID, command: 'switch' })
    expect(hop(t!, 'response').status).toBe(204)
    expect(hop(t!, 'reply')).toMatchObject({ topic: CMDEXE_TOPIC, command: 'switch', result: 'switched on' })
    expect(hop(t!, 'result')).toMatchObject({ status: 'OK', command: 'switch', info: 'switched on' })

    // The command events name the trace.
    await waitFor(() => commands.some((c) => c.status === 'OK'), 'the OK command event')
    expect(commands.map((c) => c.traceId)).toEqual(commands.map(() => t!.id))
    await waitFor(() => traces.get(t!.id)?.hops.length === steps.length, 'the full trace on the stream')
  })

  it('an unanswered command ends EXPIRED', async () => {
    const { traces, received } = await setup(300)
    expect((await sendCommand(run!.ngsiUrl, { switch: { type: 'command', value: 'off' } })).status).toBe(204)
    await waitFor(() => received.length > 0, 'the command at the device')
    const t = await waitFor(() => [...traces.values()].find((x) => x.kind === 'command' && x.hops.some((h) => h.step === 'result')), 'the result hop', 5000)
    expect(hop(t, 'result')).toMatchObject({ status: 'EXPIRED', command: 'switch' })
    expect(t.hops.map((h) => h.step).slice(0, 5)).toEqual(['request', 'registration', 'provider-request', 'pending', 'published'])
  })
})
