/**
 * The lesson of tutorial 5 (resources/lessons/05-subscriptions.yaml) in Portuguese, done with the
 * collection's HTTP requests while the lesson is open: the notification to
 * `http://context-provider:5000/priceChange`, which does not resolve here, appears in the
 * "Notificações recebidas" panel (the built-in receiver, docs/compatibility/ngsi-v2.md §4.6), with
 * its subscription, URL, reason and body, announced once; a notification of another tenant is not
 * listed; and no serious WCAG 2.2 AA problem in either theme.
 */
import { axeProblems } from './gui-checks'
import { expect, openGui, test, type RunningGui } from './gui-fixture'

test.use({ locale: 'pt-BR' })

const LESSON = 'subscriptions'
const PRODUCT = 'urn:ngsi-ld:Product:010'
const TUTORIAL_URL = 'http://context-provider:5000/priceChange'

/** A request to the context broker, as Postman sends the collection's (no tenant header unless `service`). */
async function ngsi(gui: RunningGui, method: string, path: string, body?: unknown, service?: string): Promise<Response> {
  const headers: Record<string, string> = {}
  if (service) headers['fiware-service'] = service
  if (body !== undefined) headers['content-type'] = 'application/json'
  return fetch(`${gui.ngsiUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
}

/** Creates Product:010 and the collection's price subscription in a tenant; returns the subscription's id. */
async function productAndSubscription(gui: RunningGui, service?: string): Promise<string> {
  const product = { id: PRODUCT, type: 'Product', name: { type: 'Text', value: 'Lemonade' }, size: { type: 'Text', value: 'S' }, price: { type: 'Integer', value: 99 } }
  expect((await ngsi(gui, 'POST', '/v2/entities', product, service)).status).toBe(201)
  const res = await ngsi(
    gui,
    'POST',
    '/v2/subscriptions',
    {
      description: 'Notify me of all product price changes',
      subject: { entities: [{ idPattern: PRODUCT, type: 'Product' }], condition: { attrs: ['price'] } },
      notification: { http: { url: TUTORIAL_URL } }
    },
    service
  )
  expect(res.status).toBe(201)
  return res.headers.get('location')!.split('/').at(-1)!
}

async function changePrice(gui: RunningGui, value: number, service?: string): Promise<void> {
  expect((await ngsi(gui, 'PUT', `/v2/entities/${PRODUCT}/attrs?type=Product`, { price: { type: 'Integer', value } }, service)).status).toBe(204)
}

test('a lição do tutorial 5 mostra a notificação que chegou ao receptor embutido', async ({ page, gui }) => {
  test.setTimeout(90_000)
  await openGui(page, gui)
  await page.getByTestId('nav-lessons').click()
  await expect(page.locator('#view-title')).toHaveText('Lições')
  await page.getByTestId(`lesson-${LESSON}`).click()
  await expect(page.getByTestId('lesson-detail').getByRole('heading', { level: 2 })).toHaveText('Assinaturas e notificações')

  const panel = page.getByTestId('notifications-panel')
  await expect(panel.getByRole('heading', { name: 'Notificações recebidas' })).toBeVisible()
  await expect(panel.getByTestId('notifications-empty')).toHaveText('Nenhuma notificação recebida ainda.')

  // Another tenant's notification reaches the receiver first (its subscription shows the success):
  // the lesson's panel, of the default tenant, does not list it.
  const other = await productAndSubscription(gui, 'other')
  await changePrice(gui, 40, 'other')
  await expect
    .poll(async () => ((await (await ngsi(gui, 'GET', `/v2/subscriptions/${other}`, undefined, 'other')).json()) as { notification: { lastSuccessCode?: number } }).notification.lastSuccessCode)
    .toBe(200)

  // The lesson's steps, as the collection sends them.
  const id = await productAndSubscription(gui)
  await expect(page.getByTestId('step-state-subscribe-price')).toHaveText(/^✓ feito às/)
  await changePrice(gui, 40)

  const item = panel.getByTestId('notification-item')
  await expect(item).toHaveCount(1)
  await expect(item.getByTestId('notification-subscription')).toHaveText(id)
  await expect(item.getByTestId('notification-url')).toHaveText(TUTORIAL_URL)
  await expect(item.getByTestId('notification-via')).toHaveText('context-provider não resolve neste computador, então o receptor embutido ficou com ela')
  await expect(item.getByTestId('notification-time')).toHaveText(/^\d\d:\d\d:\d\d\.\d{3}$/)
  const body = item.getByTestId('notification-body')
  await expect(body).toContainText(`POST ${TUTORIAL_URL}`)
  await expect(body).toContainText('Fiware-Correlator: ')
  await expect(body).toContainText(`"subscriptionId": "${id}"`)
  await expect(body).toContainText('"value": 40')
  await expect(page.getByTestId('notifications-announcement')).toHaveText('1 notificação nova recebida')
  await expect(page.getByTestId('step-state-change-price')).toHaveText(/^✓ feito às/)

  // A second change: the newest first, and one announcement for it.
  await changePrice(gui, 41)
  await expect(item).toHaveCount(2)
  await expect(item.first().getByTestId('notification-body')).toContainText('"value": 41')
  await expect(page.getByTestId('notifications-announcement')).toHaveText('1 notificação nova recebida')

  const problems: string[] = []
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme })
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme)
    problems.push(...(await axeProblems(page, { where: theme })))
  }
  expect(problems, problems.join('\n')).toEqual([])
})
