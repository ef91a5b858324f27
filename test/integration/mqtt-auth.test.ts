import { spawnSync } from 'node:child_process'
import { chmodSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { engineStatus } from '../../electron/engine/api'
import type { EngineConfig } from '../../electron/engine/config/types'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'
import { MosquittoClients } from '../helpers/engine-mqtt'
import { MOSQUITTO, MOSQUITTO_PASSWD, MOSQUITTO_PUB, MOSQUITTO_SUB, requirePrograms, startMosquitto, type Mosquitto } from '../helpers/mosquitto'
import { APIKEY, DEVICE_ID, entityKeyValues, provisionSeed, sendCommand } from '../helpers/postman-tutorial7'
import { tempDir } from '../helpers/temp-dir'
import { waitFor } from '../helpers/wait-for'
import { connackCode } from '../helpers/connack'

/**
 * The embedded broker with Mosquitto's own password and ACL files (docs/compatibility/mqtt-broker.md):
 * files written by the real mosquitto_passwd, real MQTT clients (mqtt.js, mosquitto_pub/sub), the
 * same refusals as Mosquitto 2 for MQTT 3.1.1.
 */

const needs = requirePrograms({ mosquitto: MOSQUITTO, mosquitto_passwd: MOSQUITTO_PASSWD, mosquitto_pub: MOSQUITTO_PUB, mosquitto_sub: MOSQUITTO_SUB })

function passwd(file: string, user: string, password: string, opts: { create?: boolean; hash?: 'sha512' | 'sha512-pbkdf2' } = {}): void {
  const args = ['-H', opts.hash ?? 'sha512-pbkdf2', ...(opts.create ? ['-c'] : []), '-b', file, user, password]
  const r = spawnSync(MOSQUITTO_PASSWD!, args, { timeout: 10_000 })
  if (r.status !== 0) throw new Error(`mosquitto_passwd ${args.join(' ')}: ${r.stderr?.toString()}`)
}

/** Writes a file the way an editor replaces it: a copy renamed over the original. */
function replaceFile(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text)
  renameSync(`${file}.tmp`, file)
}

async function client(url: string, opts: IClientOptions): Promise<MqttClient & { received: Array<{ topic: string; payload: string }> }> {
  const c = await connectAsync(url, { reconnectPeriod: 0, connectTimeout: 5000, protocolVersion: 4, ...opts })
  const received: Array<{ topic: string; payload: string }> = []
  c.on('message', (topic, payload) => received.push({ topic, payload: payload.toString() }))
  return Object.assign(c, { received })
}

const clients: MqttClient[] = []
const open = async (url: string, opts: IClientOptions): ReturnType<typeof client> => {
  const c = await client(url, opts)
  clients.push(c)
  return c
}

