/**
 * The guided lesson of tutorial 7 (resources/lessons/07-iot-agent-ul-mqtt.yaml) in Portuguese:
 * done through the GUI, each step's button leading to the form or page that does it; done with
 * HTTP requests and an MQTT client only, while the lesson is open; a wrong API key showing its
 * hint; "show me" showing what it sent; reset and the report; and no serious WCAG 2.2 AA problem.
 * With UPDATE_SCREENSHOTS=1 it also writes docs/images/lesson-pt.png.
 */
import { readFileSync } from 'node:fs'
import type { Page } from '@playwright/test'
import { connectAsync, type MqttClient } from 'mqtt'
import { ENTITY_ID, INTERVAL_COMMAND_BODY, MEASURE, SWITCH_COMMAND_BODY, TENANT } from '../fixtures/tutorial7'
import { axeProblems, shoot } from './gui-checks'
import { expect, openGui, provisionTutorial, T7, test, type RunningGui } from './gui-fixture'

test.use({ locale: 'pt-BR' })

const LESSON = 'iot-agent-ul-mqtt'
const STEPS = ['agent-health', 'service-group', 'provision-device', 'first-measure', 'switch-command', 'interval-command', 'read-entity'] as const
type StepId = (typeof STEPS)[number]

/** Opens "Lições" from the sidebar, and the tutorial-7 lesson. */
async function openLesson(page: Page): Promise<void> {
  await page.getByTestId('nav-lessons').click()
  await expect(page.locator('#view-title')).toHaveText('Lições')
  await page.getByTestId(`lesson-${LESSON}`).click()
  await expect(page.getByTestId('lesson-detail').getByRole('heading', { level: 2 })).toHaveText('Agente IoT UltraLight 2.0 sobre MQTT')
}

const stateOf = (page: Page, id: StepId) => page.getByTestId(`step-state-${id}`)

/** The step turned done (in words, with the time), and the current-step marker moved past it. */
async function expectDone(page: Page, id: StepId): Promise<void> {
  await expect(stateOf(page, id)).toHaveText(/^✓ feito às \d\d:\d\d:\d\d$/)
  await expect(page.getByTestId(`step-current-${id}`)).toHaveCount(0)
}

async function expectTodo(page: Page, id: StepId): Promise<void> {
  await expect(stateOf(page, id)).toHaveText('○ a fazer')
}

/** The step is the current one: marked, and expanded. */
async function expectCurrent(page: Page, id: StepId): Promise<void> {
  await expect(page.getByTestId(`step-current-${id}`)).toHaveText('→ passo atual')
  await expect(page.getByTestId(`step-toggle-${id}`)).toHaveAttribute('aria-expanded', 'true')
}

/** Opens a step's card (a click on its heading's button), unless it is open. */
async function expand(page: Page, id: StepId): Promise<void> {
  const toggle = page.getByTestId(`step-toggle-${id}`)
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click()
  await expect(toggle).toHaveAttribute('aria-expanded', 'true')
}

/** A device answering its commands on cmdexe, as the tutorial's dummy device does. */
async function commandAnsweringDevice(gui: RunningGui): Promise<MqttClient> {
  const device = await connectAsync(gui.mqttUrl, { reconnectPeriod: 0, connectTimeout: 5000 })
  device.on('message', (topic, payload) => {
    const command = payload.toString().split('|')[0]!
    void device.publishAsync(topic.replace(/\/cmd$/, '/cmdexe'), `${command}|${command.split('@')[1] ?? 'command'} OK`, { qos: 1 })
  })
  await device.subscribeAsync([`/${T7.apikey}/device001/cmd`, `/ul/${T7.apikey}/device001/cmd`], { qos: 0 })
  return device
}

