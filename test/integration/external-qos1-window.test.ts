import { connectAsync } from 'mqtt'
import { afterEach, describe, expect, it } from 'vitest'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'
import { MOSQUITTO, requirePrograms, startMosquitto, type Mosquitto } from '../helpers/mosquitto'
import { APIKEY, DEVICE_ID, entityKeyValues, provisionSeed } from '../helpers/postman-tutorial7'
import { waitFor } from '../helpers/wait-for'

/**
 * QoS 1 measures from an external broker (Mosquitto): the agent takes many deliveries before the
 * first one is acknowledged, so that one group commit covers them all, and sends their PUBACKs
 * only once that commit is on disk, in the order the deliveries arrived.
 */
const need = requirePrograms({ mosquitto: MOSQUITTO })
/** Mosquitto's default max_inflight_messages: it sends no more QoS 1 messages to a client before PUBACKs. */
const N = 20

describe.skipIf(need.skip)(`QoS 1 deliveries from an external broker in flight together${need.skip ? ` (skipped: ${need.reason})` : ''}`, () => {
  const cleanup: Array<() => Promise<unknown>> = []
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn()
  })

  it.each([
    ['3.1.1', 4],
    ['5', 5]
  ] as const)(`MQTT %s: ${N} measures are handed over before any PUBACK, and one commit acknowledges them all, in order`, async (_version, protocolVersion) => {
    const mosq: Mosquitto = await startMosquitto({ verbose: true })
    cleanup.push(() => mosq.stop())
    // The group commit waits for the test: no write before flush() below.
    const run: RunningEngine = await startEngine((c) => {
      c.mqtt = { mode: 'external', url: mosq.url, rejectUnauthorized: true, clientId: 'ulcc-window', keepalive: 60, protocolVersion }
      c.persistence = { ...c.persistence, flushIntervalMs: 600_000, commitDelayMs: 600_000 }
    })
    cleanup.push(() => run.dispose())
    await provisionSeed(run)
    const context = run.engine.contextBroker!
    // The entity writer of the embedded context broker; its flush() is the group commit.
    const writer = (context as unknown as { writer: { flush(): Promise<void> } }).writer
    const device = await connectAsync(mosq.url, { clientId: 'window-device', protocolVersion, reconnectPeriod: 0 })
    cleanup.push(() => device.endAsync(true))

    const measuresBefore = run.engine.southbound.stats().measures
    for (let i = 1; i <= N; i++) await device.publishAsync(`/${APIKEY}/${DEVICE_ID}/attrs`, `t|${i}`, { qos: 1 })
    await waitFor(() => run.engine.southbound.stats().measures === measuresBefore + N, `the ${N} measures at the agent`)
    const pubacks = (): number[] => [...mosq.log().matchAll(/Received PUBACK from ulcc-window_[0-9a-f]{8} \(Mid: (\d+)/g)].map((m) => Number(m[1]))
    // Mosquitto logs a connection's packets in the order it reads them: a PUBACK sent before the
    // engine's barrier publication would be logged before it.
    const barrier = `ulcc-barrier/${Date.now()}`
    await run.engine.broker.publish(barrier, '')
    await waitFor(() => mosq.log().includes(`'${barrier}'`), 'the barrier in the Mosquitto log')
    expect(pubacks()).toEqual([])

    const flushesBefore = context.stats().writer.flushes
    await writer.flush()
    expect(context.stats().writer.flushes).toBe(flushesBefore + 1)
    await waitFor(() => pubacks().length === N, `the ${N} PUBACKs`)
    const mids = pubacks()
    expect(mids).toEqual([...mids].sort((a, b) => a - b))
    expect(new Set(mids).size).toBe(N)
    expect(await entityKeyValues(run.ngsiUrl)).toMatchObject({ temperature: N })
  })

  it('deliveries whose commit comes after the connection dropped are never acknowledged, neither then nor in the next session', async () => {
    const mosq: Mosquitto = await startMosquitto({ verbose: true })
    cleanup.push(() => mosq.stop())
    const run: RunningEngine = await startEngine((c) => {
      c.mqtt = { mode: 'external', url: mosq.url, rejectUnauthorized: true, clientId: 'ulcc-window', keepalive: 60 }
      c.persistence = { ...c.persistence, flushIntervalMs: 600_000, commitDelayMs: 600_000 }
    })
    cleanup.push(() => run.dispose())
    await provisionSeed(run)
    const context = run.engine.contextBroker!
    const writer = (context as unknown as { writer: { flush(): Promise<void> } }).writer
    const topic = `/${APIKEY}/${DEVICE_ID}/attrs`
    const first = await connectAsync(mosq.url, { clientId: 'window-device', protocolVersion: 4, reconnectPeriod: 0 })
    for (let i = 1; i <= N; i++) await first.publishAsync(topic, `t|${i}`, { qos: 1 })
    await first.endAsync(true)
    await waitFor(() => run.engine.southbound.stats().measures === N, `the ${N} measures at the agent`)

    // The connection drops while all of them wait for the commit.
    await mosq.kill()
    await waitFor(() => !run.engine.broker.status().up, 'the outage in status')
    await writer.flush()
    // Their effects are on disk all the same; only the acknowledgement is withheld.
    expect(await entityKeyValues(run.ngsiUrl)).toMatchObject({ temperature: N })

    await mosq.restart()
    await waitFor(() => run.engine.broker.status().up, 'the reconnection', 15_000)
    const second = await connectAsync(mosq.url, { clientId: 'window-device-2', protocolVersion: 4, reconnectPeriod: 0 })
    cleanup.push(() => second.endAsync(true))
    await second.publishAsync(topic, 't|99', { qos: 1 })
    await waitFor(() => run.engine.southbound.stats().measures === N + 1, 'the measure of the new session')
    await writer.flush()
    // The helper keeps the log of both lives of Mosquitto: one PUBACK in all, that of the new
    // session's first message (a stale one would have been sent first, with another id).
    const pubacks = (): string[] => [...mosq.log().matchAll(/Received PUBACK from (ulcc-window_[0-9a-f]{8}) \(Mid: (\d+)/g)].map((m) => `${m[1]} ${m[2]}`)
    await waitFor(() => pubacks().length > 0, 'the PUBACK of the new session')
    const barrier = `ulcc-barrier/${Date.now()}`
    await run.engine.broker.publish(barrier, '')
    await waitFor(() => mosq.log().includes(`'${barrier}'`), 'the barrier in the Mosquitto log')
    const ids = [...mosq.log().matchAll(/New client connected from \S+ as (ulcc-window_[0-9a-f]{8})/g)].map((m) => m[1])
    expect(ids).toHaveLength(2)
    expect(pubacks()).toEqual([`${ids[1]} 1`])
    expect(await entityKeyValues(run.ngsiUrl)).toMatchObject({ temperature: 99 })
  })
})
