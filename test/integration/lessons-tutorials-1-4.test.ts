import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startLessonsEngine, type LessonsEngine } from '../helpers/lessons-engine'
import { waitFor } from '../helpers/wait-for'

/**
 * The lessons of tutorials 1–4 (resources/lessons/01-… to 04-…), each done by its own "show me"
 * steps in order on a fresh engine: every file loads without errors, and every step turns done,
 * in the order of the lesson.
 */

/** What the context broker answers to some "show me" requests: the explanations of these steps say so. */
const ANSWERS: Record<string, unknown> = {
  'orion-intro/query-stores': [
    expect.objectContaining({ id: 'urn:ngsi-ld:Store:001', name: 'Carrefour' }),
    expect.objectContaining({ id: 'urn:ngsi-ld:Store:002', name: 'Bem Barato' })
  ],
  'orion-intro/read-store': expect.objectContaining({ location: { type: 'Point', coordinates: [-46.552501261, -23.726831523] } }),
  'entities-relationships/follow-relationships': [['urn:ngsi-ld:Store:001']],
  'crud/read-product': { id: 'urn:ngsi-ld:Product:010', type: 'Product', name: 'Lemonade', price: 99 },
  // context-provider:5000 is routed to the built-in provider: its random readings follow the local attributes.
  'context-providers/read-store': {
    id: 'urn:ngsi-ld:Store:001',
    type: 'Store',
    address: expect.objectContaining({ addressLocality: 'São Bernardo do Campo' }),
    location: expect.objectContaining({ type: 'Point' }),
    name: 'Carrefour',
    relativeHumidity: expect.any(Number),
    temperature: expect.any(Number)
  }
}

const LESSONS: Array<{ id: string; order: number; steps: string[] }> = [
  { id: 'orion-intro', order: 1, steps: ['orion-health', 'create-store-1', 'create-store-2', 'query-stores', 'read-store'] },
  {
    id: 'entities-relationships',
    order: 2,
    steps: ['prepare-stores', 'create-shelves', 'create-products', 'create-relationships', 'inventory-item', 'follow-relationships']
  },
  {
    id: 'crud',
    order: 3,
    steps: ['create-product', 'add-attribute', 'batch-create', 'read-product', 'update-price', 'update-and-add', 'delete-attribute', 'delete-product']
  },
  { id: 'context-providers', order: 4, steps: ['create-store', 'register-provider', 'read-store', 'list-registrations'] }
]

describe.each(LESSONS)('lesson $id, done step by step with "show me"', ({ id, order, steps }) => {
  let run: LessonsEngine

  beforeEach(async () => {
    run = await startLessonsEngine()
  })
  afterEach(async () => {
    await run?.dispose()
  })

  const step = (stepId: string) => run.latest(id)?.steps.find((s) => s.stepId === stepId)

  it('loads without errors, opens, and completes in order', async () => {
    const list = await run.api['lessons.list']({})
    expect(list.errors).toEqual([])
    expect(list.lessons.find((l) => l.id === id)).toMatchObject({ steps: steps.length, done: 0 })

    const got = await run.api['lessons.get']({ id })
    expect(got.lesson.order).toBe(order)
    expect(got.lesson.steps.map((s) => s.id)).toEqual(steps)
    expect(got.context).toMatchObject({ service: '', servicePath: '/' })
    expect(got.progress.steps.every((s) => s.state === 'todo')).toBe(true)

    for (const stepId of steps) {
      // Not done by an earlier step: only its own "show me" completes it.
      const before = (run.latest(id) ?? got.progress).steps.find((s) => s.stepId === stepId)
      expect(before?.state, `${stepId} before its show me`).toBe('todo')
      const { actions } = await run.api['lessons.showMe']({ id, stepId })
      expect(actions.length).toBeGreaterThan(0)
      for (const a of actions) if (a.kind === 'http') expect(a.status, `${stepId}: ${a.method} ${a.url} → ${a.answer ?? ''}`).toBeLessThan(300)
      const answer = ANSWERS[`${id}/${stepId}`]
      const last = actions.at(-1)
      if (answer !== undefined) expect(last?.kind === 'http' && JSON.parse(last.answer ?? 'null'), `${stepId} answer`).toEqual(answer)
      await waitFor(() => step(stepId)?.state === 'done', `step ${stepId} of ${id} done`, 10_000)
    }

    expect(run.latest(id)?.steps.every((s) => s.state === 'done')).toBe(true)
    expect(run.doneOrder(id)).toEqual(steps)
    const after = await run.api['lessons.list']({})
    expect(after.lessons.find((l) => l.id === id)).toMatchObject({ steps: steps.length, done: steps.length })
  })
})

describe('lesson orion-intro: hints come from what went wrong', () => {
  let run: LessonsEngine

  beforeEach(async () => {
    run = await startLessonsEngine()
  })
  afterEach(async () => {
    await run?.dispose()
  })

  it('creating Store:001 twice while on create-store-2 shows the 422 hint, and the step stays todo', async () => {
    const id = 'orion-intro'
    const step = (stepId: string) => run.latest(id)?.steps.find((s) => s.stepId === stepId)
    await run.api['lessons.get']({ id })
    for (const stepId of ['orion-health', 'create-store-1']) {
      await run.api['lessons.showMe']({ id, stepId })
      await waitFor(() => step(stepId)?.state === 'done', `step ${stepId} done`)
    }
    const [again] = (await run.api['lessons.showMe']({ id, stepId: 'create-store-1' })).actions
    expect(again).toMatchObject({ kind: 'http', status: 422 })
    const hint = await waitFor(() => step('create-store-2')?.hints.find((h) => h.index === 0), 'the 422 hint of create-store-2')
    expect(hint.observed).toContain('422')
    expect(step('create-store-2')?.state).toBe('todo')
  })
})
