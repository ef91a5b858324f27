import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { EmbeddedContextBroker } from '../../electron/engine/context/embedded/broker'
import { silentLogger } from '../../electron/engine/log/logger'
import { tempDir } from '../helpers/temp-dir'
import { waitFor } from '../helpers/wait-for'
import { PERSISTENCE, rawRequest, startNgsi, type NgsiServer } from '../unit/ngsi/support/ngsi-server'

/** entities.db / registrations.db: restart, coalescing, and acknowledged writes surviving kill -9. */

const cleanups: Array<() => unknown> = []

afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

async function fill(s: NgsiServer): Promise<void> {
  const ok = async (method: string, path: string, body: unknown, headers: Record<string, string> = {}) => {
    const r = await s.req(method, path, { body, headers })
    expect(r.status, `${method} ${path}: ${r.text}`).toBeLessThan(300)
  }
  await ok('POST', '/v2/entities', {
    id: 'urn:ngsi-ld:Store:001',
    type: 'Store',
    address: { type: 'PostalAddress', value: { streetAddress: 'Avenida Maria Servidei Demarchi, 398', addressLocality: 'São Bernardo do Campo' }, metadata: { verified: { value: true, type: 'Boolean' } } },
    location: { type: 'geo:json', value: { type: 'Point', coordinates: [-46.55250126146248, -23.726831522796758] } },
    name: { type: 'Text', value: 'Carrefour' }
  })
  await ok('POST', '/v2/op/update', { actionType: 'append', entities: [{ id: 'P1', type: 'Product', '1': { value: 'one' }, price: { type: 'Integer', value: 99 } }, { id: 'P2', type: 'Product' }] })
  await ok('PATCH', '/v2/entities/P1/attrs', { price: { type: 'Integer', value: 70, metadata: { TimeInstant: { type: 'DateTime', value: '2024-01-01T10:00:00+01:00' } } } })
  await ok('POST', '/v2/entities', { id: 'D1', type: 'Device', t: { type: 'Number', value: 1.5 } }, { 'Fiware-Service': 'openiot', 'Fiware-ServicePath': '/a/b' })
  await ok('POST', '/v2/entities', { id: 'D1', type: 'Device', t: { type: 'Number', value: 2.5 } }, { 'Fiware-Service': 'openiot', 'Fiware-ServicePath': '/' })
  await ok('DELETE', '/v2/entities/P2', undefined)
  await ok('POST', '/v2/registrations', { dataProvided: { entities: [{ id: 'D1', type: 'Device' }], attrs: ['switch'] }, provider: { http: { url: 'http://127.0.0.1:1/' } } }, { 'Fiware-Service': 'openiot' })
}

async function snapshot(s: NgsiServer): Promise<string[]> {
  const out: string[] = []
  const tenants: Array<Record<string, string>> = [{}, { 'Fiware-Service': 'openiot' }]
  for (const headers of tenants) {
    out.push((await s.req('GET', '/v2/entities?attrs=*,dateCreated,dateModified,servicePath&metadata=*,dateCreated,dateModified&options=skipForwarding,count', { headers })).text)
    out.push((await s.req('GET', '/v2/registrations', { headers })).text)
  }
  return out
}

