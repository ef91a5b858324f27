import { mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { POLLING_FILE } from '../../electron/engine/agent/polling-store'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'
import { jsonNorthUrl, keyValues, postJson, southUrl } from '../helpers/json-agent'
import { APIKEY, JSON_TENANT, provisionSeed, reply, sendCommand, TENANT, type Reply } from '../helpers/postman-tutorial7'
import { tempDir } from '../helpers/temp-dir'
import { waitFor } from '../helpers/wait-for'

/**
 * Commands queued for polling devices survive a restart of the engine (docs/compatibility/iot-agent-ul.md §5.7):
 * each agent keeps them in `commands.db` in its data folder. Real engines stopped and started again on the same
 * folder, commands sent as clients send them (PATCH on the context broker) and polled on the HTTP south port.
 */

/** What differs between the two agents in these tests. */
interface Agent {
  name: string
  /** The folder of the agent's `commands.db` inside the engine's data folder. */
  folder: string
  entity: string
  /** The agent's north API. */
  north(run: RunningEngine): string
  /** Provisions the polling device `poll1` with the commands `ring` and `volume`. */
  provision(run: RunningEngine): Promise<void>
  /** `getCmd=1`: the commands handed out, as `[name, value as text]` in the order of the answer. */
  poll(run: RunningEngine): Promise<Array<[string, string]>>
  /** The device's result of `ring`. */
  answer(run: RunningEngine, result: string): Promise<Reply>
}

const LONG = 600_000
const commands = [
  { name: 'ring', type: 'command' },
  { name: 'volume', type: 'command' }
]

const south = async (run: RunningEngine, path: string, query: string, body?: { text: string; type: string }): Promise<Reply> =>
  reply(
    await fetch(`${southUrl(run)}${path}?${query}`, {
      method: body ? 'POST' : 'GET',
      ...(body ? { headers: { 'content-type': body.type }, body: body.text } : {}),
      signal: AbortSignal.timeout(10_000)
    })
  )

const ul: Agent = {
  name: 'UltraLight',
  folder: '.',
  entity: 'urn:ngsi-ld:Bell:poll1',
  north: (run) => run.northUrl,
  async provision(run) {
    await provisionSeed(run)
    const device = { device_id: 'poll1', entity_name: this.entity, entity_type: 'Bell', apikey: APIKEY, transport: 'HTTP', commands }
    expect((await postJson(`${run.northUrl}/iot/devices`, { devices: [device] }, JSON_TENANT)).status).toBe(201)
  },
  async poll(run) {
    const r = await south(run, '/iot/d', `k=${APIKEY}&i=poll1&getCmd=1`)
    expect(r.status).toBe(200)
    if (r.text === '') return []
    // `poll1@ring|now|poll1@volume|3`: pairs of <id>@<cmd> and value.
    const parts = r.text.split('|')
    return Array.from({ length: parts.length / 2 }, (_, i) => [parts[2 * i]!.replace('poll1@', ''), parts[2 * i + 1]!])
  },
  answer: (run, result) => south(run, '/iot/d', `k=${APIKEY}&i=poll1`, { text: `poll1@ring|${result}`, type: 'text/plain' })
}

const JSON_KEY = 'polljsonkey'
const json: Agent = {
  name: 'IoT Agent JSON',
  folder: 'iota-json',
  entity: 'urn:ngsi-ld:Bell:jpoll1',
  north: jsonNorthUrl,
  async provision(run) {
    const north = jsonNorthUrl(run)
    expect((await postJson(`${north}/iot/services`, { services: [{ apikey: JSON_KEY, entity_type: 'Bell', resource: '/iot/json' }] })).status).toBe(201)
    const device = { device_id: 'poll1', entity_name: this.entity, entity_type: 'Bell', transport: 'HTTP', commands }
    expect((await postJson(`${north}/iot/devices`, { devices: [device] })).status).toBe(201)
  },
  async poll(run) {
    const r = await south(run, '/iot/json', `k=${JSON_KEY}&i=poll1&getCmd=1`)
    expect(r.status).toBe(200)
    // `{"ring":"now","volume":3}`: the values as the context broker forwarded them.
    return Object.entries(r.json as Record<string, unknown>).map(([name, value]) => [name, typeof value === 'string' ? value : JSON.stringify(value)])
  },
  answer: (run, result) => south(run, '/iot/json/commands', `k=${JSON_KEY}&i=poll1`, { text: JSON.stringify({ ring: result }), type: 'application/json' })
}

describe.each([ul, json])('$name: polling commands across a restart', (agent) => {
  let run: RunningEngine | undefined
  let dir: { path: string; cleanup: () => void }
  afterEach(async () => {
    await run?.stop()
    run = undefined
    dir.cleanup()
  })

  const start = async (commandTimeoutMs: number): Promise<RunningEngine> => {
    await run?.stop()
    run = await startEngine((c) => (c.iota.commandTimeoutMs = commandTimeoutMs), dir.path)
    return run
  }
  const fresh = async (commandTimeoutMs = LONG): Promise<RunningEngine> => {
    dir = tempDir('ulcc-polling-restart-')
    const r = await start(commandTimeoutMs)
    await agent.provision(r)
    return r
  }
  const command = async (r: RunningEngine, name: string, value: unknown): Promise<void> => {
    expect((await sendCommand(r.ngsiUrl, { [name]: { type: 'command', value } }, { id: agent.entity, type: 'Bell' })).status).toBe(204)
  }
  const entity = async (r: RunningEngine): Promise<Record<string, unknown>> => (await keyValues(r, agent.entity)) ?? {}
  const file = (): string => join(dir.path, agent.folder, POLLING_FILE)
  const center = (r: RunningEngine): RunningEngine['engine']['commands'] => (agent === ul ? r.engine.commands : r.engine.jsonAgent.commands)

  it('a queued command is handed out after the restart, in its place, and its result sets OK', async () => {
    let r = await fresh()
    await command(r, 'ring', 'once')
    // Answered 204 once on disk (a kill -9 now would not lose it), well before the 1 s flush interval.
    expect(readFileSync(file(), 'utf8')).toContain('"value":"once"')
    await command(r, 'volume', 3)
    // A second value of the same command replaces the first and keeps its place.
    await command(r, 'ring', 'twice')
    expect(center(r).stats().queued).toBe(2)

    r = await start(LONG)
    expect(await entity(r)).toMatchObject({ ring_status: 'PENDING', volume_status: 'PENDING' })
    expect(await agent.poll(r)).toEqual([
      ['ring', 'twice'],
      ['volume', '3']
    ])
    expect(await entity(r)).toMatchObject({ ring_status: 'DELIVERED', ring_info: ' ' })
    expect(await agent.poll(r)).toEqual([])
    expect((await agent.answer(r, 'rang')).status).toBe(200)
    expect(await entity(r)).toMatchObject({ ring_status: 'OK', ring_info: 'rang' })
  })

  it('a delivered command waits for its result across the restart; the result after it sets OK', async () => {
    let r = await fresh()
    await command(r, 'ring', 'now')
    expect(await agent.poll(r)).toEqual([['ring', 'now']])
    r = await start(LONG)
    expect(await entity(r)).toMatchObject({ ring_status: 'DELIVERED' })
    // Tracked (its expiry runs), not handed out again.
    expect(center(r).stats()).toMatchObject({ pending: 1, queued: 0 })
    expect(await agent.poll(r)).toEqual([])
    expect((await agent.answer(r, 'rang')).status).toBe(200)
    expect(await entity(r)).toMatchObject({ ring_status: 'OK', ring_info: 'rang' })
    await r.stop()
    // Settled: nothing left in the file.
    expect(readFileSync(file(), 'utf8')).toBe('')
  })

  it('a command whose timeout passed while the engine was down expires on start', async () => {
    let r = await fresh()
    await command(r, 'ring', 'late')
    await command(r, 'volume', 1)
    expect(await agent.poll(r)).toHaveLength(2)
    await command(r, 'ring', 'later')
    // Started again with a timeout of 1 ms: more than that has passed since both were sent.
    r = await start(1)
    await waitFor(async () => {
      const e = await entity(r)
      return e.ring_status === 'ERROR' && e.volume_status === 'ERROR'
    }, 'both commands expired')
    expect(await entity(r)).toMatchObject({ ring_info: 'EXPIRED', volume_info: 'EXPIRED' })
    expect(await agent.poll(r)).toEqual([])
    await r.stop()
    expect(readFileSync(file(), 'utf8')).toBe('')
  })

  it('a command of a device removed meanwhile is dropped at start, with a warning', async () => {
    let r = await fresh()
    await command(r, 'ring', 'orphan')
    const removed = await fetch(`${agent.north(r)}/iot/devices/poll1`, { method: 'DELETE', headers: TENANT, signal: AbortSignal.timeout(10_000) })
    expect(removed.status).toBe(204)
    r = await start(LONG)
    expect(r.logs.some((l) => l.code === 'COMMAND_DROPPED' && l.message.includes('ring of poll1'))).toBe(true)
    expect(center(r).stats()).toMatchObject({ pending: 0, queued: 0 })
    await r.stop()
    expect(readFileSync(file(), 'utf8')).toBe('')
  })

  it('a command the disk refuses is not acknowledged: the update fails, ERROR with the reason, nothing queued', async () => {
    const r = await fresh()
    // A folder where the file is to be created: the write fails.
    mkdirSync(file())
    const refused = await sendCommand(r.ngsiUrl, { ring: { type: 'command', value: 'lost' } }, { id: agent.entity, type: 'Bell' })
    expect(refused.status).not.toBe(204)
    const e = await entity(r)
    expect(e.ring_status).toBe('ERROR')
    expect(String(e.ring_info)).toMatch(/^cannot store the command: .*EISDIR/)
    expect(await agent.poll(r)).toEqual([])
    expect(center(r).stats()).toMatchObject({ pending: 0, queued: 0 })
    // The disk is back: the next command is queued and survives.
    rmdirSync(file())
    await command(r, 'ring', 'kept')
    expect(await agent.poll(await start(LONG))).toEqual([['ring', 'kept']])
  })

  it('a corrupt queue file stops the start with its message, and is left unchanged', async () => {
    const r = await fresh()
    await command(r, 'ring', 'kept')
    await r.stop()
    run = undefined
    const garbled = readFileSync(file(), 'utf8').replace('"ring"', '"ring')
    writeFileSync(file(), garbled)
    await expect(startEngine(() => {}, dir.path)).rejects.toThrow(`the data file ${file()} is corrupt: 1 of its 1 lines cannot be read`)
    expect(readFileSync(file(), 'utf8')).toBe(garbled)
  })
})