test('a lição do tutorial 7 feita pela interface, passo a passo, em português', async ({ page, gui }) => {
  test.setTimeout(120_000)
  await openGui(page, gui)
  // The overview's "what to do next" leads to the lessons too.
  await page.getByTestId('open-lessons').click()
  await expect(page.locator('#view-title')).toHaveText('Lições')
  await expect(page.getByTestId(`lesson-count-${LESSON}`)).toHaveText('0 de 7 passos')
  await openLesson(page)
  await expect(page.getByTestId('lesson-tenant')).toHaveText('fiware-service: openiot, fiware-servicepath: /')
  for (const id of STEPS) await expectTodo(page, id)
  await expectCurrent(page, 'agent-health')
  // Only the current step is open.
  await expect(page.getByTestId('step-toggle-service-group')).toHaveAttribute('aria-expanded', 'false')
  // The commands carry the running app's addresses, not the placeholders.
  await expect(page.getByTestId('step-curl-agent-health')).toHaveText(/^curl -iX GET 'http:\/\/[^']+\/iot\/about'$/)

  // 1. The agent's health: this step has no page of its own; "Mostre-me" sends the request and shows it.
  await page.getByTestId('step-show-me-agent-health').click()
  const sent = page.getByTestId('step-agent-health').getByTestId('show-me-result')
  await expect(sent.getByTestId('show-me-action-0')).toContainText(/GET http:\/\/\S+\/iot\/about → 200/)
  await expect(sent.getByTestId('show-me-answer')).toContainText('version')
  await expectDone(page, 'agent-health')
  await expect(page.getByTestId('step-evidence-agent-health')).toContainText('GET /iot/about chegou à API de provisionamento do Agente IoT')
  await expectCurrent(page, 'service-group')
  await expectTodo(page, 'service-group')

  // 2. The service group: the step's button opens the form filled as in the tutorial.
  await page.getByTestId('step-go-service-group').click()
  await expect(page.getByTestId('group-apikey')).toHaveValue(T7.apikey)
  await page.getByTestId('group-save').click()
  await expect(page.getByTestId(`group-row-${T7.apikey}`)).toBeVisible()
  await page.getByTestId('nav-lessons').click()
  await expectDone(page, 'service-group')
  await expect(page.getByTestId('step-evidence-service-group')).toContainText(`O grupo de serviço com a chave de API ${T7.apikey} existe`)
  await expectCurrent(page, 'provision-device')
  await expectTodo(page, 'provision-device')

  // 3. device001, with the device form's tutorial preset.
  await page.getByTestId('step-go-provision-device').click()
  await expect(page.getByTestId('device-id')).toHaveValue('device001')
  await page.getByTestId('device-save').click()
  await expect(page.getByTestId('device-row-device001')).toBeVisible()
  await page.getByTestId('nav-lessons').click()
  await expectDone(page, 'provision-device')
  await expectCurrent(page, 'first-measure')
  await expectTodo(page, 'first-measure')

  // 4. The simulated device001, switched on, every 5 s (so that step 6 waits for its command).
  await page.getByTestId('step-go-first-measure').click()
  await expect(page.getByTestId('seed-apikey')).toHaveValue(T7.apikey)
  await page.getByTestId('seed-interval').fill('5')
  await page.getByTestId('seed-on').check()
  await page.getByTestId('seed-toggle').click()
  await expect(page.getByTestId('seed-running')).toBeVisible()
  await page.getByTestId('nav-lessons').click()
  await expectDone(page, 'first-measure')
  await expect(page.getByTestId('step-evidence-first-measure')).toContainText('Uma medida do device001 chegou à sua entidade')
  await expectCurrent(page, 'switch-command')

  // 5. switch 1 from the device page's command buttons.
  await page.getByTestId('step-go-switch-command').click()
  await expect(page.getByTestId('device-entity-id')).toHaveText(ENTITY_ID)
  await page.getByTestId('cmd-value-switch').fill('1')
  await page.getByTestId('cmd-send-switch').click()
  await expect(page.getByTestId('cmd-status-switch')).toHaveText('OK')
  await page.getByTestId('nav-lessons').click()
  await expectDone(page, 'switch-command')
  await expect(page.getByTestId('step-evidence-switch-command')).toContainText('O comando switch do device001 terminou com OK.')
  // Step 6 waits for its own command (step 7 may be done already: see below).
  await expectTodo(page, 'interval-command')

  // 6. interval 2: the device answers OK, and its measures now come every 2 s.
  await expand(page, 'interval-command')
  await page.getByTestId('step-go-interval-command').click()
  await page.getByTestId('cmd-value-interval').fill('2')
  await page.getByTestId('cmd-send-interval').click()
  await expect(page.getByTestId('cmd-status-interval')).toHaveText('OK')
  await page.getByTestId('nav-lessons').click()
  await expectDone(page, 'interval-command')

  // 7. The entity, as the device page shows it. The page reads it from the context broker, so the
  // visit for step 5 may have done this step already.
  // (The device page may have completed it already: it reads the entity from the context broker.)
  await expand(page, 'read-entity')
  await page.getByTestId('step-go-read-entity').click()
  await expect(page.getByTestId('entity')).toContainText('"temperature"')
  await page.getByTestId('nav-lessons').click()
  await expectDone(page, 'read-entity')
  for (const id of STEPS) await expectDone(page, id)
  await expect(page.getByTestId('lesson-all-done')).toHaveText('✓ Todos os passos desta lição estão feitos.')
  await expect(page.getByTestId(`lesson-count-${LESSON}`)).toHaveText('7 de 7 passos')
  // Steps 1–6 were done one after the other: their times never go back. (7 may come earlier, see above.)
  const times = await Promise.all(STEPS.slice(0, 6).map(async (id) => (await stateOf(page, id).textContent())!.replace('✓ feito às ', '')))
  expect([...times].sort()).toEqual(times)
})

