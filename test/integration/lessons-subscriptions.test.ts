import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startLessonsEngine, type LessonsEngine } from '../helpers/lessons-engine'
import { waitFor } from '../helpers/wait-for'

/**
 * The lesson of tutorial 5 (resources/lessons/05-subscriptions.yaml): done with the collection's
 * requests over HTTP, as Postman sends them (default tenant, no tenant headers), every step turns
 * done — the notification to `context-provider` reaching the built-in receiver included
 * (docs/compatibility/ngsi-v2.md §4.6) — and the collection's fixed subscription id lights the hint
 * of the step. Then the same lesson by "show me", whose PATCH and DELETE find the id themselves.
 */

const LESSON = 'subscriptions'
const STEPS = ['create-product', 'subscribe-price', 'change-price', 'simplified-subscription', 'list-subscriptions', 'deactivate-subscription', 'delete-subscription']
/** The id saved in the collection's "Atualizar assinatura" and "Deletar assinatura". */
const FIXED_ID = '6357ccb0e3cec219833de1dc'
const TUTORIAL_URL = 'http://context-provider:5000/priceChange'

describe('the subscriptions lesson (tutorial 5)', () => {
  let run: LessonsEngine

  beforeEach(async () => {
    run = await startLessonsEngine()
  })
  afterEach(async () => {
    await run?.dispose()
  })

  const step = (stepId: string) => run.latest(LESSON)?.steps.find((s) => s.stepId === stepId)
  const done = (stepId: string) => waitFor(() => step(stepId)?.state === 'done' && step(stepId), `step ${stepId} done`, 10_000)
  /** A request as Postman sends the collection's: no tenant headers. */
  const send = async (method: string, path: string, body?: unknown): Promise<Response> =>
    fetch(`${run.ngsiUrl}${path}`, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) })

  it('done with the collection’s requests over HTTP; the fixed id of the collection gets the hint', async () => {
    const opened = await run.api['lessons.get']({ id: LESSON })
    expect(opened.lesson.order).toBe(5)
    expect(opened.lesson.steps.map((s) => s.id)).toEqual(STEPS)
    expect(opened.context).toMatchObject({ service: '', servicePath: '/' })

    expect(
      (
        await send('POST', '/v2/entities', {
          id: 'urn:ngsi-ld:Product:010',
          type: 'Product',
          name: { type: 'Text', value: 'Lemonade' },
          size: { type: 'Text', value: 'S' },
          price: { type: 'Integer', value: 99 }
        })
      ).status
    ).toBe(201)
    await done('create-product')

    const created = await send('POST', '/v2/subscriptions', {
      description: 'Notify me of all product price changes',
      subject: { entities: [{ idPattern: 'urn:ngsi-ld:Product:010', type: 'Product' }], condition: { attrs: ['price'] } },
      notification: { http: { url: TUTORIAL_URL } }
    })
    expect(created.status).toBe(201)
    const id = created.headers.get('location')!.split('/').at(-1)!
    await done('subscribe-price')
    // Not notified yet: only a change fires a notification.
    expect(step('change-price')?.state).toBe('todo')

    expect((await send('PUT', '/v2/entities/urn:ngsi-ld:Product:010/attrs?type=Product', { price: { type: 'Integer', value: 40 } })).status).toBe(204)
    const changed = await done('change-price')
    expect(changed.evidence?.data).toMatchObject({ id, timesSent: 1 })
    const received = await run.api['notifications.recent']({ service: '' })
    expect(received.map((n) => n.subscriptionId)).toEqual([id])
    // The simplified subscription is not the first one: its step waits for it.
    expect(step('simplified-subscription')?.state).toBe('todo')

    const simplified = await send('POST', '/v2/subscriptions', {
      description: 'Notify me of all product price changes when less than 50',
      subject: { entities: [{ idPattern: 'urn:ngsi-ld:Product:010', type: 'Product' }], condition: { attrs: ['price'], expression: { q: 'price<50;' } } },
      notification: { http: { url: TUTORIAL_URL }, attrsFormat: 'keyValues' }
    })
    expect(simplified.status).toBe(201)
    await done('simplified-subscription')

    // "Obter assinatura específica" with the collection's id: 404, and the list step's hint says why.
    expect((await send('GET', '/v2/subscriptions/633ebd2c1007af0e6472062b')).status).toBe(404)
    await waitFor(() => step('list-subscriptions')?.hints.some((h) => h.index === 0), 'the hint of list-subscriptions')
    expect((await send('GET', '/v2/subscriptions')).status).toBe(200)
    await done('list-subscriptions')

    // "Atualizar assinatura" unchanged: the collection's id does not exist here.
    const patch = { status: 'inactive', notification: { http: { url: TUTORIAL_URL } } }
    const wrong = await send('PATCH', `/v2/subscriptions/${FIXED_ID}`, patch)
    expect(wrong.status).toBe(404)
    const hint = await waitFor(() => step('deactivate-subscription')?.hints.find((h) => h.index === 0), 'the 404 hint of deactivate-subscription')
    expect(hint.observed).toContain(FIXED_ID)
    expect(step('deactivate-subscription')?.state).toBe('todo')
    // The DELETE step names its own route: the PATCH's 404 is not its business.
    expect(step('delete-subscription')?.hints).toEqual([])
    const lesson = (await run.api['lessons.get']({ id: LESSON })).lesson
    expect(lesson.steps.find((s) => s.id === 'deactivate-subscription')?.hints?.[0]?.text.en).toContain('Location')

    expect((await send('PATCH', `/v2/subscriptions/${id}`, patch)).status).toBe(204)
    await done('deactivate-subscription')

    expect((await send('DELETE', `/v2/subscriptions/${FIXED_ID}`)).status).toBe(404)
    await waitFor(() => step('delete-subscription')?.hints.some((h) => h.index === 0), 'the 404 hint of delete-subscription')
    expect((await send('DELETE', `/v2/subscriptions/${id}`)).status).toBe(204)
    await done('delete-subscription')

    expect(run.doneOrder(LESSON)).toEqual(STEPS)
  })

  it('done by "show me": PATCH and DELETE list the subscriptions first and use the newest one’s id', async () => {
    await run.api['lessons.get']({ id: LESSON })
    // Before any subscription exists, the PATCH is not sent, and says why.
    const early = (await run.api['lessons.showMe']({ id: LESSON, stepId: 'deactivate-subscription' })).actions
    expect(early).toHaveLength(2)
    expect(early[0]).toMatchObject({ kind: 'http', method: 'GET', status: 200, answer: '[]' })
    expect(early[1]).toMatchObject({ kind: 'http', method: 'PATCH', error: 'no subscription in this tenant yet: create one first' })

    for (const stepId of ['create-product', 'subscribe-price', 'change-price', 'simplified-subscription', 'list-subscriptions']) {
      const { actions } = await run.api['lessons.showMe']({ id: LESSON, stepId })
      for (const a of actions) if (a.kind === 'http') expect(a.status, `${stepId}: ${a.method} ${a.url} → ${a.answer ?? ''}`).toBeLessThan(300)
      await done(stepId)
    }
    const list = (await (await send('GET', '/v2/subscriptions')).json()) as Array<{ id: string; description: string }>
    expect(list.map((s) => s.description)).toEqual(['Notify me of all product price changes', 'Notify me of all product price changes when less than 50'])
    const newest = list[1]!.id

    const patched = (await run.api['lessons.showMe']({ id: LESSON, stepId: 'deactivate-subscription' })).actions
    expect(patched.map((a) => a.kind === 'http' && [a.method, new URL(a.url).pathname, a.status])).toEqual([
      ['GET', '/v2/subscriptions', 200],
      ['PATCH', `/v2/subscriptions/${newest}`, 204]
    ])
    await done('deactivate-subscription')
    const after = (await (await send('GET', `/v2/subscriptions/${newest}`)).json()) as { status: string }
    expect(after.status).toBe('inactive')

    const deleted = (await run.api['lessons.showMe']({ id: LESSON, stepId: 'delete-subscription' })).actions
    expect(deleted.map((a) => a.kind === 'http' && [a.method, new URL(a.url).pathname, a.status])).toEqual([
      ['GET', '/v2/subscriptions', 200],
      ['DELETE', `/v2/subscriptions/${newest}`, 204]
    ])
    await done('delete-subscription')
    expect((await send('GET', `/v2/subscriptions/${newest}`)).status).toBe(404)
  })
})
