import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ClassroomGridDto, ClassroomGridRowDto, ClassroomJoinAnswer } from '../../shared/classroom'
import type { Lesson, LessonContextDto } from '../../shared/lessons'
import { siteFixture, startGuiServer, upgradeStatus, WsTestClient, type RunningGui } from '../helpers/gui-server'

/**
 * Classroom mode as the GUI server serves it (docs/classroom.md): joining with the class's code,
 * each trainee's own tenant and API key, what a trainee's page may not do, the trainer's grid.
 */

const CODE = 'sala42turma'
let site: ReturnType<typeof siteFixture>
let gui: RunningGui

async function join(body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }): Promise<{ status: number; answer: ClassroomJoinAnswer }> {
  const res = await fetch(`${gui.origin}/classroom/join`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) })
  return { status: res.status, answer: (await res.json()) as ClassroomJoinAnswer }
}

async function joined(name: string): Promise<{ token: string; service: string; apikey: string }> {
  const { status, answer } = await join({ code: CODE, name })
  expect(status).toBe(200)
  if (!answer.ok) throw new Error(answer.error.message)
  return { token: answer.token, service: answer.trainee.service, apikey: answer.trainee.apikey }
}

const traineeWs = (token: string): string => `${gui.origin.replace(/^http/, 'ws')}/ws?trainee=${token}`

