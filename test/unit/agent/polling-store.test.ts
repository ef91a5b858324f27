import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { MAX_POLLING_CHARS, MAX_POLLING_COMMANDS, POLLING_FILE, PollingStore, type NewPollingCommand } from '../../../electron/engine/agent/polling-store'
import { Logger, type LogEntry } from '../../../electron/engine/log/logger'
import { tempDir } from '../../helpers/temp-dir'

/** The polling commands of an agent in its data folder (electron/engine/agent/polling-store.ts), on real files. */

const scope = { service: 'openiot', servicePath: '/' }
const cmd = (deviceId: string, command: string, value: unknown, sentAt = 1000): NewPollingCommand => ({
  scope,
  deviceId,
  command,
  entityId: `urn:ngsi-ld:Bell:${deviceId}`,
  entityType: 'Bell',
  value,
  payload: `${deviceId}@${command}|${String(value)}`,
  sentAt
})
const key = (deviceId: string, command: string): { scope: typeof scope; deviceId: string; command: string } => ({ scope, deviceId, command })

describe('PollingStore', () => {
  const dirs: Array<{ path: string; cleanup: () => void }> = []
  const stores: PollingStore[] = []
  const logs: LogEntry[] = []
  const dir = (): string => {
    const d = tempDir('ulcc-polling-')
    dirs.push(d)
    return d.path
  }
  const open = async (path: string): Promise<PollingStore> => {
    const s = await PollingStore.open(path, { flushIntervalMs: 1000, commitDelayMs: 0, log: new Logger('DEBUG', 100, [(e) => logs.push(e)]).child('agent') })
    stores.push(s)
    return s
  }
  /** Closes a store (writing what is pending) and opens the file again, as a restart does. */
  const reopen = async (s: PollingStore, path: string): Promise<PollingStore> => {
    await s.close()
    stores.splice(stores.indexOf(s), 1)
    return open(path)
  }
  afterEach(async () => {
    // One after the other: two stores of one file must not compact it at the same time.
    for (const s of stores.splice(0).reverse()) await s.close()
    dirs.splice(0).forEach((d) => d.cleanup())
    logs.length = 0
  })

  it('keeps queued commands in their place across a reopen; a second value of a name keeps its place and first time', async () => {
    const path = dir()
    let s = await open(path)
    s.queue(cmd('bell1', 'ring', 'once', 1000))
    s.queue(cmd('bell1', 'volume', 3, 1001))
    s.queue(cmd('bell2', 'ring', 'x', 1002))
    s.queue(cmd('bell1', 'ring', 'twice', 1003))
    s = await reopen(s, path)
    const all = s.all()
    expect(all.map((r) => [r.deviceId, r.command, r.value, r.delivered])).toEqual([
      ['bell1', 'ring', 'twice', false],
      ['bell1', 'volume', 3, false],
      ['bell2', 'ring', 'x', false]
    ])
    expect(all[0]).toMatchObject({ payload: 'bell1@ring|twice', entityId: 'urn:ngsi-ld:Bell:bell1', entityType: 'Bell', queuedAt: 1000, sentAt: 1003, service: 'openiot', servicePath: '/' })
    // Queued after a reopen: after the loaded ones.
    s.queue(cmd('bell3', 'ring', 'y'))
    s = await reopen(s, path)
    expect(s.all().map((r) => r.deviceId)).toEqual(['bell1', 'bell1', 'bell2', 'bell3'])
  })

  it('a delivered command stays until settled; a new value of its name goes to the end of the queue', async () => {
    const path = dir()
    let s = await open(path)
    s.queue(cmd('bell1', 'ring', 'a'))
    s.queue(cmd('bell1', 'volume', 1))
    s.delivered(key('bell1', 'ring'))
    s = await reopen(s, path)
    expect(s.all().map((r) => [r.command, r.delivered])).toEqual([
      ['ring', true],
      ['volume', false]
    ])
    // The result of a queued (not delivered) command's name leaves it queued.
    s.settled(key('bell1', 'volume'))
    s.queue(cmd('bell1', 'ring', 'b', 2000))
    expect(s.all().map((r) => [r.command, r.value, r.delivered])).toEqual([
      ['volume', 1, false],
      ['ring', 'b', false]
    ])
    s.delivered(key('bell1', 'ring'))
    s.settled(key('bell1', 'ring'))
    s.remove(key('bell1', 'volume'))
    s = await reopen(s, path)
    expect(s.all()).toEqual([])
  })

  it('a change is on disk once durable() resolves, before any close', async () => {
    const path = dir()
    const s = await open(path)
    s.queue(cmd('bell1', 'ring', 'now'))
    await s.durable()
    const other = await open(path)
    expect(other.all().map((r) => r.payload)).toEqual(['bell1@ring|now'])
  })

  it(`holds at most ${MAX_POLLING_COMMANDS} commands and ${MAX_POLLING_CHARS} characters of payload; a replacement always fits`, async () => {
    const s = await open(dir())
    expect(s.hasRoom(key('big', 'ring'), 'x'.repeat(MAX_POLLING_CHARS + 1))).toBe(false)
    expect(s.hasRoom(key('big', 'ring'), 'x'.repeat(MAX_POLLING_CHARS))).toBe(true)
    for (let i = 0; i < MAX_POLLING_COMMANDS; i++) s.queue(cmd(`d${i}`, 'ring', i))
    expect(s.size()).toBe(MAX_POLLING_COMMANDS)
    expect(s.hasRoom(key('one-more', 'ring'), 'p')).toBe(false)
    expect(s.hasRoom(key('d7', 'ring'), 'd7@ring|again')).toBe(true)
    s.remove(key('d7', 'ring'))
    expect(s.hasRoom(key('one-more', 'ring'), 'p')).toBe(true)
  })

  it('refuses a corrupt file, naming it and leaving it unchanged', async () => {
    const path = dir()
    const s = await open(path)
    s.queue(cmd('bell1', 'ring', 'a'))
    await s.close()
    stores.splice(0)
    const file = join(path, POLLING_FILE)
    const garbled = readFileSync(file, 'utf8').replace('"ring"', '"ring') + '{"r":[]}\n'
    writeFileSync(file, garbled)
    await expect(open(path)).rejects.toThrow(`the data file ${file} is corrupt: 1 of its 2 lines cannot be read`)
    expect(readFileSync(file, 'utf8')).toBe(garbled)
  })

  it('refuses a file of other records (another data file copied here), naming it and leaving it unchanged', async () => {
    const path = dir()
    const file = join(path, POLLING_FILE)
    // An entities.db journal: valid lines, but not polling commands.
    const foreign = '{"r":[["e1",{"id":"urn:ngsi-ld:Bell:001","type":"Bell","attrs":{}}]]}\n'
    writeFileSync(file, foreign)
    await expect(open(path)).rejects.toThrow(`the data file ${file} does not hold polling commands: 1 of its 1 records are not commands waiting for a device`)
    expect(readFileSync(file, 'utf8')).toBe(foreign)
  })

  it('refuses a folder in place of the file', async () => {
    const path = dir()
    mkdirSync(join(path, POLLING_FILE))
    await expect(open(path)).rejects.toThrow('it is a folder')
  })

  it('sets a torn last line aside (never acknowledged) and loads the rest, with a warning', async () => {
    const path = dir()
    const s = await open(path)
    s.queue(cmd('bell1', 'ring', 'a'))
    await s.close()
    stores.splice(0)
    const file = join(path, POLLING_FILE)
    writeFileSync(file, readFileSync(file, 'utf8') + '{"r":[["openiot')
    const again = await open(path)
    expect(again.all().map((r) => r.command)).toEqual(['ring'])
    expect(logs.some((e) => e.code === 'DATAFILE-REPAIRED')).toBe(true)
    expect(readdirSync(path).some((f) => f.startsWith(`${POLLING_FILE}.torn-`))).toBe(true)
  })
})
