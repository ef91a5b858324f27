/**
 * The trace view in Portuguese: after the seed tutorial, the trace of one measure (from the
 * inspector) tells each hop in words — received, parsed, resolved, decoded, mapped, the context
 * update and its outcome — and the device page shows the timeline of a `switch` sent as the
 * tutorial's PATCH: the request, its forwarding to the agent, the publish, PENDING and OK.
 * With UPDATE_SCREENSHOTS=1 it also writes the two pictures the README shows.
 */
import { startRemoteNgsi } from '../helpers/ngsi-remote-process'
import { tempDir } from '../helpers/temp-dir'
import { axeProblems, shoot } from './gui-checks'
import { expect, openGui, provisionTutorial, sendTutorialCommand, T7, test } from './gui-fixture'
import { doSeedTutorial } from './seed-tutorial'

test.use({ locale: 'pt-BR' })


/** Serious or critical WCAG 2.2 AA problems in what is on screen (as gui-accessibility.spec.ts checks each view). */
test('o rastro de uma medida e a linha do tempo de um comando, em português', async ({ page, gui }) => {
  await page.emulateMedia({ colorScheme: 'light' })
  await openGui(page, gui)
  await doSeedTutorial(page, {
    nextHint: 'Criar um grupo de serviço',
    apikeyProblem: 'Informe uma chave de API',
    allDone: 'O tutorial inteiro funciona.'
  })

  // No toast left over the pictures.
  // Closing one toast moves the others (and some close by themselves): close the first until none is left.
  const toasts = page.getByTestId('toast')
  await expect(async () => {
    if ((await toasts.count()) > 0) await toasts.first().getByRole('button', { name: 'Fechar' }).click({ timeout: 1000 })
    await expect(toasts).toHaveCount(0, { timeout: 100 })
  }).toPass({ timeout: 15_000 })

  // The inspector records traces while it is shown: a measure that arrives then has one.
  await page.getByTestId('nav-inspector').click()
  await expect(page.getByTestId('message-log')).toBeVisible()
  const pause = page.getByTestId('pause')
  const measures = page
    .getByTestId('message-row')
    .filter({ hasText: `ul/${T7.apikey}/device001/attrs` })
    .filter({ hasText: /t\|[\d.]+\|rh\|\d+/ })
  await expect(async () => {
    if ((await pause.getAttribute('aria-pressed')) !== 'true') await pause.click()
    await measures.last().click()
    if (!(await page.getByTestId('show-trace').isVisible())) {
      await pause.click()
      throw new Error('the selected measure has no trace yet')
    }
  }).toPass({ timeout: 30_000 })
  await page.getByTestId('show-trace').click()

  const dialog = page.getByRole('dialog', { name: 'Rastro de uma medida' })
  const timeline = dialog.getByTestId('trace-timeline')
  await expect(timeline.getByTestId('hop-received')).toContainText(`O broker recebeu a mensagem em ul/${T7.apikey}/device001/attrs`)
  await expect(timeline.getByTestId('hop-parsed')).toContainText('O agente interpretou o tópico')
  await expect(timeline.getByTestId('hop-resolved')).toContainText('O agente encontrou o dispositivo device001 (provisionado)')
  await expect(timeline.getByTestId('hop-decoded')).toContainText('decodificou o payload UltraLight')
  await expect(timeline.getByTestId('hop-mapped')).toContainText('urn:ngsi-ld:Device:001')
  await expect(timeline.getByTestId('hop-mapped')).toContainText('temperature')
  const update = timeline.getByTestId('hop-context-update').first()
  await expect(update).toContainText('O context broker atualizou urn:ngsi-ld:Device:001')
  await expect(update).toContainText('sucesso')
  // The hops are an ordered list, in the order the engine took them.
  const steps = await timeline.locator('ol > li').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')))
  expect(steps.slice(0, 6)).toEqual(['hop-received', 'hop-parsed', 'hop-resolved', 'hop-decoded', 'hop-mapped', 'hop-context-update'])
  // The raw frame, and the command that sends the same message again.
  await timeline.getByTestId('hop-received').getByText('Quadro bruto').click()
  await expect(timeline.getByTestId('raw-received')).toContainText(/t\|[\d.]+\|rh\|\d+/)
  await timeline.getByTestId('trace-export-commands').click()
  await expect(timeline.getByTestId('trace-commands')).toContainText(`mosquitto_pub -h`)
  await expect(timeline.getByTestId('trace-commands')).toContainText(`-t ul/${T7.apikey}/device001/attrs`)
  await shoot(page, 'trace-measure-pt', { onlyWhenUpdating: true })
  expect(await axeProblems(page)).toEqual([])
  const download = page.waitForEvent('download')
  await timeline.getByTestId('trace-export-json').click()
  expect((await download).suggestedFilename()).toMatch(/^trace-\d+\.json$/)
  await dialog.getByRole('button', { name: 'Fechar' }).click()
  await expect(dialog).toHaveCount(0)
  await pause.click()

  // The device page records too; once one of its measures shows a trace, the tutorial's PATCH is sent.
  await page.getByTestId('nav-device').click()
  await expect(page.getByTestId('last-measures').getByRole('button', { name: 'Ver o rastro' }).first()).toBeVisible()
  await sendTutorialCommand(gui, 'switch', '1')
  await expect(page.getByTestId('cmd-trace-switch')).toBeVisible()
  await page.getByTestId('cmd-trace-switch').click()
  const cmd = page.getByTestId('cmd-timeline-switch')
  await expect(cmd.getByTestId('hop-request')).toContainText('O context broker recebeu PATCH /v2/entities/urn:ngsi-ld:Device:001/attrs')
  await expect(cmd.getByTestId('hop-forwarded')).toContainText(/repassou a atualização ao provedor (\S+): POST http:\/\/\1\//)
  await expect(cmd.getByTestId('hop-published')).toContainText('O agente publicou o comando switch para device001')
  await expect(cmd.getByTestId('hop-pending')).toContainText('PENDING')
  await expect(cmd.getByTestId('hop-result')).toContainText('Resultado de switch: OK')
  // The command at the top of the view's scrolling area (not the whole page).
  await page.getByTestId('cmd-switch').evaluate(`(el) => {
    let box = el.parentElement
    while (box && !/auto|scroll/.test(getComputedStyle(box).overflowY)) box = box.parentElement
    if (box) box.scrollTop += el.getBoundingClientRect().top - box.getBoundingClientRect().top
  }`)
  await shoot(page, 'trace-command-pt', { onlyWhenUpdating: true })
  await cmd.getByTestId('hop-request').getByText('Quadro bruto').click()
  await expect(cmd.getByTestId('raw-request')).toContainText('"switch"')
  await cmd.getByTestId('trace-export-commands').click()
  await expect(cmd.getByTestId('trace-commands')).toContainText('curl -iX PATCH')
  expect(await axeProblems(page)).toEqual([])
})

test('com um Orion externo, o rastro de uma medida mostra a requisição NGSI e o seu status', async ({ page, gui }) => {
  const dir = tempDir('ulcc-trace-orion-')
  const orion = await startRemoteNgsi({ dataDir: dir.path })
  try {
    await provisionTutorial(gui)
    await openGui(page, gui)
    // The external Orion, chosen and applied from the settings page.
    await page.getByTestId('nav-settings').click()
    await page.getByTestId('cb-external').check()
    await page.getByPlaceholder('http://orion:1026').fill(orion.url)
    await page.getByTestId('settings-save').click()
    await page.getByTestId('engine-restart').click()
    await expect(page.getByText('Motor reiniciado com as configurações salvas.')).toBeVisible()

    // A measure published while the inspector is shown (and so recorded) has a trace.
    await page.getByTestId('nav-inspector').click()
    await expect(page.getByTestId('message-log')).toBeVisible()
    let n = 0
    await expect(async () => {
      const payload = `t|${20 + ++n}|rh|50`
      await gui.publish(`ul/${T7.apikey}/device001/attrs`, payload)
      await page.getByTestId('message-row').filter({ hasText: payload }).click()
      await expect(page.getByTestId('show-trace')).toBeVisible({ timeout: 1000 })
    }).toPass({ timeout: 30_000 })
    await page.getByTestId('show-trace').click()

    const timeline = page.getByRole('dialog', { name: 'Rastro de uma medida' }).getByTestId('trace-timeline')
    await expect(timeline.getByTestId('hop-mapped')).toContainText('urn:ngsi-ld:Device:001')
    const update = timeline.getByTestId('hop-context-update').first()
    await expect(update).toContainText(new RegExp(`Atualização enviada ao Orion: POST ${orion.url}/v2/\\S+ → 204`))
    await expect(update).toContainText('sucesso')
    await update.getByText('Quadro bruto').click()
    await expect(timeline.getByTestId('raw-context-update')).toContainText('fiware-service: openiot')
    await expect(timeline.getByTestId('raw-context-update')).toContainText('→ 204')
    // The NGSI request is replayed with curl, the MQTT message with mosquitto_pub.
    await timeline.getByTestId('trace-export-commands').click()
    await expect(timeline.getByTestId('trace-commands')).toContainText('curl -iX POST')
    await expect(timeline.getByTestId('trace-commands')).toContainText(`${orion.url}/v2/`)
    await expect(timeline.getByTestId('trace-commands')).toContainText('mosquitto_pub')
  } finally {
    await orion.stop()
    dir.cleanup()
  }
})
