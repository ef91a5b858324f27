/**
 * Classroom mode (docs/classroom.md) in Chromium, in Portuguese: `serve --classroom` as a trainer
 * starts it, three trainees joining from their own browsers (separate browser contexts), each
 * doing the tutorial-7 group step by a different route, and the trainer's grid showing each one's
 * progress and last problem live. A trainee's page cannot read another trainee's tenant. With
 * UPDATE_SCREENSHOTS=1 it writes docs/images/classroom-grid-pt.png.
 */
import { test as base, expect, type Browser, type BrowserContext, type Page } from '@playwright/test'
import { axeProblems, shoot } from './gui-checks'
import { serveClassroom, type ClassroomServe } from './classroom-serve'

const test = base.extend<{ classroom: ClassroomServe }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this destructuring
  classroom: async ({}, use) => {
    const served = await serveClassroom('aula2026')
    try {
      await use(served)
    } finally {
      await served.stop()
    }
  }
})

test.use({ locale: 'pt-BR' })

const LESSON = 'iot-agent-ul-mqtt'

async function joinAs(browser: Browser, url: string, name: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: 'pt-BR' })
  const page = await context.newPage()
  await page.goto(url)
  // The code leaves the address bar at once.
  await expect(page).not.toHaveURL(/join=/)
  await page.getByLabel('Seu nome').fill(name)
  await page.getByRole('button', { name: 'Entrar na turma' }).click()
  await expect(page.getByTestId('trainee-badge')).toContainText(name)
  return { context, page }
}

async function openLesson(page: Page): Promise<void> {
  await page.getByTestId('nav-lessons').click()
  await page.getByTestId(`lesson-${LESSON}`).click()
  await expect(page.getByTestId('lesson-detail').getByRole('heading', { level: 2 })).toHaveText('Agente IoT UltraLight 2.0 sobre MQTT')
}

function groupRequest(classroom: ClassroomServe, service: string, apikey: string): Promise<Response> {
  return fetch(`${classroom.northUrl}/iot/services`, {
    method: 'POST',
    headers: { 'fiware-service': service, 'fiware-servicepath': '/', 'Content-Type': 'application/json' },
    body: JSON.stringify({ services: [{ apikey, cbroker: 'http://orion:1026', entity_type: 'Device', resource: '' }] })
  })
}

const rowOf = (trainer: Page, name: string) => trainer.locator('tr', { has: trainer.getByRole('rowheader', { name, exact: true }) })
const cell = (trainer: Page, name: string, step: string) => rowOf(trainer, name).locator(`td[data-step="${LESSON}/${step}"]`)

