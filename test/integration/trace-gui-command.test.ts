import { connectAsync, type MqttClient } from 'mqtt'
import { afterEach, describe, expect, it } from 'vitest'
import { createEngineApi } from '../../electron/engine/api'
import type { HopDto, TraceDto } from '../../shared/trace'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'
import { startRemoteNgsi, type RemoteNgsi } from '../helpers/ngsi-remote-process'
import { APIKEY, DEVICE_ID, ENTITY_ID, provisionSeed } from '../helpers/postman-tutorial7'
import { tempDir } from '../helpers/temp-dir'
import { waitFor } from '../helpers/wait-for'

/**
 * A command sent with the GUI's button (`commands.send`) is traced from its first hop: the
 * update of the command attribute it sends to the context broker (marked as sent by this
 * program), then, linked by its correlator, the agent's hops up to the device's answer — with the
 * embedded context broker and with an external one (the NGSI-v2 server of another process, which
 * forwards the command as Orion does).
 */

const CMD_TOPIC = `/${APIKEY}/${DEVICE_ID}/cmd`
const CMDEXE_TOPIC = `/ul/${APIKEY}/${DEVICE_ID}/cmdexe`
const SCOPE = { service: 'openiot', servicePath: '/' }

type Hop<S extends HopDto['step']> = Extract<HopDto, { step: S }>
function hop<S extends HopDto['step']>(t: TraceDto, step: S): Hop<S> {
  const h = t.hops.find((x) => x.step === step)
  if (!h) throw new Error(`no ${step} hop in ${JSON.stringify(t.hops.map((x) => x.step))}`)
  return h as Hop<S>
}

describe('trace of a command sent from the GUI', () => {
  let run: RunningEngine | undefined
  let remote: RemoteNgsi | undefined
  let device: MqttClient | undefined
  let api: ReturnType<typeof createEngineApi> | undefined
  const remoteDir = tempDir('ulcc-remote-')

  afterEach(async () => {
    api?.close()
    await device?.endAsync(true)
    await run?.dispose()
    await remote?.stop()
    run = device = api = remote = undefined
  })

  /** The device answers every command; the trace stream is listened to, so tracing is on. */
  async function sendAndAnswer(ngsiUrl: string): Promise<TraceDto> {
    await provisionSeed({ northUrl: run!.northUrl, ngsiUrl })
    api = createEngineApi(run!.engine, { settings: { env: {} } })
    const traces = new Map<number, TraceDto>()
    api.on('trace', (batch) => {
      for (const t of batch) traces.set(t.id, t)
    })
    device = await connectAsync(run!.mqttUrl, { reconnectPeriod: 0 })
    device.on('message', (_topic, payload) => {
      const [dev, rest] = payload.toString().split('@')
      void device!.publishAsync(CMDEXE_TOPIC, `${dev}@${rest!.split('|')[0]}|done`, { qos: 1 })
    })
    await device.subscribeAsync(CMD_TOPIC, { qos: 1 })
    await api['commands.send']({ scope: SCOPE, entityId: ENTITY_ID, entityType: 'Device', command: 'switch', value: 'on' })
    return waitFor(() => [...traces.values()].find((t) => t.kind === 'command' && t.hops.some((h) => h.step === 'result')), 'the command trace with its result', 5000)
  }

  it('embedded context broker: the update sent by the GUI, the registration, the forward, the publish, PENDING and OK', async () => {
    run = await startEngine()
    const t = await sendAndAnswer(run.ngsiUrl)
    // The device answers at once: its reply may come before the forward's own answer, as times say.
    const steps = t.hops.map((h) => h.step)
    expect(steps.slice(0, 5)).toEqual(['request', 'registration', 'provider-request', 'pending', 'published'])
    expect([...steps].sort()).toEqual(['forwarded', 'pending', 'provider-request', 'published', 'registration', 'reply', 'request', 'response', 'result'])
    const request = hop(t, 'request')
    expect(request.from).toBe('gui')
    expect(request.request.method).toBe('PATCH')
    expect(request.request.url).toBe(`/v2/entities/${encodeURIComponent(ENTITY_ID)}/attrs?type=Device`)
    expect(request.request.headers['fiware-service']).toBe('openiot')
    expect(JSON.parse(request.request.body!)).toEqual({ switch: { type: 'command', value: 'on' } })
    expect(hop(t, 'response').status).toBe(204)
    expect(hop(t, 'result')).toMatchObject({ status: 'OK', command: 'switch', info: 'done' })
    expect(t.entityId).toBe(ENTITY_ID)
  })

  it('external context broker: the PATCH sent to it and its status, then the agent hops its forward started', async () => {
    remote = await startRemoteNgsi({ dataDir: remoteDir.path })
    const remoteUrl = remote.url
    run = await startEngine((c) => {
      c.contextBroker = { mode: 'external', url: remoteUrl, retryMaxMs: 200 }
    })
    const t = await sendAndAnswer(remoteUrl)
    const steps = t.hops.map((h) => h.step)
    expect(steps[0]).toBe('request')
    expect(steps).toEqual(expect.arrayContaining(['provider-request', 'pending', 'published', 'response', 'reply', 'result']))
    const request = hop(t, 'request')
    expect(request.from).toBe('gui')
    expect(request.request.url).toBe(`${remoteUrl}/v2/entities/${encodeURIComponent(ENTITY_ID)}/attrs?type=Device`)
    expect(hop(t, 'response').status).toBe(204)
    // The remote broker received the update, and its forward (with the correlator) reached the agent within this trace.
    const patch = (await remote.requests()).find((r) => r.method === 'PATCH')
    expect(patch).toBeDefined()
    expect(hop(t, 'result')).toMatchObject({ status: 'OK', command: 'switch' })
  })

  it('a command the context broker refuses ends its trace with that answer', async () => {
    run = await startEngine()
    await provisionSeed(run)
    api = createEngineApi(run.engine, { settings: { env: {} } })
    const traces = new Map<number, TraceDto>()
    api.on('trace', (batch) => {
      for (const t of batch) traces.set(t.id, t)
    })
    await expect(api['commands.send']({ scope: SCOPE, entityId: 'urn:ngsi-ld:Device:none', entityType: 'Device', command: 'switch', value: 'on' })).rejects.toThrow()
    const t = await waitFor(() => [...traces.values()].find((x) => x.entityId === 'urn:ngsi-ld:Device:none' && x.hops.some((h) => h.step === 'response')), 'the refused request')
    expect(hop(t, 'request').from).toBe('gui')
    expect(hop(t, 'response').status).toBe(404)
  })
})
