import { request as httpRequest } from 'node:http'
import { connect, type MqttClient } from 'mqtt'
import { afterEach, describe, expect, it } from 'vitest'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'
import { spawnEngineProcess, type EngineProcess } from '../helpers/engine-process'
import {
  APIKEY,
  DEVICE_ID,
  ENTITY_ID,
  entityKeyValues,
  getEntity,
  mapUrl,
  northGet,
  provisionSeed,
  reply,
  replayStep,
  sendCommand,
  STEP,
  TENANT,
  tutorial7Step
} from '../helpers/postman-tutorial7'
import { startPythonSeedDevice, type PythonSeedDevice } from '../helpers/python-seed-device'
import { tempDir } from '../helpers/temp-dir'
import { waitFor } from '../helpers/wait-for'
import { ephemeralPorts } from '../helpers/ports'

/**
 * Groups, devices, entities and registrations live in the data directory; anything
 * acknowledged to a client (201 on provisioning, the PUBACK of a QoS 1 measure) survives a kill -9
 * of the process at any moment. The killed engine runs in a child process
 * (test/helpers/engine-child.ts); the engine that reads the data afterwards runs in this one.
 */

const ATTRS = `ul/${APIKEY}/${DEVICE_ID}/attrs`

describe('engine: durability', () => {
  const cleanups: Array<() => Promise<void> | void> = []
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c()
  })
  const dataDir = (): string => {
    const d = tempDir('ulcc-durability-')
    cleanups.push(d.cleanup)
    return d.path
  }
  const engine = async (dir: string, ports?: RunningEngine['engine']['config']['ports']): Promise<RunningEngine> => {
    const run = await startEngine((c) => {
      if (ports) c.ports = { ...ports }
    }, dir)
    cleanups.push(() => run.stop())
    return run
  }
  const child = async (dir: string): Promise<EngineProcess> => {
    const p = await spawnEngineProcess(dir)
    cleanups.push(() => p.kill9())
    return p
  }
  const seedDevice = async (url: string): Promise<PythonSeedDevice> => {
    const d = await startPythonSeedDevice(url, APIKEY, DEVICE_ID, { intervalSec: 0.1 })
    cleanups.push(() => d.close())
    return d
  }
  /** The ports an engine got, to start the next one on the same ones (registrations name the north port). */
  const portsOf = (run: RunningEngine): RunningEngine['engine']['config']['ports'] => {
    const port = (u: string): number => Number(new URL(u).port)
    return ephemeralPorts({ north: port(run.northUrl), ngsi: port(run.ngsiUrl), mqtt: port(run.mqttUrl), mqttWs: port(run.mqttWsUrl) })
  }

  it('a restart keeps groups, devices, entities and registrations, and commands still work', async () => {
    const dir = dataDir()
    const first = await engine(dir)
    await provisionSeed(first)
    const device = await seedDevice(first.mqttUrl)
    expect((await replayStep(STEP.switchCommand, first)).status).toBe(204)
    await waitFor(() => device.sent >= 3, 'a few measures')
    // Switched off, so that the last measure stays the last one.
    expect((await sendCommand(first.ngsiUrl, { switch: { type: 'command', value: '0' } })).status).toBe(204)
    const before = await waitFor(async () => {
      const e = await entityKeyValues(first.ngsiUrl)
      return e?.switch_info === 'Stopped sending data' && e
    }, 'the device to stop')
    const lastMeasure = [...device.published].reverse().find((p) => p.payload.startsWith('t|'))!.payload.split('|')
    expect(before).toMatchObject({ temperature: Number(lastMeasure[1]), relativeHumidity: Number(lastMeasure[3]) })
    const regsBefore = (await reply(await fetch(`${first.ngsiUrl}/v2/registrations`, { headers: TENANT }))).json
    const normalizedBefore = (await getEntity(first.ngsiUrl, ENTITY_ID, { normalized: true, type: 'Device' })).json
    await device.close()
    const ports = portsOf(first)
    await first.stop()

    const second = await engine(dir, ports)
    expect(second.engine.registry.counts()).toEqual({ groups: 1, devices: 1 })
    const groups = await northGet(second.northUrl, '/iot/services')
    expect(groups.json).toMatchObject({ count: 1, services: [{ apikey: APIKEY, resource: '', entity_type: 'Device' }] })
    const devices = await northGet(second.northUrl, '/iot/devices')
    expect(devices.json.count).toBe(1)
    expect(devices.json.devices[0]).toMatchObject({ device_id: DEVICE_ID, entity_name: ENTITY_ID, commands: [{ name: 'switch' }, { name: 'interval' }] })
    expect((await reply(await fetch(`${second.ngsiUrl}/v2/registrations`, { headers: TENANT }))).json).toEqual(regsBefore)
    expect((await getEntity(second.ngsiUrl, ENTITY_ID, { normalized: true, type: 'Device' })).json).toEqual(normalizedBefore)

    const again = await seedDevice(second.mqttUrl)
    expect((await replayStep(STEP.intervalCommand, second)).status).toBe(204)
    await waitFor(() => again.received.length === 1, 'the interval command after the restart')
    expect(again.received[0]).toMatchObject({ topic: `/${APIKEY}/${DEVICE_ID}/cmd`, payload: `${DEVICE_ID}@interval|2` })
    expect(await waitFor(async () => (await entityKeyValues(second.ngsiUrl))?.interval_status === 'OK', 'interval_status OK')).toBe(true)
    // The measure pipeline of the restarted engine finds the device (no autoprovisioned duplicate).
    await again.client.publishAsync(ATTRS, 't|19|rh|38', { qos: 1 })
    expect(await entityKeyValues(second.ngsiUrl)).toMatchObject({ temperature: 19, relativeHumidity: 38 })
    expect(second.engine.registry.counts()).toEqual({ groups: 1, devices: 1 })
  })

  it('after a restart on another north port, registrations follow it and commands still reach the device', async () => {
    const dir = dataDir()
    const first = await engine(dir)
    await provisionSeed(first)
    const oldRegs = (await reply(await fetch(`${first.ngsiUrl}/v2/registrations`, { headers: TENANT }))).json
    expect(oldRegs[0].provider.http.url).toBe(first.northUrl)
    await first.stop()

    // Fresh ephemeral ports: the north API moves.
    const second = await engine(dir)
    expect(second.northUrl).not.toBe(first.northUrl)
    const regs = (await reply(await fetch(`${second.ngsiUrl}/v2/registrations`, { headers: TENANT }))).json
    expect(regs).toHaveLength(1)
    expect(regs[0].provider.http.url).toBe(second.northUrl)
    expect(regs[0].dataProvided).toEqual(oldRegs[0].dataProvided)
    const device = await seedDevice(second.mqttUrl)
    expect((await replayStep(STEP.intervalCommand, second)).status).toBe(204)
    await waitFor(() => device.received.length === 1, 'the interval command on the new port')
    expect(device.received[0]).toMatchObject({ payload: `${DEVICE_ID}@interval|2` })
  })

  it('kill -9 right after the 201 of "create a service", then of "provision a device": both are there', async () => {
    const dir = dataDir()
    const p1 = await child(dir)
    expect(await replayThenKill(STEP.createService, p1)).toBe(201)
    expect(await p1.exited).toEqual({ code: null, signal: 'SIGKILL' })

    const p2 = await child(dir)
    expect((await northGet(p2.northUrl, '/iot/services')).json.count).toBe(1)
    expect(await replayThenKill(STEP.provisionDevice, p2)).toBe(201)
    expect((await p2.exited).signal).toBe('SIGKILL')

    const after = await engine(dir)
    expect(after.engine.registry.counts()).toEqual({ groups: 1, devices: 1 })
    expect((await northGet(after.northUrl, '/iot/services')).json.services[0]).toMatchObject({ apikey: APIKEY, resource: '', entity_type: 'Device' })
    const dev = await northGet(after.northUrl, `/iot/devices/${DEVICE_ID}`)
    expect(dev.status).toBe(200)
    expect(dev.json).toMatchObject({ device_id: DEVICE_ID, entity_name: ENTITY_ID, entity_type: 'Device', static_attributes: [{ name: 'refStore' }] })
    // Its registration was made before the 201 too.
    const regs = await reply(await fetch(`${after.ngsiUrl}/v2/registrations`, { headers: TENANT }))
    expect(regs.json).toHaveLength(1)
    expect(regs.json[0].dataProvided).toEqual({ entities: [{ id: ENTITY_ID, type: 'Device' }], attrs: ['switch', 'interval'] })
    // And the measures of the device find it.
    const c = await waitForConnect(after.mqttUrl)
    cleanups.push(() => c.endAsync(true))
    await c.publishAsync(ATTRS, 't|21|rh|31', { qos: 1 })
    expect(await entityKeyValues(after.ngsiUrl)).toMatchObject({ temperature: 21, relativeHumidity: 31, refStore: 'urn:ngsi-ld:Store:001' })
    expect(after.engine.southbound.stats().autoprovisioned).toBe(0)
  })

  it('kill -9 as soon as the PUBACK of a QoS 1 measure arrives: the new engine has the measured value', async () => {
    const dir = dataDir()
    const p = await child(dir)
    await provisionSeed(p)
    const c = await waitForConnect(p.mqttUrl)
    cleanups.push(() => c.endAsync(true))
    // A few measures first, so the last one is not the first write of the entity.
    for (let i = 0; i < 5; i++) await c.publishAsync(ATTRS, `t|${10 + i}|rh|${20 + i}`, { qos: 1 })
    await new Promise<void>((resolve, reject) => {
      c.publish(ATTRS, 't|27.5|rh|63', { qos: 1 }, (err) => {
        // The PUBACK is here: kill at once, before anything else can run in the engine.
        p.killNow()
        if (err) reject(err)
        else resolve()
      })
    })
    expect((await p.exited).signal).toBe('SIGKILL')

    const after = await engine(dir)
    const e = await getEntity(after.ngsiUrl, ENTITY_ID, { type: 'Device' })
    expect(e.status).toBe(200)
    expect(e.json).toMatchObject({ temperature: 27.5, relativeHumidity: 63, refStore: 'urn:ngsi-ld:Store:001', TimeInstant: expect.any(String) })
  })

  it('kill -9 after the PUBACK of QoS 1 measures from an unknown device: its entity is there', async () => {
    const dir = dataDir()
    const p = await child(dir)
    await provisionSeed(p)
    const c = await waitForConnect(p.mqttUrl)
    cleanups.push(() => c.endAsync(true))
    await new Promise<void>((resolve, reject) => {
      c.publish(`/${APIKEY}/sensor007/attrs`, 'lux|350', { qos: 1 }, (err) => {
        p.killNow()
        if (err) reject(err)
        else resolve()
      })
    })
    await p.exited
    const after = await engine(dir)
    const e = await getEntity(after.ngsiUrl, 'Device:sensor007', { type: 'Device' })
    expect(e.status).toBe(200)
    expect(e.json.lux).toBe(350)
    // Whether or not the autoprovisioned device record made it, the next measure finds or recreates exactly one.
    const c2 = await waitForConnect(after.mqttUrl)
    cleanups.push(() => c2.endAsync(true))
    await c2.publishAsync(`/${APIKEY}/sensor007/attrs`, 'lux|351', { qos: 1 })
    expect(after.engine.registry.devicesById('sensor007')).toHaveLength(1)
    expect((await entityKeyValues(after.ngsiUrl, 'Device:sensor007'))!.lux).toBe(351)
  })
})

/**
 * Sends a request of the collection and kills the engine with SIGKILL the moment the status line
 * arrives, before the body is even read; resolves with the status.
 */
function replayThenKill(stepName: string, proc: EngineProcess): Promise<number> {
  const { request } = tutorial7Step(stepName)
  const headers: Record<string, string> = {}
  for (const h of request.header ?? []) if (!h.disabled) headers[h.key] = h.value
  const body = request.body?.raw ?? ''
  const url = new URL(mapUrl(request.url.raw, proc))
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: request.method, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      proc.killNow()
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.on('error', reject)
    req.end(body)
  })
}

/** An mqtt.js client, connected (QoS 1 publications wait for the PUBACK). */
async function waitForConnect(url: string): Promise<MqttClient> {
  const client = connect(url, { reconnectPeriod: 0, connectTimeout: 5000, clientId: `dur-${Math.random().toString(16).slice(2, 8)}` })
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve())
    client.once('error', reject)
  })
  return client
}