test('three trainees on the trainer grid, each in an own tenant', async ({ browser, classroom }) => {
  test.setTimeout(120_000)
  const trainerContext = await browser.newContext({ locale: 'pt-BR' })
  const trainer = await trainerContext.newPage()
  await trainer.goto(classroom.trainerUrl)
  await trainer.getByTestId('nav-classroom').click()
  await expect(trainer.getByTestId('class-empty')).toContainText('Ninguém entrou ainda')
  await expect(trainer.getByTestId('join-code')).toHaveText('aula2026')
  expect(await axeProblems(trainer, { where: 'empty class' })).toEqual([])

  const ana = await joinAs(browser, classroom.traineeUrl, 'Ana Lúcia')
  const bruno = await joinAs(browser, classroom.traineeUrl, 'Bruno')
  const carla = await joinAs(browser, classroom.traineeUrl, 'Carla')
  await expect(ana.page.getByTestId('trainee-badge')).toContainText('ana_lucia_key')
  expect(await axeProblems(ana.page, { where: 'trainee overview' })).toEqual([])

  // A second "Bruno" is refused, in words.
  const other = await browser.newContext({ locale: 'pt-BR' })
  const otherPage = await other.newPage()
  await otherPage.goto(classroom.traineeUrl)
  await otherPage.getByLabel('Seu nome').fill('bruno')
  await otherPage.getByRole('button', { name: 'Entrar na turma' }).click()
  await expect(otherPage.getByRole('alert')).toBeVisible()
  expect(await axeProblems(otherPage, { where: 'join page' })).toEqual([])
  await other.close()

  const table = trainer.getByRole('table', { name: 'Progresso da turma' })
  await expect(table.getByRole('rowheader')).toHaveText(['Ana Lúcia', 'Bruno', 'Carla'])
  for (const name of ['Ana Lúcia', 'Bruno', 'Carla']) await expect(rowOf(trainer, name)).toContainText('conectado')

  for (const t of [ana, bruno, carla]) await openLesson(t.page)

  // Ana through the GUI: "Mostre-me" creates the group in her tenant, with her key.
  await ana.page.getByTestId('step-toggle-service-group').click()
  await ana.page.getByTestId('step-show-me-service-group').click()
  await expect(ana.page.getByTestId('step-state-service-group')).toHaveText(/^✓ feito às/)
  // Bruno with curl's request, his tenant header and his key, as his lesson shows them.
  expect((await groupRequest(classroom, 'bruno', 'bruno_key')).status).toBe(201)
  await expect(bruno.page.getByTestId('step-state-service-group')).toHaveText(/^✓ feito às/)
  // Carla sends the tutorial's key unchanged twice: created once, then refused.
  expect((await groupRequest(classroom, 'carla', 'carla_key')).status).toBe(201)
  expect((await groupRequest(classroom, 'carla', 'carla_key')).status).toBe(409)

  for (const name of ['Ana Lúcia', 'Bruno', 'Carla']) await expect(cell(trainer, name, 'service-group')).toHaveText(/feito/)
  await expect(cell(trainer, 'Carla', 'provision-device')).toHaveText(/a fazer/)
  await expect(rowOf(trainer, 'Carla').getByTestId('class-problem')).toContainText('409 DUPLICATE_GROUP')
  await expect(rowOf(trainer, 'Bruno').getByTestId('class-problem')).toContainText('nenhum')
  expect(await axeProblems(trainer, { where: 'trainer grid' })).toEqual([])
  // The trainer narrows the grid to the lesson the class is on.
  await trainer.getByLabel('Lição exibida').selectOption({ label: '7. Agente IoT UltraLight 2.0 sobre MQTT' })
  await expect(table.getByRole('columnheader', { name: /Introdução/ })).toHaveCount(0)
  await expect(rowOf(trainer, 'Ana Lúcia')).toContainText('1 de 7')
  await shoot(trainer, 'classroom-grid-pt', { folder: 'images', onlyWhenUpdating: true })

  // Ana's provisioning page lists her group only, and her page cannot ask for Bruno's tenant.
  await ana.page.getByTestId('nav-provisioning').click()
  await expect(ana.page.getByTestId('group-row-ana_lucia_key')).toBeVisible()
  await expect(ana.page.getByTestId('group-row-bruno_key')).toHaveCount(0)
  await expect(ana.page.getByTestId('scope-service')).toHaveValue('ana_lucia')
  await expect(ana.page.getByTestId('scope-service')).not.toBeEditable()
  // The page's own session, used by hand: the server refuses another tenant whatever the page sends.
  const refused = await ana.page.evaluate<{ ok: boolean; error?: { name: string } }>(`(async () => {
    const token = JSON.parse(localStorage.getItem('ulcc.trainee') ?? '{}').token
    const ws = new WebSocket(location.origin.replace(/^http/, 'ws') + '/ws?trainee=' + token)
    await new Promise((resolve) => (ws.onopen = resolve))
    const answer = new Promise((resolve) => (ws.onmessage = (m) => resolve(String(m.data))))
    ws.send(JSON.stringify({ type: 'request', id: 1, name: 'groups.list', args: { scope: { service: 'bruno', servicePath: '/' } } }))
    const text = await answer
    ws.close()
    return JSON.parse(text)
  })()`)
  expect(refused).toMatchObject({ ok: false, error: { name: 'FORBIDDEN' } })

  // A trainee who closes the page shows as disconnected.
  await carla.context.close()
  await expect(rowOf(trainer, 'Carla')).toContainText('desconectado')
  await Promise.all([ana.context.close(), bruno.context.close(), trainerContext.close()])
})
