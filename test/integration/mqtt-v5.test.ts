import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { createConnection } from 'node:net'
import { join } from 'node:path'
import { connectAsync } from 'mqtt'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { engineStatus } from '../../electron/engine/api'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'
import { MosquittoClients } from '../helpers/engine-mqtt'
import { MOSQUITTO_PASSWD, MOSQUITTO_PUB, MOSQUITTO_SUB, requirePrograms } from '../helpers/mosquitto'
import { APIKEY, DEVICE_ID, entityKeyValues, provisionSeed, sendCommand } from '../helpers/postman-tutorial7'
import { tempDir } from '../helpers/temp-dir'
import { waitFor } from '../helpers/wait-for'

/**
 * MQTT 5 and MQTT 3.1.1 clients side by side on the embedded broker (docs/compatibility/mqtt-broker.md,
 * "MQTT 5"): Debian's mosquitto_pub/mosquitto_sub with -V mqttv5 and -V mqttv311 against a real
 * engine, as a trainee would type them.
 */

const needs = requirePrograms({ mosquitto_pub: MOSQUITTO_PUB, mosquitto_sub: MOSQUITTO_SUB, mosquitto_passwd: MOSQUITTO_PASSWD })

const ATTRS = `/ul/${APIKEY}/${DEVICE_ID}/attrs`
const CMD = `/${APIKEY}/${DEVICE_ID}/cmd`