function north(method: string, path: string, service: string, body?: unknown): Promise<Response> {
  // The engine of the moment: a restart gives it new ephemeral ports.
  const base = gui.engine.host.engine.endpoints().find((e) => e.role === 'iota-north')!.urls[0]!
  return fetch(`${base}${path}`, {
    method,
    headers: { 'fiware-service': service, 'fiware-servicepath': '/', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  })
}

const groupBody = (apikey: string) => ({ services: [{ apikey, cbroker: 'http://orion:1026', entity_type: 'Device', resource: '' }] })

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const v = await probe()
    if (v !== undefined) return v
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

beforeAll(async () => {
  site = siteFixture()
  gui = await startGuiServer(undefined, { root: site.root, classroom: { code: CODE } })
})

afterAll(async () => {
  await gui?.stop()
  site?.cleanup()
})

describe('joining the class', () => {
  it('refuses a wrong code, a body that is not the join JSON, and a second trainee of the same name', async () => {
    expect(await join({ code: 'nope12', name: 'Eve' })).toMatchObject({ status: 403, answer: { ok: false, error: { name: 'WRONG_CODE' } } })
    expect(await join('{not json')).toMatchObject({ status: 400, answer: { ok: false, error: { name: 'BAD_REQUEST' } } })
    expect(await join({ code: CODE, name: 'Eve' }, { 'content-type': 'text/plain' })).toMatchObject({ status: 400 })
    expect(await join({ code: CODE, name: '   ' })).toMatchObject({ status: 400, answer: { ok: false, error: { name: 'BAD_REQUEST' } } })
    expect(await join({ code: CODE, name: 'x'.repeat(41) })).toMatchObject({ status: 400 })
    await joined('Zoë Souza')
    expect(await join({ code: CODE, name: ' zoë   souza ' })).toMatchObject({ status: 409, answer: { ok: false, error: { name: 'NAME_TAKEN' } } })
    // A page of another site may not fill the class.
    expect(await join({ code: CODE, name: 'Mallory' }, { 'content-type': 'application/json', origin: 'http://evil.example' })).toMatchObject({ status: 400 })
  })

  it('derives the tenant and the API key from the name, and keeps the tutorial tenants for the trainer', async () => {
    const maria = await joined('Maria José')
    expect(maria).toMatchObject({ service: 'maria_jose', apikey: 'maria_jose_key' })
    const openiot = await joined('OpenIoT')
    expect(openiot.service).toBe('openiot_2')
  })

  it('lets only known trainee tokens in', async () => {
    const ws = traineeWs('ab'.repeat(32))
    expect(await upgradeStatus(ws)).toBe(401)
    expect((await fetch(`${gui.origin}/ws?trainee=${'ab'.repeat(32)}`)).status).toBe(401)
    const ana = await joined('Ana')
    expect((await fetch(`${gui.origin}/ws?trainee=${ana.token}`)).status).toBe(426)
    expect(await upgradeStatus(traineeWs(ana.token))).toBe(101)
  })
})

describe("a trainee's page", () => {
  it('sees its own tenant only, and none of the engine-wide views', async () => {
    const bia = await joined('Bia')
    const caio = await joined('Caio')
    const page = await WsTestClient.connect(traineeWs(bia.token))
    try {
      const me = await page.request('classroom.whoami', {})
      expect(me.result).toMatchObject({ role: 'trainee', trainee: { name: 'Bia', service: 'bia', apikey: 'bia_key' } })

      expect((await north('POST', '/iot/services', caio.service, groupBody(caio.apikey))).status).toBe(201)
      const own = await page.request('groups.list', { scope: { service: 'bia', servicePath: '/' } })
      expect(own.ok).toBe(true)
      expect(await page.request('history.list', { scope: { service: 'bia', servicePath: '/' } })).toMatchObject({ ok: true, result: { series: [], truncated: false } })
      const other = await page.request('groups.list', { scope: { service: caio.service, servicePath: '/' } })
      expect(other).toMatchObject({ ok: false, error: { name: 'FORBIDDEN', status: 403 } })
      for (const [name, args] of [
        ['entities.list', { scope: { service: caio.service, servicePath: '/' } }],
        ['history.list', { scope: { service: caio.service, servicePath: '/' } }],
        ['inspector.messages', {}],
        ['trace.recent', {}],
        ['settings.get', {}],
        ['logs.recent', {}],
        ['classroom.grid', {}],
        ['mqtt.publish', { topic: `/ul/${caio.apikey}/device001/attrs`, payload: 't|1', qos: 0, retain: false }],
        ['simulator.startSeed', { apikey: caio.apikey, deviceId: 'device001', intervalSec: 5, switchedOn: false }]
      ] as const) {
        expect(await page.request(name, args), name).toMatchObject({ ok: false, error: { name: 'FORBIDDEN' } })
      }
      expect(await page.stream('subscribe', 'inspector')).toMatchObject({ ok: false, error: { name: 'FORBIDDEN' } })
      expect(await page.stream('subscribe', 'logs')).toMatchObject({ ok: false, error: { name: 'FORBIDDEN' } })
      expect(await page.stream('subscribe', 'provisioning')).toMatchObject({ ok: true })

      // Provisioning events of another tenant do not reach the page; its own do.
      expect((await north('POST', '/iot/devices', caio.service, { devices: [{ device_id: 'd1', protocol: 'PDI-IoTA-UltraLight', transport: 'MQTT' }] })).status).toBe(201)
      expect((await north('POST', '/iot/devices', 'bia', { devices: [{ device_id: 'd2', protocol: 'PDI-IoTA-UltraLight', transport: 'MQTT' }] })).status).toBe(201)
      const event = await page.next((m) => m.type === 'event' && m.event === 'provisioning')
      expect(event.payload).toEqual([expect.objectContaining({ service: 'bia', id: 'd2' })])
      expect(page.received.filter((m) => m.event === 'provisioning').flatMap((m) => m.payload as Array<{ service: string }>).every((p) => p.service === 'bia')).toBe(true)
    } finally {
      await page.close()
    }
  })

  it("does a step with show me, untenanted requests included, in its own lessons only", async () => {
    const hugo = await joined('Hugo')
    const iris = await joined('Iris')
    const pages = [await WsTestClient.connect(traineeWs(hugo.token)), await WsTestClient.connect(traineeWs(iris.token))]
    try {
      for (const p of pages) expect((await p.request('lessons.get', { id: 'orion-intro' })).ok).toBe(true)
      const shown = await pages[0]!.request('lessons.showMe', { id: 'orion-intro', stepId: 'orion-health' })
      expect(shown.ok).toBe(true)
      const done = async (p: WsTestClient): Promise<number | undefined> =>
        ((await p.request('lessons.list', {})).result as { lessons: Array<{ id: string; done: number }> }).lessons.find((l) => l.id === 'orion-intro')?.done
      await waitFor("Hugo's health step", async () => ((await done(pages[0]!)) === 1 ? true : undefined))
      // Both pages come from 127.0.0.1: the engine's GET /version is nobody's but Hugo's, through his show me.
      expect(await done(pages[1]!)).toBe(0)
      // The store Hugo creates by show me is in his tenant, not in the default one nor Iris's.
      expect((await pages[0]!.request('lessons.showMe', { id: 'orion-intro', stepId: 'create-store-1' })).ok).toBe(true)
      const ngsi = gui.engine.host.engine.endpoints().find((e) => e.role === 'ngsi')!.urls[0]!
      const storeIn = async (service: string | undefined): Promise<number> =>
        (await fetch(`${ngsi}/v2/entities?type=Store`, { headers: service ? { 'fiware-service': service } : {} }).then((r) => r.json() as Promise<unknown[]>)).length
      expect(await storeIn('hugo')).toBe(1)
      expect(await storeIn(undefined)).toBe(0)
      expect(await storeIn('iris')).toBe(0)
    } finally {
      for (const p of pages) await p.close()
    }
  })

  it('gets the lessons in its own tenant, with its own API key', async () => {
    const dani = await joined('Dani')
    const page = await WsTestClient.connect(traineeWs(dani.token))
    try {
      const got = await page.request('lessons.get', { id: 'iot-agent-ul-mqtt' })
      const { lesson, context } = got.result as { lesson: Lesson; context: LessonContextDto }
      expect(lesson.service).toBe('dani')
      expect(context.placeholders.service).toBe('dani')
      // The commands use the host the page reached the server by, not localhost.
      expect(context.placeholders.ngsi).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(context.placeholders.mqttHost).toBe('127.0.0.1')
      const text = JSON.stringify(lesson)
      expect(text).not.toContain('4jggokgpepnvsb2uv4s40d59ov')
      expect(text).not.toMatch(/\bopeniot\b/)
      expect(lesson.steps.find((s) => s.id === 'service-group')?.check).toMatchObject({ kind: 'group', apikey: 'dani_key' })
      expect(lesson.steps.find((s) => s.id === 'first-measure')?.ways.mqtt).toContain('ul/dani_key/device001/attrs')
      // A default-tenant lesson gets the tenant headers in its curl commands.
      const crud = (await page.request('lessons.get', { id: 'crud' })).result as { lesson: Lesson }
      expect(crud.lesson.steps[0]!.ways.curl).toContain("-H 'fiware-service: {service}'")
    } finally {
      await page.close()
    }
  })
})

describe("the trainer's grid", () => {
  it('shows each trainee turning a step done, live, and the last problem', async () => {
    const trainer = await WsTestClient.connect(gui.wsUrl)
    const eli = await joined('Eli')
    const fabi = await joined('Fabi')
    const pages = [await WsTestClient.connect(traineeWs(eli.token)), await WsTestClient.connect(traineeWs(fabi.token))]
    try {
      const whoami = await trainer.request('classroom.whoami', {})
      expect(whoami.result).toMatchObject({ role: 'trainer', joinCode: CODE })
      expect((await trainer.stream('subscribe', 'classroom')).ok).toBe(true)
      for (const p of pages) expect((await p.request('lessons.get', { id: 'iot-agent-ul-mqtt' })).ok).toBe(true)

      // Both create the tutorial's group with their own key: no DUPLICATE_GROUP between them.
      expect((await north('POST', '/iot/services', eli.service, groupBody(eli.apikey))).status).toBe(201)
      expect((await north('POST', '/iot/services', fabi.service, groupBody(fabi.apikey))).status).toBe(201)
      // Fabi sends it again: 409, her last problem.
      expect((await north('POST', '/iot/services', fabi.service, groupBody(fabi.apikey))).status).toBe(409)

      const rowOf = async (name: string): Promise<ClassroomGridRowDto | undefined> => {
        const grid = (await trainer.request('classroom.grid', {})).result as ClassroomGridDto
        return grid.rows.find((r) => r.trainee.name === name)
      }
      const stepIndex = ((await trainer.request('classroom.grid', {})).result as ClassroomGridDto).lessons.find((l) => l.id === 'iot-agent-ul-mqtt')!.steps.findIndex((s) => s.id === 'service-group')
      const eliRow = await waitFor('Eli\'s group step', async () => ((await rowOf('Eli'))?.steps['iot-agent-ul-mqtt']?.[stepIndex] === 'done' ? rowOf('Eli') : undefined))
      expect(eliRow.connected).toBe(1)
      const fabiRow = await waitFor("Fabi's problem", async () => {
        const r = await rowOf('Fabi')
        return r?.lastProblem?.text.includes('409') ? r : undefined
      })
      expect(fabiRow.steps['iot-agent-ul-mqtt']?.[stepIndex]).toBe('done')
      expect(fabiRow.lastProblem?.text).toContain('DUPLICATE_GROUP')
      // The same rows came live on the trainer's stream.
      const live = await trainer.next((m) => m.event === 'classroom' && (m.payload as ClassroomGridRowDto[]).some((r) => r.trainee.name === 'Fabi' && r.lastProblem !== undefined))
      expect(live.type).toBe('event')
      // Another trainee's progress is untouched.
      expect((await rowOf('Bia'))?.steps['iot-agent-ul-mqtt']?.[stepIndex]).toBe('todo')
    } finally {
      for (const p of pages) await p.close()
      await trainer.close()
    }
  })

  it('keeps the class across an engine restart: the trainee token still works, the progress too', async () => {
    const gabi = await joined('Gabi')
    const page = await WsTestClient.connect(traineeWs(gabi.token))
    expect((await page.request('lessons.get', { id: 'iot-agent-ul-mqtt' })).ok).toBe(true)
    expect((await north('POST', '/iot/services', gabi.service, groupBody(gabi.apikey))).status).toBe(201)
    await waitFor('the step done', async () => {
      const p = (await page.request('lessons.list', {})).result as { lessons: Array<{ id: string; done: number }> }
      return p.lessons.find((l) => l.id === 'iot-agent-ul-mqtt')?.done === 1 ? true : undefined
    })
    const trainer = await WsTestClient.connect(gui.wsUrl)
    try {
      const restarted = page.closed
      expect((await trainer.request('engine.restart', {})).result).toMatchObject({ restarted: true })
      // The page is told the engine restarts, and connects again with its token.
      expect((await restarted).code).toBe(1012)
      const again = await WsTestClient.connect(traineeWs(gabi.token))
      const list = (await again.request('lessons.list', {})).result as { lessons: Array<{ id: string; done: number }> }
      expect(list.lessons.find((l) => l.id === 'iot-agent-ul-mqtt')?.done).toBe(1)
      await again.close()
    } finally {
      await trainer.close()
    }
  })
})
