/**
 * An engine restart keeps every view live, without reloading the page: the inspector shows the
 * new engine's messages, the simulator shows its devices as stopped (they stop at a restart) and
 * starts one again, and the device page's chart receives new points.
 */
import { freePort } from '../helpers/free-port'
import { expect, openGui, provisionTutorial, T7, test } from './gui-fixture'

test('after an engine restart from the settings page, the simulator, inspector and device chart stay live', async ({ page, gui }) => {
  test.setTimeout(90_000)
  await provisionTutorial(gui)
  await gui.startSeed({ apikey: T7.apikey, deviceId: 'device001', intervalSec: 0.5, switchedOn: true })
  await openGui(page, gui)
  const topic = `ul/${T7.apikey}/device001/attrs`
  const points = async (): Promise<number> => Number((await page.getByTestId('chart-points-temperature').textContent())?.match(/\d+/)?.[0] ?? 0)

  await page.getByTestId('nav-simulator').click()
  await expect(page.getByTestId('seed-running')).toBeVisible()
  await page.getByTestId('nav-inspector').click()
  await expect(page.getByTestId('message-row').filter({ hasText: topic }).first()).toBeVisible()
  await page.getByTestId('nav-device').click()
  await expect(page.getByTestId('chart-temperature')).toBeVisible()
  await expect.poll(points).toBeGreaterThan(0)

  // A setting that needs a new engine: the MQTT WebSocket port.
  await page.getByTestId('nav-settings').click()
  await page.getByLabel('MQTT WebSocket').fill(String(await freePort()))
  await page.getByTestId('settings-save').click()
  await page.getByTestId('engine-restart').click()
  await expect(page.getByText('Engine restarted with the saved settings.')).toBeVisible()

  // The simulator: the device stopped with the old engine, and starts again.
  await page.getByTestId('nav-simulator').click()
  await expect(page.getByTestId('seed-running')).toHaveCount(0)
  await expect(page.getByTestId('seed-toggle')).toBeEnabled()
  await page.getByTestId('seed-on').check()
  await page.getByTestId('seed-toggle').click()
  await expect(page.getByTestId('seed-running')).toBeVisible()

  // The inspector: a message of the new engine (its sequence numbers start from 1 again) is shown.
  await gui.publish(topic, 't|77.5|rh|12')
  await page.getByTestId('nav-inspector').click()
  await expect(page.getByTestId('message-row').filter({ hasText: 't|77.5|rh|12' })).toHaveCount(1)

  // The device page: the chart receives the new engine's measures.
  await page.getByTestId('nav-device').click()
  await expect(page.getByTestId('chart-temperature')).toBeVisible()
  const after = await points()
  await expect.poll(points, { timeout: 20_000 }).toBeGreaterThan(after)
  await expect(page.getByTestId('chart-value-temperature')).not.toHaveText('–')
})
