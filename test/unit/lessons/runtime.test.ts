import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { EntityDto } from '../../../shared/contract'
import type { LessonProgressDto } from '../../../shared/lessons'
import type { AgentOutcome } from '../../../electron/engine/agent/southbound'
import { LessonsRuntime } from '../../../electron/engine/lessons/runtime'
import type { TenantContext } from '../../../electron/engine/lessons/tenant-context'
import { Logger } from '../../../electron/engine/log/logger'
import { errorName, RequestObservers } from '../../../electron/engine/north/request-observer'
import { tempDir } from '../../helpers/temp-dir'
import { waitFor } from '../../helpers/wait-for'

const LESSONS_DIR = join(__dirname, '../../../resources/lessons')
const LESSON = 'iot-agent-ul-mqtt'
const DEVICE = {
  device_id: 'device001',
  entity_name: 'urn:ngsi-ld:Device:001',
  entity_type: 'Device',
  service: 'openiot',
  service_path: '/',
  attributes: [{ object_id: 't', name: 'temperature', type: 'Number' }],
  lazy: [],
  static_attributes: [],
  commands: []
}

/** The runtime alone, on the shipped lessons, with a registry and a context broker that only count what is asked of them. */
async function runtime(entities: EntityDto[] = [], dirs: string[] = [LESSONS_DIR]) {
  const dir = tempDir('ulcc-lessons-')
  const reads = { entities: 0 }
  const context: TenantContext = {
    mode: 'embedded',
    entities: async () => {
      reads.entities++
      return entities
    },
    registrations: async () => [],
    subscriptions: async () => [],
    clear: async () => ({ entities: 0, registrations: 0, subscriptions: 0 }),
    onChange: () => () => {}
  }
  const requests = new RequestObservers()
  const lessons = await LessonsRuntime.open({
    dataDir: dir.path,
    dirs,
    registry: { onChange: () => () => {}, groupsOf: () => [], devicesOf: (service) => (service === 'openiot' ? [DEVICE] : []) },
    context,
    commands: { onEvent: () => () => {} },
    requests,
    logger: new Logger('ERROR', 10, []).child('lessons')
  })
  const seen: LessonProgressDto[] = []
  lessons.onProgress((p) => seen.push(p))
  return { lessons, reads, requests, seen, dir }
}

const measure = (over: Partial<AgentOutcome> = {}): AgentOutcome => ({ kind: 'attrs', apikey: 'k', deviceId: 'device001', entityId: 'urn:ngsi-ld:Device:001', ...over })

describe('lessons runtime', () => {
  const cleanups: Array<() => Promise<void> | void> = []
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c()
  })

  it('watches nothing before a lesson is opened', async () => {
    const r = await runtime()
    cleanups.push(() => r.lessons.close(), r.dir.cleanup)
    expect(r.requests.active).toBe(false)
    r.lessons.open(LESSON)
    expect(r.requests.active).toBe(true)
  })

  it('a flood of measures costs a bounded number of evaluations', async () => {
    // A lesson of one measure-interval step, written for this test.
    const own = tempDir('ulcc-lesson-files-')
    cleanups.push(own.cleanup)
    writeFileSync(
      join(own.path, 'rhythm.yaml'),
      [
        'format: 1',
        'id: rhythm',
        'order: 1',
        'service: openiot',
        'servicePath: /',
        'title: { en: Rhythm, pt-BR: Ritmo }',
        'summary: { en: Measures come often., pt-BR: As medidas chegam com frequência. }',
        'steps:',
        '  - id: fast',
        '    goal: { en: Send fast, pt-BR: Envie rápido }',
        '    explain: { en: Two measures close together., pt-BR: Duas medidas próximas. }',
        '    ways: { mqtt: "mosquitto_pub -t ul/k/device001/attrs -m t|1" }',
        '    check: { kind: measure-interval, device_id: device001, atMostSeconds: 2.5 }'
      ].join('\n')
    )
    const r = await runtime([], [own.path])
    cleanups.push(() => r.lessons.close(), r.dir.cleanup)
    r.lessons.open('rhythm')
    const t0 = Date.now()
    for (let i = 0; i < 5000; i++) r.lessons.observeMessage(measure(), 'ul/k/device001/attrs', t0 + i)
    const step = await waitFor(() => r.seen.at(-1)?.steps.find((s) => s.stepId === 'fast' && s.state === 'done'), 'the measure-interval step done')
    expect(step.evidence?.data).toMatchObject({ seconds: 0.001 })
    // One evaluation for the opening, one for the flood (maybe one more if the flood straddled a period).
    expect(r.reads.entities).toBeLessThanOrEqual(3)
  })

  it('rejected messages light the hints of steps not done, once each', async () => {
    const r = await runtime()
    cleanups.push(() => r.lessons.close(), r.dir.cleanup)
    r.lessons.open(LESSON)
    for (let i = 0; i < 1000; i++) r.lessons.observeMessage(measure({ error: 'NO_GROUP', apikey: 'wrong' }), 'ul/wrong/device001/attrs')
    const hints = await waitFor(() => r.seen.at(-1)?.steps.find((s) => s.stepId === 'first-measure' && s.hints.length === 2)?.hints, 'the two hints of first-measure')
    expect(hints.map((h) => h.index)).toEqual([0, 1])
    expect(hints[0]!.observed).toBe('ul/wrong/device001/attrs: rejected (NO_GROUP)')
  })

  it('reads the error name of FIWARE error answers', () => {
    expect(errorName('{"error":"NotFound","description":"x"}')).toBe('NotFound')
    expect(errorName(Buffer.from('{"name":"DUPLICATE_GROUP","message":"x"}'))).toBe('DUPLICATE_GROUP')
    expect(errorName('not json')).toBeUndefined()
    expect(errorName(undefined)).toBeUndefined()
  })
})