describe.skipIf(needs.skip)('embedded broker: MQTT 5 beside MQTT 3.1.1', () => {
  let run: RunningEngine | undefined
  let mq: MosquittoClients | undefined
  let dir: { path: string; cleanup: () => void }

  beforeAll(() => {
    dir = tempDir('ulcc-mqtt-v5-')
  })
  afterAll(() => dir.cleanup())
  afterEach(async () => {
    mq?.killAll()
    await run?.dispose()
    run = undefined
  })

  it('a v5 device measure reaches the entity, and v5 and v3.1.1 subscribers both get the command', async () => {
    run = await startEngine()
    await provisionSeed(run)
    mq = new MosquittoClients(run.mqttUrl)
    const v5 = await mq.sub(CMD, { count: 1, extra: ['-V', 'mqttv5'] })
    const v311 = await mq.sub(CMD, { count: 1, extra: ['-V', 'mqttv311'] })

    // A v5 PUBLISH with a user property works like a v3 one: the PUBACK comes once it is processed.
    await mq.publish(ATTRS, 't|31.5', ['-V', 'mqttv5', '-D', 'publish', 'user-property', 'site', 'lab'])
    expect((await entityKeyValues(run.ngsiUrl))?.temperature).toBe(31.5)
    await mq.publish(ATTRS, 't|32.5', ['-V', 'mqttv311'])
    expect((await entityKeyValues(run.ngsiUrl))?.temperature).toBe(32.5)
    // A topic alias (up to 10, Mosquitto's default) resolves to its topic.
    await mq.publish(ATTRS, 't|33.5', ['-V', 'mqttv5', '-D', 'publish', 'topic-alias', '1'])
    expect((await entityKeyValues(run.ngsiUrl))?.temperature).toBe(33.5)
    // $SYS is reserved: a v5 client gets reason code 135 and keeps its connection, as with Mosquitto.
    const sys = await mq.pub(['-d', '-q', '1', '-V', 'mqttv5', '-t', '$SYS/broker/fake', '-m', 'x'])
    expect(sys.stdout).toMatch(/received PUBACK \(Mid: \d+, RC:135\)/)

    expect((await sendCommand(run.ngsiUrl, { switch: { type: 'command', value: 'on' } })).status).toBe(204)
    const [r5, r311] = await Promise.all([v5.run.result, v311.run.result])
    expect(r5.code).toBe(0)
    expect(r311.code).toBe(0)
    expect(v5.messages()).toEqual([{ topic: CMD, payload: `${DEVICE_ID}@switch|on` }])
    expect(v311.messages()).toEqual([{ topic: CMD, payload: `${DEVICE_ID}@switch|on` }])
  })

  it('checks v5 clients against the password and ACL files, with MQTT 5 reason codes as Mosquitto 2', async () => {
    const pw = join(dir.path, 'passwd')
    const r = spawnSync(MOSQUITTO_PASSWD!, ['-c', '-b', pw, 'dev', 's3cret'], { timeout: 10_000 })
    expect(r.status).toBe(0)
    const acl = join(dir.path, 'acl')
    writeFileSync(acl, `user dev\ntopic write ${ATTRS}\ntopic read ${CMD}\n`)
    run = await startEngine((c) => (c.mqtt = { mode: 'embedded', passwordFile: pw, aclFile: acl }))
    await provisionSeed(run)
    mq = new MosquittoClients(run.mqttUrl)

    // Wrong password and anonymous: CONNACK reason code 135 "not authorized" (3.1.1: return code 5).
    const bad = await mq.pub(['-d', '-V', 'mqttv5', '-u', 'dev', '-P', 'wrong', '-t', ATTRS, '-m', 't|1'])
    expect(bad.code).not.toBe(0)
    expect(bad.stdout).toMatch(/received CONNACK \(135\)/)
    const anonymous = await mq.pub(['-d', '-V', 'mqttv5', '-t', ATTRS, '-m', 't|1'])
    expect(anonymous.stdout).toMatch(/received CONNACK \(135\)/)
    const old = await mq.pub(['-d', '-V', 'mqttv311', '-u', 'dev', '-P', 'wrong', '-t', ATTRS, '-m', 't|1'])
    expect(old.stdout).toMatch(/received CONNACK \(5\)/)
    expect(engineStatus(run.engine).mqtt.auth?.refused).toMatchObject({ anonymous: 1, badPassword: 2 })

    // Allowed topic: processed. Another device's topic: PUBACK with reason code 135, dropped.
    const login = ['-V', 'mqttv5', '-u', 'dev', '-P', 's3cret']
    await mq.publish(ATTRS, 't|40', login)
    expect((await entityKeyValues(run.ngsiUrl))?.temperature).toBe(40)
    const denied = await mq.pub(['-d', '-q', '1', ...login, '-t', `/ul/${APIKEY}/other/attrs`, '-m', 't|41'])
    expect(denied.stdout).toMatch(/received PUBACK \(Mid: \d+, RC:135\)/)
    expect(engineStatus(run.engine).mqtt.auth?.denied.publish).toBe(1)

    // The readable command topic reaches a v5 subscriber; a topic it may not read is withheld.
    const sub = await mq.sub('#', { count: 1, extra: login })
    const other = await connectAsync(run.mqttUrl, { protocolVersion: 5, username: 'dev', password: 's3cret', reconnectPeriod: 0 })
    try {
      // An own publication on a topic the subscriber may not read (ACL "write" only) is not delivered.
      await other.publishAsync(ATTRS, 't|42', { qos: 1 })
      expect((await sendCommand(run.ngsiUrl, { switch: { type: 'command', value: 'off' } })).status).toBe(204)
      await sub.run.result
      expect(sub.messages()).toEqual([{ topic: CMD, payload: `${DEVICE_ID}@switch|off` }])
    } finally {
      await other.endAsync(true)
    }
    await waitFor(() => engineStatus(run!.engine).mqtt.auth!.denied.deliver >= 1, 'the withheld delivery counted')
  })

  it('serves client ids and topic filters named like JavaScript object members (constructor, __proto__, toString)', async () => {
    run = await startEngine()
    const names = ['constructor', '__proto__', 'toString', 'hasOwnProperty']
    for (const protocolVersion of [4, 5] as const) {
      for (const name of names) {
        const c = await connectAsync(run.mqttUrl, { clientId: name, protocolVersion, reconnectPeriod: 0, connectTimeout: 5000 })
        const got: string[] = []
        c.on('message', (topic, payload) => got.push(`${topic} ${payload.toString()}`))
        await c.subscribeAsync(name, { qos: 1 })
        await c.publishAsync(name, `v${protocolVersion}`, { qos: 2 })
        await waitFor(() => got.length === 1, `the echo of ${name} (MQTT ${protocolVersion})`)
        expect(got).toEqual([`${name} v${protocolVersion}`])
        await c.unsubscribeAsync(name)
        await c.endAsync()
      }
    }
    expect(engineStatus(run.engine).mqtt.up).toBe(true)
  })

  it('counts connections refused for a protocol level it does not serve, or a first packet that is no CONNECT', async () => {
    run = await startEngine()
    const { hostname, port } = new URL(run.mqttUrl)
    const send = (bytes: number[]): Promise<void> =>
      new Promise((resolve) => {
        const socket = createConnection({ host: hostname, port: Number(port) }, () => socket.write(Buffer.from(bytes)))
        socket.on('error', () => resolve())
        socket.on('close', () => resolve())
      })
    expect(engineStatus(run.engine).mqtt.refusedConnects).toEqual({ protocolVersion: 0, malformed: 0 })
    // CONNECT, protocol name "MQTT", level 6 (no such version), clean session, keep-alive 60, client id "x".
    await send([0x10, 13, 0, 4, 0x4d, 0x51, 0x54, 0x54, 6, 0x02, 0, 60, 0, 1, 0x78])
    // PINGREQ as the first packet.
    await send([0xc0, 0])
    await waitFor(() => engineStatus(run!.engine).mqtt.refusedConnects?.malformed === 1, 'the malformed connection counted')
    expect(engineStatus(run.engine).mqtt.refusedConnects).toEqual({ protocolVersion: 1, malformed: 1 })
    // The refusals are in the log too, with their reason.
    expect(run.logs.filter((l) => l.code === 'MQTT_CONNECT_REFUSED').map((l) => l.message)).toEqual([
      expect.stringMatching(/protocol version not served/),
      expect.stringMatching(/not a valid CONNECT/)
    ])
  })
})
