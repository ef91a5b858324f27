import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { connectAsync, type MqttClient } from 'mqtt'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'
import { MosquittoClients } from '../helpers/engine-mqtt'
import { MOSQUITTO_PUB, MOSQUITTO_SUB, requirePrograms, STDBUF } from '../helpers/mosquitto'
import {
  APIKEY,
  DEVICE_ID,
  ENTITY_ID,
  entityKeyValues,
  JSON_TENANT,
  northGet,
  provisionSeed,
  reply,
  replayStep,
  sendCommand,
  STEP,
  TENANT
} from '../helpers/postman-tutorial7'
import { rawConnect, publishPacket } from '../helpers/raw-mqtt'
import { tempDir } from '../helpers/temp-dir'
import { waitFor } from '../helpers/wait-for'

/**
 * Bad input on every door of the engine — both HTTP APIs and MQTT — with the seed tutorial's
 * group and device provisioned. After each, the counters, the logs and the topic inspector say
 * what happened, and the engine still serves: a normal measure still reaches the entity.
 */

const need = requirePrograms({ mosquitto_pub: MOSQUITTO_PUB, mosquitto_sub: MOSQUITTO_SUB, stdbuf: STDBUF })
const ATTRS = `ul/${APIKEY}/${DEVICE_ID}/attrs`