describe('persistence', () => {
  it('reopens the same data directory with identical data', async () => {
    const first = await startNgsi()
    cleanups.push(() => first.close())
    await fill(first)
    const before = await snapshot(first)
    expect(before[0]).toContain('"price":{"type":"Integer","value":70,"metadata":{"TimeInstant":{"type":"DateTime","value":"2024-01-01T09:00:00.000Z"}')
    await first.close(false)
    expect(existsSync(join(first.dataDir, 'entities.db'))).toBe(true)
    expect(existsSync(join(first.dataDir, 'registrations.db'))).toBe(true)
    // Cleanups run last-in first-out: the directory goes after both instances are closed.
    cleanups.unshift(() => rmSync(first.dataDir, { recursive: true, force: true }))
    const second = await startNgsi({ dataDir: first.dataDir })
    cleanups.push(() => second.close())
    expect(await snapshot(second)).toEqual(before)
    // New entities keep coming after the restored ones (creation order survives the restart).
    await second.req('POST', '/v2/entities', { body: { id: 'Z', type: 'Product' } })
    const ids = (await second.req('GET', '/v2/entities?type=Product&attrs=__NONE')).json().map((e: { id: string }) => e.id)
    expect(ids).toEqual(['P1', 'Z'])
  })

  it('writes many updates of one entity between flushes once', async () => {
    const dir = tempDir('ulcc-ngsi-coalesce-')
    cleanups.push(() => dir.cleanup())
    const broker = await EmbeddedContextBroker.open({ dataDir: dir.path, persistence: PERSISTENCE, logger: silentLogger() })
    cleanups.push(() => broker.close())
    const scope = { service: 'openiot', servicePath: '/' }
    for (let i = 0; i < 500; i++) broker.upsertSync(scope, [{ id: 'D', type: 'Device', attrs: { n: { type: 'Number', value: i } } }])
    await broker.durable()
    expect(broker.stats().writer).toMatchObject({ flushes: 1, recordsWritten: 1, pending: 0 })
    await broker.close()
    const reopened = await EmbeddedContextBroker.open({ dataDir: dir.path, persistence: PERSISTENCE, logger: silentLogger() })
    cleanups.push(() => reopened.close())
    expect((await reopened.getEntity({ service: 'openiot', servicePaths: [] }, { id: 'D' })).attrs[0]!.value).toBe(499)
  })

  it('keeps every acknowledged write after a kill -9 right after the answer', async () => {
    const dir = tempDir('ulcc-ngsi-kill-')
    cleanups.push(() => dir.cleanup())
    const root = resolve('.')
    const script = join(dir.path, 'child.mts')
    const mod = (p: string) => JSON.stringify(pathToFileURL(join(root, p)).href)
    // A flush interval far longer than the test: only the group commit of each answer writes.
    writeFileSync(
      script,
      `import { EmbeddedContextBroker } from ${mod('electron/engine/context/embedded/broker.ts')}
import { createNgsiApp } from ${mod('electron/engine/north/ngsi/app.ts')}
import { serveHttp } from ${mod('electron/engine/north/http-service.ts')}
import { silentLogger } from ${mod('electron/engine/log/logger.ts')}
const logger = silentLogger()
const broker = await EmbeddedContextBroker.open({ dataDir: process.argv[2], persistence: { flushIntervalMs: 600000, commitDelayMs: 5, compactionIntervalMs: 600000 }, logger })
const svc = await serveHttp(createNgsiApp({ broker, logger }), ['127.0.0.1'], 0, 'ngsi')
process.stdout.write(JSON.stringify({ port: svc.bound[0].port }) + '\\n')
`
    )
    const dataDir = join(dir.path, 'data')
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script, dataDir], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    cleanups.push(async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await exited
    })
    let out = ''
    let err = ''
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()))
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()))
    const port = await waitFor(() => (/"port":(\d+)/.exec(out)?.[1] ? Number(/"port":(\d+)/.exec(out)![1]) : undefined), `the child broker (${err})`, 20_000)
    const base = `http://127.0.0.1:${port}`
    const iot = { 'Fiware-Service': 'openiot', 'Fiware-ServicePath': '/' }

    expect((await rawRequest(base, 'POST', '/v2/entities', { body: { id: 'E1', type: 'T', a: { value: 1 } } })).status).toBe(201)
    expect((await rawRequest(base, 'PATCH', '/v2/entities/E1/attrs', { body: { a: { value: 2 } } })).status).toBe(204)
    expect((await rawRequest(base, 'POST', '/v2/op/update', { headers: iot, body: { actionType: 'append', entities: [{ id: 'E2', type: 'T', b: { value: 'x' } }] } })).status).toBe(204)
    const reg = await rawRequest(base, 'POST', '/v2/registrations', { headers: iot, body: { dataProvided: { entities: [{ id: 'E2' }] }, provider: { http: { url: 'http://127.0.0.1:1' } } } })
    expect(reg.status).toBe(201)
    expect((await rawRequest(base, 'DELETE', '/v2/entities/E1/attrs/a')).status).toBe(204)
    expect((await rawRequest(base, 'POST', '/v2/entities/E1/attrs', { body: { c: { value: true } } })).status).toBe(204)
    child.kill('SIGKILL')
    await exited
    expect(child.signalCode).toBe('SIGKILL')

    const broker = await EmbeddedContextBroker.open({ dataDir, persistence: PERSISTENCE, logger: silentLogger() })
    cleanups.push(() => broker.close())
    const e1 = await broker.getEntity({ service: '', servicePaths: [] }, { id: 'E1' })
    expect(e1.attrs.map((a) => [a.name, a.value])).toEqual([['c', true]])
    const e2 = await broker.getEntity({ service: 'openiot', servicePaths: ['/'] }, { id: 'E2' }, { skipForwarding: true })
    expect(e2.attrs.map((a) => [a.name, a.value])).toEqual([['b', 'x']])
    const regId = String(reg.headers.location).split('/').pop()!
    expect(broker.getRegistration({ service: 'openiot' }, regId).id).toBe(regId)
  })
})