describe.skipIf(needs.skip)('embedded broker: Mosquitto password and ACL files', () => {
  let run: RunningEngine | undefined
  let dir: { path: string; cleanup: () => void }
  const file = (name: string): string => join(dir.path, name)

  beforeAll(() => {
    dir = tempDir('ulcc-mqtt-auth-')
  })
  afterAll(() => dir.cleanup())
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.endAsync(true).catch(() => undefined)
    await run?.dispose()
    run = undefined
  })

  const start = async (configure: (c: EngineConfig) => void): Promise<RunningEngine> => (run = await startEngine(configure))

  it('accepts the users of a mosquitto_passwd file ($7$ and $6$) with their password and refuses the rest with CONNACK 5, as Mosquitto 2', async () => {
    const pw = file('passwd-login')
    passwd(pw, 'alice', 'secret', { create: true })
    passwd(pw, 'bob', 'hunter2', { hash: 'sha512' })
    const r = await start((c) => (c.mqtt = { mode: 'embedded', passwordFile: pw }))
    const cases: Array<[IClientOptions, number]> = [
      [{ username: 'alice', password: 'secret' }, 0],
      [{ username: 'bob', password: 'hunter2' }, 0],
      [{ username: 'alice', password: 'wrong' }, 5],
      [{ username: 'bob', password: 'secret' }, 5],
      [{ username: 'alice' }, 5],
      [{ username: 'nobody', password: 'secret' }, 5],
      // A password file and no explicit --mqtt-allow-anonymous: anonymous clients are refused.
      [{}, 5]
    ]
    const ours = []
    for (const [opts] of cases) ours.push(await connackCode(r.mqttUrl, opts))
    expect(ours).toEqual(cases.map((c) => c[1]))

    // Mosquitto 2 with the same file answers the same. Started as root it reads the file as the
    // `mosquitto` user (see helpers/mosquitto.ts).
    if (process.getuid?.() === 0) {
      chmodSync(dir.path, 0o755)
      chmodSync(pw, 0o644)
    }
    // The helper's configuration allows anonymous clients when it is given no users of its own,
    // so only the cases with a user name are compared.
    const mosq: Mosquitto = await startMosquitto({ extra: [`password_file ${pw}`] })
    try {
      const named = cases.filter(([opts]) => opts.username !== undefined)
      const theirs = []
      for (const [opts] of named) theirs.push(await connackCode(mosq.url, opts))
      expect(theirs).toEqual(named.map((c) => c[1]))
    } finally {
      await mosq.stop()
    }

    const auth = engineStatus(r.engine).mqtt.auth
    expect(auth).toMatchObject({ enabled: true, allowAnonymous: false, passwordFile: { path: pw, users: 2 }, problems: [] })
    expect(auth?.refused).toEqual({ anonymous: 1, unknownUser: 1, badPassword: 3, noPasswordFile: 0 })
    expect(r.logs.some((l) => l.code === 'MQTT_CONNECT_REFUSED' && l.message.includes('"alice"'))).toBe(true)
  })

  it('beyond loopback without a password file refuses every client unless --mqtt-allow-anonymous true', async () => {
    const r = await start((c) => (c.hosts = ['0.0.0.0']))
    expect(await connackCode(r.mqttUrl)).toBe(5)
    expect(await connackCode(r.mqttUrl, { username: 'someone', password: 'x' })).toBe(5)
    expect(engineStatus(r.engine).mqtt.auth).toMatchObject({ enabled: true, allowAnonymous: false, refused: { anonymous: 1, noPasswordFile: 1 } })
    expect(r.logs.find((l) => l.code === 'MQTT_ANONYMOUS_REFUSED')?.message).toMatch(/--mqtt-allow-anonymous true/)
    await r.dispose()

    const open = await start((c) => {
      c.hosts = ['0.0.0.0']
      c.mqtt = { mode: 'embedded', allowAnonymous: true }
    })
    expect(await connackCode(open.mqttUrl)).toBe(0)
    // Nothing to check: no authentication, as before.
    expect(engineStatus(open.engine).mqtt.auth).toMatchObject({ enabled: false, allowAnonymous: true })
    await open.dispose()

    // On loopback only, anonymous clients are allowed by default (Mosquitto's local-only mode).
    const local = await start(() => undefined)
    expect(await connackCode(local.mqttUrl)).toBe(0)
  })

  it('a missing password or ACL file is a start error that names the file', async () => {
    await expect(startEngine((c) => (c.mqtt = { mode: 'embedded', passwordFile: file('nope') }))).rejects.toThrow(/password file .*nope.*no such file/)
    writeFileSync(file('bad.acl'), 'topic sometimes a/b\n')
    await expect(startEngine((c) => (c.mqtt = { mode: 'embedded', aclFile: file('bad.acl') }))).rejects.toThrow(/ACL file .*bad\.acl.*line 1: invalid access "sometimes"/)
  })

  it('applies the ACL to clients: own device topic yes, another device no (PUBACK still sent), # granted but only readable topics delivered; the agent is exempt', async () => {
    const pw = file('passwd-acl')
    passwd(pw, 'alice', 'a-pass', { create: true })
    passwd(pw, 'admin', 'admin-pass')
    const acl = file('acl')
    writeFileSync(
      acl,
      [
        '# devices publish their own measures and read their own commands',
        'user admin',
        'topic readwrite #',
        `pattern write /ul/${APIKEY}/%u/attrs`,
        `pattern read /${APIKEY}/%c/cmd`
      ].join('\n') + '\n'
    )
    const r = await start((c) => (c.mqtt = { mode: 'embedded', passwordFile: pw, aclFile: acl }))
    await provisionSeed(r)
    // The seed device connects as user device001 (the %u pattern) with client id device001 (the %c one).
    passwd(pw, DEVICE_ID, 'dev-pass')
    await waitFor(async () => (await connackCode(r.mqttUrl, { username: DEVICE_ID, password: 'dev-pass' })) === 0, 'the user added to the password file (read again)')

    const admin = await open(r.mqttUrl, { username: 'admin', password: 'admin-pass', clientId: 'admin' })
    await admin.subscribeAsync('#', { qos: 1 })
    const device = await open(r.mqttUrl, { username: DEVICE_ID, password: 'dev-pass', clientId: DEVICE_ID })
    // Mosquitto 2 grants every subscription (its ACL is checked when a message is delivered).
    const granted = await device.subscribeAsync('#', { qos: 1 })
    expect(granted.map((g) => g.qos)).toEqual([1])

    // Denied: another device's topic. Mosquitto still acknowledges a denied QoS 1 PUBLISH of MQTT 3.1.1.
    await device.publishAsync(`/ul/${APIKEY}/device002/attrs`, 't|99', { qos: 1 })
    // QoS 2: PUBREC and PUBCOMP as usual.
    await device.publishAsync(`/ul/${APIKEY}/device002/attrs`, 't|98', { qos: 2 })
    // Allowed: its own measure topic. The admin sees it, and only it (MQTT keeps the order).
    await device.publishAsync(`/ul/${APIKEY}/${DEVICE_ID}/attrs`, 't|21', { qos: 1 })
    await waitFor(() => admin.received.length > 0, 'the allowed measure at the admin')
    expect(admin.received[0]).toEqual({ topic: `/ul/${APIKEY}/${DEVICE_ID}/attrs`, payload: 't|21' })
    // The agent processed it (it is not subject to the ACL).
    await waitFor(async () => (await entityKeyValues(r.ngsiUrl))?.temperature === 21, 'the measure in the entity')
    expect(device.connected).toBe(true)

    // The agent's command reaches the device on its own cmd topic; the device reads nothing else.
    await admin.publishAsync('public/news', 'not for devices', { qos: 1 })
    const cmd = await sendCommand(r.ngsiUrl, { switch: { type: 'command', value: 'on' } })
    expect(cmd.status).toBe(204)
    await waitFor(() => device.received.length > 0, 'the command at the device')
    expect(device.received[0]).toEqual({ topic: `/${APIKEY}/${DEVICE_ID}/cmd`, payload: `${DEVICE_ID}@switch|on` })

    const auth = engineStatus(r.engine).mqtt.auth
    expect(auth).toMatchObject({ aclFile: { path: acl, lines: 3 }, passwordFile: { users: 3 } })
    expect(auth?.denied.publish).toBe(2)
    expect(auth?.denied.deliver).toBeGreaterThanOrEqual(1)
  })

  it('reads a changed ACL file again without a restart; a broken one keeps the rules in force and is reported', async () => {
    const acl = file('acl-reload')
    writeFileSync(acl, 'topic write a/#\ntopic read #\n')
    const r = await start((c) => (c.mqtt = { mode: 'embedded', aclFile: acl }))
    const watcher = await open(r.mqttUrl, { clientId: 'watcher' })
    await watcher.subscribeAsync('#', { qos: 1 })
    const pub = await open(r.mqttUrl, { clientId: 'pub' })

    // b/x is denied, a/x allowed: the watcher's first message is a/x.
    await pub.publishAsync('b/x', '1', { qos: 1 })
    await pub.publishAsync('a/x', '2', { qos: 1 })
    await waitFor(() => watcher.received.length > 0, 'a/x')
    expect(watcher.received[0]).toEqual({ topic: 'a/x', payload: '2' })

    replaceFile(acl, 'topic write b/#\ntopic read #\n')
    // Poll: publish on b/x until it arrives (the file was read again).
    await waitFor(
      async () => {
        await pub.publishAsync('b/x', 'now', { qos: 1 })
        return watcher.received.some((m) => m.topic === 'b/x')
      },
      'b/x allowed after the change',
      10_000,
      100
    )
    const reloadedAt = engineStatus(r.engine).mqtt.auth?.lastReloadAt
    expect(reloadedAt).toBeGreaterThan(0)

    // A broken file: reported, the rules read before (write b/#) stay.
    replaceFile(acl, 'topic write c/#\ntopic sometimes #\n')
    const problems = await waitFor(() => {
      const p = engineStatus(r.engine).mqtt.auth?.problems ?? []
      return p.length > 0 && p
    }, 'the problem of the broken file', 10_000)
    expect(problems.join('\n')).toMatch(/line 2: invalid access "sometimes"/)
    expect(r.logs.some((l) => l.code === 'MQTT_AUTH_RELOAD' && l.level === 'WARN')).toBe(true)
    const before = watcher.received.length
    await pub.publishAsync('c/x', 'denied still', { qos: 1 })
    await pub.publishAsync('b/x', 'allowed still', { qos: 1 })
    await waitFor(() => watcher.received.length > before, 'the next message at the watcher')
    expect(watcher.received[before]).toEqual({ topic: 'b/x', payload: 'allowed still' })
    expect(readFileSync(acl, 'utf8')).toContain('sometimes')

    // Fixed again: used, and the problem is gone.
    replaceFile(acl, 'topic write c/#\ntopic read #\n')
    await waitFor(() => engineStatus(r.engine).mqtt.auth?.problems.length === 0, 'the problem cleared', 10_000)
  })

  it('reads a changed password file again: a new user may connect, a removed one no more', async () => {
    const pw = file('passwd-reload')
    passwd(pw, 'alice', 'one', { create: true })
    const r = await start((c) => (c.mqtt = { mode: 'embedded', passwordFile: pw }))
    expect(await connackCode(r.mqttUrl, { username: 'carol', password: 'two' })).toBe(5)
    passwd(pw, 'carol', 'two')
    await waitFor(async () => (await connackCode(r.mqttUrl, { username: 'carol', password: 'two' })) === 0, 'carol accepted', 10_000, 100)
    spawnSync(MOSQUITTO_PASSWD!, ['-D', pw, 'alice'], { timeout: 10_000 })
    await waitFor(async () => (await connackCode(r.mqttUrl, { username: 'alice', password: 'one' })) === 5, 'alice refused', 10_000, 100)
    expect(engineStatus(r.engine).mqtt.auth?.passwordFile?.users).toBe(1)

    // A broken version (a plain-text password) is not used: carol still gets in, the problem is shown.
    replaceFile(pw, `${readFileSync(pw, 'utf8')}dave:plain-text\n`)
    const problems = await waitFor(() => {
      const p = engineStatus(r.engine).mqtt.auth?.problems ?? []
      return p.length > 0 && p
    }, 'the problem of the broken password file', 10_000)
    expect(problems.join('\n')).toMatch(/user "dave"/)
    expect(await connackCode(r.mqttUrl, { username: 'carol', password: 'two' })).toBe(0)
    expect(engineStatus(r.engine).mqtt.auth?.passwordFile?.users).toBe(1)
  })

  it('works with mosquitto_pub and mosquitto_sub (-u / -P)', async () => {
    const pw = file('passwd-cli')
    passwd(pw, 'ana', 's3cret', { create: true })
    const acl = file('acl-cli')
    writeFileSync(acl, 'user ana\ntopic readwrite lab/#\n')
    const r = await start((c) => (c.mqtt = { mode: 'embedded', passwordFile: pw, aclFile: acl }))
    const cli = new MosquittoClients(r.mqttUrl)
    try {
      const sub = await cli.sub('lab/#', { count: 1, extra: ['-u', 'ana', '-P', 's3cret'] })
      await cli.publish('lab/one', 'hello', ['-u', 'ana', '-P', 's3cret'])
      await waitFor(() => sub.messages().length > 0, 'the message at mosquitto_sub')
      expect(sub.messages()[0]).toEqual({ topic: 'lab/one', payload: 'hello' })
      const refused = await cli.pub(['-t', 'lab/one', '-m', 'x', '-u', 'ana', '-P', 'wrong'])
      expect(refused.code).not.toBe(0)
      expect(refused.stderr).toMatch(/not authori[sz]ed/i)
    } finally {
      cli.killAll()
    }
  })
})