describe.skipIf(need.skip)(`engine: bad input${need.skip ? ` (skipped: ${need.reason})` : ''}`, () => {
  let run: RunningEngine
  let mosq: MosquittoClients
  let device: MqttClient
  let probe = 0
  const files = tempDir('ulcc-bad-input-')

  beforeAll(async () => {
    run = await startEngine()
    await provisionSeed(run)
    mosq = new MosquittoClients(run.mqttUrl)
    device = await connectAsync(run.mqttUrl, { reconnectPeriod: 0, connectTimeout: 5000, clientId: 'well-behaved-device' })
  })
  afterEach(() => mosq.killAll())
  afterAll(async () => {
    await device?.endAsync(true)
    await run?.dispose()
    files.cleanup()
  })

  /** A normal measure still reaches the entity and both HTTP APIs still answer. */
  const stillServes = async (): Promise<void> => {
    probe++
    const t = 100 + probe
    await device.publishAsync(ATTRS, `t|${t}|rh|${probe}`, { qos: 1 })
    expect(await entityKeyValues(run.ngsiUrl)).toMatchObject({ temperature: t, relativeHumidity: probe })
    expect((await fetch(`${run.northUrl}/iot/about`)).status).toBe(200)
    expect((await fetch(`${run.ngsiUrl}/version`)).status).toBe(200)
  }
  const stats = () => run.engine.southbound.stats()
  const rejected = (code: string): number => stats().rejected[code] ?? 0
  const lastOn = (topic: string) => run.engine.inspector.messages({ filter: (m) => m.topic === topic }).at(-1)
  const logged = (code: string, text = ''): boolean => run.logs.some((l) => l.code === code && l.message.includes(text))
  const file = (name: string, content: Buffer | string): string => {
    const p = join(files.path, name)
    writeFileSync(p, content)
    return p
  }

  it('the engine works before anything bad happens', async () => {
    await stillServes()
    expect(stats().rejected).toEqual({})
  })

  describe('HTTP', () => {
    it('malformed JSON on the provisioning API: 400 {name, message}', async () => {
      for (const path of ['/iot/services', '/iot/groups', '/iot/devices']) {
        const r = await reply(await fetch(`${run.northUrl}${path}`, { method: 'POST', headers: JSON_TENANT, body: '{"services": [{"apikey": "x",' }))
        expect(r.status, path).toBe(400)
        expect(Object.keys(r.json).sort()).toEqual(['message', 'name'])
        expect(r.json.name).toBe('WRONG_SYNTAX')
      }
      // The context-provider endpoints answer in NGSI's shape, as iotagent-node-lib does there.
      const p = await reply(await fetch(`${run.northUrl}/v2/op/update`, { method: 'POST', headers: JSON_TENANT, body: '{"actionType": "update", ' }))
      expect(p.status).toBe(400)
      expect(Object.keys(p.json).sort()).toEqual(['description', 'error'])
      expect(run.engine.registry.counts()).toEqual({ groups: 1, devices: 1 })
      await stillServes()
    })

    it('malformed JSON on the context broker: 400 {error: "ParseError", description}', async () => {
      const create = await reply(await fetch(`${run.ngsiUrl}/v2/entities`, { method: 'POST', headers: JSON_TENANT, body: '{"id": "urn:x", "type": ' }))
      expect(create.status).toBe(400)
      expect(create.json).toEqual({ error: 'ParseError', description: 'Errors found in incoming JSON buffer' })
      const patch = await reply(
        await fetch(`${run.ngsiUrl}/v2/entities/${ENTITY_ID}/attrs?type=Device`, { method: 'PATCH', headers: JSON_TENANT, body: '{"switch": {"type": "command", "value": "1"' })
      )
      expect(patch.status).toBe(400)
      expect(patch.json).toEqual({ error: 'ParseError', description: 'Errors found in incoming JSON buffer' })
      expect(run.engine.commands.stats().sent).toBe(0)
      await stillServes()
    })

    it('missing fiware headers: 400 MISSING_HEADERS naming them', async () => {
      const noService = await reply(
        await fetch(`${run.northUrl}/iot/devices`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'fiware-servicepath': '/' },
          body: JSON.stringify({ devices: [{ device_id: 'x1' }] })
        })
      )
      expect(noService.status).toBe(400)
      expect(noService.json.name).toBe('MISSING_HEADERS')
      expect(noService.json.message).toContain('fiware-service')
      const noPath = await reply(await fetch(`${run.northUrl}/iot/devices`, { headers: { 'fiware-service': 'openiot' } }))
      expect(noPath.status).toBe(400)
      expect(noPath.json).toEqual({ name: 'MISSING_HEADERS', message: expect.stringContaining('fiware-servicepath') })
      const none = await reply(await fetch(`${run.northUrl}/iot/services`))
      expect(none.status).toBe(400)
      expect(none.json.name).toBe('MISSING_HEADERS')
      expect(run.engine.registry.devicesById('x1')).toHaveLength(0)
      await stillServes()
    })

    it('the tutorial\'s requests sent twice: 409 DUPLICATE_GROUP and DUPLICATE_DEVICE_ID, nothing duplicated', async () => {
      const g = await replayStep(STEP.createService, run)
      expect(g.status).toBe(409)
      expect(g.json.name).toBe('DUPLICATE_GROUP')
      const d = await replayStep(STEP.provisionDevice, run)
      expect(d.status).toBe(409)
      expect(d.json.name).toBe('DUPLICATE_DEVICE_ID')
      expect(run.engine.registry.counts()).toEqual({ groups: 1, devices: 1 })
      const regs = await reply(await fetch(`${run.ngsiUrl}/v2/registrations`, { headers: TENANT }))
      expect(regs.json).toHaveLength(1)
      await stillServes()
    })

    it('an unknown device: 404 DEVICE_NOT_FOUND', async () => {
      const r = await northGet(run.northUrl, '/iot/devices/device999')
      expect(r.status).toBe(404)
      expect(r.json).toEqual({ name: 'DEVICE_NOT_FOUND', message: expect.any(String) })
      await stillServes()
    })
  })

  describe('UltraLight payloads that are not UltraLight', () => {
    const parseErrors: Array<[string, string]> = [
      ['an empty field', 'a|10||'],
      ['no separator', 'notUL'],
      ['a trailing #', 'a|1#'],
      ['an empty group', 'a|1##b|2'],
      ['an @ in a value', 'email|x@y.com']
    ]
    it.each(parseErrors)('%s (%s): PARSE_ERROR, counted, logged, entity untouched', async (_label, payload) => {
      const before = await entityKeyValues(run.ngsiUrl)
      const count = rejected('PARSE_ERROR')
      const messages = stats().messages
      await mosq.publish(ATTRS, payload)
      expect(rejected('PARSE_ERROR')).toBe(count + 1)
      expect(stats().messages).toBe(messages + 1)
      expect(lastOn(ATTRS)?.outcome).toMatchObject({ kind: 'attrs', deviceId: DEVICE_ID, error: 'PARSE_ERROR', message: expect.any(String) })
      expect(logged('PARSE_ERROR')).toBe(true)
      expect(await entityKeyValues(run.ngsiUrl)).toEqual(before)
      await stillServes()
    })

    it('binary bytes: PARSE_ERROR', async () => {
      const count = rejected('PARSE_ERROR')
      await mosq.pub(['-q', '1', '-t', ATTRS, '-f', file('binary.bin', Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x01, 0x7f, 0xc3]))]).then((r) => expect(r.code).toBe(0))
      expect(rejected('PARSE_ERROR')).toBe(count + 1)
      expect(lastOn(ATTRS)).toMatchObject({ size: 7, outcome: { error: 'PARSE_ERROR' } })
      await stillServes()
    })

    it('an empty payload: PARSE_ERROR', async () => {
      const count = rejected('PARSE_ERROR')
      await mosq.pub(['-q', '1', '-t', ATTRS, '-n']).then((r) => expect(r.code).toBe(0))
      expect(rejected('PARSE_ERROR')).toBe(count + 1)
      expect(lastOn(ATTRS)).toMatchObject({ size: 0, outcome: { error: 'PARSE_ERROR' } })
      await stillServes()
    })

    it('a 1 MB payload of garbage: PARSE_ERROR; the inspector keeps only its head', async () => {
      const count = rejected('PARSE_ERROR')
      const big = Buffer.alloc(1024 * 1024, 'x')
      await mosq.pub(['-q', '1', '-t', ATTRS, '-f', file('big.txt', big)]).then((r) => expect(r.code).toBe(0))
      expect(rejected('PARSE_ERROR')).toBe(count + 1)
      const m = lastOn(ATTRS)!
      expect(m.size).toBe(big.length)
      expect(m.payload.length).toBeLessThan(big.length)
      expect(run.engine.inspector.stats().bufferedBytes).toBeLessThanOrEqual(run.engine.config.limits.inspectorBytes)
      await stillServes()
    })

    it('a 1 MB well-formed payload: refused as Orion refuses the update it makes (over 1 MiB), entity untouched', async () => {
      let payload = ''
      for (let i = 0; payload.length < 1024 * 1024; i++) payload += `${i ? '|' : ''}k${i}|${i}`
      const before = await entityKeyValues(run.ngsiUrl)
      const count = rejected('NGSI_RequestEntityTooLarge')
      await mosq.pub(['-q', '1', '-t', ATTRS, '-f', file('pairs.txt', payload)]).then((r) => expect(r.code).toBe(0))
      expect(rejected('NGSI_RequestEntityTooLarge')).toBe(count + 1)
      expect(lastOn(ATTRS)?.outcome).toMatchObject({ error: 'NGSI_RequestEntityTooLarge', message: expect.stringContaining('max size supported: 1048576') })
      expect(await entityKeyValues(run.ngsiUrl)).toEqual(before)
      await stillServes()
    })

    it('a value the context broker refuses (forbidden characters): counted as its NGSI error', async () => {
      const count = rejected('NGSI_BadRequest')
      await mosq.publish(ATTRS, 't|<script>')
      expect(rejected('NGSI_BadRequest')).toBe(count + 1)
      expect(lastOn(ATTRS)?.outcome?.message).toContain('Invalid characters in attribute value')
      expect((await entityKeyValues(run.ngsiUrl))!.temperature).toBe(100 + probe)
      await stillServes()
    })
  })

  describe('MQTT traffic that is not for this agent', () => {
    it('measures for an unknown API key: NO_GROUP, no device, no entity', async () => {
      const count = rejected('NO_GROUP')
      await mosq.publish(`ul/nosuchkey/${DEVICE_ID}/attrs`, 't|55')
      await mosq.publish('/nosuchkey/device777/attrs', 't|56')
      expect(rejected('NO_GROUP')).toBe(count + 2)
      expect(lastOn('/nosuchkey/device777/attrs')?.outcome).toMatchObject({ apikey: 'nosuchkey', deviceId: 'device777', error: 'NO_GROUP' })
      expect(logged('NO_GROUP', 'nosuchkey')).toBe(true)
      expect(run.engine.registry.counts()).toEqual({ groups: 1, devices: 1 })
      const all = await reply(await fetch(`${run.ngsiUrl}/v2/entities?options=skipForwarding&attrs=__NONE`, { headers: TENANT }))
      expect(all.json).toEqual([{ id: ENTITY_ID, type: 'Device' }])
      await stillServes()
    })

    it('unknown topics are neither counted as errors nor create anything', async () => {
      const before = stats()
      const topics = [
        'foo/bar',
        'ul',
        `/${APIKEY}/${DEVICE_ID}`,
        `/${APIKEY}/${DEVICE_ID}/unknown`,
        `ul/${APIKEY}/${DEVICE_ID}/attrs/a/b`,
        `${APIKEY}/${DEVICE_ID}/configuration/values`,
        `/${APIKEY}/${DEVICE_ID}/cmd`,
        `ul/${APIKEY}//attrs`
      ]
      for (const topic of topics) await mosq.publish(topic, 't|99')
      expect(stats()).toEqual(before)
      for (const topic of topics) expect(lastOn(topic), topic).toMatchObject({ origin: 'client', outcome: null })
      for (const s of run.engine.inspector.topicStats().filter((t) => topics.includes(t.topic))) expect(s.errors).toBe(0)
      for (const headers of [TENANT, {}]) {
        const all = await reply(await fetch(`${run.ngsiUrl}/v2/entities?options=skipForwarding&attrs=__NONE`, { headers }))
        expect(all.json).toEqual(headers === TENANT ? [{ id: ENTITY_ID, type: 'Device' }] : [])
      }
      expect((await entityKeyValues(run.ngsiUrl))!.temperature).toBe(100 + probe)
      await stillServes()
    })

    it('a raw client publishing to "#" is disconnected; nothing reaches the agent or the subscribers', async () => {
      const watcher = await connectAsync(run.mqttUrl, { reconnectPeriod: 0, clientId: 'watcher' })
      const seen: string[] = []
      watcher.on('message', (topic) => seen.push(topic))
      await watcher.subscribeAsync('#')
      try {
        const before = stats()
        const inspected = run.engine.inspector.stats().messages
        const { hostname, port } = new URL(run.mqttUrl)
        for (const topic of ['#', `ul/${APIKEY}/#`, `ul/+/${DEVICE_ID}/attrs`]) {
          const raw = await rawConnect(hostname, Number(port), `raw-${seen.length}-${topic.length}`)
          raw.write(publishPacket(topic, 't|66', 1))
          await raw.closed
          // No PUBACK: the broker closed the connection instead.
          expect(raw.received().length, topic).toBe(0)
        }
        expect(logged('CLIENT_ERROR', '# is not allowed')).toBe(true)
        expect(logged('CLIENT_ERROR', '+ is not allowed')).toBe(true)
        expect(stats()).toEqual(before)
        expect(run.engine.inspector.stats().messages).toBe(inspected)
        await stillServes()
        await waitFor(() => seen.includes(ATTRS), 'the normal measure at the # subscriber')
        expect(seen.filter((t) => t.includes('#') || t.includes('+'))).toEqual([])
      } finally {
        await watcher.endAsync(true)
      }
    })
  })

  it('after all that: the tutorial still works end to end', async () => {
    const cmd = await connectAsync(run.mqttUrl, { reconnectPeriod: 0, clientId: 'late-device' })
    try {
      const got: string[] = []
      cmd.on('message', (_t, p) => got.push(p.toString()))
      await cmd.subscribeAsync(`/${APIKEY}/${DEVICE_ID}/cmd`)
      expect((await sendCommand(run.ngsiUrl, { switch: { type: 'command', value: '1' } })).status).toBe(204)
      await waitFor(() => got.length === 1, 'the command')
      expect(got).toEqual([`${DEVICE_ID}@switch|1`])
      await cmd.publishAsync(`ul/${APIKEY}/${DEVICE_ID}/attrs`, 'switch_status|OK|switch_info|Started sending data', { qos: 1 })
      expect(await entityKeyValues(run.ngsiUrl)).toMatchObject({ switch_status: 'OK', switch_info: 'Started sending data' })
      await stillServes()
    } finally {
      await cmd.endAsync(true)
    }
  })
})