test('uma chave de API errada mostra a dica NO_GROUP; "Mostre-me", acessibilidade claro e escuro, 1024×768', async ({ page, gui }) => {
  test.setTimeout(90_000)
  await openGui(page, gui)
  // Key 7 shows the lessons, as 1–6 show the other views.
  await page.keyboard.press('7')
  await expect(page.locator('#view-title')).toHaveText('Lições')
  await openLesson(page)
  // Steps 1–3 by HTTP, as Postman sends them.
  expect((await fetch(`${gui.northUrl}/iot/about`)).status).toBe(200)
  await provisionTutorial(gui)
  for (const id of ['agent-health', 'service-group', 'provision-device'] as const) await expectDone(page, id)
  await expectCurrent(page, 'first-measure')

  // A measure with a wrong API key: the agent refuses it, and the step says why, in Portuguese.
  await gui.publish('ul/wrongkey/device001/attrs', 't|21.5|rh|40')
  const hints = page.getByTestId('step-hints-first-measure')
  await expect(hints).toHaveAttribute('aria-live', 'polite')
  await expect(hints).toContainText('O agente recusou a mensagem: nenhum grupo de serviço tem a chave de API do tópico. Confira a chave: 4jggokgpepnvsb2uv4s40d59ov.')
  await expect(hints).toContainText('Observado: ul/wrongkey/device001/attrs')
  await expectTodo(page, 'first-measure')
  // Asked for, the step's general hint joins them (in the same live region); asked again, it goes.
  const ask = page.getByTestId('step-ask-hint-first-measure')
  await expect(page.getByTestId('step-asked-hint-first-measure')).toHaveCount(0)
  await ask.click()
  await expect(ask).toHaveAttribute('aria-pressed', 'true')
  await expect(page.getByTestId('step-asked-hint-first-measure')).toContainText('Nada chega? Abra o inspetor de tópicos')
  await ask.click()
  await expect(page.getByTestId('step-asked-hint-first-measure')).toHaveCount(0)

  // The picture for the README: the list, the lesson, its steps and the hint (the view at its top).
  await page.locator('.view').evaluate('(el) => { el.scrollTop = 0 }')
  await shoot(page, 'lesson-pt', { onlyWhenUpdating: true })

  // "Mostre-me" on a done step, opened again: the request it sent, with its headers and answer.
  await expand(page, 'service-group')
  await page.getByTestId('step-show-me-service-group').click()
  const sent = page.getByTestId('step-service-group').getByTestId('show-me-result')
  await expect(sent.getByTestId('show-me-action-0')).toContainText(/POST http:\/\/\S+\/iot\/services → 409/)
  await expect(sent.getByTestId('show-me-action-0')).toContainText('fiware-service: openiot')
  await expect(sent.getByTestId('show-me-action-0')).toContainText(T7.apikey)
  // Each copy button says which command it copies.
  await expect(page.getByRole('button', { name: 'Copiar o comando curl do passo 2' })).toBeVisible()
  await expect(page.getByRole('button', { name: 'Copiar o comando mosquitto_pub do passo 4' })).toBeVisible()

  const problems: string[] = []
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme })
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme)
    problems.push(...(await axeProblems(page, { where: theme })))
  }
  expect(problems, problems.join('\n')).toEqual([])

  // Nothing wider than the window at 1024×768.
  await page.setViewportSize({ width: 1024, height: 768 })
  const widths = await page.evaluate<Array<{ scroll: number; client: number }>>(
    "[document.documentElement, document.querySelector('.view')].map((e) => ({ scroll: e ? e.scrollWidth : 0, client: e ? e.clientWidth : 0 }))"
  )
  for (const w of widths) expect(w.scroll).toBeLessThanOrEqual(w.client)
})

