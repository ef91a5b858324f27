import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { connectAsync } from 'mqtt'
import { afterEach, describe, expect, it } from 'vitest'
import { createEngineApi, engineStatus } from '../../electron/engine/api'
import { toApiError } from '../../electron/engine/api/errors'
import { startEngine, startHostedEngine, type RunningEngine } from '../helpers/engine-harness'
import { waitFor } from '../helpers/wait-for'
import { connackCode } from '../helpers/connack'

/**
 * The settings page's management of the embedded broker's users and ACL (api/mqtt-auth.ts):
 * Mosquitto's files written by the engine, read again by the running broker without a restart,
 * and real MQTT clients let in or refused by what was written.
 */

async function apiError(p: Promise<unknown>): Promise<ReturnType<typeof toApiError>> {
  try {
    await p
  } catch (err) {
    return toApiError(err)
  }
  throw new Error('the request was not refused')
}

describe('mqttAuth requests', () => {
  let run: RunningEngine | undefined
  afterEach(async () => {
    await run?.dispose()
    run = undefined
  })

  it('a user set from the API connects without a restart, a deleted one is refused; other lines of the file stay', async () => {
    let pw = ''
    run = await startEngine((c) => {
      pw = join(c.dataDir, 'passwd')
      writeFileSync(pw, '# managed by hand too\n', { mode: 0o600 })
      c.mqtt = { mode: 'embedded', passwordFile: pw }
    })
    const api = createEngineApi(run.engine, { settings: { env: {} } })
    const url = run.mqttUrl
    try {
      expect(await connackCode(url, { username: 'sensor', password: 'pa:ss word' })).toBe(5)
      expect(await api['mqttAuth.setUser']({ username: 'sensor', password: 'pa:ss word' })).toEqual({ file: pw, created: true, restartRequired: false })
      await waitFor(async () => (await connackCode(url, { username: 'sensor', password: 'pa:ss word' })) === 0, 'the new user connects')
      expect(await connackCode(url, { username: 'sensor', password: 'other' })).toBe(5)

      // Changing the password: the old one is refused once the file is read again.
      expect((await api['mqttAuth.setUser']({ username: 'sensor', password: 'second' })).created).toBe(false)
      await waitFor(async () => (await connackCode(url, { username: 'sensor', password: 'second' })) === 0, 'the new password works')
      expect(await connackCode(url, { username: 'sensor', password: 'pa:ss word' })).toBe(5)

      await api['mqttAuth.setUser']({ username: 'gateway', password: 'g' })
      const got = await api['mqttAuth.get']({})
      expect(got).toMatchObject({ embedded: true, passwordFile: pw, users: ['sensor', 'gateway'], restartRequired: { passwordFile: false, aclFile: false }, problems: [] })
      // Names only: no hash leaves the engine.
      expect(JSON.stringify(got)).not.toContain('$7$')

      await api['mqttAuth.deleteUser']({ username: 'sensor' })
      await waitFor(async () => (await connackCode(url, { username: 'sensor', password: 'second' })) === 5, 'the deleted user is refused')
      expect(await connackCode(url, { username: 'gateway', password: 'g' })).toBe(0)
      expect(readFileSync(pw, 'utf8').startsWith('# managed by hand too\ngateway:$7$101$')).toBe(true)
      expect(engineStatus(run.engine).mqtt.auth?.passwordFile?.users).toBe(1)

      expect(await apiError(api['mqttAuth.deleteUser']({ username: 'sensor' }))).toMatchObject({ name: 'NOT_FOUND', status: 404 })
      expect(await apiError(api['mqttAuth.setUser']({ username: 'a:b', password: 'x' }))).toMatchObject({ name: 'BAD_REQUEST', status: 400, message: expect.stringContaining('":"') })
      expect(await apiError(api['mqttAuth.setUser']({ username: 'a\nb', password: 'x' }))).toMatchObject({ name: 'BAD_REQUEST' })
    } finally {
      api.close()
    }
  })

  it('an ACL saved from the API is applied at once; an ACL with errors is refused naming its line and the rules in force stay', async () => {
    let pw = ''
    let aclFile = ''
    run = await startEngine((c) => {
      pw = join(c.dataDir, 'passwd')
      aclFile = join(c.dataDir, 'acl')
      writeFileSync(pw, '', { mode: 0o600 })
      writeFileSync(aclFile, 'user dev\ntopic write /allowed/#\n')
      c.mqtt = { mode: 'embedded', passwordFile: pw, aclFile }
    })
    const api = createEngineApi(run.engine, { settings: { env: {} } })
    try {
      await api['mqttAuth.setUser']({ username: 'dev', password: 'd' })
      await waitFor(async () => (await connackCode(run!.mqttUrl, { username: 'dev', password: 'd' })) === 0, 'dev connects')
      const c = await connectAsync(run.mqttUrl, { reconnectPeriod: 0, protocolVersion: 4, username: 'dev', password: 'd' })
      const received: string[] = []
      c.on('message', (topic) => received.push(topic))
      try {
        // Subscriptions pass; deliveries are filtered by the ACL's read rights.
        await c.subscribeAsync('/watch/#')
        const check = await api['mqttAuth.checkAcl']({ text: 'user dev\ntopic readwrite /watch/#\ntopic what /x\n' })
        expect(check.problems).toEqual([{ line: 3, message: 'invalid access "what" (read, write, readwrite or deny)' }])
        const bad = await apiError(api['mqttAuth.setAcl']({ text: 'user dev\ntopic readwrite /watch/#\ntopic what /x\n' }))
        expect(bad).toMatchObject({ name: 'BAD_REQUEST', status: 400 })
        expect(bad.message).toContain('line 3: invalid access "what"')
        expect(readFileSync(aclFile, 'utf8')).toBe('user dev\ntopic write /allowed/#\n')

        const saved = await api['mqttAuth.setAcl']({ text: 'user dev\ntopic write /allowed/#\ntopic read /watch/#' })
        expect(saved).toMatchObject({ file: aclFile, lines: 2, problems: [], restartRequired: false })
        await waitFor(() => (engineStatus(run!.engine).mqtt.auth?.aclFile?.lines === 2 ? true : undefined), 'the ACL read again')
        await run.engine.broker.publish('/watch/a', Buffer.from('1'), { qos: 0, retain: false })
        await waitFor(() => (received.includes('/watch/a') ? true : undefined), 'the delivery the new ACL allows')
        expect((await api['mqttAuth.get']({})).aclText).toBe('user dev\ntopic write /allowed/#\ntopic read /watch/#\n')
      } finally {
        await c.endAsync(true)
      }
    } finally {
      api.close()
    }
  })

  it('without files set, the first user creates the password file in the data directory and saves its path for the next start', async () => {
    const hosted = await startHostedEngine()
    run = hosted
    const api = hosted.host.api
    const r = await api['mqttAuth.setUser']({ username: 'first', password: 'one' })
    expect(r).toEqual({ file: join(hosted.dataDir, 'mosquitto', 'passwd'), created: true, restartRequired: true })
    const settings = await api['settings.get']({})
    expect(settings.pending).toContain('mqtt.passwordFile')
    expect(await api['mqttAuth.get']({})).toMatchObject({ passwordFile: r.file, users: ['first'], restartRequired: { passwordFile: true } })
    // Until the restart, the broker runs as before: no password file, anonymous clients on loopback.
    expect(await connackCode(hosted.mqttUrl)).toBe(0)
    await hosted.host.restart()
    const url = `mqtt://127.0.0.1:${hosted.host.engine.endpoints().find((e) => e.name === 'MQTT broker (TCP)')!.addresses[0]!.port}`
    expect(await connackCode(url, { username: 'first', password: 'one' })).toBe(0)
    expect(await connackCode(url)).toBe(5)
    expect(await api['mqttAuth.get']({})).toMatchObject({ restartRequired: { passwordFile: false } })
  })
})
