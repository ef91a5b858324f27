/**
 * Screenshots of each main view (light theme, 1280×800), taken with the seed tutorial running:
 * provisioned as the Postman collection does, device001 switched on. They are test artefacts in
 * test-results/screenshots; `UPDATE_SCREENSHOTS=1 npm run test:e2e` writes them to
 * docs/screenshots instead, where the README shows them.
 */
import { shoot as shootIn } from './gui-checks'
import { expect, openGui, provisionTutorial, sendTutorialCommand, T7, test } from './gui-fixture'

const shoot = (page: Parameters<typeof shootIn>[0], view: string): Promise<void> => shootIn(page, view, { folder: 'screenshots' })

test('screenshots of the main views', async ({ page, gui }) => {
  await provisionTutorial(gui)
  await gui.startSeed({ apikey: T7.apikey, deviceId: 'device001', intervalSec: 0.5, switchedOn: false })
  await page.emulateMedia({ colorScheme: 'light' })
  await openGui(page, gui)
  await sendTutorialCommand(gui, 'switch', '1')
  // A message with an unknown API key, so that the rejected counter has something to explain.
  await gui.publish('ul/wrongkey/device001/attrs', 't|20')

  await page.getByTestId('nav-device').click()
  await expect(page.getByTestId('cmd-send-switch')).toBeVisible()
  await page.getByTestId('cmd-value-interval').fill('0.5')
  await page.getByTestId('cmd-send-interval').click()
  await expect(page.getByTestId('cmd-status-interval')).toHaveText('OK')
  await expect(page.getByTestId('chart-temperature')).toBeVisible()
  const points = async (): Promise<number> => Number((await page.getByTestId('chart-points-temperature').textContent())?.match(/\d+/)?.[0] ?? 0)
  await expect.poll(points, { timeout: 20_000 }).toBeGreaterThanOrEqual(12)

  await page.getByTestId('nav-overview').click()
  await expect(page.getByTestId('rejected')).toContainText('No service group has this API key')
  await shoot(page, 'overview')

  await page.getByTestId('nav-provisioning').click()
  await page.getByTestId('tab-devices').click()
  await page.getByTestId('device-row-device001').getByRole('button', { name: 'Edit' }).click()
  await expect(page.getByTestId('device-form')).toBeVisible()
  await shoot(page, 'provisioning')

  await page.getByTestId('nav-device').click()
  await expect(page.getByTestId('chart-temperature')).toBeVisible()
  await page.waitForTimeout(600)
  await shoot(page, 'device')

  await page.getByTestId('nav-inspector').click()
  // The view (loaded on first use) listens to its shortcuts once it is shown.
  await expect(page.getByTestId('message-log')).toBeVisible()
  // Paused first, so that the row clicked stays where it is; a measure of device001, not a command answer.
  await page.keyboard.press('p')
  await expect(page.getByTestId('hold-gauge')).toBeVisible()
  const measure = page
    .getByTestId('message-row')
    .filter({ hasText: `ul/${T7.apikey}/device001/attrs` })
    .filter({ hasText: /t\|[\d.]+\|rh\|\d+/ })
    .last()
  await measure.click()
  await expect(page.getByTestId('mapped-t')).toHaveText('temperature')
  await shoot(page, 'inspector')
  await page.keyboard.press('p')

  await page.getByTestId('nav-simulator').click()
  await expect(page.getByTestId('seed-running')).toBeVisible()
  await shoot(page, 'simulator')

  await page.getByTestId('nav-settings').click()
  await expect(page.getByTestId('settings-log-level')).toBeVisible()
  await shoot(page, 'settings')
})