test('a mesma lição só com HTTP e um cliente MQTT, com a lição aberta; relatório e recomeço', async ({ page, gui }) => {
  test.setTimeout(120_000)
  await openGui(page, gui)
  await openLesson(page)
  for (const id of STEPS) await expectTodo(page, id)
  const announcement = page.getByTestId('lesson-announcement')
  const device = await commandAnsweringDevice(gui)
  try {
    // 1. Verificar saúde do Agente IoT. A step that turns done leaves the focus where it was.
    await page.getByTestId('lesson-export-json').focus()
    expect((await fetch(`${gui.northUrl}/iot/about`)).status).toBe(200)
    await expectDone(page, 'agent-health')
    await expect(page.getByTestId('lesson-export-json')).toBeFocused()
    await expect(announcement).toHaveText('Passo 1 concluído: Verifique se o Agente IoT responde.')
    // 2–3. Criar um serviço, Provisionar um dispositivo.
    await provisionTutorial(gui)
    await expectDone(page, 'service-group')
    await expectDone(page, 'provision-device')
    await expectTodo(page, 'first-measure')
    await expectCurrent(page, 'first-measure')
    // 4. A measure from the device.
    await device.publishAsync(MEASURE.topic, MEASURE.payload, { qos: 1 })
    await expectDone(page, 'first-measure')
    await expect(announcement).toHaveText('Passo 4 concluído: Faça o device001 enviar uma medida e veja-a chegar à sua entidade.')
    // Its evidence names what was seen, and opens the trace of the measure (recorded while the lessons are shown).
    await expand(page, 'first-measure')
    await expect(page.getByTestId('step-evidence-first-measure')).toContainText('Uma medida do device001 chegou à sua entidade: temperature, relativeHumidity.')
    await page.getByTestId('step-trace-first-measure').click()
    const trace = page.getByRole('dialog', { name: 'Rastro do passo 4' })
    await expect(trace.getByTestId('hop-received')).toContainText(`O broker recebeu a mensagem em ${MEASURE.topic}`)
    await trace.getByRole('button', { name: 'Fechar' }).click()
    await expect(trace).toHaveCount(0)
    // 5. switch through the context broker; the device answers on cmdexe.
    const patch = async (body: unknown): Promise<void> => {
      const res = await fetch(`${gui.ngsiUrl}/v2/entities/${ENTITY_ID}/attrs?type=Device`, { method: 'PATCH', headers: T7.headers, body: JSON.stringify(body) })
      expect(res.status).toBe(204)
    }
    await patch(SWITCH_COMMAND_BODY)
    await expectDone(page, 'switch-command')
    // 6. interval 2, and the device's measures every 2 s from then on.
    await expectTodo(page, 'interval-command')
    await patch(INTERVAL_COMMAND_BODY)
    await expect(async () => {
      await device.publishAsync(MEASURE.topic, 't|22|rh|41', { qos: 1 })
      await expect(stateOf(page, 'interval-command')).toHaveText(/^✓ feito/, { timeout: 2000 })
    }).toPass({ timeout: 30_000 })
    // 7. Obter dispositivo.
    const res = await fetch(`${gui.ngsiUrl}/v2/entities/${ENTITY_ID}?type=Device&options=keyValues`, { headers: { ...TENANT } })
    expect(res.status).toBe(200)
    await expectDone(page, 'read-entity')
    await expect(announcement).toHaveText('Passo 7 concluído: Leia a entidade urn:ngsi-ld:Device:001 no context broker.')
    for (const id of STEPS) await expectDone(page, id)
    await expect(page.getByTestId(`lesson-count-${LESSON}`)).toHaveText('7 de 7 passos')
  } finally {
    await device.endAsync()
  }

  // The report: every step done, with its evidence, in Portuguese.
  const [json] = await Promise.all([page.waitForEvent('download'), page.getByTestId('lesson-export-json').click()])
  expect(json.suggestedFilename()).toMatch(/^lesson-iot-agent-ul-mqtt-\d{4}-\d\d-\d\d\.json$/)
  const report = JSON.parse(readFileSync(await json.path(), 'utf8')) as { language: string; lesson: { title: string }; steps: Array<{ id: string; state: string; doneAt?: string; evidence?: { text: string } }> }
  expect(report.language).toBe('pt-BR')
  expect(report.lesson.title).toBe('Agente IoT UltraLight 2.0 sobre MQTT')
  expect(report.steps.map((s) => s.id)).toEqual([...STEPS])
  for (const s of report.steps) {
    expect(s.state, s.id).toBe('done')
    expect(s.doneAt, s.id).toMatch(/^\d{4}-\d\d-\d\dT/)
    expect(s.evidence?.text, s.id).toBeTruthy()
  }
  const [html] = await Promise.all([page.waitForEvent('download'), page.getByTestId('lesson-export-html').click()])
  const page2 = readFileSync(await html.path(), 'utf8')
  expect(page2).toContain('<html lang="pt-BR">')
  expect(page2).toContain('Relatório da lição: Agente IoT UltraLight 2.0 sobre MQTT')

  // Reset: asks first, names the tenant, empties it and starts the lesson again.
  await page.getByTestId('lesson-reset').click()
  const dialog = page.getByRole('dialog', { name: 'Recomeçar “Agente IoT UltraLight 2.0 sobre MQTT”?' })
  await expect(dialog).toContainText('apaga os dados do tenant openiot')
  await expect(dialog).toContainText('Os outros tenants não são tocados.')
  await dialog.getByTestId('confirm').click()
  for (const id of STEPS) await expectTodo(page, id)
  await expectCurrent(page, 'agent-health')
  const devices = (await (await fetch(`${gui.northUrl}/iot/devices`, { headers: { ...TENANT } })).json()) as { count: number }
  expect(devices.count).toBe(0)
})
