import { connectAsync, type MqttClient } from 'mqtt'
import { afterEach, describe, expect, it } from 'vitest'
import { createEngineApi } from '../../electron/engine/api'
import type { CommandEventDto } from '../../shared/contract'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'
import { waitFor } from '../helpers/wait-for'

const scope = { service: 'openiot', servicePath: '/' }
const apikey = 'extkey'

/**
 * The engine API when the context broker is an external Orion: here the NGSI-v2 server of a second
 * engine, reached over HTTP like any Orion. Entities are read and commands sent through it.
 */
describe('engine API with an external context broker', () => {
  const runs: RunningEngine[] = []
  let api: ReturnType<typeof createEngineApi> | undefined
  let client: MqttClient | undefined
  afterEach(async () => {
    await client?.endAsync()
    api?.close()
    for (const r of runs.reverse().splice(0)) await r.dispose()
  })

  it('lists and reads entities and sends commands through Orion', async () => {
    const orion = await startEngine()
    runs.push(orion)
    const run = await startEngine((c) => (c.contextBroker = { mode: 'external', url: orion.ngsiUrl, retryMaxMs: 200 }))
    runs.push(run)
    api = createEngineApi(run.engine, { settings: { env: {} } })
    const commands: CommandEventDto[] = []
    api.on('commands', (b) => commands.push(...b))

    await api['groups.create']({ scope, group: { apikey, resource: '', entity_type: 'Lamp', commands: [{ name: 'switch', type: 'command' }] } })
    await api['devices.create']({ scope, device: { device_id: 'lamp1', entity_name: 'urn:ngsi-ld:Lamp:001', entity_type: 'Lamp' } })
    client = await connectAsync(run.mqttUrl, { reconnectPeriod: 0 })
    await client.publishAsync(`/${apikey}/lamp1/attrs`, 'l|300', { qos: 1 })

    const entity = await waitFor(async () => {
      const list = await api!['entities.list']({ scope, type: 'Lamp' })
      return list.count === 1 && list.entities[0]
    }, 'the entity in the external broker')
    expect(entity).toMatchObject({ id: 'urn:ngsi-ld:Lamp:001', type: 'Lamp', l: { value: 300 } })
    expect(await api['entities.get']({ scope, id: 'urn:ngsi-ld:Lamp:001' })).toMatchObject({ l: { value: 300 } })
    await expect(api['entities.get']({ scope, id: 'nope' })).rejects.toMatchObject({ status: 404 })

    // The device answers the command; Orion forwarded it to this engine's agent.
    await client.subscribeAsync(`/${apikey}/lamp1/cmd`)
    client.on('message', (_topic, payload) => void client!.publishAsync(`/${apikey}/lamp1/cmdexe`, `${payload.toString().split('|')[0]}|done`))
    await api['commands.send']({ scope, entityId: 'urn:ngsi-ld:Lamp:001', entityType: 'Lamp', command: 'switch', value: 'on' })
    await waitFor(() => commands.find((c) => c.status === 'OK'), 'the command answer')
    expect(commands.find((c) => c.status === 'OK')).toMatchObject({ command: 'switch', info: 'done', deviceId: 'lamp1' })

    // No change events come from an external Orion: series stay empty (the entity exists).
    expect(await api['telemetry.series']({ scope, entityId: 'urn:ngsi-ld:Lamp:001' })).toEqual({ entityId: 'urn:ngsi-ld:Lamp:001', entityType: 'Lamp', series: {} })
    // The status shows the queue towards Orion: everything sent, nothing waiting or dropped.
    const cb = await waitFor(async () => {
      const s = (await api!['engine.status']({})).contextBroker
      return s.queue && s.queue.backlog === 0 && s.queue.sent > 0 && s
    }, 'the queue to Orion to be empty')
    expect(cb).toMatchObject({ kind: 'external', url: orion.ngsiUrl, queue: { reachable: true, dropped: 0, backlog: 0 } })
  })
})
