/**
 * Accessibility (WCAG 2.2 AA) of every view, with the seed tutorial's data present: axe finds no
 * serious or critical violation in either theme or language, and at 1024×768 no view makes the
 * document scroll sideways.
 */
import type { Page } from '@playwright/test'
import { axeProblems } from './gui-checks'
import { expect, openGui, provisionTutorial, T7, test, type RunningGui } from './gui-fixture'

/** Provisioned as the collection does, device001 simulated, one measure sent by hand. */
async function seed(gui: RunningGui): Promise<void> {
  await provisionTutorial(gui)
  await gui.startSeed({ apikey: T7.apikey, deviceId: 'device001', intervalSec: 1, switchedOn: false })
  await gui.publish(`ul/${T7.apikey}/device001/attrs`, 't|21|rh|40')
}

/**
 * Shows every view in turn, each with content (an open form, a selected message...), and calls
 * `check` with the view's name once it is shown.
 */
let published = 0
async function everyView(page: Page, gui: RunningGui, check: (view: string) => Promise<void>): Promise<void> {
  await page.getByTestId('nav-overview').click()
  await expect(page.getByTestId('stack-diagram')).toBeVisible()
  await check('overview')
  // The overlays: the keyboard help (a modal dialog) and the log drawer.
  await page.getByTestId('open-help').click()
  await expect(page.getByTestId('shortcuts')).toBeVisible()
  await check('help dialog')
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('shortcuts')).toHaveCount(0)
  await page.getByTestId('open-logs').click()
  await expect(page.getByTestId('log-drawer')).toBeVisible()
  await check('log drawer')
  await page.getByTestId('open-logs').click()
  await expect(page.getByTestId('log-drawer')).toHaveCount(0)

  await page.getByTestId('nav-provisioning').click()
  await page.getByTestId('tab-groups').click()
  await expect(page.getByTestId(`group-row-${T7.apikey}`)).toBeVisible()
  await check('provisioning: groups')
  await page.getByTestId(`delete-group-${T7.apikey}`).click()
  await expect(page.getByTestId('confirm')).toBeVisible()
  await check('provisioning: confirm dialog')
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('confirm')).toHaveCount(0)
  await page.getByTestId('new-item').click()
  await expect(page.getByTestId('group-form')).toBeVisible()
  await check('provisioning: group form')
  await page.getByTestId('tab-devices').click()
  await expect(page.getByTestId('device-row-device001')).toBeVisible()
  await page.getByTestId('new-item').click()
  await expect(page.getByTestId('device-form')).toBeVisible()
  await check('provisioning: device form')

  await page.getByTestId('nav-device').click()
  await expect(page.getByTestId('device-entity-id')).toHaveText('urn:ngsi-ld:Device:001')
  await expect(page.getByTestId('entity-json')).toContainText('"temperature"')
  await check('device')

  await page.getByTestId('nav-inspector').click()
  const row = page.getByTestId('message-row').filter({ hasText: 't|21|rh|40' })
  await expect(row).toHaveCount(1)
  await row.click()
  await expect(page.getByTestId('message-detail').getByTestId('detail-topic')).toHaveText(`ul/${T7.apikey}/device001/attrs`)
  await expect(page.getByTestId('topic-tree')).toContainText('device001')
  await check('inspector')
  // A measure that arrives while the inspector is shown is traced: open its trace.
  const payload = `t|${20 + ++published}|rh|41`
  await gui.publish(`ul/${T7.apikey}/device001/attrs`, payload)
  await page.getByTestId('message-row').filter({ hasText: payload }).click()
  await page.getByTestId('message-detail').getByTestId('show-trace').click()
  await expect(page.getByTestId('trace-timeline')).toBeVisible()
  await check('inspector: trace dialog')
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('trace-timeline')).toHaveCount(0)

  await page.getByTestId('nav-simulator').click()
  await expect(page.getByTestId('seed-running')).toBeVisible()
  await check('simulator')

  await page.getByTestId('nav-settings').click()
  await expect(page.locator('#view-title')).toBeVisible()
  await check('settings')

  // No subscription to Cygnus in this seed: the history's empty state, with its curl.
  await page.getByTestId('nav-history').click()
  await expect(page.getByTestId('history-empty')).toBeVisible()
  await check('history')
}

for (const locale of ['en', 'pt-BR'] as const) {
  test(`no serious or critical WCAG 2.2 AA violation on any view, light and dark (${locale})`, async ({ page, gui }) => {
    test.setTimeout(120_000)
    await seed(gui)
    await openGui(page, gui)
    await page.getByTestId('language').selectOption(locale)
    await expect(page.locator('html')).toHaveAttribute('lang', locale)
    const problems: string[] = []
    for (const theme of ['light', 'dark'] as const) {
      if ((await page.locator('html').getAttribute('data-theme')) !== theme) await page.getByTestId('toggle-theme').click()
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme)
      await everyView(page, gui, async (view) => {
        problems.push(...(await axeProblems(page, { where: `${locale} ${theme} ${view}` })))
      })
    }
    expect(problems, problems.join('\n')).toEqual([])
  })
}

test('at 1024×768 no view overflows the window sideways', async ({ page, gui }) => {
  await seed(gui)
  await page.setViewportSize({ width: 1024, height: 768 })
  await openGui(page, gui)
  const overflows: string[] = []
  for (const locale of ['en', 'pt-BR'] as const) {
    await page.getByTestId('language').selectOption(locale)
    await everyView(page, gui, async (view) => {
      // The document, and the view's own scrolling area: nothing wider than the window.
      // A string: the tests are compiled without the DOM library.
      const widths = await page.evaluate<Array<{ scroll: number; client: number }>>(
        "[document.documentElement, document.querySelector('.view')].map((e) => ({ scroll: e ? e.scrollWidth : 0, client: e ? e.clientWidth : 0 }))"
      )
      for (const [i, w] of widths.entries()) {
        if (w.scroll > w.client) overflows.push(`${locale} ${view} ${i ? 'view' : 'document'}: ${w.scroll} > ${w.client}`)
      }
    })
  }
  expect(overflows, overflows.join('\n')).toEqual([])
})
